import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreIO

/// `simbench run`: similarity matrices, reprint pairs and stage throughput for one corpus.
struct RunCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Exact similarity and stage throughput on a corpus (default: Data/wire-stories).")

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = ["Data/wire-stories"]

    @OptionGroup var shingling: ShinglingOptionGroup

    @Option(parsing: .unconditional, help: "A pair is a reprint when one document's directed containment in the other reaches this, in (0, 1].")
    var threshold: Double = 0.8

    @OptionGroup var sampling: SamplingOptions

    @OptionGroup var input: InputOptions

    @Option(parsing: .unconditional, help: "Largest corpus for which the matrices are printed.")
    var matrixLimit: Int = 12

    func validate() throws {
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1], not \(threshold)") }
        guard matrixLimit >= 0 else { throw ValidationError("--matrix-limit must not be negative") }
    }

    func execute(io: CommandIO) throws {
        let options = shingling.shinglingOptions
        let corpus = try CorpusReader.readAll(paths: inputs, options: input.corpusOptions)
        for reject in corpus.rejected { io.message("simbench: skipped \(reject)") }
        let documents = corpus.documents
        guard !documents.isEmpty else { throw CommandError("no documents in \(inputs.joined(separator: ", "))") }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        try io.print("corpus: \(documents.count) documents, \(totalBytes) bytes, \(corpus.rejected.count) rejected; shingles: \(options.unit), seed \(shingling.seed)")

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
        try printThroughput(documents: documents, totalBytes: totalBytes, options: options, io: io)
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

    private func printThroughput(documents: [Document], totalBytes: Int, options: ShinglingOptions, io: CommandIO) throws {
        let normalizer = TextNormalizer(options: options.normalization)
        let shingler = Shingler(options: options)
        let megabytes = Double(totalBytes) / 1e6
        let count = Double(documents.count)
        func row(_ name: String, _ seconds: Double, ceiling: Double? = nil) throws {
            let ratio = ceiling.map { String(format: "  %5.1f%% of XXH3", 100 * $0 / seconds) } ?? ""
            try io.print(TextTable.pad(name, 30) + TextTable.pad(String(format: "%9.1f MB/s", megabytes / seconds), 16)
                + TextTable.pad(String(format: "%10.0f docs/s", count / seconds), 18) + ratio)
        }
        try io.print("single-thread throughput (median of \(sampling.samples) samples):")
        let sampler = sampling.sampler()
        let xxh3 = sampler.measure {
            var sink: UInt64 = 0
            for document in documents { sink &+= XXH3.hash64(document.utf8, seed: 0) }
            blackHole(sink)
        }.median
        let normalize = sampler.measure {
            var sink = 0
            for document in documents { sink &+= normalizer.normalize(utf8: document.utf8).count }
            blackHole(sink)
        }.median
        let hashes = sampler.measure {
            var sink: UInt64 = 0
            for document in documents {
                document.utf8.withUnsafeBytes { bytes in
                    shingler.withShingleHashes(ofUTF8: bytes) { for hash in $0 { sink ^= hash } }
                }
            }
            blackHole(sink)
        }.median
        let sets = sampler.measure {
            var sink = 0
            for document in documents { sink &+= shingler.shingles(ofUTF8: document.utf8).count }
            blackHole(sink)
        }.median
        try row("XXH3-64 of whole documents", xxh3)
        try row("normalize", normalize, ceiling: xxh3)
        try row("normalize+shingle (hashes)", hashes, ceiling: xxh3)
        try row("normalize+shingle (sorted set)", sets, ceiling: xxh3)
        let costs = Self.shortInputHashCost(sampler: sampler)
        let described = costs.map { "\($0.0.rawValue) \(String(format: "%.2f", $0.1)) ns" }.joined(separator: ", ")
        try io.print("XXH3-64 per call on 4-40 byte inputs: \(described)")
    }
}

extension RunCommand {
    /// Nanoseconds per XXH3-64 call on short inputs (4 to 40 bytes, the length of tokens and
    /// character k-grams), through the inlined header and through the shared library.
    static func shortInputHashCost(sampler: Sampler) -> [(XXH3.Implementation, Double)] {
        var generator = SplitMix64(seed: 1)
        let lengths = (0..<4096).map { _ in 4 + Int(generator.next() % 37) }
        let bytes = (0..<(4096 + 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return XXH3.Implementation.allCases.map { implementation in
            let seconds = bytes.withUnsafeBytes { raw in
                sampler.measure {
                    var sink: UInt64 = 0
                    for (offset, length) in lengths.enumerated() {
                        sink ^= XXH3.hash64(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length]),
                                            seed: 0, implementation: implementation)
                    }
                    blackHole(sink)
                }.median
            }
            return (implementation, seconds / Double(lengths.count) * 1e9)
        }
    }
}
