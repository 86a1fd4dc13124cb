import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

/// `simbench dedupe`: end-to-end deduplication (raw text to clusters) with throughput, memory
/// and precision/recall against exact all-pairs, the LSH index alone, and the LSH S-curve
/// against theory (``DedupeWorkload``, ``LSHCurveWorkload``).
struct DedupeBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Index build, query and end-to-end dedupe workloads on a corpus.",
        discussion: """
            Reads INPUTS (JSON Lines files, .txt files, directories, -) or, with --generate N, makes \
            the seeded news-like corpus of `simbench generate` in memory. Each end-to-end run starts \
            from raw text: shingling, signing (one-permutation MinHash with -k values), indexing, \
            verification and clustering; thread counts run from 1 up to --threads, doubling. \
            With --measure jaccard, the LSH index is also measured alone, and the S-curve of its \
            banding against theory.
            """)

    @Argument(help: "JSON Lines files (.gz too), .txt files, directories, or - for standard input.")
    var inputs: [String] = []

    @Option(parsing: .unconditional, help: "Generate a corpus of this many documents in memory instead of reading INPUTS.")
    var generate: Int?

    @OptionGroup var corpusSeed: CorpusSeedOption

    @OptionGroup var engine: EngineOptions

    @OptionGroup var threads: ThreadOptionGroup

    @Option(parsing: .unconditional, help: "Queries timed one by one for latency percentiles.")
    var queries: Int = 10_000

    @Flag(help: "Skip the exact all-pairs ground truth (precision/recall).")
    var skipTruth = false

    @OptionGroup var input: InputOptions

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard generate != nil || !inputs.isEmpty else { throw ValidationError("give INPUTS or --generate N") }
        if let generate { guard (10...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 10...10,000,000, not \(generate)") } }
        guard queries >= 1 else { throw ValidationError("--queries must be at least 1") }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let (documents, name) = try loadDocuments(io: io, progress: progress)
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        var outcome = BenchResult(
            machine: .current(),
            corpus: CorpusSummary(name: name, documents: documents.count, bytes: bytes, seed: generate.map { _ in corpusSeed.corpusSeed }),
            label: result.label)
        try printHeader(outcome, io: io)
        try io.print("corpus: \(name), \(documents.count) documents, \(String(format: "%.1f", Double(bytes) / 1e6)) MB, \(bytes / max(1, documents.count)) bytes/doc")
        let workload = engine.workload(computesTruth: !skipTruth, queries: queries)
        var workloads: [any BenchmarkWorkload] = [workload]
        if engine.measure == .jaccard && engine.banding.threshold < 1 && engine.banding.bands == nil {
            workloads.append(LSHCurveWorkload(scheme: .oph, signatureLength: workload.signatureLength, threshold: workload.threshold))
        }
        try io.print("dedupe: \(workload.variant); threads \(BenchmarkContext.defaultThreadCounts(cores: threads.threads).map(String.init).joined(separator: ","))")
        let context = BenchmarkContext(
            documents: documents, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads), progress: progress)
        progress.start("dedupe", total: workloads.reduce(0) { $0 + $1.measurementCount(in: context) }, unit: .steps)
        for workload in workloads {
            let output = workload.run(in: context)
            outcome.records += output.records
            outcome.curves += output.curves
        }
        progress.finish()
        try io.print()
        try io.print(TextTable.records(outcome.records))
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: result, io: io)
    }

    private func loadDocuments(io: CommandIO, progress: ProgressDisplay) throws -> ([Document], String) {
        if let generate {
            return (GeneratedCorpus(options: CorpusGeneratorOptions(documentCount: generate, seed: corpusSeed.corpusSeed), threads: threads.threads).documents,
                    "generated")
        }
        let corpus = try CommandInput.readAll(paths: inputs, options: input.corpusOptions, io: io, tool: "simbench", progress: progress)
        return (corpus.documents, inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+"))
    }
}
