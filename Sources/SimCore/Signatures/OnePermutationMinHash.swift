internal import CSimKernels

/// One-permutation MinHash with optimal densification (Shrivastava 2017): one hash per shingle,
/// k bins, the minimum per bin, empty bins filled from non-empty ones.
///
/// Each shingle hash x becomes `h = a·x + b (mod 2⁶⁴)` with a odd (Dietzfelbinger's multiply-add-
/// shift family: the shingle hashes are already uniform XXH3 values, so one multiply makes the
/// permutation); its bin is `⌊h·k / 2⁶⁴⌋` (the top bits) and the bin keeps the smallest h. An empty bin i then probes bins `⌊mix64(probeKey XOR (i << 32 |
/// t))·k / 2⁶⁴⌋` for t = 1, 2, … and copies the first bin that was non-empty before
/// densification. The probe sequence depends only on (seed, i, t), so two documents agree at i
/// with probability J, as in classic MinHash. `a` (the first draw with its low bit set), `b` and
/// `probeKey` are the first three draws of ``SplitMix64`` seeded with ``seed``.
///
/// **Values**: the full 64-bit h (clamped below `UInt64.max`); an empty document's signature is
/// all `UInt64.max`. Layout on disk: see ``SignatureMatrix``.
///
/// ```swift
/// let scheme = OnePermutationMinHash(signatureLength: 128)
/// let signature = scheme.signature(of: ShingleSet([1, 2, 3]))   // 128 values, 3 distinct
/// ```
public struct OnePermutationMinHash: SignatureScheme, Hashable {
    /// The number of bins (k).
    public let signatureLength: Int
    /// The seed the permutation and the probe sequence come from.
    public let seed: UInt64
    /// `oph`.
    public var name: String { "oph" }
    private let multiplier: UInt64
    private let addend: UInt64
    private let probeKey: UInt64
    /// The first ``probeTableDepth`` densification probes of every bin, worked out once:
    /// `probeBins[(t − 1) · k + i]` is the bin that probe t of bin i reads (column-major, so that
    /// the probes of neighbouring bins load as one vector). The sequence does not depend on the
    /// document, so a short document (most bins empty) reads its probes from this table instead
    /// of mixing a hash per probe; later probes are computed as before.
    private let probeBins: [UInt32]

    /// Probes per bin kept in ``probeBins`` (an empty bin of a document filling a fraction f of
    /// the bins needs more than this with probability (1 − f)^16); a multiple of 4, because
    /// the densification kernel reads the probes four at a time.
    static let probeTableDepth = 16

    /// Probes per bin in this scheme's ``probeBins``: ``probeTableDepth``, or 0 where the
    /// signature is too long for a table.
    private var tableDepth: Int { probeBins.isEmpty ? 0 : Self.probeTableDepth }

    /// Creates the scheme.
    ///
    /// - Parameters:
    ///   - signatureLength: k, from 1 to 2³¹ (default 128).
    ///   - seed: Fixes the permutation and the densification probes (default 0).
    public init(signatureLength: Int = 128, seed: UInt64 = 0) {
        precondition(signatureLength >= 1 && signatureLength <= Int(Int32.max), "signatureLength must be in 1...2^31")
        self.signatureLength = signatureLength
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        multiplier = generator.next() | 1
        addend = generator.next()
        probeKey = generator.next()
        // Tables only for the signature lengths the tools allow; longer ones probe as they go.
        let depth = signatureLength <= 4_096 ? Self.probeTableDepth : 0
        var probeBins = [UInt32](repeating: 0, count: signatureLength * depth)
        for i in 0..<(depth == 0 ? 0 : signatureLength) {
            for t in 1...depth {
                let probe = _mix64(probeKey ^ (UInt64(truncatingIfNeeded: i) << 32 | UInt64(t)))
                probeBins[(t - 1) * signatureLength + i] = UInt32(truncatingIfNeeded: _scaled(probe, to: signatureLength))
            }
        }
        self.probeBins = probeBins
    }

