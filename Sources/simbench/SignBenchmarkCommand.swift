import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

extension BenchmarkedScheme: ExpressibleByArgument {}

/// `simbench sign`: signing throughput per signature scheme, with the shingling and XXH3 costs
/// measured in the same run as baselines (``SignWorkload``).
struct SignBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Signing throughput per scheme (docs/s, MB/s) from raw text, at 1, 2, 4, … threads.",
        discussion: """
            Single-thread rows are timed on the thread's CPU clock (other processes do not inflate \
            them), multi-thread rows on the wall clock. `× shingling` is a row's time over \
            normalizing and shingling alone on one thread.
            """)

    @Argument(help: "JSON Lines files (.gz too), .txt files, directories, or - (default: the built-in wire stories).")
    var inputs: [String] = []

    @OptionGroup var shingling: ShinglingOptionGroup

    @OptionGroup var length: SignatureLengthOption

    @Option(help: "A scheme to measure (repeat the option for several): \(BenchmarkedScheme.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var scheme: [BenchmarkedScheme] = BenchmarkedScheme.allCases

    @Option(parsing: .unconditional, help: "Repeat the corpus this many times (so batches have enough documents for all cores).")
    var replicate: Int = 100

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var input: InputOptions

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        guard (1...1_000_000).contains(replicate) else { throw ValidationError("--replicate must be in 1...1000000, not \(replicate)") }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let base = inputs.isEmpty
            ? WireStories.documents
            : try CommandInput.readAll(paths: inputs, options: input.corpusOptions, io: io, tool: "simbench", progress: progress).documents
        let documents = Array(repeating: base, count: replicate).flatMap { $0 }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        let name = inputs.isEmpty ? "wire-stories (built in)" : inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        var outcome = BenchResult(
            machine: .current(),
            corpus: CorpusSummary(name: "\(name) ×\(replicate)", documents: documents.count, bytes: totalBytes), label: result.label)
        try printHeader(outcome, io: io)
        let context = BenchmarkContext(
            documents: documents, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads),
            sampler: sampling.sampler(), progress: progress)
        let workload = SignWorkload(schemes: scheme, signatureLength: length.signatureLength, shingling: shingling.shinglingOptions)
        try io.print("corpus: \(documents.count) documents (\(base.count) × \(replicate)), \(totalBytes / documents.count) bytes/doc mean; shingles \(shingling.shingle); k = \(length.signatureLength); kernel ISA \(SignatureKernelISA.active.rawValue); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        progress.start("sign", total: workload.measurementCount(in: context), unit: .steps)
        outcome.records = workload.run(in: context).records
        progress.finish()
        try io.print()
        try io.print(TextTable.pad("measurement", 36) + TextTable.pad("threads", 8) + TextTable.pad("MB/s", 10) + TextTable.pad("docs/s", 11)
            + TextTable.pad("ns/shingle", 12) + TextTable.pad("× shingling", 12) + "bytes/doc")
        for record in outcome.records {
            let metrics = record.metrics
            try io.print(TextTable.pad(record.variant, 36) + TextTable.pad(String(record.threads), 8)
                + TextTable.pad(String(format: "%.1f", metrics["megabytesPerSecond"] ?? 0), 10)
                + TextTable.pad(String(format: "%.0f", metrics["docsPerSecond"] ?? 0), 11)
                + TextTable.pad(metrics["nanosecondsPerShingle"].map { String(format: "%.2f", $0) } ?? "", 12)
                + TextTable.pad(metrics["timeOverShingling"].map { String(format: "%.2fx", $0) } ?? "", 12)
                + (record.parameters["bytesPerDocument"]?.description ?? ""))
        }
        try outcome.finish(threadsUsed: context.threadCounts.max() ?? 1, options: result, io: io)
    }
}
