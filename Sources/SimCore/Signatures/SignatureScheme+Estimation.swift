extension SignatureScheme {
    /// The fraction of positions where `a` and `b` hold equal values: MinHash's Jaccard estimate.
    ///
    /// - Parameters:
    ///   - a: A signature of ``signatureLength`` values made by this scheme.
    ///   - b: Another signature of ``signatureLength`` values made by this scheme.
    /// - Returns: equal positions ÷ k, in 0...1.
    /// - Complexity: O(k), SIMD.
    public func estimatedJaccard(_ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>) -> Double {
        precondition(a.count == signatureLength && b.count == signatureLength, "signatures must have the scheme's signatureLength")
        return Double(SignatureEstimators.equalCount(a, b)) / Double(signatureLength)
    }

    /// Estimates the Jaccard similarity of two signatures held in arrays.
    ///
    /// ```swift
    /// let scheme = OnePermutationMinHash(signatureLength: 128)
    /// let a = scheme.signature(of: ShingleSet([1, 2, 3]))
    /// scheme.estimatedJaccard(a, a)   // 1.0
    /// ```
    ///
    /// - Parameters:
    ///   - a: A signature made by this scheme.
    ///   - b: Another signature made by this scheme.
    /// - Returns: The scheme's estimate, as for signatures in buffers.
    /// - Complexity: O(k).
    public func estimatedJaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in estimatedJaccard(a, b) } }
    }

    /// Estimates how much of document A lies inside document B from their signatures and sizes.
    ///
    /// Uses C = J(|A| + |B|) / ((1 + J)|A|), which follows from |A ∩ B| = J·|A ∪ B| and
    /// |A ∪ B| = |A| + |B| − |A ∩ B|, with the estimated J; clamped to 0...1. The sizes are the
    /// shingle-set sizes (`ShingleSet.count`), which signatures do not carry.
    ///
    /// - Parameters:
    ///   - a: The signature of A.
    ///   - b: The signature of B.
    ///   - sizeOfA: |A|, at least 1.
    ///   - sizeOfB: |B|.
    /// - Returns: The estimated |A ∩ B| / |A|.
    /// - Complexity: O(k).
    public func estimatedContainment(of a: [UInt64], in b: [UInt64], sizeOfA: Int, sizeOfB: Int) -> Double {
        SignatureEstimators.containment(fromJaccard: estimatedJaccard(a, b), sizeOfA: sizeOfA, sizeOfB: sizeOfB)
    }

    /// The signature of a shingle set, as an array.
    ///
    /// - Parameter set: A document's shingles.
    /// - Returns: ``signatureLength`` values.
    /// - Complexity: The scheme's signing cost (O(n + k) for one-permutation hashing).
    public func signature(of set: ShingleSet) -> [UInt64] {
        set.hashes.withUnsafeBufferPointer { signature(ofHashes: $0) }
    }

    /// The signature of shingle hashes in any order, repeats allowed, as an array.
    ///
    /// - Parameter hashes: Shingle hashes, e.g. from ``Shingler/withShingleHashes(ofUTF8:_:)``.
    /// - Returns: ``signatureLength`` values.
    public func signature(ofHashes hashes: UnsafeBufferPointer<UInt64>) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: signatureLength) { buffer, initialized in
            buffer.initialize(repeating: 0)
            sign(hashes, into: buffer)
            initialized = signatureLength
        }
    }
}
