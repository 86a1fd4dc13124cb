import SimCoreInternals
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

    @Test("the search computes each area bit for bit as the public areas do, and so chooses what a search by them chooses")
    func searchAgreesWithAreas() {
        for threshold in [0.05, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.99, 1] {
            for k in [1, 2, 7, 64, 128, 130] {
                for (fp, fn) in [(0.5, 0.5), (0.1, 0.9), (0.9, 0.1), (1, 0)] {
                    var best = BandingParameters(bandCount: 1, rowsPerBand: 1)
                    var bestError = Double.infinity
                    for bands in 1...k {
                        for rows in 1...(k / bands) {
                            let candidate = BandingParameters(bandCount: bands, rowsPerBand: rows)
                            let error = fp * candidate.falsePositiveArea(threshold: threshold) + fn * candidate.falseNegativeArea(threshold: threshold)
                            if error < bestError - 1e-15 {
                                best = candidate
                                bestError = error
                            }
                        }
                    }
                    let chosen = BandingParameters.search(threshold: threshold, signatureLength: k, falsePositiveWeight: fp, falseNegativeWeight: fn)
                    #expect(chosen == best, "t = \(threshold), k = \(k), weights \(fp), \(fn)")
                }
            }
        }
        // The grids' areas are the public ones, bit for bit.
        let below = _SimpsonGrid(from: 0, to: 0.8)
        let above = _SimpsonGrid(from: 0.8, to: 1)
        let (belowAgreeing, aboveAgreeing) = (below.powers(upTo: 20), above.powers(upTo: 20))
        for bands in [1, 3, 14, 40] {
            for rows in [1, 5, 9, 20] {
                let banding = BandingParameters(bandCount: bands, rowsPerBand: rows)
                let falsePositives = below.integrate(agreeing: belowAgreeing, rows: rows) { 1 - _power(1 - $0, bands) }
                let falseNegatives = above.integrate(agreeing: aboveAgreeing, rows: rows) { 1 - (1 - _power(1 - $0, bands)) }
                #expect(falsePositives.bitPattern == banding.falsePositiveArea(threshold: 0.8).bitPattern)
                #expect(falseNegatives.bitPattern == banding.falseNegativeArea(threshold: 0.8).bitPattern)
            }
        }
        #expect(_SimpsonGrid(from: 1, to: 1).integrate(agreeing: [[]], rows: 1) { $0 } == 0)
    }

    @Test("the optimum is remembered: what the search chooses, asked again and from two threads at once")
    func remembered() {
        let inputs: [(threshold: Double, k: Int, fp: Double, fn: Double)] = [0.1, 0.5, 0.8, 0.95, 1].flatMap { threshold in
            [1, 16, 128, 200].flatMap { k in [(threshold, k, 0.5, 0.5), (threshold, k, 0.2, 0.8)] }
        }
        let expected = inputs.map { BandingParameters.search(threshold: $0.threshold, signatureLength: $0.k, falsePositiveWeight: $0.fp, falseNegativeWeight: $0.fn) }
        for _ in 0..<2 {
            let chosen = concurrentChunks(count: inputs.count, threads: 2, minimumChunk: 1) { range in
                range.map { BandingParameters.optimal(threshold: inputs[$0].threshold, signatureLength: inputs[$0].k, falsePositiveWeight: inputs[$0].fp, falseNegativeWeight: inputs[$0].fn) }
            }.flatMap { $0 }
            #expect(chosen == expected)
        }
        #expect(_OptimalBandings.shared.count <= _OptimalBandings.capacity)
        // The exact bits are the key: a weight that differs in its last bit is another choice.
        let cache = _OptimalBandings()
        var searches = 0
        for weight in [0.5, 0.5.nextUp, 0.5] {
            _ = cache.banding(for: .init(threshold: 0.8, signatureLength: 8, falsePositiveWeight: weight, falseNegativeWeight: 0.5)) {
                searches += 1
                return BandingParameters(bandCount: 1, rowsPerBand: 1)
            }
        }
        #expect(searches == 2 && cache.count == 2)
        // Full, the cache starts over.
        for k in 1...(_OptimalBandings.capacity - 1) {
            _ = cache.banding(for: .init(threshold: 0.8, signatureLength: k + 100, falsePositiveWeight: 0.5, falseNegativeWeight: 0.5)) {
                BandingParameters(bandCount: 1, rowsPerBand: 1)
            }
        }
        #expect(cache.count == 1)
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
