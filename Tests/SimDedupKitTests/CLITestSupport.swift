import Foundation
import SimCore
import SimCommandLine
import SimDedupKit

/// Runs `simdedup` in memory, and writes hermetic input files.
enum CLI {
    struct Result {
        let status: Int32
        let output: String
        let errors: String

        /// Standard output's lines, parsed as JSON objects.
        var records: [[String: Any]] {
            output.split(separator: "\n").map {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
            }
        }
    }

    /// Runs `simdedup arguments…` against in-memory streams.
    static func run(_ arguments: [String], terminal: Bool = false) -> Result {
        let io = CommandIO(standardOutput: .memory(), standardError: .memory(), standardErrorIsTerminal: terminal)
        let status = CommandLineMain.run(SimDedup.self, arguments: arguments, io: io)
        return Result(status: status, output: io.standardOutput.text, errors: io.standardError.text)
    }

    /// Writes `bytes` to a fresh temporary file named `name` and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("simdedup-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "cannot write \(path)")
        return path
    }

    /// Writes `text` to a fresh temporary file.
    static func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    /// A JSONL line `{"id":…,"text":…}` with a string id.
    static func record(_ id: String, _ text: String) -> String {
        let object: [String: Any] = ["id": id, "text": text]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// A seeded corpus: `originals` random 60-120-word texts, each followed by `copies` copies
    /// with `edits` random words replaced. Returns (id, text) pairs; ids are `g<original>-<copy>`.
    static func corpus(seed: UInt64, originals: Int, copies: Int, edits: Int) -> [(String, String)] {
        var generator = SplitMix64(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let vocabulary: [String] = (0..<2_000).map { _ in
            String((0..<(3 + Int(generator.next() % 6))).map { _ in letters[Int(generator.next() % 26)] })
        }
        var documents: [(String, String)] = []
        for group in 0..<originals {
            let words = (0..<(60 + Int(generator.next() % 61))).map { _ in vocabulary[Int(generator.next() % 2_000)] }
            documents.append(("g\(group)-0", words.joined(separator: " ")))
            for copy in 1...max(1, copies) where copies > 0 {
                var edited = words
                for _ in 0..<edits { edited[Int(generator.next() % UInt64(edited.count))] = vocabulary[Int(generator.next() % 2_000)] }
                documents.append(("g\(group)-\(copy)", edited.joined(separator: " ")))
            }
        }
        return documents
    }

    /// `corpus` as a JSONL file.
    static func corpusFile(_ documents: [(String, String)]) -> String {
        file("corpus.jsonl", documents.map { record($0.0, $0.1) }.joined(separator: "\n") + "\n")
    }
}
