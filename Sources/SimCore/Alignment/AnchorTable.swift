import SimCoreInternals

/// The inverted index of ``ReuseIndex``: each anchor n-gram hash to the documents holding it.
///
/// Open addressing (linear probing, at most 70% full) from hash to its document count and the
/// head of a list of postings; postings are appended to one growing buffer and linked newest
/// first, so an insert is O(1) amortized. Searches read it through a ``_AnchorReader``, a
/// snapshot of its pointers taken once per chunk of work, so that no class property is touched
/// per lookup.
final class _AnchorTable: @unchecked Sendable {
    // SAFETY: ``ReuseIndex`` only mutates the table in `insert`, on the calling thread; its
    // parallel searches read it through readers taken after the last insert, and the index is
    // documented as not callable from several threads at once, so no read overlaps a write.
    private var slots: UnsafeMutableBufferPointer<_AnchorSlot>
    private var used = 0
    private let postingDocuments = ScratchBuffer<UInt32>()
    private let postingNext = ScratchBuffer<UInt32>()
    /// Per posting: the slot of its anchor (kept right across rehashes), so that a document's
    /// anchors can be looked up again from its postings without tokenizing it.
    private let postingSlots = ScratchBuffer<UInt32>()
    private var postings = 0
    /// Where each document's postings start (they are appended together); one more entry than
    /// documents.
    private(set) var documentStarts: [Int] = [0]

    init() {
        slots = .allocate(capacity: 16)
        slots.initialize(repeating: _AnchorSlot(key: 0, count: 0, head: 0))
    }

    deinit {
        slots.deallocate()
    }

    /// Bytes held: slots and postings.
    var byteCount: Int { slots.count * MemoryLayout<_AnchorSlot>.stride + postings * 12 }

    /// A snapshot of the table for lookups, valid until the next ``insert(_:document:)``.
    var reader: _AnchorReader {
        _AnchorReader(slots: UnsafePointer(slots.baseAddress!), mask: slots.count - 1,
                      documents: UnsafePointer(postingDocuments.storage.baseAddress!), next: UnsafePointer(postingNext.storage.baseAddress!),
                      postingSlots: UnsafePointer(postingSlots.storage.baseAddress!))
    }

    /// Rehashes into `capacity` slots (a power of two).
    private func resize(_ capacity: Int) {
        let old = slots
        let grown = UnsafeMutableBufferPointer<_AnchorSlot>.allocate(capacity: capacity)
        grown.initialize(repeating: _AnchorSlot(key: 0, count: 0, head: 0))
        let mask = capacity - 1
        let moved = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: old.count)
        defer { moved.deallocate() }
        for index in old.indices where old[index].count != 0 {
            var target = Int(truncatingIfNeeded: old[index].key) & mask
            while grown[target].count != 0 { target = (target &+ 1) & mask }
            grown[target] = old[index]
            moved[index] = UInt32(truncatingIfNeeded: target)
        }
        let postingSlot = postingSlots.storage.baseAddress!
        for posting in 0..<postings { postingSlot[posting] = moved[Int(postingSlot[posting])] }
        old.deallocate()
        slots = grown
    }

    /// Makes room for `additional` more anchors, so that filing them rehashes at most once.
    func reserve(_ additional: Int) {
        var capacity = slots.count
        while (used + additional) * 10 > capacity * 7 { capacity *= 2 }
        if capacity > slots.count { resize(capacity) }
    }

    /// Files `document` under each of its anchors (a repeated anchor once).
    func insert(_ anchors: [UInt64], document: Int) {
        reserve(anchors.count)
        let needed = postings + anchors.count
        if needed > postingDocuments.storage.count {
            let capacity = Swift.max(needed, postings * 2)
            _ = postingDocuments.grow(to: capacity, keeping: postings)
            _ = postingNext.grow(to: capacity, keeping: postings)
            _ = postingSlots.grow(to: capacity, keeping: postings)
        }
        let table = slots.baseAddress!, mask = slots.count - 1
        let documents = postingDocuments.storage.baseAddress!, next = postingNext.storage.baseAddress!
        let slotOf = postingSlots.storage.baseAddress!
        var posting = postings
        var added = 0
        let documentNumber = UInt32(truncatingIfNeeded: document)
        for hash in anchors {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot].count != 0 && table[slot].key != hash { slot = (slot &+ 1) & mask }
            // An anchor the document already filed (a repeated n-gram): once is enough.
            if table[slot].count != 0 && documents[Int(table[slot].head)] == documentNumber { continue }
            documents[posting] = documentNumber
            slotOf[posting] = UInt32(truncatingIfNeeded: slot)
            if table[slot].count == 0 {
                table[slot] = _AnchorSlot(key: hash, count: 1, head: UInt32(truncatingIfNeeded: posting))
                next[posting] = UInt32.max
                added &+= 1
            } else {
                next[posting] = table[slot].head
                table[slot].head = UInt32(truncatingIfNeeded: posting)
                if table[slot].count < UInt32.max { table[slot].count &+= 1 }
            }
            posting &+= 1
        }
        postings = posting
        used += added
        documentStarts.append(posting)
    }
}

/// One slot of the anchor table: the hash, how many documents hold it (0: empty), and its newest
/// posting.
struct _AnchorSlot {
    var key: UInt64
    var count: UInt32
    var head: UInt32
}

/// Read-only lookups in an ``_AnchorTable``, from pointers taken once.
struct _AnchorReader: @unchecked Sendable {
    // SAFETY: see ``_AnchorTable``: readers are only used while the table is not mutated.
    let slots: UnsafePointer<_AnchorSlot>
    let mask: Int
    let documents: UnsafePointer<UInt32>
    let next: UnsafePointer<UInt32>
    let postingSlots: UnsafePointer<UInt32>

    /// The slot of `hash`, or -1.
    @inline(__always)
    func slot(of hash: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].count != 0 {
            if slots[slot].key == hash { return slot }
            slot = (slot &+ 1) & mask
        }
        return -1
    }

    /// Documents holding the anchor in `slot`.
    @inline(__always)
    func count(at slot: Int) -> Int { Int(slots[slot].count) }

    /// Calls `body` with each document holding the anchor in `slot`, newest first.
    @inline(__always)
    func forEachDocument(at slot: Int, _ body: (Int) -> Void) {
        var posting = slots[slot].head
        while posting != UInt32.max {
            body(Int(documents[Int(posting)]))
            posting = next[Int(posting)]
        }
    }
}

/// The winnowed anchors of a document's word n-gram hashes: in every window of `window`
/// consecutive n-grams, the smallest hash (the rightmost of equal ones), in order of position.
///
/// - Complexity: O(n) with a monotone queue of positions.
func _winnowedAnchors(_ hashes: UnsafeBufferPointer<UInt64>, window: Int, queue: ScratchBuffer<Int32>) -> [UInt64] {
    let grams = hashes.count
    guard grams > 0 else { return [] }
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
    // Not sorted or made distinct: a hash selected at two positions (a repeated n-gram) is rare,
    // the table files a document once per anchor anyway, and a repeat only counts twice towards
    // a candidate pair, which alignment then decides.
    return selected
}
