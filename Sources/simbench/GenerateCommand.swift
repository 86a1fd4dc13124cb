import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures

/// `simbench generate`: a seeded news-like corpus with planted near-duplicates and ground truth.
struct GenerateCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a deterministic news-like corpus with planted near-duplicate clusters.",
        discussion: """
            OUTPUT ending in .jsonl gets one {"id","text"} line per document, with NAME.truth.jsonl and \
            NAME.pairs.tsv beside it; any other OUTPUT is a directory of ID.txt files with truth.jsonl \
            and pairs.tsv inside. The same --corpus-seed gives byte-identical files on every machine \
            and for every --threads.
            """)

    @Option(parsing: .unconditional, help: "Documents to generate (10 to 10,000,000).")
    var documents: Int = 10_000

    @OptionGroup var seed: CorpusSeedOption

    @Option(help: "A .jsonl file or a directory.")
    var output: String

    @Option(parsing: .unconditional, help: "Probability that a story is reprinted (planted cluster of 2 to --max-cluster-size).")
    var reprintProbability: Double = 0.15

    @Option(parsing: .unconditional, help: "Largest planted cluster.")
    var maxClusterSize: Int = 5

    @Option(parsing: .unconditional, help: "Probability that a story reuses a paragraph of an unrelated earlier story.")
    var paragraphReuseProbability: Double = 0.2

    @OptionGroup var threads: ThreadOptionGroup

    @Flag(help: "Report progress on standard error even when it is not a terminal.")
    var progress = false

    func validate() throws {
        guard (10...10_000_000).contains(documents) else { throw ValidationError("--documents must be in 10...10,000,000, not \(documents)") }
        guard (0...1).contains(reprintProbability), (0...1).contains(paragraphReuseProbability) else {
            throw ValidationError("--reprint-probability and --paragraph-reuse-probability must be in [0, 1]")
        }
        guard output != "-" else {
            throw ValidationError("--output must name a .jsonl file or a directory: the corpus comes with two ground-truth files, which standard output cannot hold")
        }
        guard (2...1_000).contains(maxClusterSize) else { throw ValidationError("--max-cluster-size must be in 2...1000, not \(maxClusterSize)") }
    }

    func execute(io: CommandIO) throws {
        let options = CorpusGeneratorOptions(
            documentCount: documents, seed: seed.corpusSeed, reprintProbability: reprintProbability,
            maximumClusterSize: maxClusterSize, paragraphReuseProbability: paragraphReuseProbability)
        let reporter = ProgressReporter(forced: progress)
        var summary: GeneratedCorpusWriter.Summary?
        let seconds = try Sampler.time {
            summary = try GeneratedCorpusWriter.write(options: options, to: output, threads: threads.threads) { written in
                reporter.report("generated \(written) of \(documents) documents")
            }
        }
        guard let summary else { return }
        let megabytes = Double(summary.textBytes) / 1e6
        try io.print("generated \(summary.documents) documents, \(String(format: "%.1f", megabytes)) MB of text, \(summary.plantedPairs) planted pairs, corpus seed \(seed.corpusSeed)")
        try io.print("in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", megabytes / seconds)) MB/s)")
        try io.print("corpus: \(summary.corpusPath)\ntruth:  \(summary.truthPath)\npairs:  \(summary.pairsPath)")
    }
}
