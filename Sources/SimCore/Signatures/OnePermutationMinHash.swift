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
    /// ``probeBins`` as bytes in rows of 128 (row t − 1: probe t of bins 0..<k, then zeros), for
    /// k ≤ 128: the densification kernel's AVX-512 VBMI variant tests a whole row at once.
    /// Empty for longer signatures.
    private let probeBytes: [UInt8]

    /// Probes per bin kept in ``probeBins`` (an empty bin of a document filling a fraction f of
    /// the bins needs more than this with probability (1 − f)^32); a multiple of 4, because
    /// the densification kernel reads the probes four at a time. 32, not 16: a paragraph of 20
    /// words fills about 16 of 128 bins, and 12% of its empty bins found no filled bin in 16
    /// probes and probed on in Swift, a hash per probe (1.3% of a paragraph run's samples);
    /// with 32, 1.4% do.
    static let probeTableDepth = 32

    /// Whether two schemes are the same: the same k and seed (everything else, the tables
    /// included, follows from them).
    public static func == (lhs: OnePermutationMinHash, rhs: OnePermutationMinHash) -> Bool {
        lhs.signatureLength == rhs.signatureLength && lhs.seed == rhs.seed
    }

    /// Hashes k and the seed, which determine the scheme.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(signatureLength)
        hasher.combine(seed)
    }

    /// Probes per bin in this scheme's ``probeBins``: ``probeTableDepth``, or 0 where the
    /// signature is too long for a table.
    var tableDepth: Int { probeBins.isEmpty ? 0 : Self.probeTableDepth }

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
        var probeBytes = [UInt8](repeating: 0, count: depth > 0 && signatureLength <= 128 ? depth * 128 : 0)
        for t in 0..<(probeBytes.isEmpty ? 0 : depth) {
            for i in 0..<signatureLength { probeBytes[t * 128 + i] = UInt8(probeBins[t * signatureLength + i]) }
        }
        self.probeBytes = probeBytes
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
    var binShift: UInt64? {
        let k = signatureLength
        return k > 1 && k & (k &- 1) == 0 ? UInt64(64 &- k.trailingZeroBitCount) : nil
    }

    /// Writes the densified signature of bin minima `bins` (`UInt64.max` for an empty bin, at
    /// least one bin filled) into `output`: each empty bin takes the first filled bin of its
    /// probe sequence.
    func densify(_ bins: UnsafeBufferPointer<UInt64>, into output: UnsafeMutableBufferPointer<UInt64>) {
        let k = signatureLength
        let depth = tableDepth
        // The table's probes by a C kernel (`CSimKernels/densify.c`): 8 bins a step with
        // AVX-512F, 4 with AVX2, each reading four probes at once with independent gathers
        // (up to 512 bins, AVX-512F tests probes against a bit mask of the filled bins and
        // gathers once per 8 bins; up to 128 with AVX-512 VBMI, one permute of the filled
        // bins' bytes tests a probe of 64 bins).
        // Whether the next probe is filled is a coin toss in a short document, so a scalar
        // loop mispredicts or waits on dependent loads.
        let empty = probeBins.withUnsafeBufferPointer { probes in
            probeBytes.withUnsafeBufferPointer { bytes in
                // SAFETY: `probes` holds depth · k bin numbers below k, `bytes` nothing or depth
                // rows of 128 (k ≤ 128); `bins` and `output` hold k.
                simk_oph_densify(bins.baseAddress, probes.baseAddress, bytes.isEmpty ? nil : bytes.baseAddress, k, depth, output.baseAddress)
            }
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

    /// ``sign(_:into:)``'s densification forced onto one kernel variant, for tests: `bins` are
    /// the minima before densification (`UInt64.max` for an empty bin). `bitMask` forces the
    /// AVX-512F variant that tests probes against a bit mask (which a CPU with AVX-512 VBMI runs
    /// only for signatures above 128 values); `isa` is then ignored.
    ///
    /// - Returns: The densified values from the probe table (`UInt64.max` where every table
    ///   probe was empty), how many those are, and whether the 8 values after the output's k
    ///   were left alone; `nil` if this CPU cannot run the variant.
    func _densifiedFromTable(
        _ bins: [UInt64], isa: SignatureKernelISA, bitMask: Bool = false
    ) -> (values: [UInt64], empty: Int, pastEndIntact: Bool)? {
        precondition(bins.count == signatureLength, "one value per bin")
        let sentinel: UInt64 = 0x5EE5_5EE5_5EE5_5EE5
        var output = [UInt64](repeating: sentinel, count: signatureLength + 8)
        var empty = 0
        let depth = tableDepth
        let status = bins.withUnsafeBufferPointer { bins in
            probeBins.withUnsafeBufferPointer { probes in
                probeBytes.withUnsafeBufferPointer { bytes in
                    output.withUnsafeMutableBufferPointer { output in
                        // SAFETY: as in densify(_:into:).
                        bitMask
                            ? simk_oph_densify_bits(bins.baseAddress, probes.baseAddress, signatureLength, depth, output.baseAddress, &empty)
                            : simk_oph_densify_isa(
                                isa.code, bins.baseAddress, probes.baseAddress, bytes.isEmpty ? nil : bytes.baseAddress, signatureLength, depth,
                                output.baseAddress, &empty)
                    }
                }
            }
        }
        let intact = output[signatureLength...].allSatisfy { $0 == sentinel }
        return status == 0 ? (Array(output[..<signatureLength]), empty, intact) : nil
    }

    /// Whether this CPU's AVX-512 densification tests a probe of 64 bins at once (AVX-512
    /// VBMI, signatures of at most 128 values); for tests.
    static var _densifiesByBytes: Bool { simk_has_avx512_vbmi() != 0 }
}
