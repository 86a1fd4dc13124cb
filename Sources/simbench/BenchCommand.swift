import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

/// `simbench bench`: every workload over its variants and thread counts, with the naive
/// reference, accuracy against ground truth, a table on stdout and a versioned JSON result.
struct BenchCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure workloads (normalize, shingle, all-pairs, reuse) and write a JSON result.",
        discussion: """
            With no inputs, measures a generated corpus (--generate documents, --corpus-seed). Inputs \
            are directories of .txt files or JSON Lines files; ground truth is read from --truth or \
            from the truth file `simbench generate` wrote beside a single input. Thread counts run \
            from 1 up to --threads, doubling.
            """)

    @Argument(help: "JSON Lines files (.gz too), .txt files, directories (default: a generated corpus).")
    var inputs: [String] = []

    @Option(parsing: .unconditional, help: "Documents to generate in memory when no inputs are given.")
    var generate: Int = 1_000

    @OptionGroup var corpusSeed: CorpusSeedOption

    @Option(help: "Ground-truth file (.truth.jsonl) for the inputs.")
    var truth: String?

    @Option(help: "A workload to run (repeat the option for several; default: all).")
    var workload: [String] = []

    @Option(help: "A shingle unit, words:N or chars:K (repeat for several); all-pairs uses the first.")
    var shingle: [ShinglingOptions.Unit] = [.words(5)]

    @Option(parsing: .unconditional, help: "All-pairs Jaccard threshold, in (0, 1].")
    var threshold: Double = 0.5

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    @Option(parsing: .unconditional, help: "Documents the quadratic naive all-pairs reference runs on.")
    var referenceDocuments: Int = 200

    @Option(help: ArgumentHelp(
        "Also write the exact all-pairs result here: one idA<TAB>idB<TAB>jaccard line per pair with Jaccard ≥ --threshold on the first --shingle, in document order (the format of generate's .pairs.tsv).",
        valueName: "file"))
    var pairsOutput: String?

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard !shingle.isEmpty else { throw ValidationError("give at least one --shingle") }
        try BandingOptionGroup.validate(threshold: threshold)
        guard (2...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 2...10,000,000, not \(generate)") }
        guard referenceDocuments >= 2 else { throw ValidationError("--reference-documents must be at least 2") }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        if let pairsOutput { _ = try OutputSink.file(atomicallyAt: pairsOutput) }
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let registry = WorkloadRegistry.standard(shingleUnits: shingle, threshold: threshold)
        let chosen: [any BenchmarkWorkload]
        do {
            chosen = try registry.selected(workload)
        } catch {
            throw CommandError("\(error)", status: .usage)
        }
        let (documents, planted, passages, corpusSummary) = try loadCorpus(io: io, progress: progress)
        let context = BenchmarkContext(
            documents: documents, truth: planted, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads),
            sampler: sampling.sampler(),
            referenceSampler: Sampler(samples: Swift.min(sampling.samples, 3), minimumSampleSeconds: 0),
            referenceDocuments: referenceDocuments, progress: progress, passageTruth: passages)
        var outcome = BenchResult(machine: .current(), corpus: corpusSummary, label: result.label)
        try printHeader(outcome, io: io)
        try io.print("corpus:  \(corpusSummary.name), \(documents.count) documents, \(corpusSummary.bytes) bytes\(planted.map { ", \($0.count) planted pairs" } ?? ""); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        try io.print()
        try Self.measure(chosen, in: context, into: &outcome, progress: progress, task: "bench")
        try io.print(TextTable.records(outcome.records))
        try io.print("peak resident memory: \(TextTable.number(Double(PeakMemory.residentBytes())))B")
        if let pairsOutput { try writePairs(of: documents, to: pairsOutput, io: io) }
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: result, io: io)
    }

    /// Runs `workloads` in `context` with one progress task over all their measurements.
    static func measure(
        _ workloads: [any BenchmarkWorkload], in context: BenchmarkContext, into outcome: inout BenchResult, progress: ProgressDisplay,
        task: String
    ) throws {
        progress.start(task, total: workloads.reduce(0) { $0 + $1.measurementCount(in: context) }, unit: .steps)
        for workload in workloads {
            let output = workload.run(in: context)
            outcome.records += output.records
            outcome.curves += output.curves
        }
        progress.finish()
    }

    /// Writes the exact all-pairs result of `documents` (Jaccard ≥ `threshold` on the first
    /// shingle unit) to `path`, atomically, one `idA<TAB>idB<TAB>jaccard` line per pair.
    private func writePairs(of documents: [Document], to path: String, io: CommandIO) throws {
        let pairs = AllPairsWorkload(unit: shingle[0], threshold: threshold).pairs(in: documents, threads: threads.threads)
        do {
            let sink = try OutputSink.file(atomicallyAt: path)
            for pair in pairs {
                try sink.write("\(documents[pair.first].id)\t\(documents[pair.second].id)\t\(pair.similarity)\n")
            }
            try sink.close()
        } catch {
            throw CommandError.output(error)
        }
        try io.print("wrote \(path) (\(pairs.count) pairs)")
    }

    private func loadCorpus(
        io: CommandIO, progress: ProgressDisplay
    ) throws -> ([Document], Set<DocumentPair>?, PassageTruth?, CorpusSummary) {
        if inputs.isEmpty {
            let corpus = GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: generate, seed: corpusSeed.corpusSeed), threads: threads.threads)
            let planted = GroundTruth(generated: corpus.truth).pairs(documentIDs: corpus.documents.map(\.id))
            let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
            return (corpus.documents, planted, PassageTruth(generated: corpus.truth),
                    CorpusSummary(name: "generated", documents: corpus.documents.count, bytes: bytes, seed: corpusSeed.corpusSeed, hasGroundTruth: true))
        }
        let corpus = try CommandInput.readAll(paths: inputs, options: input.corpusOptions, io: io, tool: "simbench", progress: progress)
        guard corpus.documents.count >= 2 else { throw CommandError("need at least two documents in \(inputs.joined(separator: ", "))") }
        var truthPath = truth
        if truthPath == nil, inputs.count == 1 {
            let companion = GeneratedCorpusWriter.companionPaths(of: inputs[0]).truth
            if FileManager.default.fileExists(atPath: companion) { truthPath = companion }
        }
        let planted = try truthPath.map { path throws(CommandError) in
            do {
                return try GroundTruth.read(from: URL(fileURLWithPath: path)).pairs(documentIDs: corpus.documents.map(\.id))
            } catch {
                throw CommandError("\(error)")
            }
        }
        var passages: PassageTruth?
        if inputs.count == 1, case let path = GeneratedCorpusWriter.passagesPath(of: inputs[0]), FileManager.default.fileExists(atPath: path) {
            passages = try? PassageTruth.read(from: URL(fileURLWithPath: path), documentIDs: corpus.documents.map(\.id))
        }
        let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
        let name = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        return (corpus.documents, planted, passages,
                CorpusSummary(name: name, documents: corpus.documents.count, bytes: bytes, hasGroundTruth: planted != nil))
    }
}
