internal import CSimKernels

/// The filled bins of a signature: what a signature store keeps of a whole one-permutation
/// signature, and how it gets the signature back (``_SignatureStore``, "Filled bins only").
///
/// Densification copies into each empty bin the value of a filled one, and a value's bin is a
/// function of the value (its top bits for a power-of-two k), so lane i was filled exactly when
/// its value's bin is i; those values and the probe sequence give back every other lane.
extension OnePermutationMinHash {
    /// The bin whose minimum a signature value is, when it is one: `⌊h·k / 2⁶⁴⌋`.
    @inline(__always)
    func bin(of value: UInt64) -> Int {
        if let shift = binShift { return Int(truncatingIfNeeded: value &>> shift) }
        return _scaled(value, to: signatureLength)
    }

    /// Writes the values of `signature` (one of this scheme's) that are their own bin's minimum,
    /// in bin order, to `filled`, and returns how many: with the probe sequence, they are the
    /// whole signature (``expand(filledValues:into:)``). A short document fills few bins (a
    /// paragraph of 50 words about 39 of 128), so a store keeps a third of its values.
    ///
    /// A value copied into an empty bin is some other bin's minimum, so a value belongs to lane
    /// i exactly when its bin is i. An empty document's signature (all `UInt64.max`, which no
    /// minimum is) has none.
    ///
    /// - Parameters:
    ///   - signature: ``signatureLength`` values.
    ///   - filled: Room for ``signatureLength`` values (every lane is written to, in turn, at
    ///     the next free place: no branch on which lanes are filled).
    /// - Returns: The number of values written, from 0 to ``signatureLength``.
    func filledValues(of signature: UnsafeBufferPointer<UInt64>, into filled: UnsafeMutablePointer<UInt64>) -> Int {
        let k = signatureLength
        precondition(signature.count == k, "a signature of this scheme")
        guard signature[0] != .max else { return 0 }
        var count = 0
        if let shift = binShift {
            // A C kernel (`CSimKernels/oph_filled.c`): 8 lanes a step with AVX-512F.
            // SAFETY: `signature` holds k values and `filled` has room for k.
            count = simk_oph_filled(signature.baseAddress, k, UInt32(shift), filled)
        } else {
            // SAFETY: count ≤ lane < k, inside both buffers. Every value is written at the next
            // free place and kept only when it is its lane's own: no branch on which lanes are
            // filled.
            for lane in 0..<k {
                let value = signature[lane]
                filled[count] = value
                count &+= _scaled(value, to: k) == lane ? 1 : 0
            }
        }
        // UInt64.max is no bin's minimum (minima are clamped below it), though its bin is the
        // last: only a row that is no signature of this scheme (a damaged file) holds it there,
        // and a filled value of UInt64.max would leave expand(filledValues:into:) no bin to copy.
        if count > 0 && filled[count - 1] == .max { count -= 1 }
        return count
    }

    /// ``filledValues(of:into:)`` forced onto one kernel variant (k a power of two above 1), for
    /// tests; `nil` if this CPU cannot run `isa`.
    func _filledValues(of signature: [UInt64], isa: SignatureKernelISA) -> [UInt64]? {
        precondition(signature.count == signatureLength, "a signature of this scheme")
        guard let shift = binShift else { return nil }
        var filled = [UInt64](repeating: 0, count: signatureLength)
        var count = 0
        let status = signature.withUnsafeBufferPointer { signature in
            filled.withUnsafeMutableBufferPointer { filled in
                // SAFETY: as in filledValues(of:into:).
                simk_oph_filled_isa(isa.code, signature.baseAddress, signatureLength, UInt32(shift), filled.baseAddress, &count)
            }
        }
        return status == 0 ? Array(filled[..<count]) : nil
    }

    /// Writes the signature whose filled bins hold `filledValues` (as
    /// ``filledValues(of:into:)`` gave them) into `output`: the same values as when it was signed,
    /// by the same densification.
    ///
    /// - Parameters:
    ///   - filledValues: Each a bin's minimum (below `UInt64.max`; others are passed over), at
    ///     most one per bin; none for an empty document. With every bin's, they are the
    ///     signature and are copied as they are.
    ///   - output: Exactly ``signatureLength`` values.
    /// - Complexity: O(k) when a fair share of the bins is filled; each empty bin probes about
    ///   k / (filled bins) times, so a store keeps rows of very few filled bins whole.
    func expand(filledValues: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        precondition(output.count == signatureLength, "output must hold exactly `signatureLength` values")
        guard !filledValues.isEmpty else {
            output.update(repeating: .max)
            return
        }
        if filledValues.count == signatureLength {
            // Every bin filled: nothing was copied.
            _ = output.update(fromContentsOf: filledValues)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: signatureLength) { bins in
            bins.initialize(repeating: .max)
            var filled = false
            // SAFETY: bin(of:) < k = bins.count for every value. UInt64.max is no minimum, and
            // bins all empty would leave densification nothing to copy (it would never end).
            for value in filledValues where value != .max {
                bins[bin(of: value)] = value
                filled = true
            }
            guard filled else {
                output.update(repeating: .max)
                return
            }
            densify(UnsafeBufferPointer(bins), into: output)
        }
    }
}
