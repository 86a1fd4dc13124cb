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
        abstract: "Measure workloads (normalize, shingle, all-pairs) and write a JSON result.",
        discussion: """
            With no inputs, measures a generated corpus (--generate documents, --corpus-seed). Inputs \
            are directories of .txt files or JSON Lines files; ground truth is read from --truth or \
            from the truth file `simbench generate` wrote beside a single input. Thread counts run \
            from 1 up to --threads, doubling.
            """)

    @Argument(help: "Directories of .txt files or JSON Lines files (default: a generated corpus).")
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

    @Option(help: "Write the JSON result here.")
    var output: String?

    @Option(help: "Label of this run in comparisons and reports (default: the CPU model).")
    var label: String?

    @Flag(help: "Report progress on standard error even when it is not a terminal.")
    var progress = false

    @OptionGroup var input: InputOptions

    func validate() throws {
        guard !shingle.isEmpty else { throw ValidationError("give at least one --shingle") }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1], not \(threshold)") }
        guard (2...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 2...10,000,000, not \(generate)") }
        guard referenceDocuments >= 2 else { throw ValidationError("--reference-documents must be at least 2") }
    }

    func execute(io: CommandIO) throws {
        // Open the result file first: an unwritable --output fails now, not after the run.
        let resultSink = try output.map { path throws(OutputError) in try OutputSink.file(atomicallyAt: path) }
        let reporter = ProgressReporter(forced: progress)
        let registry = WorkloadRegistry.standard(shingleUnits: shingle, threshold: threshold)
        let chosen: [any BenchmarkWorkload]
        do {
            chosen = try registry.selected(workload)
        } catch {
            throw CommandError("\(error)", status: .usage)
        }
        let (documents, planted, corpusSummary) = try loadCorpus(reporter)
        let context = BenchmarkContext(
            documents: documents, truth: planted, threadCounts: BenchmarkContext.defaultThreadCounts(cores: threads.threads),
            sampler: sampling.sampler(),
            referenceSampler: Sampler(samples: Swift.min(sampling.samples, 3), minimumSampleSeconds: 0),
            referenceDocuments: referenceDocuments, progress: reporter)
        var result = BenchResult(machine: .current(), corpus: corpusSummary, label: label)
        let machine = result.machine
        try io.print("machine: \(machine.cpuModel), \(machine.logicalCores) cores, \(String(format: "%.1f", Double(machine.memoryBytes) / 1_073_741_824)) GiB, \(machine.simdFeatures.joined(separator: " "))")
        try io.print("         \(machine.kernel), \(machine.operatingSystem), Swift \(machine.swiftVersion), \(machine.buildConfiguration) build")
        if machine.buildConfiguration == "debug" { io.message("simbench: warning: debug build; use `swift run -c release simbench bench` for real figures") }
        try io.print("corpus:  \(corpusSummary.name), \(documents.count) documents, \(corpusSummary.bytes) bytes\(planted.map { ", \($0.count) planted pairs" } ?? ""); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        try io.print()
        for workload in chosen {
            let output = workload.run(in: context)
            result.records += output.records
            result.curves += output.curves
        }
        try io.print(TextTable.records(result.records))
        try io.print("peak resident memory: \(TextTable.number(Double(PeakMemory.residentBytes())))B")
        if let output, let resultSink {
            try result.write(to: resultSink)
            try io.print("wrote \(output) (schemaVersion \(result.schemaVersion))")
        }
    }

    private func loadCorpus(_ reporter: ProgressReporter) throws -> ([Document], Set<DocumentPair>?, CorpusSummary) {
        if inputs.isEmpty {
            reporter.report("generating \(generate) documents, corpus seed \(corpusSeed.corpusSeed)")
            var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: generate, seed: corpusSeed.corpusSeed))
            var documents: [Document] = []
            var records: [GeneratedDocument] = []
            while let (document, record) = generator.next() {
                documents.append(document)
                records.append(record)
            }
            let planted = GroundTruth(generated: records).pairs(documentIDs: documents.map(\.id))
            let bytes = documents.reduce(0) { $0 + $1.utf8.count }
            return (documents, planted, CorpusSummary(name: "generated", documents: documents.count, bytes: bytes, seed: corpusSeed.corpusSeed, hasGroundTruth: true))
        }
        let corpus = try CorpusReader.readAll(paths: inputs, options: input.corpusOptions)
        guard corpus.documents.count >= 2 else { throw CommandError("need at least two documents in \(inputs.joined(separator: ", "))") }
        var truthPath = truth
        if truthPath == nil, inputs.count == 1 {
            let companion = GeneratedCorpusWriter.companionPaths(of: inputs[0]).truth
            if FileManager.default.fileExists(atPath: companion) { truthPath = companion }
        }
        let planted = try truthPath.map { path in
            do {
                return try GroundTruth.read(from: URL(fileURLWithPath: path)).pairs(documentIDs: corpus.documents.map(\.id))
            } catch {
                throw CommandError("\(path): not a truth file: \(error)")
            }
        }
        let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
        let name = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        return (corpus.documents, planted, CorpusSummary(name: name, documents: corpus.documents.count, bytes: bytes, hasGroundTruth: planted != nil))
    }
}
