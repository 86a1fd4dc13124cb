import SimCore
import SimCoreInternals

/// A scheme the signing workload measures: a MinHash-family scheme or a SimHash width.
public enum BenchmarkedScheme: String, CaseIterable, Sendable, Hashable {
    /// One-permutation MinHash.
    case oph
    /// Classic MinHash.
    case minhash
    /// SuperMinHash.
    case superminhash
    /// Classic MinHash, one bit per value.
    case minhashB1 = "minhash-b1"
    /// 64-bit SimHash.
    case simhash64
    /// 128-bit SimHash.
    case simhash128

    /// The MinHash-family scheme, or `nil` for SimHash.
    public var minHashKind: SignatureSchemeKind? { SignatureSchemeKind(rawValue: rawValue) }
}

/// Signing throughput per scheme, from raw text, next to its baselines measured in the same run:
/// XXH3-64 over the same bytes, and normalizing and shingling alone.
///
/// Records (workload `sign`; single-thread rows timed on the thread's CPU clock, so other
/// processes on a shared machine do not inflate them, multi-thread rows on the wall clock):
/// - `xxh3-64 whole documents` (1 thread) and `shingling only` (every thread count): the
///   baselines;
/// - `SCHEME k=K pre-shingled` (1 thread): the scheme's own cost;
/// - `SCHEME k=K` (every thread count): raw text to signature.
/// Each record's `timeOverShingling` is its time over the 1-thread shingling baseline's, and
/// `nanosecondsPerShingle` its time per shingle hash.
///
/// ```swift
/// let output = SignWorkload(schemes: [.oph, .minhash], signatureLength: 128).run(in: context)
/// ```
public struct SignWorkload: BenchmarkWorkload {
    /// `sign`.
    public let name = "sign"
    /// The schemes, in order.
    public var schemes: [BenchmarkedScheme]
    /// k.
    public var signatureLength: Int
    /// Shingling (and the schemes' seed).
    public var shingling: ShinglingOptions

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - schemes: The schemes (default: all).
    ///   - signatureLength: k (default 128).
    ///   - shingling: The shingling (default word 5-grams, seed 0).
    public init(schemes: [BenchmarkedScheme] = BenchmarkedScheme.allCases, signatureLength: Int = 128, shingling: ShinglingOptions = ShinglingOptions()) {
        self.schemes = schemes
        self.signatureLength = signatureLength
        self.shingling = shingling
    }

    /// Baselines: 1 + thread counts; per scheme: 1 + thread counts.
    public func measurementCount(in context: BenchmarkContext) -> Int {
        (1 + context.threadCounts.count) * (1 + schemes.count)
    }

    /// Measures every scheme and the baselines.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        let documents = context.documents
        let shingler = Shingler(options: shingling)
        let hashBuffers = documents.map { document in
            document.utf8.withUnsafeBytes { bytes in shingler.withShingleHashes(ofUTF8: bytes) { Array($0) } }
        }
        let shingles = hashBuffers.reduce(0) { $0 + $1.count }
        let units = WorkUnits(documents: documents.count, bytes: context.totalBytes, shingles: shingles)
        let cpu = Sampler(samples: context.sampler.samples, minimumSampleSeconds: context.sampler.minimumSampleSeconds,
                          budgetSeconds: context.sampler.budgetSeconds, clock: .threadCPU)
        func sampler(_ threads: Int) -> Sampler { threads == 1 ? cpu : context.sampler }
        let base: [String: ParameterValue] = ["unit": .string(shingling.unit.description), "seed": .string(String(shingling.seed))]
        func parameters(_ extra: [String: ParameterValue], _ threads: Int) -> [String: ParameterValue] {
            base.merging(extra) { $1 }.merging(["clock": .string(threads == 1 ? "thread-cpu" : "wall")]) { $1 }
        }

