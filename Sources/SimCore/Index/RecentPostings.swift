internal import CSimKernels
import SimCoreInternals

/// The mutable layer of an LSH shard's postings (``_PostingShard``): a small hash multimap from
/// key prefixes to document numbers in memory it owns, for the inserts made since the last
/// merge into the compact layer.
///
/// Keys are hashes (or their top `keyBits` bits), uniform over their range, so a key's own top
/// bits pick its slot (open addressing, linear probing, load at most 1/2; keys that crowd into
/// a narrow range, which hashes do not, would make long probe runs). Each slot holds its
/// key and a reference to its documents (``_RecentSlot/head``).
///
/// **A key's one document in its slot.** Most keys of a band are filed once before the next
/// merge, so a slot holds its key's document itself while it is the only one (the head
/// −2 − document), and only a key's second document moves both into the entries: (document,
/// next) pairs in insertion order, prepended to their key's list. On 1,080,000 paragraphs
/// every band's entries held all 2¹⁷ documents of a merge's run (1 MiB a band, at the ceiling
/// of the time) where they now hold the repeated keys' only; an insert of a new key writes its
/// slot alone, and a lookup of it reads no entry.
///
/// **Eight bytes a slot.** A slot (``_RecentSlot``) holds the key's low 32 bits beside its list
/// head, so a probe reads one cache line; a table of keys wider than 32 bits keeps their high
/// words in a second array, read only when the low word matches. A shard of 32 key bits (a
/// ``Deduplicator`` keeping truncated signatures) thus takes 8 bytes a slot, where a 64-bit key
/// and a separate head took 12: at the 2¹⁷-entry ceiling of the time (2¹⁸ slots) 2 MiB a band
/// instead of 3 (1,080,000 paragraphs, 14 bands: 14.7 MB less). An entry's document and next
/// link share 8 bytes too (``_RecentEntry``), so following a list reads one line an entry.
///
/// **Slots in key order.** A key's home slot is a monotone function of the key, so the slots,
/// read in order, hold the keys nearly sorted: only a key pushed past its home by probing can
/// come after a larger one, and only the few keys that wrapped around the end sit at the start.
/// A merge into the compact layer takes the entries sorted (``sortedEntries``) in one pass
/// over the slots and a short fix-up, where sorting them by their top bits scattered them
/// through two arrays of up to 2²² counters; and doubling the slots moves each key forward to
/// about twice its slot.
///
/// A class so that lookups read it through a ``_RecentView`` of raw pointers (no reference
/// counting per query); the owning shard copies it before mutating it when another copy of the
/// shard shares it (``_PostingShard`` keeps value semantics).
final class _RecentPostings: @unchecked Sendable {
    // SAFETY: the buffers are allocated by the initializer and `grow*`, freed by `grow*` and
    // deinit; they are mutated only by `insert`, which the owning shard calls only on a
    // uniquely referenced object (never while a view of it is in use: views are taken by
    // readers, inserts happen under the engine's write lock or on a value nobody else reads).
    private(set) var slotCount: Int
    /// 64 − keyBits: a key shifted left by this has its top bit at bit 63.
    private let keyShift: UInt64
    /// Each slot's key (low 32 bits) and list head; a head of −1 marks an empty slot.
    private var slots: UnsafeMutablePointer<_RecentSlot>
    /// Each slot's key's high 32 bits, for keys wider than 32 bits; `nil` otherwise.
    private var slotHighs: UnsafeMutablePointer<UInt32>?
    private var entryCapacity: Int
    /// Each entry's document and the next entry of the same key (−1 ends the list).
    private var entries: UnsafeMutablePointer<_RecentEntry>
    /// Documents filed (the layer's entries, whether in a slot or in ``entries``).
    private(set) var entryCount = 0
    /// Places of ``entries`` used: the documents of keys filed more than once.
    private var listCount = 0
    /// Distinct keys.
    private(set) var keyCount = 0

