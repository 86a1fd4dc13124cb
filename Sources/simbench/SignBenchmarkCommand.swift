import ArgumentParser
import Foundation
import SimBenchKit
import SimCommandLine
import SimCore
import SimCoreIO

/// A scheme `simbench sign` measures: a MinHash-family scheme (``SignatureSchemeKind``) or a
/// SimHash width.
enum BenchmarkedScheme: String, CaseIterable, ExpressibleByArgument {
    case oph, minhash, superminhash
    case minhashB1 = "minhash-b1"
    case simhash64, simhash128

    /// The MinHash-family scheme, or `nil` for SimHash.
    var minHashKind: SignatureSchemeKind? { SignatureSchemeKind(rawValue: rawValue) }
}

/// `simbench sign`: signing throughput per signature scheme, with the shingling and XXH3 costs
/// measured in the same run as baselines.
struct SignBenchmarkCommand: IOCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Signing throughput per scheme (docs/s, MB/s) from raw text, 1 thread and all threads.")

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = ["Data/wire-stories"]

    @OptionGroup var shingling: ShinglingOptionGroup

    @OptionGroup var length: SignatureLengthOption

    @Option(help: "A scheme to measure (repeat the option for several): \(BenchmarkedScheme.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var scheme: [BenchmarkedScheme] = BenchmarkedScheme.allCases

    @Option(parsing: .unconditional, help: "Repeat the corpus this many times (so batches have enough documents for all cores).")
    var replicate: Int = 100

    @OptionGroup var threads: ThreadOptionGroup

    @OptionGroup var sampling: SamplingOptions

    func validate() throws {
        guard (1...1_000_000).contains(replicate) else { throw ValidationError("--replicate must be in 1...1000000, not \(replicate)") }
    }

    func execute(io: CommandIO) throws {
        let options = shingling.shinglingOptions
        let signatureLength = length.signatureLength
        let threads = threads.threads
        let corpus = try CorpusReader.readAll(paths: inputs, options: CorpusOptions())
        guard !corpus.documents.isEmpty else { throw CommandError("no documents in \(inputs.joined(separator: ", "))") }
        let documents = Array(repeating: corpus.documents, count: replicate).flatMap { $0 }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        let megabytes = Double(totalBytes) / 1e6
        let count = Double(documents.count)
        try io.print("corpus: \(documents.count) documents (\(corpus.documents.count) × \(replicate)), \(totalBytes / documents.count) bytes/doc mean; shingles \(options.unit); k = \(signatureLength); kernel ISA \(SignatureKernelISA.active.rawValue); \(threads) threads")

        let shingler = Shingler(options: options)
        let hashBuffers = documents.map { document in
            document.utf8.withUnsafeBytes { bytes in shingler.withShingleHashes(ofUTF8: bytes) { Array($0) } }
        }
        let shingles = hashBuffers.reduce(0) { $0 + $1.count }
        try io.print("shingle hashes: \(shingles / documents.count) per document; 1-thread rows: thread CPU time, \(threads)-thread rows: wall time")
        try io.print()
        try io.print(TextTable.pad("measurement", 40) + TextTable.pad("MB/s", 11) + TextTable.pad("docs/s", 12) + TextTable.pad("ns/shingle", 12) + "vs normalize+shingle")
        // Single-thread rows use this thread's CPU time, so that other processes on a shared
        // machine do not inflate them; multi-thread rows need wall-clock time.
        func time(_ body: () -> Void) -> Double {
            sampling.sampler(clock: .threadCPU).measure(body).median
        }
        func wallTime(_ body: () -> Void) -> Double {
            sampling.sampler().measure(body).median
        }
        func row(_ name: String, _ seconds: Double, baseline: Double?) throws {
            let ratio = baseline.map { String(format: "%6.2fx time", seconds / $0) } ?? ""
            try io.print(TextTable.pad(name, 40) + TextTable.pad(String(format: "%8.1f", megabytes / seconds), 11)
                + TextTable.pad(String(format: "%9.0f", count / seconds), 12)
                + TextTable.pad(String(format: "%8.2f", seconds * 1e9 / Double(shingles)), 12) + ratio)
        }

        let xxh3 = time {
            var sink: UInt64 = 0
            for document in documents { sink &+= XXH3.hash64(document.utf8, seed: 0) }
            blackHole(sink)
        }
        let shingleOnly = time {
            var sink: UInt64 = 0
            for document in documents {
                document.utf8.withUnsafeBytes { bytes in
                    shingler.withShingleHashes(ofUTF8: bytes) { sink &+= UInt64($0.count) }
                }
            }
            blackHole(sink)
        }
        let shingleParallel = wallTime {
            blackHole(SignatureMatrix(signing: documents, options: options, scheme: _CountScheme(), threads: threads))
        }
        try row("XXH3-64 of whole documents, 1 thread", xxh3, baseline: shingleOnly)
        try row("normalize+shingle, 1 thread", shingleOnly, baseline: shingleOnly)
        try row("normalize+shingle, \(threads) threads", shingleParallel, baseline: shingleOnly)
        try io.print()

        for chosen in scheme {
            let name = chosen.rawValue
            guard let kind = chosen.minHashKind else {
                let simhash = SimHash(bitCount: chosen == .simhash128 ? 128 : 64, seed: shingling.seed)
                let signOnly = time {
                    var sink: UInt64 = 0
                    for hashes in hashBuffers { sink ^= hashes.withUnsafeBufferPointer { simhash.fingerprint(of: $0).low } }
                    blackHole(sink)
                }
                let one = time { blackHole(simhash.fingerprints(of: documents, options: options, threads: 1)) }
                let all = wallTime { blackHole(simhash.fingerprints(of: documents, options: options, threads: threads)) }
                try report(name, signOnly: signOnly, one: one, all: all, bytesPerDocument: simhash.bitCount / 8)
                continue
            }
            do {
                let scheme = kind.make(signatureLength: signatureLength, seed: shingling.seed)
                var output = [UInt64](repeating: 0, count: signatureLength)
                let signOnly = time {
                    output.withUnsafeMutableBufferPointer { output in
                        for hashes in hashBuffers { hashes.withUnsafeBufferPointer { scheme.sign($0, into: output) } }
                    }
                    blackHole(output)
                }
                let one = time { blackHole(SignatureMatrix(signing: documents, options: options, scheme: scheme, threads: 1)) }
                let all = wallTime { blackHole(SignatureMatrix(signing: documents, options: options, scheme: scheme, threads: threads)) }
                let bytes = kind == .minhashB1 ? (signatureLength + 63) / 64 * 8 : signatureLength * 8
                try report(name, signOnly: signOnly, one: one, all: all, bytesPerDocument: bytes)
            }
        }

        func report(_ name: String, signOnly: Double, one: Double, all: Double, bytesPerDocument: Int) throws {
            try row("\(name): sign only (pre-shingled)", signOnly, baseline: shingleOnly)
            try row("\(name): raw text, 1 thread", one, baseline: shingleOnly)
            try row("\(name): raw text, \(threads) threads", all, baseline: shingleOnly)
            try io.print("  \(name): \(bytesPerDocument) bytes per document; scheme's own cost on top of shingling "
                + String(format: "%.2f µs/doc", (one - shingleOnly) * 1e6 / count))
        }
    }
}

/// A one-value "signature", the number of shingles: measures the batch path's shingling cost.
private struct _CountScheme: SignatureScheme {
    var signatureLength: Int { 1 }
    var seed: UInt64 { 0 }
    var name: String { "count" }
    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        output[0] = UInt64(hashes.count)
    }
}
