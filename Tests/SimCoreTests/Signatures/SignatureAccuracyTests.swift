import Testing
@testable import SimCore

/// Seeded statistical tests over synthetic set pairs of known Jaccard similarity.
///
/// For T pairs per J, a scheme with per-pair standard deviation σ must have
/// |mean − J| ≤ 4σ/√T (a 4-sigma bound on the mean), and a measured spread s with
/// s ≤ 1.25·σ_classic where σ_classic = √(J(1−J)/k); full-width schemes also s ≥ 0.5·σ_classic
/// for SuperMinHash and 0.75·σ_classic for the others.
@Suite("Signature accuracy")
struct SignatureAccuracyTests {
    static let jaccards = [0.1, 0.25, 0.5, 0.75, 0.95]
    static let k = 128
    static let trials = 150
    static let unionSize = 400

    /// Estimates for `trials` pairs at `jaccard`, and the pairs' exact Jaccard values.
    static func estimates(_ scheme: some SignatureScheme, jaccard: Double, seed: UInt64) -> (estimates: [Double], exact: [Double]) {
        var generator = SplitMix64(seed: seed)
        var estimates: [Double] = []
        var exact: [Double] = []
        for _ in 0..<trials {
            let (a, b, j) = SyntheticPairs.pair(jaccard: jaccard, unionSize: unionSize, generator: &generator)
            estimates.append(scheme.estimatedJaccard(scheme.signature(of: a), scheme.signature(of: b)))
            exact.append(j)
        }
        return (estimates, exact)
    }

    static let fullWidth: [any SignatureScheme] = [
        MinHash(signatureLength: k, seed: 21), OnePermutationMinHash(signatureLength: k, seed: 21), SuperMinHash(signatureLength: k, seed: 21),
    ]

    @Test("full-width schemes: unbiased within 4σ/√T, spread within the stated factors of √(J(1−J)/k)",
          arguments: fullWidth.indices, jaccards)
    func fullWidthAccuracy(index: Int, jaccard: Double) {
        let scheme = Self.fullWidth[index]
        let seed = UInt64(jaccard * 1000) &+ 77
        let (values, exact) = Self.estimates(scheme, jaccard: jaccard, seed: seed)
        let j = exact[0]
        let (mean, spread) = SyntheticPairs.meanAndDeviation(values)
        let sigma = (j * (1 - j) / Double(Self.k)).squareRoot()
        let lower = scheme is SuperMinHash ? 0.3 : 0.75
        #expect(abs(mean - j) <= 4 * sigma / Double(Self.trials).squareRoot(),
                "\(scheme.name) J=\(j) mean \(mean) seed \(seed)")
        #expect(spread <= 1.25 * sigma && spread >= lower * sigma,
                "\(scheme.name) J=\(j) spread \(spread) vs σ \(sigma) seed \(seed)")
    }

    @Test("SuperMinHash's variance is below classic MinHash's at the same k, at every J")
    func superMinHashBeatsClassic() {
        for jaccard in Self.jaccards {
            let seed = UInt64(jaccard * 1000) &+ 5
            let classic = SyntheticPairs.meanAndDeviation(Self.estimates(MinHash(signatureLength: Self.k, seed: 2), jaccard: jaccard, seed: seed).estimates)
            let superMin = SyntheticPairs.meanAndDeviation(Self.estimates(SuperMinHash(signatureLength: Self.k, seed: 2), jaccard: jaccard, seed: seed).estimates)
            #expect(superMin.deviation < classic.deviation, "J=\(jaccard): super \(superMin.deviation) classic \(classic.deviation) seed \(seed)")
        }
    }

    @Test("b-bit: unbiased within 4σ_b/√T with σ_b = √(P(1−P)/k)/(1−2^−b), spread ≤ 1.25·σ_b",
          arguments: [1, 2, 4, 8, 16], [0.1, 0.5, 0.95])
    func bBitAccuracy(bits: Int, jaccard: Double) {
        let scheme = BBitMinHash(OnePermutationMinHash(signatureLength: Self.k, seed: 9), bits: bits)
        let seed = UInt64(bits * 100) &+ UInt64(jaccard * 1000)
        let (values, exact) = Self.estimates(scheme, jaccard: jaccard, seed: seed)
        let j = exact[0]
        let chance = 1 / Double(UInt64(1) << UInt64(bits))
        let p = j + (1 - j) * chance
        let sigma = (p * (1 - p) / Double(Self.k)).squareRoot() / (1 - chance)
        let (mean, spread) = SyntheticPairs.meanAndDeviation(values)
        #expect(abs(mean - j) <= 4 * sigma / Double(Self.trials).squareRoot(), "b=\(bits) J=\(j) mean \(mean) seed \(seed)")
        #expect(spread <= 1.25 * sigma, "b=\(bits) J=\(j) spread \(spread) σ_b \(sigma) seed \(seed)")
    }

    @Test("b-bit estimates track the full-width estimate pair by pair", arguments: [1, 2, 4, 8, 16])
    func bBitTracksFullWidth(bits: Int) {
        let base = MinHash(signatureLength: 256, seed: 13)
        let compressed = BBitMinHash(base, bits: bits)
        var generator = SplitMix64(seed: 99)
        // Per pair, the b-bit estimate differs from the full one only through chance matches:
        // |Ĵ_b − Ĵ| ≤ 4·√((1−Ĵ)·c(1−c)/k)/(1−c) + 1/k with c = 2^−b.
        let chance = 1 / Double(UInt64(1) << UInt64(bits))
        for jaccard in Self.jaccards {
            let (a, b, _) = SyntheticPairs.pair(jaccard: jaccard, unionSize: 600, generator: &generator)
            let full = base.estimatedJaccard(base.signature(of: a), base.signature(of: b))
            let cut = compressed.estimatedJaccard(compressed.signature(of: a), compressed.signature(of: b))
            let bound = 4 * ((1 - full) * chance * (1 - chance) / 256).squareRoot() / (1 - chance) + 1.0 / 256
            #expect(abs(cut - full) <= bound, "b=\(bits) J=\(jaccard) full \(full) b-bit \(cut)")
            if bits == 16 { #expect(abs(cut - full) <= 2.0 / 256) }
        }
    }
}