    /// Writes the densified bin minima of `hashes` into `output`.
    ///
    /// - Parameters:
    ///   - hashes: Shingle hashes, any order, repeats allowed.
    ///   - output: Exactly ``signatureLength`` values.
    /// - Complexity: O(n + k) expected when n ≥ k (each empty bin probes k / (non-empty bins)
    ///   times on average); no heap allocation (bins live in a stack buffer for usual k).
    public func sign(_ hashes: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        precondition(output.count == signatureLength, "output must hold exactly `signatureLength` values")
        guard !hashes.isEmpty else {
            output.update(repeating: .max)
            return
        }
        let k = signatureLength
        let (multiplier, addend) = (multiplier, addend)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: k) { minima in
            minima.initialize(repeating: .max)
            /// Keeps each hash's permuted value where it is the least of its bin.
            @inline(__always)
            func fillBins(_ binOf: (UInt64) -> Int) {
                for x in hashes {
                    let h = Swift.min(x &* multiplier &+ addend, .max - 1)
                    let bin = binOf(h)
                    // SAFETY: bin < k = minima.count: `_scaled(h, to: k)` < k, and for k = 2^s,
                    // h >> (64 − s) < 2^s. Branch-free minimum: which is smaller is unpredictable.
                    minima[bin] = Swift.min(h, minima[bin])
                }
            }
            if let shift = binShift {
                // k = 2^s (128 by default): the top s bits, the same bin as `_scaled(h, to: k)`
                // by a shift instead of a full-width multiplication.
                fillBins { Int(truncatingIfNeeded: $0 &>> shift) }
            } else {
                fillBins { _scaled($0, to: k) }
            }
            densify(UnsafeBufferPointer(minima), into: output)
        }
    }

    /// The shift that takes a value's bin from its top bits, when k is a power of two above 1
    /// (the bin is then the top log₂ k bits, the same as `_scaled(h, to: k)`); `nil` otherwise.
    private var binShift: UInt64? {
        let k = signatureLength
        return k > 1 && k & (k &- 1) == 0 ? UInt64(64 &- k.trailingZeroBitCount) : nil
    }

    /// The bin whose minimum a signature value is, when it is one: `⌊h·k / 2⁶⁴⌋`.
    @inline(__always)
    private func bin(of value: UInt64) -> Int {
        if let shift = binShift { return Int(truncatingIfNeeded: value &>> shift) }
        return _scaled(value, to: signatureLength)
    }

    /// Writes the densified signature of bin minima `bins` (`UInt64.max` for an empty bin, at
    /// least one bin filled) into `output`: each empty bin takes the first filled bin of its
    /// probe sequence.
    private func densify(_ bins: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        let k = signatureLength
        let depth = tableDepth
        // The table's probes by a C kernel (`CSimKernels/densify.c`): 8 bins a step with
        // AVX-512F, 4 with AVX2, each reading four probes at once with independent gathers
        // (up to 512 bins, AVX-512F tests probes against a bit mask of the filled bins and
        // gathers once per 8 bins).
        // Whether the next probe is filled is a coin toss in a short document, so a scalar
        // loop mispredicts or waits on dependent loads.
        let empty = probeBins.withUnsafeBufferPointer { probes in
            // SAFETY: `probes` holds depth · k bin numbers below k; `bins` and `output` hold k.
            simk_oph_densify(bins.baseAddress, probes.baseAddress, k, depth, output.baseAddress)
        }
        guard empty > 0 else { return }
        // Bins whose table probes were all empty (rare) probe on, computing each probe.
        for i in 0..<k where output[i] == .max {
            var attempt = UInt64(depth) &+ 1
            var value = UInt64.max
            while value == .max {
                let probe = _mix64(probeKey ^ (UInt64(truncatingIfNeeded: i) << 32 | attempt))
                value = bins[_scaled(probe, to: k)]
                attempt &+= 1
            }
            output[i] = value
        }
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
    ///   - filledValues: Each a bin's minimum, at most one per bin; none for an empty document.
    ///   - output: Exactly ``signatureLength`` values.
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
            // SAFETY: bin(of:) < k = bins.count for every value below UInt64.max.
            for value in filledValues { bins[bin(of: value)] = value }
            densify(UnsafeBufferPointer(bins), into: output)
        }
    }

    /// ``sign(_:into:)``'s densification forced onto one kernel variant, for tests: `bins` are
    /// the minima before densification (`UInt64.max` for an empty bin).
    ///
    /// - Returns: The densified values from the probe table (`UInt64.max` where every table
    ///   probe was empty) and how many those are, or `nil` if this CPU cannot run `isa`.
    func _densifiedFromTable(_ bins: [UInt64], isa: SignatureKernelISA) -> (values: [UInt64], empty: Int)? {
        precondition(bins.count == signatureLength, "one value per bin")
        var output = [UInt64](repeating: 0, count: signatureLength)
        var empty = 0
        let depth = tableDepth
        let status = bins.withUnsafeBufferPointer { bins in
            probeBins.withUnsafeBufferPointer { probes in
                output.withUnsafeMutableBufferPointer { output in
                    // SAFETY: as in sign(_:into:).
                    simk_oph_densify_isa(isa.code, bins.baseAddress, probes.baseAddress, signatureLength, depth, output.baseAddress, &empty)
                }
            }
        }
        return status == 0 ? (output, empty) : nil
    }
}
