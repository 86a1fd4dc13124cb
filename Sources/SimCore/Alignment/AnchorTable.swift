import SimCoreInternals

/// The inverted index of ``ReuseIndex``: each anchor n-gram hash to the documents holding it.
///
/// Open addressing (linear probing, at most half full) from hash to its document count and the
/// head of a list of postings; postings are appended to one growing array and linked newest
/// first, so an insert is O(1) amortized and nothing moves but the arrays' growth.
final class _AnchorTable: @unchecked Sendable {
    // SAFETY: ``ReuseIndex`` only mutates the table in `insert`, on the calling thread; its
    // parallel searches read it, and the index is documented as not callable from several
    // threads at once, so no read overlaps a write.
    private var keys: [UInt64] = []
    /// Per slot: documents holding the anchor (0: empty slot).
    private var counts: [UInt32] = []
    /// Per slot: the newest posting.
    private var heads: [UInt32] = []
    private var mask = 0
    private var used = 0
    /// Per posting: the document.
    private(set) var postingDocuments: [UInt32] = []
    /// Per posting: the next (older) posting of the same anchor, or `UInt32.max`.
    private var postingNext: [UInt32] = []

    init() {
        resize(16)
    }

    /// Bytes held: slots and postings.
    var byteCount: Int { keys.count * 16 + postingDocuments.count * 8 }

    private func resize(_ capacity: Int) {
        let oldKeys = keys, oldCounts = counts, oldHeads = heads
        keys = [UInt64](repeating: 0, count: capacity)
        counts = [UInt32](repeating: 0, count: capacity)
        heads = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        for slot in oldKeys.indices where oldCounts[slot] != 0 {
            var target = Int(truncatingIfNeeded: oldKeys[slot]) & mask
            while counts[target] != 0 { target = (target &+ 1) & mask }
            keys[target] = oldKeys[slot]
            counts[target] = oldCounts[slot]
            heads[target] = oldHeads[slot]
        }
    }

    /// The slot of `hash`, or -1.
    @inline(__always)
    func slot(of hash: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while counts[slot] != 0 {
            if keys[slot] == hash { return slot }
            slot = (slot &+ 1) & mask
        }
        return -1
    }

    /// Documents holding the anchor in `slot`.
    @inline(__always)
    func count(at slot: Int) -> Int { Int(counts[slot]) }

    /// Calls `body` with each document holding the anchor in `slot`, newest first.
    @inline(__always)
    func forEachDocument(at slot: Int, _ body: (Int) -> Void) {
        var posting = heads[slot]
        while posting != UInt32.max {
            body(Int(postingDocuments[Int(posting)]))
            posting = postingNext[Int(posting)]
        }
    }

    /// Files `document` under each of its (distinct) anchors.
    func insert(_ anchors: [UInt64], document: Int) {
        if (used + anchors.count) * 2 > keys.count {
            var capacity = keys.count
            while (used + anchors.count) * 2 > capacity { capacity *= 2 }
            resize(capacity)
        }
        for hash in anchors {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while counts[slot] != 0 && keys[slot] != hash { slot = (slot &+ 1) & mask }
            let posting = UInt32(truncatingIfNeeded: postingDocuments.count)
            postingDocuments.append(UInt32(truncatingIfNeeded: document))
            if counts[slot] == 0 {
                keys[slot] = hash
                counts[slot] = 1
                postingNext.append(UInt32.max)
                used += 1
            } else {
                postingNext.append(heads[slot])
                if counts[slot] < UInt32.max { counts[slot] += 1 }
            }
            heads[slot] = posting
        }
    }
}

extension _WordTokens {
    /// The winnowed anchors of the last document: in every window of `window` consecutive
    /// n-grams, the smallest hash (the rightmost of equal ones), distinct and sorted.
    ///
    /// - Complexity: O(n) with a monotone queue of positions, plus the sort of the anchors.
    func anchors(window: Int, queue: ScratchBuffer<Int32>, scratch: ScratchBuffer<UInt64>) -> [UInt64] {
        let grams = gramCount
        guard grams > 0 else { return [] }
        let hashes = gramHashes.storage.baseAddress!
        let width = Swift.min(window, grams)
        let positions = queue.reserve(grams).baseAddress!
        var selected: [UInt64] = []
        selected.reserveCapacity(grams * 2 / (width + 1) + 2)
        var head = 0, tail = 0
        var lastSelected = -1
        for position in 0..<grams {
            // Keep the queue's hashes increasing from head to tail; a newer equal hash wins.
            while tail > head && hashes[Int(positions[tail - 1])] >= hashes[position] { tail -= 1 }
            positions[tail] = Int32(truncatingIfNeeded: position)
            tail += 1
            if Int(positions[head]) <= position - width { head += 1 }
            if position >= width - 1 {
                let minimum = Int(positions[head])
                if minimum != lastSelected {
                    selected.append(hashes[minimum])
                    lastSelected = minimum
                }
            }
        }
        let unique = selected.withUnsafeMutableBufferPointer { buffer in
            _sortUnique(buffer, scratch: scratch.reserve(buffer.count))
        }
        selected.removeSubrange(unique...)
        return selected
    }
}