    /// An empty layer of keys below 2^keyBits, with room for `expectedEntries` entries before
    /// it grows.
    init(keyBits: Int, expectedEntries: Int = 8) {
        precondition((1...64).contains(keyBits))
        keyShift = UInt64(64 - keyBits)
        slotCount = 16
        while slotCount < expectedEntries * 2 { slotCount *= 2 }
        (slots, slotHighs) = Self.emptySlots(slotCount, wide: keyBits > 32)
        entryCapacity = Swift.max(16, expectedEntries)
        entries = .allocate(capacity: entryCapacity)
    }

    /// A copy of `other`.
    init(copying other: _RecentPostings) {
        slotCount = other.slotCount
        keyShift = other.keyShift
        slots = .allocate(capacity: slotCount)
        slots.initialize(from: other.slots, count: slotCount)
        if let highs = other.slotHighs {
            slotHighs = .allocate(capacity: slotCount)
            slotHighs?.initialize(from: highs, count: slotCount)
        }
        entryCapacity = other.entryCapacity
        entries = .allocate(capacity: entryCapacity)
        entries.initialize(from: other.entries, count: other.listCount)
        entryCount = other.entryCount
        listCount = other.listCount
        keyCount = other.keyCount
    }

    deinit {
        slots.deallocate()
        slotHighs?.deallocate()
        entries.deallocate()
    }

    /// `count` empty slots, with their high words when keys are `wide` (over 32 bits).
    private static func emptySlots(_ count: Int, wide: Bool) -> (UnsafeMutablePointer<_RecentSlot>, UnsafeMutablePointer<UInt32>?) {
        let slots = UnsafeMutablePointer<_RecentSlot>.allocate(capacity: count)
        slots.initialize(repeating: _RecentSlot(low: 0, head: -1), count: count)
        guard wide else { return (slots, nil) }
        let highs = UnsafeMutablePointer<UInt32>.allocate(capacity: count)
        highs.initialize(repeating: 0, count: count)
        return (slots, highs)
    }

    /// Bytes held.
    var byteCount: Int { slotCount * (slotHighs == nil ? 8 : 12) + entryCapacity * 8 }

    /// A read-only view for lookups, valid until the next insert.
    var view: _RecentView {
        _RecentView(slotCount: slotCount, keyShift: keyShift, entryCount: entryCount, slots: slots, slotHighs: slotHighs, entries: entries)
    }

    /// Adds `document` to the list of `key`.
    ///
    /// - Returns: The head of `key`'s slot before (``_RecentSlot/empty`` if none): the documents
    ///   filed under `key` before this one, latest first, from
    ///   ``_RecentView/forEachDocument(fromEntry:_:)`` of a view taken after the insert.
    @discardableResult
    func insert(key: UInt64, document: Int32) -> Int32 {
        precondition(entryCount < Int(Int32.max) && document >= 0 && document < Int32.max, "too many postings")
        if (keyCount + 1) * 2 > slotCount { growSlots() }
        let slot = view.slot(of: key)
        // SAFETY: slot < slotCount; the entries written are below entryCapacity (grown below).
        let previous = slots[slot].head
        if previous == _RecentSlot.empty {
            slots[slot].low = UInt32(truncatingIfNeeded: key)
            slotHighs?[slot] = UInt32(truncatingIfNeeded: key >> 32)
            slots[slot].head = _RecentSlot.head(ofOnly: document)
            keyCount += 1
        } else {
            // A second document takes two entries (the first moves out of the slot), a later one one.
            if listCount + (previous < _RecentSlot.empty ? 2 : 1) > entryCapacity { growEntries() }
            var next = previous
            if previous < _RecentSlot.empty {
                // The key's one document moves from its slot into the entries.
                entries[listCount] = _RecentEntry(document: _RecentSlot.onlyDocument(ofHead: previous), next: -1)
                next = Int32(listCount)
                listCount += 1
            }
            entries[listCount] = _RecentEntry(document: document, next: next)
            slots[slot].head = Int32(listCount)
            listCount += 1
        }
        entryCount += 1
        return previous
    }

    /// Asks for the cache lines of `key`'s home slot, which an insert or lookup of `key` reads
    /// first (a hint: nothing changes).
    @inline(__always)
    func prefetchSlot(of key: UInt64) { view.prefetchSlot(of: key) }

