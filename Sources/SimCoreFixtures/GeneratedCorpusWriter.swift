import Foundation
import SimCore
import SimCoreIO
import SimCoreInternals

/// Streams a ``CorpusGenerator`` corpus to disk with its ground truth.
///
/// Two layouts, chosen by the output path:
/// - `NAME.jsonl`: one `{"id":…,"text":…}` line per document, plus `NAME.truth.jsonl` (one
///   `{"id":…,"cluster":…,"edits":[…]}` line per document; `borrowedFrom` names a story a
///   paragraph was reused from), `NAME.pairs.tsv` (one planted pair per line) and
///   `NAME.passages.jsonl` (the text documents share, ``PassageTruth``).
/// - any other path, a directory: one `ID.txt` per document, with `NAME.truth.jsonl`,
///   `NAME.pairs.tsv` and `NAME.passages.jsonl` beside the directory (not inside it, where a
///   reader would take them for JSON Lines shards of the corpus).
///
/// A `pairs.tsv` line is `idA<TAB>idB<TAB>jaccard`: the earlier document's id, the later one's,
/// and their exact Jaccard similarity on word 5-grams with the default ``ShinglingOptions``
/// (``Shingler`` and ``ShingleSet/jaccard(with:)``), written as the shortest decimal that reads
/// back as the same `Double` (`0.8571428571428571`, `1.0`). Readers that cannot reproduce
/// SimCore's normalization (a Python test harness) filter planted pairs by it.
///
/// Blocks of ``CorpusGeneratorOptions/blockSize`` documents are rendered in memory on several
/// threads (text JSON-escaped as it is generated, no per-word allocation) and written in order,
/// so the files are byte-identical for the same options whatever the thread count.
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
        /// The shared-passages file (``PassageTruth``).
        public var passagesPath: String
    }

    /// The truth and pairs paths that belong to a corpus path (used by readers to find them).
    ///
    /// - Parameter corpusPath: A `.jsonl` file or a directory.
    /// - Returns: The truth and pairs file paths.
    public static func companionPaths(of corpusPath: String) -> (truth: String, pairs: String) {
        var stem = corpusPath
        if stem.lowercased().hasSuffix(".jsonl") {
            stem = String(stem.dropLast(".jsonl".count))
        } else {
            while stem.count > 1 && stem.hasSuffix("/") { stem.removeLast() }
        }
        return (stem + ".truth.jsonl", stem + ".pairs.tsv")
    }

    /// The shared-passages file that belongs to a corpus path: `NAME.passages.jsonl` beside
    /// `NAME.jsonl` or beside the directory `NAME`.
    ///
    /// - Parameter corpusPath: A `.jsonl` file or a directory.
    /// - Returns: The passages file path.
    public static func passagesPath(of corpusPath: String) -> String {
        String(companionPaths(of: corpusPath).truth.dropLast(".truth.jsonl".count)) + ".passages.jsonl"
    }

    /// Generates and writes a corpus, generating blocks of documents on `threads` threads.
    ///
    /// - Parameters:
    ///   - options: Generator options.
    ///   - path: `NAME.jsonl`, or a directory (created if missing).
    ///   - threads: Threads generating blocks in parallel (default: all cores); the files are
    ///     identical for every thread count.
    ///   - progress: Called after each round of blocks with the documents written so far.
    /// - Returns: What was written.
    /// - Throws: ``OutputError`` naming the file or directory that could not be written; no
    ///   partial file is left under a final name.
    /// - Complexity: O(total bytes); memory holds `threads` blocks.
    public static func write(
        options: CorpusGeneratorOptions, to path: String, threads: Int = Parallelism.defaultThreadCount,
        progress: (Int) -> Void = { _ in }
    ) throws -> Summary {
        let jsonLines = path.lowercased().hasSuffix(".jsonl")
        let directory = jsonLines ? (path as NSString).deletingLastPathComponent : path
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw OutputError(destination: directory, reason: "cannot create the directory: \(error.localizedDescription)")
            }
        }
        let (truthPath, pairsPath) = companionPaths(of: path)
        let corpus = jsonLines ? try OutputSink.file(atomicallyAt: path) : nil
        let truth = try OutputSink.file(atomicallyAt: truthPath)
        let pairs = try OutputSink.file(atomicallyAt: pairsPath)
        let passagesPath = passagesPath(of: path)
        let passages = try OutputSink.file(atomicallyAt: passagesPath)
        var summary = Summary(documents: 0, textBytes: 0, plantedPairs: 0, corpusPath: path, truthPath: truthPath, pairsPath: pairsPath,
                              passagesPath: passagesPath)
        let blocks = (options.documentCount + options.blockSize - 1) / options.blockSize
        let vocabulary = _GeneratorVocabulary(size: options.vocabularySize, seed: options.seed)
        var next = 0
        while next < blocks {
            let first = next
            let round = Swift.min(Swift.max(1, threads), blocks - first)
            let outputs = concurrentChunks(count: round, threads: threads) { range in
                range.map {
                    _Block.render(options: options, vocabulary: vocabulary, block: first + $0, textDirectory: jsonLines ? nil : path)
                }
            }.flatMap { $0 }
            for output in outputs {
                if let failure = output.failure { throw failure }
                try corpus?.write(bytes: output.corpus)
                try truth.write(bytes: output.truth)
                try pairs.write(bytes: output.pairs)
                try passages.write(bytes: output.passages)
                summary.documents += output.documents
                summary.textBytes += output.textBytes
                summary.plantedPairs += output.plantedPairs
            }
            next += round
            progress(summary.documents)
        }
        try corpus?.close()
        try truth.close()
        try pairs.close()
        try passages.close()
        return summary
    }
}

