import SimCore
import SimCoreInternals

/// The LSH S-curve, measured against theory: for pairs of sets of known Jaccard similarity s,
/// the fraction that share at least one band of their signatures, next to
/// ``BandingParameters/candidateProbability(similarity:)`` = 1 − (1 − sʳ)ᵇ.
///
/// Pairs are made, not found: for each of 20 similarity buckets (0.05 to 1.0), `pairsPerBucket`
/// pairs of 200-element sets of seeded random 64-bit shingle hashes share exactly the number of
/// elements that gives the bucket's Jaccard similarity. Each set is signed with the scheme and
/// cut into the banding ``DeduplicationOptions`` would choose for `threshold`; a pair is a
/// candidate when one band key agrees (``BandKey/keys(of:banding:)``). The curve goes into the
/// result's `curves`; one record times the whole measurement and carries the largest deviation
/// from theory (`maxDeviationFromTheory`) and the signatures' mean absolute Jaccard error
/// (`meanAbsoluteError`).
///
/// ```swift
/// let output = LSHCurveWorkload(scheme: .oph, signatureLength: 128, threshold: 0.8).run(in: context)
/// output.curves[0].measured   // 20 points (s, fraction of candidates)
/// ```
public struct LSHCurveWorkload: BenchmarkWorkload {
    /// `lsh-curve`.
    public let name = "lsh-curve"
    /// The signature scheme.
    public var scheme: SignatureSchemeKind
    /// k.
    public var signatureLength: Int
    /// The threshold the banding is chosen for.
    public var threshold: Double
    /// Pairs per similarity bucket.
    public var pairsPerBucket: Int
    /// The seed of the generated sets.
    public var seed: UInt64

    /// Creates the workload.
    ///
    /// - Parameters:
    ///   - scheme: A bandable scheme (default `oph`).
    ///   - signatureLength: k (default 128).
    ///   - threshold: The banding's threshold (default 0.8).
    ///   - pairsPerBucket: Pairs per bucket (default 200: a binomial standard deviation of at
    ///     most 0.035 per point).
    ///   - seed: The seed of the sets (default 1).
    public init(
        scheme: SignatureSchemeKind = .oph, signatureLength: Int = 128, threshold: Double = 0.8, pairsPerBucket: Int = 200,
        seed: UInt64 = 1
    ) {
        precondition(scheme.isBandable && signatureLength >= 1 && pairsPerBucket >= 1)
        self.scheme = scheme
        self.signatureLength = signatureLength
        self.threshold = threshold
        self.pairsPerBucket = pairsPerBucket
        self.seed = seed
    }

    /// The banding measured: the optimum for ``threshold`` with the deduplicator's weights.
    public var banding: BandingParameters {
        let defaults = DeduplicationOptions()
        return .optimal(
            threshold: threshold, signatureLength: signatureLength, falsePositiveWeight: defaults.falsePositiveWeight,
            falseNegativeWeight: defaults.falseNegativeWeight)
    }

    /// The curve alone: 20 measured points and the theoretical curve, and the signatures' mean
    /// absolute Jaccard error.
    public func measureCurve() -> (curve: CurveRecord, meanAbsoluteError: Double) {
        let banding = banding
        let signer = scheme.make(signatureLength: signatureLength, seed: 0)
        let setSize = 200
        var generator = SplitMix64(seed: seed)
        var measured: [CurvePoint] = []
        var absoluteError = 0.0
        func signature(_ hashes: [UInt64]) -> [UInt64] {
            var output = [UInt64](repeating: 0, count: signatureLength)
            hashes.withUnsafeBufferPointer { input in output.withUnsafeMutableBufferPointer { signer.sign(input, into: $0) } }
            return output
        }
        for bucket in 1...20 {
            let target = Double(bucket) / 20
            // |A| = |B| = n and |A ∩ B| = c give J = c / (2n − c).
            let shared = Int((2 * Double(setSize) * target / (1 + target)).rounded())
            let similarity = Double(shared) / Double(2 * setSize - shared)
            var candidates = 0
            for _ in 0..<pairsPerBucket {
                let common = (0..<shared).map { _ in generator.next() }
                let a = signature(common + (0..<(setSize - shared)).map { _ in generator.next() })
                let b = signature(common + (0..<(setSize - shared)).map { _ in generator.next() })
                let keysA = BandKey.keys(of: a, banding: banding)
                let keysB = BandKey.keys(of: b, banding: banding)
                if zip(keysA, keysB).contains(where: { $0 == $1 }) { candidates += 1 }
                let agreeing = zip(a, b).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
                absoluteError += abs(Double(agreeing) / Double(signatureLength) - similarity)
            }
            measured.append(CurvePoint(x: similarity, y: Double(candidates) / Double(pairsPerBucket)))
        }
        let theory = (0...100).map { step -> CurvePoint in
            let s = Double(step) / 100
            return CurvePoint(x: s, y: banding.candidateProbability(similarity: s))
        }
        let curve = CurveRecord(
            name: "LSH S-curve, \(scheme.rawValue) k=\(signatureLength) \(banding) (threshold \(threshold))", workload: name,
            variant: variant, xLabel: "Jaccard similarity of the pair", yLabel: "probability of becoming candidates",
            measured: measured, theory: theory)
        return (curve, absoluteError / Double(20 * pairsPerBucket))
    }

    /// The variant label: scheme, k and banding.
    public var variant: String { "\(scheme.rawValue) k=\(signatureLength) \(banding)" }

    /// Measures the curve (timed as one run of every pair's signing and keying).
    ///
    /// - Parameter context: The measurement settings (the corpus is not used).
    /// - Returns: One record and one curve.
    public func run(in context: BenchmarkContext) -> BenchmarkOutput {
        var result: (curve: CurveRecord, meanAbsoluteError: Double)?
        let pairs = 20 * pairsPerBucket
        var record = context.measure(
            workload: name, variant: variant,
            parameters: [
                "scheme": .string(scheme.rawValue), "k": .int(signatureLength), "bands": .int(banding.bandCount),
                "rows": .int(banding.rowsPerBand), "threshold": .double(threshold), "pairsPerBucket": .int(pairsPerBucket),
            ],
            units: WorkUnits(pairs: pairs)
        ) {
            result = measureCurve()
        }
        guard let result else { return BenchmarkOutput(records: [record]) }
        let deviation = result.curve.measured.map { abs($0.y - banding.candidateProbability(similarity: $0.x)) }.max() ?? 0
        record.metrics["maxDeviationFromTheory"] = deviation
        record.metrics["meanAbsoluteError"] = result.meanAbsoluteError
        return BenchmarkOutput(records: [record], curves: [result.curve])
    }

    /// One measurement.
    public func measurementCount(in context: BenchmarkContext) -> Int { 1 }
}