    /// Every entry with its key, sorted by (key, document): the slots in order, each key's
    /// list reversed (a list is latest first), the keys that wrapped around the end of the
    /// slots moved to the end, then an insertion sort that mends the few keys probing pushed
    /// past larger ones.
    ///
    /// Two passes over the output buffer: the first reads the slots in order (a sequential
    /// scan) and writes each key with its list's head at the buffer's end; the second reads
    /// those back in order and writes each key's entries from the buffer's start. The second
    /// pass's loads of list heads do not depend on one another, so the processor overlaps them
    /// (and they are asked for ``prefetchDistance`` keys ahead), where one loop over the slots
    /// waited on each head behind a branch on whether its slot was filled. The second pass never
    /// overwrites a key it has not read: the entries written for the keys read so far exceed
    /// those keys' number by at most the entries beyond one a key, which is the gap between
    /// the two regions.
    ///
    /// - Complexity: O(slots + entries + displacements): linear for hash keys, whose probe
    ///   runs are short; keys crowding into a narrow range would make it quadratic.
    var sortedEntries: [_PostingEntry] {
        let view = view
        // One place more than the entries: pass 1 writes one past the last key. `_PostingEntry`
        // is a plain value (two integers), so places are written by assignment whether or not
        // they hold one, and the spare place needs no deinitializing.
        assert(_isPOD(_PostingEntry.self))
        return [_PostingEntry](uninitializedCapacity: entryCount &+ 1) { output, initialized in
            let base = output.baseAddress!
            // Pass 1: (key, head) of every key, in slot order, into the keyCount places before
            // the spare one; the keys that wrapped around the end of the slots (in the run of
            // occupied slots at the start, with a home after their slot) last.
            let heads = base + (entryCount &- keyCount)
            var headCount = 0
            var wrapped: [_PostingEntry] = []
            // SAFETY: slot < slotCount; headCount ≤ keyCount (one place per key with entries,
            // and the spare one after them).
            var slot = 0
            while slot < slotCount && slots[slot].head != _RecentSlot.empty {
                let entry = _PostingEntry(prefix: view.key(at: slot), document: UInt32(bitPattern: slots[slot].head))
                if view.home(of: entry.prefix) > slot {
                    wrapped.append(entry)
                } else {
                    (heads + headCount).initialize(to: entry)
                    headCount &+= 1
                }
                slot &+= 1
            }
            // Every slot written, the next place taken only by a filled one: no branch on a
            // slot's state, which is a coin toss. The write after the last key's lands on the
            // buffer's spare place at `entryCount`.
            while slot < slotCount {
                let head = slots[slot].head
                (heads + headCount).initialize(to: _PostingEntry(prefix: view.key(at: slot), document: UInt32(bitPattern: head)))
                headCount &+= head != _RecentSlot.empty ? 1 : 0
                slot &+= 1
            }
            for entry in wrapped {
                (heads + headCount).initialize(to: entry)
                headCount &+= 1
            }
            precondition(headCount == keyCount, "slots disagree with the key count")
            // Pass 2: each key's entries, documents increasing (its list reversed).
            var written = 0
            for index in 0..<headCount {
                // SAFETY: index + prefetchDistance is checked; every link was made by insert, so
                // entries are below listCount; `written` stays at or below the place read
                // (see above), and the slots and lists hold entryCount documents in all.
                if index &+ Self.prefetchDistance < headCount {
                    let ahead = Int(Int32(bitPattern: heads[index &+ Self.prefetchDistance].document))
                    if ahead >= 0 { simk_prefetch(entries + ahead) }
                }
                let key = heads[index].prefix
                let head = Int32(bitPattern: heads[index].document)
                if head < _RecentSlot.empty {
                    base[written] = _PostingEntry(prefix: key, document: UInt32(bitPattern: _RecentSlot.onlyDocument(ofHead: head)))
                    written &+= 1
                    continue
                }
                // A list in the entries holds two documents or more.
                var length = 0
                view.forEachDocument(fromEntry: head) { _ in length &+= 1 }
                var position = written &+ length
                view.forEachDocument(fromEntry: head) { document in
                    position &-= 1
                    base[position] = _PostingEntry(prefix: key, document: UInt32(bitPattern: document))
                }
                written &+= length
            }
            precondition(written == entryCount, "lists disagree with the entry count")
            initialized = written
            // The few keys probing pushed past larger ones, mended in place.
            for i in 1..<Swift.max(1, written) {
                let entry = base[i]
                var j = i
                while j > 0 && (entry.prefix, entry.document) < (base[j &- 1].prefix, base[j &- 1].document) {
                    base[j] = base[j &- 1]
                    j &-= 1
                }
                base[j] = entry
            }
        }
    }

