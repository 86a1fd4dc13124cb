import Testing
@testable import SimCore

@Suite("BandingParameters")
struct BandingParametersTests {
    @Test("S-curve values on small inputs")
    func curve() {
        let banding = BandingParameters(bandCount: 2, rowsPerBand: 2)
        #expect(banding.candidateProbability(similarity: 0.5) == 0.4375)
        #expect(banding.candidateProbability(similarity: 0) == 0)
        #expect(banding.candidateProbability(similarity: 1) == 1)
    }

    @Test("areas are exact for a linear curve (b = r = 1)")
    func areas() {
        let identity = BandingParameters(bandCount: 1, rowsPerBand: 1)
        #expect(abs(identity.falsePositiveArea(threshold: 0.5) - 0.125) < 1e-12)
        #expect(abs(identity.falseNegativeArea(threshold: 0.5) - 0.125) < 1e-12)
    }

    @Test("optimal banding fits in k and beats every other banding", arguments: [0.5, 0.8, 0.9])
    func optimal(threshold: Double) {
        let k = 64
        let best = BandingParameters.optimal(threshold: threshold, signatureLength: k)
        #expect(best.signatureValuesUsed <= k)
        func error(_ p: BandingParameters) -> Double {
            0.5 * p.falsePositiveArea(threshold: threshold) + 0.5 * p.falseNegativeArea(threshold: threshold)
        }
        for bands in 1...k {
            for rows in 1...(k / bands) {
                #expect(error(best) <= error(BandingParameters(bandCount: bands, rowsPerBand: rows)) + 1e-15)
            }
        }
        // The curve's steep part sits near the threshold: half-way probability within ±0.1 of it.
        let halfway = (1...99).map { Double($0) / 100 }.first { best.candidateProbability(similarity: $0) >= 0.5 }!
        #expect(abs(halfway - threshold) <= 0.1, "b=\(best.bandCount) r=\(best.rowsPerBand) halfway \(halfway)")
    }

    @Test("weights move the curve: heavier false negatives give more candidates")
    func weights() {
        let fn = BandingParameters.optimal(threshold: 0.8, signatureLength: 128, falsePositiveWeight: 0.1, falseNegativeWeight: 0.9)
        let fp = BandingParameters.optimal(threshold: 0.8, signatureLength: 128, falsePositiveWeight: 0.9, falseNegativeWeight: 0.1)
        #expect(fn.candidateProbability(similarity: 0.75) > fp.candidateProbability(similarity: 0.75))
    }

    @Test("band keys are XXH3-64 of the little-endian rows, seeded by band index")
    func bandKey() {
        let rows: [UInt64] = [1, 0x0102_0304_0506_0708, .max]
        var bytes: [UInt8] = []
        for value in rows { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        #expect(BandKey.hash(rows, band: 0) == XXH3.hash64(bytes, seed: 0))
        #expect(BandKey.hash(rows, band: 7) == XXH3.hash64(bytes, seed: 7))
        #expect(BandKey.hash(rows, band: 0) != BandKey.hash(rows, band: 1))
        let signature: [UInt64] = [1, 2, 3, 4, 5, 6, 7]
        let keys = BandKey.keys(of: signature, banding: BandingParameters(bandCount: 3, rowsPerBand: 2))
        #expect(keys == [BandKey.hash([1, 2], band: 0), BandKey.hash([3, 4], band: 1), BandKey.hash([5, 6], band: 2)])
    }
}
