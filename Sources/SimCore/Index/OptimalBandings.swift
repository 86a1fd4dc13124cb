import SimCoreInternals

/// The bandings ``BandingParameters/optimal(threshold:signatureLength:falsePositiveWeight:falseNegativeWeight:)``
/// has chosen in this process, by their inputs.
///
/// Choosing one integrates the S-curve of every b·r ≤ k: about 1 ms at k = 128, which was 85%
/// of making a Jaccard ``Deduplicator`` and inserting one document (`simbench lengths` with a
/// one-document corpus). Engines and indexes are often made again with the same settings (a
/// server's engine per request, Spark tasks in one executor, tests, benchmark samples), and the
/// choice is a pure function of its inputs, so a remembered one is exactly the one a new search
/// would make.
///
/// At most ``capacity`` choices are kept (a caller sweeping thresholds starts the cache over
/// when it fills). Two threads asking for the same new inputs at once may both search; they find
/// the same banding.
final class _OptimalBandings: @unchecked Sendable {
    // SAFETY: `chosen` is read and written only while `lock` is held.
    private let lock = Lock()
    private var chosen: [Inputs: BandingParameters] = [:]

    /// The process's cache.
    static let shared = _OptimalBandings()

    /// Choices kept before the cache starts over.
    static let capacity = 256

    /// The inputs of one choice, by their exact bits.
    struct Inputs: Hashable {
        let threshold: UInt64
        let signatureLength: Int
        let falsePositiveWeight: UInt64
        let falseNegativeWeight: UInt64

        init(threshold: Double, signatureLength: Int, falsePositiveWeight: Double, falseNegativeWeight: Double) {
            self.threshold = threshold.bitPattern
            self.signatureLength = signatureLength
            self.falsePositiveWeight = falsePositiveWeight.bitPattern
            self.falseNegativeWeight = falseNegativeWeight.bitPattern
        }
    }

    /// The banding chosen for `inputs` before, or the one `search` chooses now (remembered).
    func banding(for inputs: Inputs, search: () -> BandingParameters) -> BandingParameters {
        if let known = lock.withLock({ chosen[inputs] }) { return known }
        let found = search()
        lock.withLock {
            if chosen.count >= Self.capacity { chosen.removeAll() }
            chosen[inputs] = found
        }
        return found
    }

    /// The choices kept (for tests).
    var count: Int { lock.withLock { chosen.count } }
}
