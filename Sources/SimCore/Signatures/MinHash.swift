/// Classic MinHash: k independent hash functions over every shingle, the minimum of each.
///
/// Hash function i maps a shingle hash x to `mul[i] · fold(x) + add[i] (mod 2³²)`, where
/// `fold(x) = low32(x) XOR high32(x)`, `mul[i]` is odd and both come from ``SplitMix64`` seeded
/// with ``seed`` (one draw per function: low 32 bits | 1 → `mul`, high 32 bits → `add`). Since
/// the shingle hashes are already uniform, each function is a random permutation of the 32-bit
/// universe. The k lanes run in SIMD through a small C kernel with AVX2 and AVX-512 variants
/// chosen at run time (``SignatureKernelISA``); every variant gives the same values.
///
/// **Values**: 32 bits wide, zero-extended into each `UInt64`. An empty document's signature is
/// all `UInt64.max`. Layout on disk: see ``SignatureMatrix``.
///
/// ```swift
/// let scheme = MinHash(signatureLength: 128, seed: 0)
/// let a = scheme.signature(of: Shingler().shingles(of: text))
/// scheme.estimatedJaccard(a, a)   // 1.0
/// ```
public struct MinHash: SignatureScheme, Hashable {
    /// The number of hash functions (k).
    public let signatureLength: Int
    /// The seed the coefficients come from.
    public let seed: UInt64
    /// `minhash`.
    public var name: String { "minhash" }
    private let multipliers: [UInt32]
    private let addends: [UInt32]

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - signatureLength: k, at least 1 (default 128).
    ///   - seed: Fixes every coefficient (default 0).
    /// - Complexity: O(k).
    public init(signatureLength: Int = 128, seed: UInt64 = 0) {
        precondition(signatureLength >= 1, "a signature needs at least one value")
        self.signatureLength = signatureLength
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        var multipliers: [UInt32] = []
        var addends: [UInt32] = []
        for _ in 0..<signatureLength {
            let draw = generator.next()
            multipliers.append(UInt32(truncatingIfNeeded: draw) | 1)
            addends.append(UInt32(truncatingIfNeeded: draw >> 32))
        }
        self.multipliers = multipliers
        self.addends = addends
    }

    /// Writes the k minima of `hashes` into `output`.
    ///
    /// - Parameters:
    ///   - hashes: Shingle hashes, any order, repeats allowed.
    ///   - output: Exactly ``signatureLength`` values.
    /// - Complexity: O(n·k), k lanes per SIMD step.
    public func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        let done = _sign(hashes, into: output, isa: nil)
        assert(done)
    }

    /// ``sign(_:into:)`` on a forced kernel variant; `false` if this CPU cannot run it.
    func _sign(
        _ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>,
        isa: SignatureKernelISA?
    ) -> Bool {
        precondition(output.count == signatureLength, "output must hold exactly `signatureLength` values")
        guard !hashes.isEmpty else {
            output.update(repeating: .max)
            return true
        }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: signatureLength) { mins in
            mins.initialize(repeating: .max)
            let done = multipliers.withUnsafeBufferPointer { multipliers in
                addends.withUnsafeBufferPointer { addends in
                    _minHash32(hashes, multipliers: multipliers, addends: addends, mins: mins, isa: isa)
                }
            }
            for i in 0..<signatureLength { output[i] = UInt64(mins[i]) }
            return done
        }
    }
}
