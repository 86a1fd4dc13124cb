import Testing
@testable import SimCore

/// The filled bins of one-permutation signatures: what a signature store keeps of a whole
/// signature, and how it gets the signature back.
@Suite("One-permutation filled bins")
struct FilledBinsTests {
    static func signature(_ scheme: OnePermutationMinHash, _ hashes: [UInt64]) -> [UInt64] {
        hashes.withUnsafeBufferPointer { input in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { output, count in
                scheme.sign(input, into: UnsafeMutableBufferPointer(rebasing: output[0..<scheme.signatureLength]))
                count = scheme.signatureLength
            }
        }
    }

    static func filledValues(_ scheme: OnePermutationMinHash, _ signature: [UInt64]) -> [UInt64] {
        signature.withUnsafeBufferPointer { signature in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { filled, count in
                count = scheme.filledValues(of: signature, into: filled.baseAddress!)
            }
        }
    }

    static func expanded(_ scheme: OnePermutationMinHash, _ filled: [UInt64]) -> [UInt64] {
        filled.withUnsafeBufferPointer { filled in
            [UInt64](unsafeUninitializedCapacity: scheme.signatureLength) { output, count in
                scheme.expand(filledValues: filled, into: UnsafeMutableBufferPointer(rebasing: output[0..<scheme.signatureLength]))
                count = scheme.signatureLength
            }
        }
    }

    @Test("the filled values are the filled bins' minima in bin order, and expanding them gives the signature back",
          arguments: [1, 2, 3, 8, 100, 128, 131, 256, 512, 5_000])
    func roundTrip(k: Int) {
        let seed: UInt64 = 17
        let scheme = OnePermutationMinHash(signatureLength: k, seed: seed)
        var random = SplitMix64(seed: 2_718)
        // From no shingle (an empty document) through a few bins to every bin filled.
        for size in [0, 1, 2, 5, 10, 43, 128, 300, 2_000] {
            let hashes = (0..<size).map { _ in random.next() }
            let signature = Self.signature(scheme, hashes)
            let filled = Self.filledValues(scheme, signature)
            #expect(filled == _referenceOPHMinima(hashes, signatureLength: k, seed: seed).filter { $0 != .max }, "k \(k), \(size) hashes")
            #expect(Self.expanded(scheme, filled) == signature, "k \(k), \(size) hashes")
        }
    }

    @Test("every filled-bins kernel variant keeps the portable one's values, whichever lanes match",
          arguments: [2, 4, 8, 16, 64, 128, 512])
    func kernels(k: Int) throws {
        let scheme = OnePermutationMinHash(signatureLength: k, seed: 5)
        let shift = UInt64(64 - k.trailingZeroBitCount)
        let variants = SignatureKernelISA.allCases.filter(\.isSupported)
        var random = SplitMix64(seed: 1_618)
        for percent in [0, 3, 30, 70, 100] {
            for round in 0..<4 {
                // Lane i holds its own value (top bits i) with the given chance, else another
                // lane's; lane 0 always its own (signature[0] == UInt64.max means empty).
                let signature = (0..<k).map { lane -> UInt64 in
                    let own = lane == 0 || random.next() % 100 < UInt64(percent)
                    let bin = own ? UInt64(lane) : (UInt64(lane) + 1 + random.next() % UInt64(k - 1)) % UInt64(k)
                    return bin << shift | random.next() >> (64 - shift)
                }
                let expected = signature.enumerated().filter { Int($0.element >> shift) == $0.offset }.map(\.element)
                #expect(Self.filledValues(scheme, signature) == expected, "k \(k), \(percent)%, round \(round)")
                for isa in variants {
                    #expect(try #require(scheme._filledValues(of: signature, isa: isa)) == expected, "k \(k), \(percent)%, \(isa)")
                }
            }
        }
    }
}
