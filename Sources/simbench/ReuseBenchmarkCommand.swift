import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

/// `simbench reuse`: corpus-wide text reuse (index, candidate pairs, alignment) with word-level
/// passage precision and recall against planted passages, pairs/s and MB/s, and one pair alone.
struct ReuseBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "reuse",
        abstract: "Text-reuse workload: passage precision/recall, pairs/s and MB/s; JSON result.",
        discussion: """
            Reads INPUTS (scored against NAME.passages.jsonl beside a single input, if there) or, \
            with --generate N, makes a corpus of `simbench generate` in memory with planted reuse: \
            reprints, and paragraphs borrowed by unrelated stories (--paragraph-reuse-probability), \
            some lightly edited (--reused-paragraph-edit-probability). Thread counts run from 1 up \
            to --threads, doubling.
            """)

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = []

    @Option(help: "Generate a corpus of this many documents in memory instead of reading INPUTS.")
    var generate: Int?

    @OptionGroup var corpusSeed: CorpusSeedOption

    @Option(help: "Generated corpus: probability that a story borrows a paragraph of an unrelated earlier story.")
    var paragraphReuseProbability: Double = 0.5

    @Option(help: "Generated corpus: probability that a borrowed paragraph is lightly edited.")
    var reusedParagraphEditProbability: Double = 0.5

    @OptionGroup var reuse: ReuseOptionGroup

    @Option(help: "auto: blank boilerplate lines first, as simdedup reuse does; off: keep every line.")
    var boilerplate: BoilerplateOptionGroup.Mode = .auto

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard generate != nil || !inputs.isEmpty else { throw ValidationError("give INPUTS or --generate N") }
        if let generate { guard (2...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 2...10,000,000, not \(generate)") } }
        guard (0...1).contains(paragraphReuseProbability), (0...1).contains(reusedParagraphEditProbability) else {
            throw ValidationError("--paragraph-reuse-probability and --reused-paragraph-edit-probability must be in [0, 1]")
        }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let (documents, truth, summary) = try loadCorpus(io: io, progress: progress)
        let context = BenchmarkContext(
            documents: documents, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads),
            sampler: sampling.sampler(), progress: progress, passageTruth: truth)
        var outcome = BenchResult(machine: .current(), corpus: summary, label: result.label)
        try printHeader(outcome, io: io)
        try io.print("corpus:  \(summary.name), \(documents.count) documents, \(summary.bytes) bytes\(truth.map { ", \($0.pairs.count) pairs share planted passages" } ?? ""); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        let workload = ReuseWorkload(options: reuse.reuseOptions, boilerplate: boilerplate == .auto)
        progress.start("reuse", total: workload.measurementCount(in: context), unit: .steps)
        outcome.records = workload.run(in: context).records
        progress.finish()
        try io.print(TextTable.records(outcome.records))
        if let first = outcome.records.first {
            let metric = { (name: String) in first.metrics[name].map { String(format: "%.4f", $0) } ?? "n/a" }
            try io.print("passages: precision \(metric("precision")), recall \(metric("recall")), f1 \(metric("f1")) (word level); "
                + "\(Int(first.metrics["pairsFound"] ?? 0)) pairs found; \(first.units.pairs) candidate pairs, "
                + "\(Int(first.metrics["alignedPairs"] ?? 0)) of them aligned (the others fail the fingerprint test)")
        }
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: result, io: io)
    }

    private func loadCorpus(io: CommandIO, progress: ProgressDisplay) throws -> ([Document], PassageTruth?, CorpusSummary) {
        if let generate {
            let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(
                documentCount: generate, seed: corpusSeed.corpusSeed, paragraphReuseProbability: paragraphReuseProbability,
                reusedParagraphEditProbability: reusedParagraphEditProbability), threads: threads.threads)
            let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
            return (corpus.documents, corpus.sharedPassages,
                    CorpusSummary(name: "generated", documents: generate, bytes: bytes, seed: corpusSeed.corpusSeed, hasGroundTruth: true))
        }
        let corpus = try CommandInput.readAll(paths: inputs, options: input.corpusOptions, io: io, tool: "simbench", progress: progress)
        guard corpus.documents.count >= 2 else { throw CommandError("need at least two documents in \(inputs.joined(separator: ", "))") }
        var truth: PassageTruth?
        if inputs.count == 1 {
            let path = GeneratedCorpusWriter.passagesPath(of: inputs[0])
            if FileManager.default.fileExists(atPath: path) {
                do {
                    truth = try PassageTruth.read(from: URL(fileURLWithPath: path), documentIDs: corpus.documents.map(\.id))
                } catch {
                    throw CommandError("\(path): not a passages file: \(error)")
                }
            }
        }
        let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
        let name = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        return (corpus.documents, truth, CorpusSummary(name: name, documents: corpus.documents.count, bytes: bytes, hasGroundTruth: truth != nil))
    }
}