        var records: [WorkloadRecord] = []
        records.append(context.measure(
            workload: name, variant: "xxh3-64 whole documents", parameters: parameters(["scheme": "xxh3-64"], 1), units: units,
            sampler: cpu
        ) {
            var sink: UInt64 = 0
            for document in documents { sink &+= XXH3.hash64(document.utf8, seed: 0) }
            blackHole(sink)
        })
        for threads in context.threadCounts {
            records.append(context.measure(
                workload: name, variant: "shingling only", parameters: parameters(["scheme": "none"], threads), threads: threads,
                units: units, sampler: sampler(threads)
            ) {
                blackHole(SignatureMatrix(signing: documents, options: shingling, scheme: _CountScheme(), threads: threads))
            })
        }
        for scheme in schemes {
            records += measure(scheme, documents: documents, hashBuffers: hashBuffers, units: units, context: context, sampler: sampler) {
                parameters($0, $1)
            }
        }
        if let baseline = records.first(where: { $0.variant == "shingling only" && $0.threads == 1 })?.samples.median, baseline > 0 {
            for index in records.indices {
                records[index].metrics["timeOverShingling"] = records[index].samples.median / baseline
                if shingles > 0 { records[index].metrics["nanosecondsPerShingle"] = records[index].samples.median * 1e9 / Double(shingles) }
            }
        }
        return BenchmarkOutput(records: records)
    }

    private func measure(
        _ chosen: BenchmarkedScheme, documents: [Document], hashBuffers: [[UInt64]], units: WorkUnits, context: BenchmarkContext,
        sampler: (Int) -> Sampler, parameters: ([String: ParameterValue], Int) -> [String: ParameterValue]
    ) -> [WorkloadRecord] {
        let k = signatureLength
        var records: [WorkloadRecord] = []
        guard let kind = chosen.minHashKind else {
            let simhash = SimHash(bitCount: chosen == .simhash128 ? 128 : 64, seed: shingling.seed)
            let extra: [String: ParameterValue] = ["scheme": .string(chosen.rawValue), "bytesPerDocument": .int(simhash.bitCount / 8)]
            records.append(context.measure(
                workload: name, variant: "\(chosen.rawValue) pre-shingled", parameters: parameters(extra, 1), units: units, sampler: sampler(1)
            ) {
                var sink: UInt64 = 0
                for hashes in hashBuffers { sink ^= hashes.withUnsafeBufferPointer { simhash.fingerprint(of: $0).low } }
                blackHole(sink)
            })
            for threads in context.threadCounts {
                records.append(context.measure(
                    workload: name, variant: chosen.rawValue, parameters: parameters(extra, threads), threads: threads, units: units,
                    sampler: sampler(threads)
                ) {
                    blackHole(simhash.fingerprints(of: documents, options: shingling, threads: threads))
                })
            }
            return records
        }
        func measure<Scheme: SignatureScheme>(_ scheme: Scheme) {
            let bytes = kind == .minhashB1 ? (k + 63) / 64 * 8 : k * 8
            let extra: [String: ParameterValue] = ["scheme": .string(chosen.rawValue), "k": .int(k), "bytesPerDocument": .int(bytes)]
            var output = [UInt64](repeating: 0, count: k)
            records.append(context.measure(
                workload: name, variant: "\(chosen.rawValue) k=\(k) pre-shingled", parameters: parameters(extra, 1), units: units,
                sampler: sampler(1)
            ) {
                output.withUnsafeMutableBufferPointer { output in
                    for hashes in hashBuffers { hashes.withUnsafeBufferPointer { scheme.sign($0, into: output) } }
                }
                blackHole(output)
            })
            for threads in context.threadCounts {
                records.append(context.measure(
                    workload: name, variant: "\(chosen.rawValue) k=\(k)", parameters: parameters(extra, threads), threads: threads,
                    units: units, sampler: sampler(threads)
                ) {
                    blackHole(SignatureMatrix(signing: documents, options: shingling, scheme: scheme, threads: threads))
                })
            }
        }
        measure(kind.make(signatureLength: k, seed: shingling.seed))
        return records
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
