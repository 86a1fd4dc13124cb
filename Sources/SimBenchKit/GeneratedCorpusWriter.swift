import Foundation
import SimCore

/// Streams a ``CorpusGenerator`` corpus to disk with its ground truth.
///
/// Two layouts, chosen by the output path:
/// - `NAME.jsonl`: one `{"id":…,"text":…}` line per document, plus `NAME.truth.jsonl` (one
///   `{"id":…,"cluster":…,"edits":[…]}` line per document; `borrowedFrom` names a story a
///   paragraph was reused from) and `NAME.pairs.tsv` (one planted pair per line, ids tab-separated).
/// - any other path, a directory: one `ID.txt` per document plus `truth.jsonl` and `pairs.tsv`.
///
/// Text is appended to a large buffer and written in blocks of about 8 MB, so generation runs
/// at hundreds of MB/s. The same options give byte-identical files.
///
/// ```swift
/// let summary = try GeneratedCorpusWriter.write(options: CorpusGeneratorOptions(documentCount: 1_000, seed: 1),
///                                               to: "corpus.jsonl")
/// summary.truthPath   // "corpus.truth.jsonl"
/// ```
public enum GeneratedCorpusWriter {
    /// What was written.
    public struct Summary: Sendable, Hashable {
        /// Documents written.
        public var documents: Int
        /// Document text bytes (before JSON escaping).
        public var textBytes: Int
        /// Planted pairs written.
        public var plantedPairs: Int
        /// The corpus file or directory.
        public var corpusPath: String
        /// The ground-truth file.
        public var truthPath: String
        /// The planted-pairs file.
        public var pairsPath: String
    }

    /// The truth and pairs paths that belong to a corpus path (used by readers to find them).
    ///
    /// - Parameter corpusPath: A `.jsonl` file or a directory.
    /// - Returns: The truth and pairs file paths.
    public static func companionPaths(of corpusPath: String) -> (truth: String, pairs: String) {
        if corpusPath.lowercased().hasSuffix(".jsonl") {
            let stem = String(corpusPath.dropLast(".jsonl".count))
            return (stem + ".truth.jsonl", stem + ".pairs.tsv")
        }
        return ((corpusPath as NSString).appendingPathComponent("truth.jsonl"), (corpusPath as NSString).appendingPathComponent("pairs.tsv"))
    }

    /// Generates and writes a corpus.
    ///
    /// - Parameters:
    ///   - options: Generator options.
    ///   - path: `NAME.jsonl`, or a directory (created if missing).
    ///   - progress: Called about every 8 MB with the documents written so far.
    /// - Returns: What was written.
    /// - Throws: File-system errors.
    /// - Complexity: O(total bytes); memory stays constant.
    public static func write(options: CorpusGeneratorOptions, to path: String, progress: (Int) -> Void = { _ in }) throws -> Summary {
        let jsonLines = path.lowercased().hasSuffix(".jsonl")
        let directory = jsonLines ? (path as NSString).deletingLastPathComponent : path
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let (truthPath, pairsPath) = companionPaths(of: path)
        let corpus = jsonLines ? try _BlockWriter(path: path) : nil
        let truth = try _BlockWriter(path: truthPath)
        let pairs = try _BlockWriter(path: pairsPath)
        var generator = CorpusGenerator(options: options)
        var text: [UInt8] = []
        text.reserveCapacity(1 << 16)
        var textBytes = 0
        var plantedPairs = 0
        var clusterMembers: [String] = []
        var documents = 0
        while let record = generator.generate(into: &text, jsonEscaped: jsonLines) {
            let id = record.id
            if let corpus {
                textBytes += _unescapedCount(text)
                corpus.append("{\"id\":\"\(id)\",\"text\":\"")
                corpus.buffer.append(contentsOf: text)
                corpus.append("\"}\n")
                try corpus.flushIfFull()
            } else {
                textBytes += text.count
                let file = (path as NSString).appendingPathComponent(id + ".txt")
                try Data(text).write(to: URL(fileURLWithPath: file))
            }
            let cluster = GeneratedDocument.id(ofIndex: record.cluster)
            truth.append("{\"id\":\"\(id)\",\"cluster\":\"\(cluster)\",\"edits\":[\(record.edits.names.map { "\"\($0)\"" }.joined(separator: ","))]")
            if let borrowed = record.borrowedFrom { truth.append(",\"borrowedFrom\":\"\(GeneratedDocument.id(ofIndex: borrowed))\"") }
            truth.append("}\n")
            if record.isOriginal { clusterMembers.removeAll(keepingCapacity: true) }
            for member in clusterMembers {
                pairs.append("\(member)\t\(id)\n")
                plantedPairs += 1
            }
            clusterMembers.append(id)
            try truth.flushIfFull()
            try pairs.flushIfFull()
            text.removeAll(keepingCapacity: true)
            documents += 1
            if documents % 4096 == 0 { progress(documents) }
        }
        try corpus?.close()
        try truth.close()
        try pairs.close()
        return Summary(documents: documents, textBytes: textBytes, plantedPairs: plantedPairs, corpusPath: path,
                       truthPath: truthPath, pairsPath: pairsPath)
    }

    /// The length of JSON-escaped generator text once unescaped (it escapes only `\n` and `\"`).
    static func _unescapedCount(_ escaped: [UInt8]) -> Int {
        var backslashes = 0
        for byte in escaped where byte == 0x5C { backslashes += 1 }
        return escaped.count - backslashes
    }

    /// Appends `bytes` as the inside of a JSON string: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t` or `\u00XX`; everything else (including UTF-8) copied.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - output: The buffer to append to.
    public static func appendJSONEscaped(_ bytes: [UInt8], to output: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var start = 0
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            output.append(contentsOf: bytes[start..<index])
            switch byte {
            case 0x22: output.append(contentsOf: [0x5C, 0x22])
            case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: output.append(contentsOf: [0x5C, 0x72])
            case 0x09: output.append(contentsOf: [0x5C, 0x74])
            default: output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            }
            start = index + 1
        }
        output.append(contentsOf: bytes[start...])
    }
}

/// A file written in large blocks from an in-memory buffer.
final class _BlockWriter {
    var buffer: [UInt8] = []
    private let handle: FileHandle
    private static let blockSize = 8 << 20

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(Self.blockSize + (1 << 20))
    }

    func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    func flushIfFull() throws {
        if buffer.count >= Self.blockSize { try flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { try handle.write(contentsOf: $0) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}
