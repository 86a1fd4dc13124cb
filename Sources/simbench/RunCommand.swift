import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreFixtures
import SimCoreIO

/// `simbench run`: similarity matrices, reprint pairs and stage throughput for one corpus (by
/// default the wire stories built into the binary, so a bare `simbench` runs anywhere).
struct RunCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Exact similarity and stage throughput on a corpus (default: the built-in wire stories).",
        discussion: """
            With no INPUTS, measures the five wire stories of Data/wire-stories, which are built \
            into simbench: it runs from any directory. With --output, writes the throughputs as a \
            result file (workload `stage`).
            """)

    @Argument(help: "JSON Lines files (.gz too), .txt files, directories, or - for standard input (default: the built-in wire stories).")
    var inputs: [String] = []

    @OptionGroup var shingling: ShinglingOptionGroup

    @Option(
        parsing: .unconditional,
        help: "A pair is a reprint when one document's directed containment in the other reaches this, in (0, 1].")
    var threshold: Double = 0.8

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var input: InputOptions

    @Option(parsing: .unconditional, help: "Largest corpus for which the matrices are printed.")
    var matrixLimit: Int = 12

    @OptionGroup var result: ResultOptions

    @OptionGroup var quiet: QuietOption

    func validate() throws {
        try BandingOptionGroup.validate(threshold: threshold)
        guard matrixLimit >= 0 else { throw ValidationError("--matrix-limit must not be negative") }
    }

    func execute(io: CommandIO) throws {
        try result.checkWritable()
        let options = shingling.shinglingOptions
        let progress = io.progress(tool: "simbench", quiet: quiet.quiet)
        let documents: [Document]
        let rejected: Int
        let name: String
        if inputs.isEmpty {
            documents = WireStories.documents
            rejected = 0
            name = "wire-stories (built in)"
        } else {
            let corpus = try CommandInput.readAll(paths: inputs, options: input.corpusOptions, io: io, tool: "simbench", progress: progress)
            documents = corpus.documents
            rejected = corpus.rejected.count
            name = inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: "+")
        }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        var outcome = BenchResult(
            machine: .current(), corpus: CorpusSummary(name: name, documents: documents.count, bytes: totalBytes), label: result.label)
        try printHeader(outcome, io: io)
        try io.print("corpus: \(name), \(documents.count) documents, \(totalBytes) bytes, \(rejected) rejected; shingles: \(options.unit), seed \(shingling.seed)")

        let shingler = Shingler(options: options)
        let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        if documents.count <= matrixLimit {
            try io.print()
            try printMatrix(SimilarityMatrix(sets: sets, measure: .jaccard), documents: documents, io: io)
            try io.print()
            try printMatrix(SimilarityMatrix(sets: sets, measure: .containment), documents: documents, io: io)
        }
        try io.print()
        try printReprints(documents: documents, sets: sets, io: io)
        try io.print()
        outcome.records = try printThroughput(documents: documents, totalBytes: totalBytes, options: options, io: io, progress: progress)
        try outcome.finish(threadsUsed: 1, options: result, io: io)
    }

    private func label(_ document: Document) -> String {
        document.id.count <= 12 ? document.id : String(document.id.prefix(12))
    }

    private func printMatrix(_ matrix: SimilarityMatrix, documents: [Document], io: CommandIO) throws {
        let title = matrix.measure == .containment
            ? "containment (row's shingles inside column's)" : "\(matrix.measure) similarity"
        try io.print("\(title), \(shingling.shingle)")
        let header = documents.map { TextTable.pad(label($0), 13) }.joined(separator: " ")
        try io.print(TextTable.pad("", 14) + header)
        for (row, document) in documents.enumerated() {
            let cells = matrix.values[row].map { TextTable.pad(String(format: "%.3f", $0), 13) }.joined(separator: " ")
            try io.print(TextTable.pad(label(document), 14) + cells)
        }
    }

    private func printReprints(documents: [Document], sets: [ShingleSet], io: CommandIO) throws {
        let pairs = ExactAllPairs.pairs(in: sets, measure: .containment, threshold: threshold)
        try io.print("reprints (containment ≥ \(threshold)): \(pairs.count) directed pair(s)")
        for pair in pairs {
            let jaccard = sets[pair.first].jaccard(with: sets[pair.second])
            try io.print("  \(documents[pair.first].id) inside \(documents[pair.second].id): containment \(String(format: "%.3f", pair.similarity)), Jaccard \(String(format: "%.3f", jaccard))")
        }
    }

    private func printThroughput(
        documents: [Document], totalBytes: Int, options: ShinglingOptions, io: CommandIO, progress: ProgressDisplay
    ) throws -> [WorkloadRecord] {
        let normalizer = TextNormalizer(options: options.normalization)
        let shingler = Shingler(options: options)
        let implementations = XXH3.Implementation.allCases.filter(\.isAvailable)
        let context = BenchmarkContext(documents: documents, threadCounts: [1], sampler: sampling.sampler(), progress: progress)
        progress.start("run", total: 4 + implementations.count, unit: .steps)
        let units = WorkUnits(documents: documents.count, bytes: totalBytes)
        let parameters: [String: ParameterValue] = ["unit": .string(options.unit.description), "seed": .string(String(options.seed))]
        var records: [WorkloadRecord] = []
        records.append(context.measure(workload: "stage", variant: "xxh3-64 whole documents", parameters: parameters, units: units) {
            var sink: UInt64 = 0
            for document in documents { sink &+= XXH3.hash64(document.utf8, seed: 0) }
            blackHole(sink)
        })
        records.append(context.measure(workload: "stage", variant: "normalize", parameters: parameters, units: units) {
            var sink = 0
            for document in documents { sink &+= normalizer.normalize(utf8: document.utf8).count }
            blackHole(sink)
        })
        records.append(context.measure(workload: "stage", variant: "normalize+shingle (hashes)", parameters: parameters, units: units) {
            var sink: UInt64 = 0
            for document in documents {
                document.utf8.withUnsafeBytes { bytes in
                    shingler.withShingleHashes(ofUTF8: bytes) { for hash in $0 { sink ^= hash } }
                }
            }
            blackHole(sink)
        })
        records.append(context.measure(workload: "stage", variant: "normalize+shingle (sorted set)", parameters: parameters, units: units) {
            var sink = 0
            for document in documents { sink &+= shingler.shingles(ofUTF8: document.utf8).count }
            blackHole(sink)
        })
        let xxh3 = records[0].samples.median
        for index in 1..<records.count { records[index].metrics["fractionOfXXH3"] = xxh3 / records[index].samples.median }
        records += Self.shortInputHashCost(context: context, implementations: implementations)
        progress.finish()

        try io.print("single-thread throughput (median of \(sampling.samples) samples):")
        for record in records where record.workload == "stage" {
            let ratio = record.metrics["fractionOfXXH3"].map { String(format: "  %5.1f%% of XXH3", 100 * $0) } ?? ""
            try io.print(TextTable.pad(record.variant, 30) + TextTable.pad(String(format: "%9.1f MB/s", record.metrics["megabytesPerSecond"] ?? 0), 16)
                + TextTable.pad(String(format: "%10.0f docs/s", record.metrics["docsPerSecond"] ?? 0), 18) + ratio)
        }
        let costs = records.filter { $0.workload == "xxh3-short" }
        var described = costs.map { "\($0.variant) \(String(format: "%.2f", $0.metrics["nanosecondsPerCall"] ?? 0)) ns" }
        if !XXH3.Implementation.sharedLibrary.isAvailable { described.append("shared library not installed (libxxhash.so.0)") }
        try io.print("XXH3-64 per call on 4-40 byte inputs: \(described.joined(separator: ", "))")
        return records
    }
}

extension RunCommand {
    /// Nanoseconds per XXH3-64 call on short inputs (4 to 40 bytes, the length of tokens and
    /// character k-grams), through each available implementation: one record each (workload
    /// `xxh3-short`, metric `nanosecondsPerCall`).
    static func shortInputHashCost(
        context: BenchmarkContext, implementations: [XXH3.Implementation]
    ) -> [WorkloadRecord] {
        var generator = SplitMix64(seed: 1)
        let lengths = (0..<4096).map { _ in 4 + Int(generator.next() % 37) }
        let bytes = (0..<(4096 + 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return implementations.map { implementation in
            var record = bytes.withUnsafeBytes { raw in
                context.measure(
                    workload: "xxh3-short", variant: implementation.rawValue, parameters: ["lengths": "4-40"],
                    units: WorkUnits(bytes: lengths.reduce(0, +))
                ) {
                    var sink: UInt64 = 0
                    for (offset, length) in lengths.enumerated() {
                        sink ^= XXH3.hash64(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length]),
                                            seed: 0, implementation: implementation)
                    }
                    blackHole(sink)
                }
            }
            record.metrics["nanosecondsPerCall"] = record.samples.median / Double(lengths.count) * 1e9
            return record
        }
    }
}
