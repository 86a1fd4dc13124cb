import ArgumentParser
import Foundation
import SimBenchKit
import SimCore

/// `simbench bench`: every workload over its variants and thread counts, with the naive
/// reference, accuracy against ground truth, a table on stdout and a versioned JSON result.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure workloads (normalize, shingle, all-pairs) and write a JSON result.",
        discussion: """
            With no inputs, measures a generated corpus (--generate documents, --seed). Inputs are \
            directories of .txt files or JSON Lines files; ground truth is read from --truth or from \
            the truth file `simbench generate` wrote beside a single input.
            """)

    @Argument(help: "Directories of .txt files or JSON Lines files (default: a generated corpus).")
    var inputs: [String] = []

    @Option(help: "Documents to generate in memory when no inputs are given.")
    var generate: Int = 1_000

    @Option(help: "Generator seed.")
    var seed: UInt64 = 1

    @Option(help: "Ground-truth file (.truth.jsonl) for the inputs.")
    var truth: String?

    @Option(help: "Comma-separated workloads to run (default: all).")
    var workloads: String = ""

    @Option(help: "Comma-separated shingle units, words:N or chars:K; all-pairs uses the first.")
    var shingles: String = "words:5"

    @Option(help: "All-pairs Jaccard threshold.")
    var threshold: Double = 0.5

    @Option(help: "Comma-separated thread counts (default: 1, 2, 4, ..., all cores).")
    var threads: String?

    @Option(help: "Timing samples per measurement (the median is reported).")
    var samples: Int = 5

    @Option(help: "Minimum seconds per sample.")
    var sampleSeconds: Double = 0.2

    @Option(help: "Documents the quadratic naive all-pairs reference runs on.")
    var referenceDocuments: Int = 200

    @Option(help: "Write the JSON result here.")
    var output: String?

    @Option(help: "Label of this run in comparisons and reports (default: the CPU model).")
    var label: String?

    @Flag(help: "Report progress on standard error even when it is not a terminal.")
    var progress = false

    @Option(help: "JSON Lines field holding the id.")
    var idField: String = "id"

    @Option(help: "JSON Lines field holding the text.")
    var textField: String = "text"

    func validate() throws {
        guard !shingleUnits.isEmpty, shingleUnits.count == shingles.split(separator: ",").count else {
            throw ValidationError("--shingles must be comma-separated words:N or chars:K, not '\(shingles)'")
        }
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1]") }
        guard samples >= 1, sampleSeconds >= 0 else { throw ValidationError("--samples must be positive") }
        guard (2...10_000_000).contains(generate) else { throw ValidationError("--generate must be in 2...10,000,000") }
        guard referenceDocuments >= 2 else { throw ValidationError("--reference-documents must be at least 2") }
        guard threadCounts != nil else { throw ValidationError("--threads must be comma-separated positive integers") }
    }

    var shingleUnits: [ShinglingOptions.Unit] {
        shingles.split(separator: ",").compactMap { ShinglingOptions.Unit(String($0)) }
    }

    var threadCounts: [Int]? {
        guard let threads else { return BenchmarkContext.defaultThreadCounts(cores: Parallelism.defaultThreadCount) }
        let counts = threads.split(separator: ",").compactMap { Int($0) }
        return counts.isEmpty || counts.contains { $0 < 1 } || counts.count != threads.split(separator: ",").count ? nil : counts
    }

    func run() throws {
        let reporter = ProgressReporter(forced: progress)
        let (documents, planted, corpusSummary) = try loadCorpus(reporter)
        let registry = WorkloadRegistry.standard(shingleUnits: shingleUnits, threshold: threshold)
        let chosen: [any BenchmarkWorkload]
        do {
            chosen = try registry.selected(workloads.split(separator: ",").map(String.init))
        } catch {
            throw ValidationError("\(error)")
        }
        let context = BenchmarkContext(
            documents: documents, truth: planted, threadCounts: threadCounts!,
            sampler: Sampler(samples: samples, minimumSampleSeconds: sampleSeconds),
            referenceSampler: Sampler(samples: Swift.min(samples, 3), minimumSampleSeconds: 0),
            referenceDocuments: referenceDocuments, progress: reporter)
        var result = BenchResult(machine: .current(), corpus: corpusSummary, label: label)
        let machine = result.machine
        print("machine: \(machine.cpuModel), \(machine.logicalCores) cores, \(String(format: "%.1f", Double(machine.memoryBytes) / 1_073_741_824)) GiB, \(machine.simdFeatures.joined(separator: " "))")
        print("         \(machine.kernel), \(machine.operatingSystem), Swift \(machine.swiftVersion), \(machine.buildConfiguration) build")
        if machine.buildConfiguration == "debug" { print("warning: debug build; use `swift run -c release simbench bench` for real figures") }
        print("corpus:  \(corpusSummary.name), \(documents.count) documents, \(corpusSummary.bytes) bytes\(planted.map { ", \($0.count) planted pairs" } ?? ""); threads \(context.threadCounts.map(String.init).joined(separator: ","))")
        print()
        for workload in chosen {
            let output = workload.run(in: context)
            result.records += output.records
            result.curves += output.curves
        }
        print(TextTable.records(result.records))
        print("peak resident memory: \(TextTable.number(Double(PeakMemory.residentBytes())))B")
        if let output {
            try result.write(to: URL(fileURLWithPath: output))
            print("wrote \(output) (schemaVersion \(result.schemaVersion))")
        }
    }

    private func loadCorpus(_ reporter: ProgressReporter) throws -> ([Document], Set<DocumentPair>?, CorpusSummary) {
        if inputs.isEmpty {
            reporter.report("generating \(generate) documents, seed \(seed)")
            var generator = CorpusGenerator(options: CorpusGeneratorOptions(documentCount: generate, seed: seed))
            var documents: [Document] = []
            var records: [GeneratedDocument] = []
            while let (document, record) = generator.next() {
                documents.append(document)
                records.append(record)
            }
            let planted = GroundTruth(generated: records).pairs(documentIDs: documents.map(\.id))
            let bytes = documents.reduce(0) { $0 + $1.utf8.count }
            return (documents, planted, CorpusSummary(name: "generated", documents: documents.count, bytes: bytes, seed: seed, hasGroundTruth: true))
        }
        let corpus: Corpus
        do {
            corpus = try CorpusReader.readAll(paths: inputs, options: CorpusOptions(idField: idField, textField: textField))
        } catch {
            throw ValidationError("\(error)")
        }
        guard corpus.documents.count >= 2 else { throw ValidationError("need at least two documents in \(inputs.joined(separator: ", "))") }
        var truthPath = truth
        if truthPath == nil, inputs.count == 1 {
            let companion = GeneratedCorpusWriter.companionPaths(of: inputs[0]).truth
            if FileManager.default.fileExists(atPath: companion) { truthPath = companion }
        }
        let planted = try truthPath.map { path in
            try GroundTruth.read(from: URL(fileURLWithPath: path)).pairs(documentIDs: corpus.documents.map(\.id))
        }
        let bytes = corpus.documents.reduce(0) { $0 + $1.utf8.count }
        let name = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        return (corpus.documents, planted, CorpusSummary(name: name, documents: corpus.documents.count, bytes: bytes, hasGroundTruth: planted != nil))
    }
}
