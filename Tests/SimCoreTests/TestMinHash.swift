@testable import SimCore

/// A tiny, scalar, test-only MinHash: k hash functions `x ↦ fmix64(x ⊕ sᵢ)` whose seeds sᵢ come
/// from SplitMix64. Slow and simple on purpose: the index tests need signatures, not speed.
struct TestMinHash: SignatureScheme {
    let signatureLength: Int
    let seed: UInt64
    var name: String { "test-minhash" }
    private let salts: [UInt64]

    init(signatureLength: Int = 128, seed: UInt64 = 1) {
        self.signatureLength = signatureLength
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        salts = (0..<signatureLength).map { _ in generator.next() }
    }

    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        precondition(output.count == signatureLength)
        salts.withUnsafeBufferPointer { salts in
            for i in 0..<signatureLength { output[i] = .max }
            for hash in hashes {
                for i in 0..<signatureLength {
                    var z = hash ^ salts[i]
                    z = (z ^ (z &>> 33)) &* 0xFF51_AFD7_ED55_8CCD
                    z = (z ^ (z &>> 33)) &* 0xC4CE_B9FE_1A85_EC53
                    z ^= z &>> 33
                    if z < output[i] { output[i] = z }
                }
            }
        }
    }

    /// The signature of a set, as an array.
    func signature(of hashes: [UInt64]) -> [UInt64] {
        var output = [UInt64](repeating: 0, count: signatureLength)
        hashes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { sign(input, into: $0) }
        }
        return output
    }
}
