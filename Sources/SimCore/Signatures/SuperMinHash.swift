/// SuperMinHash (Ertl 2017): MinHash whose k hash values per shingle come from one random
/// permutation of the k positions, which correlates the positions and lowers the estimator's
/// variance below classic MinHash's at the same k (markedly so for J near 1).
///
/// Shingle hash x seeds a ``SplitMix64`` with `mix64(x XOR key)` (`key` is the first draw of
/// SplitMix64 seeded with ``seed``). Step j = 0, 1, … of Ertl's Algorithm 1 takes one 64-bit draw:
/// its low 32 bits are r (the fraction in [0, 1)) and its high 32 bits pick the swap position
/// `j + ⌊high32 · (k − j) / 2³²⌋`. The candidate value r + j is kept in fixed point,
/// `j << 32 | r`, so every machine computes the same integers.
///
/// **Values**: 64 bits, `position << 32 | fraction`; an empty document's signature is all
/// `UInt64.max`. Layout on disk: see ``SignatureMatrix``.
///
/// ```swift
/// let scheme = SuperMinHash(signatureLength: 128)
/// let a = scheme.signature(of: ShingleSet([1, 2, 3]))
/// ```
public struct SuperMinHash: SignatureScheme, Hashable {
    /// The number of values (k).
    public let signatureLength: Int
    /// The seed every shingle's generator is keyed with.
    public let seed: UInt64
    /// `superminhash`.
    public var name: String { "superminhash" }
    private let key: UInt64

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - signatureLength: k, from 1 to 2³¹ (default 128).
    ///   - seed: Fixes every shingle's random stream (default 0).
    public init(signatureLength: Int = 128, seed: UInt64 = 0) {
        precondition(signatureLength >= 1 && signatureLength <= Int(Int32.max), "signatureLength must be in 1...2^31")
        self.signatureLength = signatureLength
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        key = generator.next()
    }

    /// Writes the SuperMinHash signature of `hashes` into `output`.
    ///
    /// - Parameters:
    ///   - hashes: Shingle hashes, any order, repeats allowed (fewer than 2³² of them).
    ///   - output: Exactly ``signatureLength`` values.
    /// - Complexity: O(n + k log² k) expected (Ertl); scratch lives in stack buffers.
    public func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        precondition(output.count == signatureLength, "output must hold exactly `signatureLength` values")
        precondition(hashes.count < Int(UInt32.max), "too many hashes")
        output.update(repeating: .max)
        guard !hashes.isEmpty else { return }
        let m = signatureLength
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 3 * m) { scratch in
            // p: the current shingle's permutation; q: which shingle p[j] was last reset for;
            // b: how many values have integer part j (∞ counts at m − 1).
            let p = UnsafeMutableBufferPointer(rebasing: scratch[0..<m])
            let q = UnsafeMutableBufferPointer(rebasing: scratch[m..<2 * m])
            let b = UnsafeMutableBufferPointer(rebasing: scratch[2 * m..<3 * m])
            p.initialize(repeating: 0)
            q.initialize(repeating: .max)
            b.initialize(repeating: 0)
            b[m - 1] = UInt32(m)
            var a = m - 1
            for (index, x) in hashes.enumerated() {
                let i = UInt32(truncatingIfNeeded: index)
                var generator = SplitMix64(seed: _mix64(x ^ key))
                var j = 0
                while j <= a {
                    let draw = generator.next()
                    let r = draw & 0xFFFF_FFFF
                    let k = j &+ Int(truncatingIfNeeded: ((draw >> 32) &* UInt64(truncatingIfNeeded: m &- j)) >> 32)
                    if q[j] != i {
                        q[j] = i
                        p[j] = UInt32(truncatingIfNeeded: j)
                    }
                    if q[k] != i {
                        q[k] = i
                        p[k] = UInt32(truncatingIfNeeded: k)
                    }
                    p.swapAt(j, k)
                    let slot = Int(p[j])
                    let candidate = UInt64(truncatingIfNeeded: j) << 32 | r
                    if candidate < output[slot] {
                        let previous = Swift.min(Int(truncatingIfNeeded: output[slot] >> 32), m - 1)
                        output[slot] = candidate
                        if j < previous {
                            b[previous] &-= 1
                            b[j] &+= 1
                            while b[a] == 0 { a &-= 1 }
                        }
                    }
                    j &+= 1
                }
            }
        }
    }
}
