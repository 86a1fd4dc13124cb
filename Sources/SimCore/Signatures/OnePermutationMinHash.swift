/// `own` when it is a filled bin (below `UInt64.max`), else the first filled bin among the four
/// that `probes` names, else `UInt64.max`: five independent loads, no branch.
///
/// The five values go to `slots` (with `UInt64.max` after them) and the first filled one is
/// read back at the lowest set bit of a mask. (Selects such as `bin != .max ? bin : value` let
/// the compiler turn the later loads into a branch, which mispredicts about once per empty bin
/// of a short document.)
///
/// - Complexity: O(1).
@inline(__always)
private func _firstFilled(
    own: UInt64, probes: UnsafePointer<UInt32>, bins: UnsafeBufferPointer<UInt64>, slots: UnsafeMutablePointer<UInt64>
) -> UInt64 {
    // SAFETY: the caller's `probes` holds four bin numbers, each below `bins.count`; `slots`
    // holds six values, the last `UInt64.max`.
    slots[0] = own
    slots[1] = bins[Int(probes[0])]
    slots[2] = bins[Int(probes[1])]
    slots[3] = bins[Int(probes[2])]
    slots[4] = bins[Int(probes[3])]
    // Bit p is set when slot p is filled: an empty slot is all ones, so adding one carries out.
    @inline(__always)
    func filledBit(_ position: Int) -> UInt64 {
        let carried = slots[position] &+ 1
        return ((carried | (0 &- carried)) >> 63) << UInt64(position)
    }
    let filled = filledBit(0) | filledBit(1) | filledBit(2) | filledBit(3) | filledBit(4) | 1 << 5
    return slots[filled.trailingZeroBitCount]
}

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
    /// `probeBins[i · depth + t − 1]` is the bin that probe t of bin i reads. The sequence does
    /// not depend on the document, so a short document (most bins empty) reads its probes from
    /// this table instead of mixing a hash per probe; later probes are computed as before.
    private let probeBins: [UInt32]

    /// Probes per bin kept in ``probeBins`` (an empty bin of a document filling a fraction f of
    /// the bins needs more than this with probability (1 − f)^16); a multiple of 4, because
    /// densification reads the probes four at a time.
    static let probeTableDepth = 16

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
                probeBins[i * depth + t - 1] = UInt32(truncatingIfNeeded: _scaled(probe, to: signatureLength))
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
        // k bins, then six slots for densification (``_firstFilled(own:probes:bins:slots:)``).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: k + 6) { space in
            let minima = UnsafeMutableBufferPointer(rebasing: space[0..<k])
            minima.initialize(repeating: .max)
            for x in hashes {
                let h = Swift.min(x &* multiplier &+ addend, .max - 1)
                let bin = _scaled(h, to: k)
                // Branch-free minimum: which is smaller is unpredictable.
                minima[bin] = Swift.min(h, minima[bin])
            }
            var filled = 0
            for value in minima where value != .max { filled &+= 1 }
            if filled == k {
                _ = output.update(fromContentsOf: minima)
                return
            }
            let depth = probeBins.isEmpty ? 0 : Self.probeTableDepth
            let bins = UnsafeBufferPointer(minima)
            let slots = space.baseAddress! + k
            slots[5] = .max
            probeBins.withUnsafeBufferPointer { probes in
                for i in 0..<k {
                    var value = bins[i]
                    var attempt: UInt64 = 1
                    if depth > 0 {
                        // Whether a bin and its next probes are empty is a coin toss for a short
                        // document, so a branch per probe mispredicts about once per empty bin.
                        // Four probes at a time are read unconditionally and the first filled
                        // one is picked without a branch; a bin needs a second group with
                        // probability (1 − f)⁵ (f the fraction of filled bins).
                        // SAFETY: row i of the table holds `depth` bins (a multiple of 4),
                        // each below k.
                        let row = probes.baseAddress! + i &* depth
                        value = _firstFilled(own: value, probes: row, bins: bins, slots: slots)
                        var t = 4
                        while value == .max && t < depth {
                            value = _firstFilled(own: .max, probes: row + t, bins: bins, slots: slots)
                            t &+= 4
                        }
                        if value == .max { attempt = UInt64(depth) &+ 1 }
                    }
                    while value == .max {
                        let probe = _mix64(probeKey ^ (UInt64(truncatingIfNeeded: i) << 32 | attempt))
                        value = bins[_scaled(probe, to: k)]
                        attempt &+= 1
                    }
                    output[i] = value
                }
            }
        }
    }
}
