import ArgumentParser
import Foundation
import SimBenchKit
import SimCore

/// `simbench sign`: signing throughput per signature scheme, with the shingling and XXH3 costs
/// measured in the same run as baselines.
struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Signing throughput per scheme (docs/s, MB/s) from raw text, 1 thread and all threads.")

    @Argument(help: "Directories of .txt files, JSON Lines files, or - for standard input.")
    var inputs: [String] = ["Data/wire-stories"]

    @Option(help: "Signature length k.")
    var length: Int = 128

    @Option(help: "Scheme seed.")
    var seed: UInt64 = 0

    @Option(help: "Shingle unit and width: words:N or chars:K.")
    var shingle: String = "words:5"

    @Option(help: "Repeat the corpus this many times (so batches have enough documents for all cores).")
    var replicate: Int = 100

    @Option(help: "Worker threads for the parallel rows (default: all cores).")
    var threads: Int = Parallelism.defaultThreadCount

    @Option(help: "Timing samples per measurement (the median is reported).")
    var samples: Int = 5

    @Option(help: "Minimum seconds per timing sample.")
    var sampleSeconds: Double = 0.2

    @Option(help: "Comma-separated schemes: minhash, oph, superminhash, minhash-b1, simhash64, simhash128.")
    var schemes: String = "minhash,oph,superminhash,minhash-b1,simhash64,simhash128"

    func validate() throws {
        guard ShinglingOptions.Unit(shingle) != nil else { throw ValidationError("--shingle must be words:N or chars:K") }
        guard length >= 1, replicate >= 1, threads >= 1, samples >= 1, sampleSeconds > 0 else {
            throw ValidationError("--length, --replicate, --threads, --samples and --sample-seconds must be positive")
        }
        for name in schemeNames where !Self.known.contains(name) {
            throw ValidationError("unknown scheme '\(name)'; known: \(Self.known.joined(separator: ", "))")
        }
    }

    static let known = ["minhash", "oph", "superminhash", "minhash-b1", "simhash64", "simhash128"]
    private var schemeNames: [String] { schemes.split(separator: ",").map { String($0) } }

    func run() throws {
        let options = ShinglingOptions(unit: ShinglingOptions.Unit(shingle)!)
        let corpus: Corpus
        do {
            corpus = try CorpusReader.readAll(paths: inputs, options: CorpusOptions())
        } catch {
            throw ValidationError("\(error)")
        }
        guard !corpus.documents.isEmpty else { throw ValidationError("no documents") }
        let documents = Array(repeating: corpus.documents, count: replicate).flatMap { $0 }
        let totalBytes = documents.reduce(0) { $0 + $1.utf8.count }
        let megabytes = Double(totalBytes) / 1e6
        let count = Double(documents.count)
        print("corpus: \(documents.count) documents (\(corpus.documents.count) × \(replicate)), \(totalBytes / documents.count) bytes/doc mean; shingles \(options.unit); k = \(length); kernel ISA \(SignatureKernelISA.active.rawValue); \(threads) threads")

        let shingler = Shingler(options: options)
        let hashBuffers = documents.map { document in
            document.utf8.withUnsafeBytes { bytes in shingler.withShingleHashes(ofUTF8: bytes) { Array($0) } }
        }
        let shingles = hashBuffers.reduce(0) { $0 + $1.count }
        print("shingle hashes: \(shingles / documents.count) per document; 1-thread rows: thread CPU time, \(threads)-thread rows: wall time")
        print()
        print(TextTable.pad("measurement", 40) + TextTable.pad("MB/s", 11) + TextTable.pad("docs/s", 12) + TextTable.pad("ns/shingle", 12) + "vs normalize+shingle")
        // Single-thread rows use this thread's CPU time, so that other processes on a shared
        // machine do not inflate them; multi-thread rows need wall-clock time.
        func time(_ body: () -> Void) -> Double {
            Sampler(samples: samples, minimumSampleSeconds: sampleSeconds, clock: .threadCPU).measure(body).median
        }
        func wallTime(_ body: () -> Void) -> Double {
            Sampler(samples: samples, minimumSampleSeconds: sampleSeconds).measure(body).median
        }
        func row(_ name: String, _ seconds: Double, baseline: Double?) {
            let ratio = baseline.map { String(format: "%6.2fx time", seconds / $0) } ?? ""
            print(TextTable.pad(name, 40) + TextTable.pad(String(format: "%8.1f", megabytes / seconds), 11)
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
        row("XXH3-64 of whole documents, 1 thread", xxh3, baseline: shingleOnly)
        row("normalize+shingle, 1 thread", shingleOnly, baseline: shingleOnly)
        row("normalize+shingle, \(threads) threads", shingleParallel, baseline: shingleOnly)
        print()

        for name in schemeNames {
            if name.hasPrefix("simhash") {
                let simhash = SimHash(bitCount: name == "simhash128" ? 128 : 64, seed: seed)
                let signOnly = time {
                    var sink: UInt64 = 0
                    for hashes in hashBuffers { sink ^= hashes.withUnsafeBufferPointer { simhash.fingerprint(of: $0).low } }
                    blackHole(sink)
                }
                let one = time { blackHole(simhash.fingerprints(of: documents, options: options, threads: 1)) }
                let all = wallTime { blackHole(simhash.fingerprints(of: documents, options: options, threads: threads)) }
                report(name, signOnly: signOnly, one: one, all: all, bytesPerDocument: simhash.bitCount / 8)
            } else {
                let scheme = makeScheme(name)
                var output = [UInt64](repeating: 0, count: length)
                let signOnly = time {
                    output.withUnsafeMutableBufferPointer { output in
                        for hashes in hashBuffers { hashes.withUnsafeBufferPointer { scheme.sign($0, into: output) } }
                    }
                    blackHole(output)
                }
                let one = time { blackHole(SignatureMatrix(signing: documents, options: options, scheme: scheme, threads: 1)) }
                let all = wallTime { blackHole(SignatureMatrix(signing: documents, options: options, scheme: scheme, threads: threads)) }
                let bytes = name.hasSuffix("-b1") ? (length + 63) / 64 * 8 : length * 8
                report(name, signOnly: signOnly, one: one, all: all, bytesPerDocument: bytes)
            }
        }

        func report(_ name: String, signOnly: Double, one: Double, all: Double, bytesPerDocument: Int) {
            row("\(name): sign only (pre-shingled)", signOnly, baseline: shingleOnly)
            row("\(name): raw text, 1 thread", one, baseline: shingleOnly)
            row("\(name): raw text, \(threads) threads", all, baseline: shingleOnly)
            print("  \(name): \(bytesPerDocument) bytes per document; scheme's own cost on top of shingling "
                + String(format: "%.2f µs/doc", (one - shingleOnly) * 1e6 / count))
        }
    }

    private func makeScheme(_ name: String) -> any SignatureScheme {
        switch name {
        case "minhash": MinHash(length: length, seed: seed)
        case "oph": OnePermutationMinHash(length: length, seed: seed)
        case "superminhash": SuperMinHash(length: length, seed: seed)
        default: BBitMinHash(MinHash(length: length, seed: seed), bits: 1)
        }
    }
}

/// A one-value "signature", the number of shingles: measures the batch path's shingling cost.
private struct _CountScheme: SignatureScheme {
    var length: Int { 1 }
    var seed: UInt64 { 0 }
    var name: String { "count" }
    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        output[0] = UInt64(hashes.count)
    }
}
