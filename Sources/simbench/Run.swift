import ArgumentParser
import Foundation
import SimBenchKit
import SimCore

/// `simbench run`: similarity matrices, reprint pairs and stage throughput for one corpus.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exact similarity and stage throughput on a corpus (default: Data/wire-stories).")

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = ["Data/wire-stories"]

    @Option(help: "Shingle unit and width: words:N or chars:K.")
    var shingle: String = "words:5"

    @Option(help: "Hash seed for shingling.")
    var seed: UInt64 = 0

    @Option(help: "A pair is a reprint when either document's containment in the other reaches this.")
    var reprintThreshold: Double = 0.8

    @Option(help: "Timing samples per stage (the median is reported).")
    var samples: Int = 5

    @Option(help: "Minimum seconds per timing sample.")
    var sampleSeconds: Double = 0.2

    @Option(help: "JSON Lines field holding the id.")
    var idField: String = "id"

    @Option(help: "JSON Lines field holding the text.")
    var textField: String = "text"

    @Flag(help: "Skip and count bad documents instead of stopping at the first.")
    var skipInvalid = false

    @Option(help: "Largest corpus for which the matrices are printed.")
    var matrixLimit: Int = 12

    func validate() throws {
        guard ShinglingOptions.Unit(shingle) != nil else {
            throw ValidationError("--shingle must be words:N or chars:K with N, K in 1...1000, not '\(shingle)'")
        }
        guard reprintThreshold > 0 && reprintThreshold <= 1 else {
            throw ValidationError("--reprint-threshold must be in (0, 1]")
        }
        guard samples >= 1, sampleSeconds > 0 else { throw ValidationError("--samples and --sample-seconds must be positive") }
    }

    func run() throws {
        let options = ShinglingOptions(unit: ShinglingOptions.Unit(shingle)!, seed: seed)
        let corpusOptions = CorpusOptions(
            idField: idField, textField: textField, invalidInput: skipInvalid ? .skip : .fail)
        let corpus: Corpus
        do {
            corpus = try CorpusReader.readAll(paths: inputs, options: corpusOptions)
        } catch {
            throw ValidationError("\(error)")
        }
        for reject in corpus.rejected {
            FileHandle.standardError.write(Data("simbench: skipped \(reject)\n".utf8))
        }
        let documents = corpus.documents
        guard !documents.isEmpty else { throw ValidationError("no documents in \(inputs.joined(separator: ", "))") }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        print("corpus: \(documents.count) documents, \(totalBytes) bytes, \(corpus.rejected.count) rejected; shingles: \(options.unit), seed \(seed)")

        let shingler = Shingler(options: options)
        let sets = documents.map { shingler.shingles(ofUTF8: $0.utf8) }
        if documents.count <= matrixLimit {
            print()
            printMatrix(SimilarityMatrix(sets: sets, measure: .jaccard), documents: documents, sets: sets)
            print()
            printMatrix(SimilarityMatrix(sets: sets, measure: .containment), documents: documents, sets: sets)
        }
        print()
        printReprints(documents: documents, sets: sets)
        print()
        printThroughput(documents: documents, totalBytes: totalBytes, options: options)
    }

    private func label(_ document: Document) -> String {
        document.id.count <= 12 ? document.id : String(document.id.prefix(12))
    }

    private func printMatrix(_ matrix: SimilarityMatrix, documents: [Document], sets: [ShingleSet]) {
        let title = matrix.measure == .containment
            ? "containment (row's shingles inside column's)" : "\(matrix.measure) similarity"
        print("\(title), \(options)")
        let header = documents.map { TextTable.pad(label($0), 13) }.joined(separator: " ")
        print(TextTable.pad("", 14) + header)
        for (row, document) in documents.enumerated() {
            let cells = matrix.values[row].map { TextTable.pad(String(format: "%.3f", $0), 13) }.joined(separator: " ")
            print(TextTable.pad(label(document), 14) + cells)
        }
    }

    private var options: String { "\(shingle)" }

    private func printReprints(documents: [Document], sets: [ShingleSet]) {
        let pairs = ExactAllPairs.pairs(in: sets, measure: .containment, threshold: reprintThreshold)
        print("reprints (containment ≥ \(reprintThreshold)): \(pairs.count) directed pair(s)")
        for pair in pairs {
            let jaccard = sets[pair.first].jaccard(with: sets[pair.second])
            print("  \(documents[pair.first].id) inside \(documents[pair.second].id): containment \(String(format: "%.3f", pair.similarity)), Jaccard \(String(format: "%.3f", jaccard))")
        }
    }

    private func printThroughput(documents: [Document], totalBytes: Int, options: ShinglingOptions) {
        let normalizer = TextNormalizer(options: options.normalization)
        let shingler = Shingler(options: options)
        let megabytes = Double(totalBytes) / 1e6
        let count = Double(documents.count)
        func row(_ name: String, _ seconds: Double, ceiling: Double? = nil) {
            let ratio = ceiling.map { String(format: "  %5.1f%% of XXH3", 100 * $0 / seconds) } ?? ""
            print(TextTable.pad(name, 30) + TextTable.pad(String(format: "%9.1f MB/s", megabytes / seconds), 16)
                + TextTable.pad(String(format: "%10.0f docs/s", count / seconds), 18) + ratio)
        }
        print("single-thread throughput (median of \(samples) samples):")
        let sampler = Sampler(samples: samples, minimumSampleSeconds: sampleSeconds)
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
        row("XXH3-64 of whole documents", xxh3)
        row("normalize", normalize, ceiling: xxh3)
        row("normalize+shingle (hashes)", hashes, ceiling: xxh3)
        row("normalize+shingle (sorted set)", sets, ceiling: xxh3)
        let costs = Run.shortInputHashCost(samples: samples, sampleSeconds: sampleSeconds)
        let described = costs.map { "\($0.0.rawValue) \(String(format: "%.2f", $0.1)) ns" }.joined(separator: ", ")
        print("XXH3-64 per call on 4-40 byte inputs: \(described)")
    }
}

extension Run {
    /// Nanoseconds per XXH3-64 call on short inputs (4 to 40 bytes, the length of tokens and
    /// character k-grams), through the inlined header and through the shared library.
    static func shortInputHashCost(samples: Int, sampleSeconds: Double) -> [(XXH3.Implementation, Double)] {
        var generator = SplitMix64(seed: 1)
        let lengths = (0..<4096).map { _ in 4 + Int(generator.next() % 37) }
        let bytes = (0..<(4096 + 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return XXH3.Implementation.allCases.map { implementation in
            let seconds = bytes.withUnsafeBytes { raw in
                Sampler(samples: samples, minimumSampleSeconds: sampleSeconds).measure {
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
