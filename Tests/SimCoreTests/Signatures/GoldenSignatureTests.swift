import Testing
@testable import SimCore

/// Pinned signature values: an accidental change to hashing, seeding, normalization or a
/// scheme's arithmetic must fail here. Text: ``text`` (17 distinct word 3-grams, shingling
/// seed 0); scheme seed 42, k = 16; the first six values of each signature, in the schemes'
/// documented layouts (see each type).
@Suite("Golden signatures")
struct GoldenSignatureTests {
    static let text = "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs away into the woods."

    static func set() -> ShingleSet {
        Shingler(options: ShinglingOptions(unit: .words(3), seed: 0)).shingles(of: text)
    }

    @Test("the fixed text has 17 distinct shingles")
    func shingleCount() {
        #expect(Self.set().count == 17)
    }

    @Test("classic MinHash (32-bit values), on every supported kernel variant")
    func minHash() {
        let expected: [UInt64] = [0x33F3820, 0x515FE04, 0x20BF9651, 0x7CAA1F9, 0x14CBE635, 0x44E842F8]
        let scheme = MinHash(length: 16, seed: 42)
        #expect(Array(scheme.signature(of: Self.set()).prefix(6)) == expected)
        for isa in SignatureKernelISA.allCases where isa.isSupported {
            var output = [UInt64](repeating: 0, count: 16)
            let done = Self.set().hashes.withUnsafeBufferPointer { hashes in
                output.withUnsafeMutableBufferPointer { scheme._sign(hashes, into: $0, isa: isa) }
            }
            #expect(done && Array(output.prefix(6)) == expected, "\(isa)")
        }
    }

    @Test("one-permutation MinHash (bins 0, 3 and 5 densified)")
    func oph() {
        let expected: [UInt64] = [
            0x586743B43166D66, 0x194A48D5B5301D24, 0x24A5D9369FE19617,
            0x24A5D9369FE19617, 0xDE1D8E4CD6BA6C1C, 0x586743B43166D66,
        ]
        #expect(Array(OnePermutationMinHash(length: 16, seed: 42).signature(of: Self.set()).prefix(6)) == expected)
    }

    @Test("SuperMinHash (position << 32 | fraction)")
    func superMinHash() {
        let expected: [UInt64] = [0x233B3DE9, 0x125282D3E, 0xC5A3D234, 0x10EB9C9F3, 0xCC14F596, 0x283CC9B3]
        #expect(Array(SuperMinHash(length: 16, seed: 42).signature(of: Self.set()).prefix(6)) == expected)
    }

    @Test("4-bit MinHash keeps the low nibble of classic MinHash")
    func bBit() {
        let expected: [UInt64] = [0x0, 0x4, 0x1, 0x9, 0x5, 0x8]
        #expect(Array(BBitMinHash(MinHash(length: 16, seed: 42), bits: 4).signature(of: Self.set()).prefix(6)) == expected)
    }

    @Test("SimHash 128 (64 is its low word)")
    func simHash() {
        let weighted = Shingler(options: ShinglingOptions(unit: .words(3), seed: 0)).weightedShingles(of: Self.text)
        let wide = SimHash(bitCount: 128, seed: 42).fingerprint(of: weighted)
        #expect(wide == SimHashFingerprint(low: 0xA690_985D_F502_7577, high: 0xC417_05D8_BA51_D008, bitCount: 128))
        #expect(SimHash(bitCount: 64, seed: 42).fingerprint(of: weighted) == SimHashFingerprint(low: 0xA690_985D_F502_7577))
    }
}