    /// How many keys ahead ``sortedEntries`` asks for a list's first entry.
    private static let prefetchDistance = 16

    /// Calls `body` with every key that has entries, in slot order.
    func forEachKey(_ body: (UInt64) -> Void) {
        let view = view
        // SAFETY: slot < slotCount.
        for slot in 0..<slotCount where slots[slot].head != _RecentSlot.empty { body(view.key(at: slot)) }
    }

    /// Empties the layer and keeps its buffers, for the inserts after a merge: a shard's recent
    /// layer fills again to the same size (its merge threshold never falls), so buffers made
    /// anew would be grown back doubling after doubling, each step a new allocation, every key
    /// filed again and a free (on 1,080,000 paragraphs, 14 bands: 252 arrays of 1 to 2 MiB,
    /// 1.3% of the run's instructions).
    ///
    /// - Complexity: O(slots).
    func removeAll() {
        // SAFETY: the slots are initialized, plain values; entries past the count are never read.
        slots.update(repeating: _RecentSlot(low: 0, head: -1), count: slotCount)
        entryCount = 0
        listCount = 0
        keyCount = 0
    }

    /// Doubles the slots and re-files every key.
    private func growSlots() {
        let old = view
        let oldCount = slotCount
        let oldSlots = slots
        let oldHighs = slotHighs
        slotCount = oldCount * 2
        (slots, slotHighs) = Self.emptySlots(slotCount, wide: oldHighs != nil)
        let view = view
        // SAFETY: slot < oldCount, the old buffers' size; target < slotCount.
        for slot in 0..<oldCount where oldSlots[slot].head != _RecentSlot.empty {
            let target = view.slot(of: old.key(at: slot))
            slots[target] = oldSlots[slot]
            slotHighs?[target] = oldHighs?[slot] ?? 0
        }
        oldSlots.deallocate()
        oldHighs?.deallocate()
    }

    /// Doubles the entry array.
    private func growEntries() {
        let capacity = entryCapacity * 2
        let grown = UnsafeMutablePointer<_RecentEntry>.allocate(capacity: capacity)
        grown.moveInitialize(from: entries, count: listCount)
        entries.deallocate()
        entries = grown
        entryCapacity = capacity
    }
}

/// A slot of a ``_RecentPostings``: the low 32 bits of its key and its documents' reference.
struct _RecentSlot {
    var low: UInt32
    /// ``empty``; the key's only document d as −2 − d (``head(ofOnly:)``); or the first entry of
    /// the key's list (0 or more).
    var head: Int32

    /// The head of an empty slot.
    static let empty: Int32 = -1

    /// The head of a key whose only document is `document` (below `Int32.max`).
    @inline(__always)
    static func head(ofOnly document: Int32) -> Int32 { -2 &- document }

    /// The document of a head below ``empty`` (made by ``head(ofOnly:)``).
    @inline(__always)
    static func onlyDocument(ofHead head: Int32) -> Int32 { -2 &- head }
}

/// An entry of a ``_RecentPostings``: a document and the next entry filed under the same key
/// (the one filed before it; −1 ends the list).
struct _RecentEntry {
    var document: Int32
    var next: Int32
}

