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
            OUTPUT ending in .jsonl gets one {"id","text"} line per document, with NAME.truth.jsonl, \
            NAME.pairs.tsv and NAME.passages.jsonl (the text documents share, with byte ranges) beside \
            it; any other OUTPUT is a directory of ID.txt files, with OUTPUT.truth.jsonl, \
            OUTPUT.pairs.tsv and OUTPUT.passages.jsonl beside the directory. The same --corpus-seed \
            gives byte-identical files on every machine and for every --threads.
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

    @Option(parsing: .unconditional, help: "Shortest story body in bytes, before headers and footers (at least 200; 400 with --max-story-bytes 800 gives documents of about 1 KB).")
    var minStoryBytes: Int = CorpusGeneratorOptions(documentCount: 0).minimumStoryBytes

    @Option(parsing: .unconditional, help: "Longest story body in bytes, before headers and footers (at least --min-story-bytes).")
    var maxStoryBytes: Int = CorpusGeneratorOptions(documentCount: 0).maximumStoryBytes

    @Option(parsing: .unconditional, help: "Probability that a story reuses a paragraph of an unrelated earlier story.")
    var paragraphReuseProbability: Double = 0.2

    @Option(parsing: .unconditional, help: "Probability that a reused paragraph is lightly edited (words changed, a clause dropped, words inserted).")
    var reusedParagraphEditProbability: Double = 0

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (10...10_000_000).contains(documents) else { throw ValidationError("--documents must be in 10...10,000,000, not \(documents)") }
        guard (0...1).contains(reprintProbability), (0...1).contains(paragraphReuseProbability),
              (0...1).contains(reusedParagraphEditProbability) else {
            throw ValidationError("--reprint-probability, --paragraph-reuse-probability and --reused-paragraph-edit-probability must be in [0, 1]")
        }
        guard output != "-" else {
            throw ValidationError("--output must name a .jsonl file or a directory: the corpus comes with two ground-truth files, which standard output cannot hold")
        }
        guard (2...1_000).contains(maxClusterSize) else { throw ValidationError("--max-cluster-size must be in 2...1000, not \(maxClusterSize)") }
        guard (200...10_000_000).contains(minStoryBytes) else {
            throw ValidationError("--min-story-bytes must be in 200...10,000,000, not \(minStoryBytes)")
        }
        guard (minStoryBytes...10_000_000).contains(maxStoryBytes) else {
            throw ValidationError("--max-story-bytes must be in --min-story-bytes (\(minStoryBytes))...10,000,000, not \(maxStoryBytes)")
        }
    }

    func execute(io: CommandIO) throws {
        let options = CorpusGeneratorOptions(
            documentCount: documents, seed: seed.corpusSeed, minimumStoryBytes: minStoryBytes,
            maximumStoryBytes: maxStoryBytes, reprintProbability: reprintProbability,
            maximumClusterSize: maxClusterSize, paragraphReuseProbability: paragraphReuseProbability,
            reusedParagraphEditProbability: reusedParagraphEditProbability)
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        progress.start("generating", total: documents, unit: .items("documents"))
        var summary: GeneratedCorpusWriter.Summary?
        let seconds = try Sampler.time {
            summary = try GeneratedCorpusWriter.write(options: options, to: output, threads: threads.threads) { written in
                progress.update(written)
            }
        }
        progress.finish()
        guard let summary else { return }
        let megabytes = Double(summary.textBytes) / 1e6
        try io.print("generated \(summary.documents) documents, \(String(format: "%.1f", megabytes)) MB of text, \(summary.plantedPairs) planted pairs, corpus seed \(seed.corpusSeed)")
        try io.print("in \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", megabytes / seconds)) MB/s)")
        try io.print("corpus: \(summary.corpusPath)\ntruth:  \(summary.truthPath)\npairs:  \(summary.pairsPath)\npassages: \(summary.passagesPath)")
    }
}
