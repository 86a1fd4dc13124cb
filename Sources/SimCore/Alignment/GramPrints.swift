import SimCoreInternals

/// Every indexed document's word n-grams as 16-bit fingerprints (the top bits of each n-gram
/// hash, in order of position), and the test that lets ``ReuseIndex/pairs(threads:)`` pass over
/// a candidate pair without tokenizing it (``_GramPrintSet/mayHavePassage(_:options:)``).
final class _GramPrints: @unchecked Sendable {
    // SAFETY: appended to only by ``ReuseIndex`` inserts; read through pointers taken after the
    // last insert (the index is not callable from several threads at once).
    private let prints = ScratchBuffer<UInt16>()
    /// Where each document's fingerprints start; one more entry than documents.
    private(set) var starts: [Int] = [0]

    /// Bytes held.
    var byteCount: Int { starts.last! * 2 }

    /// Appends the fingerprints of each document, in order.
    func append(_ documents: [[UInt16]]) {
        let filed = starts.last!
        let total = documents.reduce(0) { $0 + $1.count }
        let all = prints.grow(to: filed + total, keeping: filed).baseAddress!
        var end = filed
        starts.reserveCapacity(starts.count + documents.count)
        for list in documents {
            // SAFETY: `all` has room for `filed + total` fingerprints.
            list.withUnsafeBufferPointer { (all + end).update(from: $0.baseAddress!, count: $0.count) }
            end += list.count
            starts.append(end)
        }
    }

    /// The fingerprints, valid until the next ``append(_:)``.
    var base: UnsafePointer<UInt16> { UnsafePointer(prints.storage.baseAddress!) }

    /// The fingerprint of an n-gram hash.
    @inline(__always)
    static func print(of hash: UInt64) -> UInt16 { UInt16(truncatingIfNeeded: hash >> 48) }
}

/// One side A's fingerprints as a set of 65,536 bits (8 KB, in L1), for finding which of B's
/// n-grams A may hold. Owned by one worker.
///
/// A bit set by another n-gram of A only lets more of B through: about 2% of B's n-grams for a
/// 1,200-word story, rarely enough to make a stretch (see ``mayHavePassage(_:options:)``).
final class _GramPrintSet {
    private let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 1 << 10)
    /// The document whose fingerprints the set holds (-1: none yet).
    private(set) var document = -1

    deinit {
        bits.deallocate()
    }

    /// Fills the set with document `index`'s fingerprints.
    func fill(_ prints: UnsafeBufferPointer<UInt16>, document index: Int) {
        bits.update(repeating: 0, count: 1 << 10)
        for print in prints { bits[Int(print &>> 6)] |= 1 &<< UInt64(print & 63) }
        document = index
    }

    /// Whether B (its fingerprints, in order of position) can share a passage with the A in
    /// the set: false only when no passage is possible.
    ///
    /// A passage is a chain of seeds, n-grams of B found in A; its matched words are at most
    /// the words of B its seeds cover, and consecutive seeds of one chain (in order of B) are at
    /// most `ngramWidth + maximumGap` positions apart (within a run a seed extends the run only
    /// that close, and runs join a chain across at most `maximumGap` words). So B's positions
    /// whose n-gram A holds are cut where two are further apart than that, and a passage needs
    /// one stretch whose n-grams cover `minimumPassageWords` words. Fingerprints match every
    /// n-gram the full hashes match (and a few more), and repeated n-grams are counted although
    /// alignment caps them: the test can let a pair through that has no passage, never the
    /// other way round.
    ///
    /// - Complexity: O(B's n-grams), stopping at the first stretch long enough.
    func mayHavePassage(_ prints: UnsafeBufferPointer<UInt16>, options: AlignmentOptions) -> Bool {
        let bits = UnsafePointer(bits)
        let width = options.ngramWidth, reach = options.ngramWidth + options.maximumGap
        let needed = options.minimumPassageWords
        var last = Int.min / 2
        var covered = 0
        for position in 0..<prints.count {
            let print = prints[position]
            guard bits[Int(print &>> 6)] & (1 &<< UInt64(print & 63)) != 0 else { continue }
            // Words this n-gram adds to its stretch: all of them after a break, else those past
            // the previous one's end.
            covered = position &- last > reach ? width : covered &+ Swift.min(width, position &- last)
            if covered >= needed { return true }
            last = position
        }
        return false
    }
}
