import Testing
@testable import SimCore

@Suite("b-bit signature matrix")
struct BBitSignatureMatrixTests {
    static func matrix(rows: Int, length: Int, seed: UInt64) -> SignatureMatrix {
        var generator = SplitMix64(seed: seed)
        // Rows share values often, so matches are frequent enough to test.
        let pool = (0..<5).map { _ in generator.next() }
        let values = (0..<rows * length).map { _ in generator.next() % 3 == 0 ? pool[Int(generator.next() % 5)] : generator.next() }
        return SignatureMatrix(signatureLength: length, values: values)
    }

    @Test("packing round-trips every b-bit value and pads with zero bits", arguments: [1, 2, 4, 8, 16])
    func roundTrip(bits: Int) {
        for length in [1, 7, 64, 100, 128] {
            let full = Self.matrix(rows: 4, length: length, seed: UInt64(length))
            let packed = BBitSignatureMatrix(compressing: full, bits: bits)
            let mask = (UInt64(1) << UInt64(bits)) - 1
            #expect(packed.count == 4)
            #expect(packed.wordsPerRow == (length * bits + 63) / 64)
            #expect(packed.bytesPerDocument == packed.wordsPerRow * 8)
            for row in 0..<4 {
                for i in 0..<length { #expect(packed.value(row: row, index: i) == full[row][row * length + i] & mask) }
            }
            let used = (length * bits) % 64
            if used != 0 {
                for row in 0..<4 { #expect(packed.words[row * packed.wordsPerRow + packed.wordsPerRow - 1] >> UInt64(used) == 0) }
            }
        }
    }

    @Test("match counts equal the unpacked b-bit equality count", arguments: [1, 2, 4, 8, 16])
    func matchCounts(bits: Int) {
        let full = Self.matrix(rows: 6, length: 100, seed: 17)
        let packed = BBitSignatureMatrix(compressing: full, bits: bits)
        let scheme = BBitMinHash(MinHash(signatureLength: 100), bits: bits)
        let mask = (UInt64(1) << UInt64(bits)) - 1
        for row in 0..<6 {
            for other in 0..<6 {
                let a = full[row].map { $0 & mask }
                let b = full[other].map { $0 & mask }
                let expected = zip(a, b).filter { $0 == $1 }.count
                #expect(packed.matchCount(row, other) == expected)
                #expect(packed.estimatedJaccard(row, other) == scheme.estimatedJaccard(a, b))
            }
        }
    }

    @Test("Li–König: P = 1 gives 1, chance agreement gives 0, exact values")
    func estimator() {
        #expect(SignatureEstimators.bBitJaccard(matchFraction: 1, bits: 1) == 1)
        #expect(SignatureEstimators.bBitJaccard(matchFraction: 0.5, bits: 1) == 0)
        #expect(SignatureEstimators.bBitJaccard(matchFraction: 0.625, bits: 2) == 0.5)
        #expect(SignatureEstimators.bBitJaccard(matchFraction: 0.25, bits: 1) == -0.5)
    }
}
