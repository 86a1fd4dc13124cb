import Foundation
import SimCore
import SimCoreFixtures
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
        var io = CommandIO(standardOutput: .memory(), standardError: .memory(), standardErrorIsTerminal: terminal)
        io.progressStartDelay = .zero
        let status = CommandLineMain.run(SimDedup.self, arguments: arguments, io: io)
        return Result(status: status, output: io.standardOutput.text, errors: io.standardError.text)
    }

    /// Writes `bytes` to a fresh temporary file named `name` (in a scratch directory of its own,
    /// removed when the test process exits) and returns its path.
    static func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = try! ScratchDirectories.make("simdedup-tests") + "/" + name
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

    /// A generated corpus for the command tests: short stories (1,000–1,500 bytes of body) with no
    /// header, footer, borrowed or rearranged paragraph, 80% of them reprinted 1 to 3 times with
    /// 1 or 2 words changed and nothing appended. Planted pairs keep a word 5-gram Jaccard above
    /// 0.8 (``lowestPlantedJaccard(_:)``) and other pairs share next to no shingle.
    static func corpus(documents: Int, seed: UInt64) -> GeneratedCorpus {
        GeneratedCorpus(options: CorpusGeneratorOptions(
            documentCount: documents, seed: seed, minimumStoryBytes: 1_000, maximumStoryBytes: 1_500,
            reprintProbability: 0.8, maximumClusterSize: 4, paragraphReuseProbability: 0, headerProbability: 0,
            footerProbability: 0, paragraphEditProbability: 0, changedWordsProbability: 1, changedWordCount: 1...2,
            appendedSentencesProbability: 0))
    }

    /// The smallest word 5-gram Jaccard similarity of a planted pair of `corpus`.
    static func lowestPlantedJaccard(_ corpus: GeneratedCorpus) -> Double {
        let shingler = Shingler()
        let sets = corpus.documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        return corpus.plantedPairs.map { sets[$0.first].jaccard(with: sets[$0.second]) }.min() ?? 1
    }

    /// `corpus` as a JSON Lines file, written by `GeneratedCorpusWriter` as `simbench generate` writes it
    /// (in a scratch directory of its own, removed when the test process exits).
    static func corpusFile(_ corpus: GeneratedCorpus) -> String {
        let directory = try! ScratchDirectories.make("simdedup-tests")
        return try! GeneratedCorpusWriter.write(options: corpus.options, to: directory + "/corpus.jsonl").corpusPath
    }
}