/// Raw pointers into a ``_RecentPostings`` for lookups without reference counting; valid while
/// the layer is alive and not mutated.
struct _RecentView {
    let mask: Int
    /// 64 − log₂(slot count): a key's top bits, shifted down by this, are its home slot.
    let homeShift: UInt64
    /// 64 − keyBits.
    let keyShift: UInt64
    let entryCount: Int
    let slots: UnsafePointer<_RecentSlot>
    /// The keys' high words, for keys wider than 32 bits.
    let slotHighs: UnsafePointer<UInt32>?
    let entries: UnsafePointer<_RecentEntry>

    init(
        slotCount: Int, keyShift: UInt64, entryCount: Int, slots: UnsafeMutablePointer<_RecentSlot>,
        slotHighs: UnsafeMutablePointer<UInt32>?, entries: UnsafeMutablePointer<_RecentEntry>
    ) {
        mask = slotCount - 1
        homeShift = UInt64(slotCount.leadingZeroBitCount + 1)
        self.keyShift = keyShift
        self.entryCount = entryCount
        self.slots = UnsafePointer(slots)
        self.slotHighs = slotHighs.map { UnsafePointer($0) }
        self.entries = UnsafePointer(entries)
    }

    /// The slot where probing for `key` starts: the top log₂(slot count) of its `keyBits` bits.
    @inline(__always)
    func home(of key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &<< keyShift) &>> homeShift)
    }

    /// Asks for the cache lines of `key`'s home slot (a hint: nothing changes).
    @inline(__always)
    func prefetchSlot(of key: UInt64) {
        let slot = home(of: key)
        // SAFETY: slot < slot count (a home slot), so the addresses lie in their buffers; a
        // prefetch reads nothing.
        simk_prefetch(slots + slot)
        if let slotHighs { simk_prefetch(slotHighs + slot) }
    }

    /// Asks for the cache lines of the first entry filed under `key`, whose slot should be in
    /// cache already (``prefetchSlot(of:)``; a hint: nothing changes).
    @inline(__always)
    func prefetchFirstEntry(withKey key: UInt64) {
        guard entryCount > 0 else { return }
        let head = slots[slot(of: key)].head
        guard head >= 0 else { return }
        // SAFETY: head is a list's first entry (made by insert); a prefetch reads nothing.
        simk_prefetch(entries + Int(head))
    }

    /// The key in a filled `slot` (below the slot count).
    @inline(__always)
    func key(at slot: Int) -> UInt64 {
        // SAFETY: slot < slot count, the size of both buffers.
        UInt64(slotHighs?[slot] ?? 0) &<< 32 | UInt64(slots[slot].low)
    }

    /// The slot holding `key`, or the empty slot where it would go (one exists: load ≤ 1/2).
    @inline(__always)
    func slot(of key: UInt64) -> Int {
        var slot = home(of: key)
        let low = UInt32(truncatingIfNeeded: key)
        // SAFETY: slot ≤ mask < slot count, the size of both buffers.
        if let slotHighs {
            let high = UInt32(truncatingIfNeeded: key &>> 32)
            while slots[slot].head != _RecentSlot.empty && (slots[slot].low != low || slotHighs[slot] != high) { slot = (slot &+ 1) & mask }
        } else {
            while slots[slot].head != _RecentSlot.empty && slots[slot].low != low { slot = (slot &+ 1) & mask }
        }
        return slot
    }

    /// Calls `body` with every document filed under `key`, latest first.
    @inline(__always)
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        guard entryCount > 0 else { return }
        forEachDocument(fromEntry: slots[slot(of: key)].head, body)
    }

    /// Calls `body` with the documents of a slot's head `entry` (``_RecentSlot/head``): its key's
    /// only document, or the document of the entry and of every entry after it on its key's
    /// list (filed before it), latest first; nothing for ``_RecentSlot/empty``.
    @inline(__always)
    func forEachDocument(fromEntry entry: Int32, _ body: (Int32) -> Void) {
        if entry < _RecentSlot.empty {
            body(_RecentSlot.onlyDocument(ofHead: entry))
            return
        }
        var entry = entry
        while entry >= 0 {
            // SAFETY: entry is below the entries used (every link was made by insert).
            let filed = entries[Int(entry)]
            body(filed.document)
            entry = filed.next
        }
    }
}
