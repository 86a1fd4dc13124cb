import ArgumentParser
import Foundation
import SimBenchKit
import SimCore

/// `simbench generate`: a seeded news-like corpus with planted near-duplicates and ground truth.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic news-like corpus with planted near-duplicate clusters.",
        discussion: """
            OUTPUT ending in .jsonl gets one {"id","text"} line per document, with NAME.truth.jsonl and \
            NAME.pairs.tsv beside it; any other OUTPUT is a directory of ID.txt files with truth.jsonl \
            and pairs.tsv inside. The same --seed gives byte-identical files on every machine.
            """)

    @Option(help: "Documents to generate (10 to 10,000,000).")
    var documents: Int = 10_000

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "A .jsonl file or a directory.")
    var output: String

    @Option(help: "Probability that a story is reprinted (planted cluster of 2 to --max-cluster-size).")
    var reprintProbability: Double = 0.15

    @Option(help: "Largest planted cluster.")
    var maxClusterSize: Int = 5

    @Option(help: "Probability that a story reuses a paragraph of an unrelated earlier story.")
    var paragraphReuseProbability: Double = 0.2

    @Option(help: "Threads generating blocks in parallel (default: all cores); output is identical for any count.")
    var threads: Int = Parallelism.defaultThreadCount

    @Flag(help: "Report progress on standard error even when it is not a terminal.")
    var progress = false

    func validate() throws {
        guard (10...10_000_000).contains(documents) else { throw ValidationError("--documents must be in 10...10,000,000") }
        guard (0...1).contains(reprintProbability), (0...1).contains(paragraphReuseProbability) else {
            throw ValidationError("probabilities must be in [0, 1]")
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard maxClusterSize >= 2 else { throw ValidationError("--max-cluster-size must be at least 2") }
    }

    func run() throws {
        let options = CorpusGeneratorOptions(
            documentCount: documents, seed: seed, reprintProbability: reprintProbability,
            maximumClusterSize: maxClusterSize, paragraphReuseProbability: paragraphReuseProbability)
        let reporter = ProgressReporter(forced: progress)
        var summary: GeneratedCorpusWriter.Summary?
        let seconds = try Sampler.time {
            summary = try GeneratedCorpusWriter.write(options: options, to: output, threads: threads) { written in
                reporter.report("generated \(written) of \(documents) documents")
            }
        }
        guard let summary else { return }
        let megabytes = Double(summary.textBytes) / 1e6
        print("generated \(summary.documents) documents, \(String(format: "%.1f", megabytes)) MB of text, \(summary.plantedPairs) planted pairs, seed \(seed)")
        print("in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", megabytes / seconds)) MB/s)")
        print("corpus: \(summary.corpusPath)\ntruth:  \(summary.truthPath)\npairs:  \(summary.pairsPath)")
    }
}
