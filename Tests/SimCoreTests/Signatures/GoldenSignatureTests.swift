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
        let expected: [UInt64] = [0x1085123B, 0x879B6B6, 0x8280E02, 0x134018A7, 0x93526CD, 0x9056832]
        let scheme = MinHash(signatureLength: 16, seed: 42)
        #expect(Array(scheme.signature(of: Self.set()).prefix(6)) == expected)
        for isa in SignatureKernelISA.allCases where isa.isSupported {
            var output = [UInt64](repeating: 0, count: 16)
            let done = Self.set().hashes.withUnsafeBufferPointer { hashes in
                output.withUnsafeMutableBufferPointer { scheme._sign(hashes, into: $0, isa: isa) }
            }
            #expect(done && Array(output.prefix(6)) == expected, "\(isa)")
        }
    }

    @Test("one-permutation MinHash (bins 3, 4 and 5 empty, densified from 0, 1 and 10)")
    func oph() {
        let expected: [UInt64] = [
            0x35379DF8DCA35F4, 0x1D42E9888B100B07, 0x21726529C5F4461A,
            0x35379DF8DCA35F4, 0x1D42E9888B100B07, 0xA078B1B7FBABF0A7,
        ]
        let signature = OnePermutationMinHash(signatureLength: 16, seed: 42).signature(of: Self.set())
        #expect(Array(signature.prefix(6)) == expected)
        // A bin's own minimum lies in its range of the top bits; a densified one does not.
        #expect(signature[1] / (UInt64.max / 16 + 1) == 1 && signature[3] / (UInt64.max / 16 + 1) != 3)
    }

    @Test("SuperMinHash (position << 32 | fraction)")
    func superMinHash() {
        let expected: [UInt64] = [0x2DFECD89, 0x4C88DCD2, 0x438023D2, 0x2413A890, 0x229D2A7D, 0x1C8D70979]
        #expect(Array(SuperMinHash(signatureLength: 16, seed: 42).signature(of: Self.set()).prefix(6)) == expected)
    }

    @Test("4-bit MinHash keeps the low nibble of classic MinHash")
    func bBit() {
        let expected: [UInt64] = [0xB, 0x6, 0x2, 0x7, 0xD, 0x2]
        #expect(Array(BBitMinHash(MinHash(signatureLength: 16, seed: 42), bits: 4).signature(of: Self.set()).prefix(6)) == expected)
    }

    @Test("SimHash 128 (64 is its low word)")
    func simHash() {
        let weighted = Shingler(options: ShinglingOptions(unit: .words(3), seed: 0)).weightedShingles(of: Self.text)
        let wide = SimHash(bitCount: 128, seed: 42).fingerprint(of: weighted)
        #expect(wide == SimHashFingerprint(low: 0x60FE591AEECF023A, high: 0x96C14F59135A32AA, bitCount: 128))
        #expect(SimHash(bitCount: 64, seed: 42).fingerprint(of: weighted) == SimHashFingerprint(low: 0x60FE591AEECF023A))
    }
}