/// One block of generated documents rendered in memory: corpus lines, truth lines, pair lines.
struct _Block: Sendable {
    var corpus: [UInt8] = []
    var truth: [UInt8] = []
    var pairs: [UInt8] = []
    var passages: [UInt8] = []
    var documents = 0
    var textBytes = 0
    var plantedPairs = 0
    var failure: OutputError?

    /// Renders block `block`; with `textDirectory`, writes one `ID.txt` per document there
    /// instead of JSON Lines. Planted pairs get their Jaccard similarity here: no cluster crosses a
    /// block, and only members of a cluster of two or more are shingled.
    static func render(options: CorpusGeneratorOptions, vocabulary: _GeneratorVocabulary, block: Int, textDirectory: String?) -> _Block {
        let firstDocument = block * options.blockSize
        var generator = CorpusGenerator(options: options, vocabulary: vocabulary, firstDocument: firstDocument)
        var output = _Block()
        output.corpus.reserveCapacity(textDirectory == nil ? options.blockSize * ((options.minimumStoryBytes + options.maximumStoryBytes) / 2 + 2_000) : 0)
        let shingler = Shingler()
        var text: [UInt8] = []
        var originalText: [UInt8] = []
        var clusterMembers: [String] = []
        var clusterShingles: [ShingleSet] = []
        var records: [GeneratedDocument] = []
        for index in firstDocument..<Swift.min(firstDocument + options.blockSize, options.documentCount) {
            let id = GeneratedDocument.id(ofIndex: index)
            let record = generator.generate(into: &text)!
            records.append(record)
            output.textBytes += text.count
            if let textDirectory {
                let file = (textDirectory as NSString).appendingPathComponent(id + ".txt")
                do {
                    try AtomicFile.write(text, to: file)
                } catch {
                    output.failure = OutputError(destination: file, reason: error.reason)
                    return output
                }
            } else {
                output.corpus.append(contentsOf: "{\"id\":\"\(id)\",\"text\":\"".utf8)
                JSONText.appendEscaped(utf8: text, to: &output.corpus)
                output.corpus.append(contentsOf: "\"}\n".utf8)
            }
            let cluster = GeneratedDocument.id(ofIndex: record.cluster)
            let edits = record.edits.names.map { "\"\($0)\"" }.joined(separator: ",")
            let borrowed = record.borrowedFrom.map { ",\"borrowedFrom\":\"\(GeneratedDocument.id(ofIndex: $0))\"" } ?? ""
            output.truth.append(contentsOf: "{\"id\":\"\(id)\",\"cluster\":\"\(cluster)\",\"edits\":[\(edits)]\(borrowed)}\n".utf8)
            if record.isOriginal {
                clusterMembers.removeAll(keepingCapacity: true)
                clusterShingles.removeAll(keepingCapacity: true)
                // Kept until the next document says whether this story is reprinted.
                swap(&originalText, &text)
            } else {
                if clusterShingles.isEmpty { clusterShingles.append(shingler.shingles(ofUTF8: originalText)) }
                let shingles = shingler.shingles(ofUTF8: text)
                for (member, memberShingles) in zip(clusterMembers, clusterShingles) {
                    output.pairs.append(contentsOf: "\(member)\t\(id)\t\(memberShingles.jaccard(with: shingles))\n".utf8)
                    output.plantedPairs += 1
                }
                clusterShingles.append(shingles)
            }
            clusterMembers.append(id)
            output.documents += 1
            text.removeAll(keepingCapacity: true)
        }
        PassageTruth(generated: records).appendJSONLines(
            ids: records.map { GeneratedDocument.id(ofIndex: $0.index) }, to: &output.passages)
        return output
    }
}
