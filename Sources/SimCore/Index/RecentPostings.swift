internal import CSimKernels

/// The mutable layer of an LSH shard's postings (``_PostingShard``): a small hash multimap from
/// key prefixes to document numbers in memory it owns, for the inserts made since the last
/// merge into the compact layer.
///
/// Keys are hashes (or their top bits), so a key's low bits pick its slot (open addressing,
/// linear probing, load at most 1/2). Each slot holds its key and the first entry of its list;
/// entries are (document, next) pairs in insertion order, prepended to their key's list.
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
    private var slotKeys: UnsafeMutablePointer<UInt64>
    /// The first entry of each slot's list; −1 marks an empty slot.
    private var slotHeads: UnsafeMutablePointer<Int32>
    private var entryCapacity: Int
    private var entryDocuments: UnsafeMutablePointer<Int32>
    /// The next entry of the same key; −1 ends the list.
    private var entryNext: UnsafeMutablePointer<Int32>
    /// Entries.
    private(set) var entryCount = 0
    /// Distinct keys.
    private(set) var keyCount = 0

    /// An empty layer with room for `expectedEntries` entries before it grows.
    init(expectedEntries: Int = 8) {
        slotCount = 16
        while slotCount < expectedEntries * 2 { slotCount *= 2 }
        slotKeys = .allocate(capacity: slotCount)
        slotKeys.initialize(repeating: 0, count: slotCount)
        slotHeads = .allocate(capacity: slotCount)
        slotHeads.initialize(repeating: -1, count: slotCount)
        entryCapacity = Swift.max(16, expectedEntries)
        entryDocuments = .allocate(capacity: entryCapacity)
        entryNext = .allocate(capacity: entryCapacity)
    }

    /// A copy of `other`.
    init(copying other: _RecentPostings) {
        slotCount = other.slotCount
        slotKeys = .allocate(capacity: slotCount)
        slotKeys.initialize(from: other.slotKeys, count: slotCount)
        slotHeads = .allocate(capacity: slotCount)
        slotHeads.initialize(from: other.slotHeads, count: slotCount)
        entryCapacity = other.entryCapacity
        entryDocuments = .allocate(capacity: entryCapacity)
        entryDocuments.initialize(from: other.entryDocuments, count: other.entryCount)
        entryNext = .allocate(capacity: entryCapacity)
        entryNext.initialize(from: other.entryNext, count: other.entryCount)
        entryCount = other.entryCount
        keyCount = other.keyCount
    }

    deinit {
        slotKeys.deallocate()
        slotHeads.deallocate()
        entryDocuments.deallocate()
        entryNext.deallocate()
    }

    /// Bytes held.
    var byteCount: Int { slotCount * 12 + entryCapacity * 8 }

    /// A read-only view for lookups, valid until the next insert.
    var view: _RecentView {
        _RecentView(
            mask: slotCount - 1, entryCount: entryCount, slotKeys: slotKeys, slotHeads: slotHeads,
            entryDocuments: entryDocuments, entryNext: entryNext)
    }

    /// Adds `document` to the list of `key`.
    ///
    /// - Returns: The entry that headed `key`'s list before (−1 if none): the documents filed
    ///   under `key` before this one, latest first, from ``_RecentView/forEachDocument(fromEntry:_:)``
    ///   of a view taken after the insert.
    @discardableResult
    func insert(key: UInt64, document: Int32) -> Int32 {
        precondition(entryCount < Int(Int32.max), "too many postings")
        if (keyCount + 1) * 2 > slotCount { growSlots() }
        if entryCount == entryCapacity { growEntries() }
        let slot = view.slot(of: key)
        let entry = Int32(entryCount)
        // SAFETY: entryCount < entryCapacity (grown above); slot < slotCount.
        let previous = slotHeads[slot]
        entryDocuments[entryCount] = document
        entryNext[entryCount] = previous
        if previous < 0 {
            slotKeys[slot] = key
            keyCount += 1
        }
        slotHeads[slot] = entry
        entryCount += 1
        return previous
    }

    /// Asks for the cache lines of `key`'s home slot, which an insert or lookup of `key` reads
    /// first (a hint: nothing changes).
    @inline(__always)
    func prefetchSlot(of key: UInt64) {
        let slot = Int(truncatingIfNeeded: key) & (slotCount &- 1)
        // SAFETY: slot < slotCount; a prefetch reads nothing.
        simk_prefetch(slotHeads + slot)
        simk_prefetch(slotKeys + slot)
    }

    /// Every entry with its key, in insertion order.
    var entriesInInsertionOrder: [_PostingEntry] {
        var keyOfEntry = [UInt64](repeating: 0, count: entryCount)
        for slot in 0..<slotCount where slotHeads[slot] >= 0 {
            var entry = slotHeads[slot]
            while entry >= 0 {
                keyOfEntry[Int(entry)] = slotKeys[slot]
                entry = entryNext[Int(entry)]
            }
        }
        return (0..<entryCount).map { _PostingEntry(prefix: keyOfEntry[$0], document: UInt32(entryDocuments[$0])) }
    }

    /// Doubles the slots and re-files every key.
    /// Calls `body` with every key that has entries, in slot order.
    func forEachKey(_ body: (UInt64) -> Void) {
        // SAFETY: slot < slotCount.
        for slot in 0..<slotCount where slotHeads[slot] >= 0 { body(slotKeys[slot]) }
    }

    private func growSlots() {
        let oldCount = slotCount
        let oldKeys = slotKeys
        let oldHeads = slotHeads
        slotCount = oldCount * 2
        slotKeys = .allocate(capacity: slotCount)
        slotKeys.initialize(repeating: 0, count: slotCount)
        slotHeads = .allocate(capacity: slotCount)
        slotHeads.initialize(repeating: -1, count: slotCount)
        let view = view
        for slot in 0..<oldCount where oldHeads[slot] >= 0 {
            let target = view.slot(of: oldKeys[slot])
            slotKeys[target] = oldKeys[slot]
            slotHeads[target] = oldHeads[slot]
        }
        oldKeys.deallocate()
        oldHeads.deallocate()
    }

    /// Doubles the entry arrays.
    private func growEntries() {
        let capacity = entryCapacity * 2
        let documents = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        documents.moveInitialize(from: entryDocuments, count: entryCount)
        entryDocuments.deallocate()
        entryDocuments = documents
        let next = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        next.moveInitialize(from: entryNext, count: entryCount)
        entryNext.deallocate()
        entryNext = next
        entryCapacity = capacity
    }
}

/// Raw pointers into a ``_RecentPostings`` for lookups without reference counting; valid while
/// the layer is alive and not mutated.
struct _RecentView {
    let mask: Int
    let entryCount: Int
    let slotKeys: UnsafePointer<UInt64>
    let slotHeads: UnsafePointer<Int32>
    let entryDocuments: UnsafePointer<Int32>
    let entryNext: UnsafePointer<Int32>

    init(
        mask: Int, entryCount: Int, slotKeys: UnsafeMutablePointer<UInt64>, slotHeads: UnsafeMutablePointer<Int32>,
        entryDocuments: UnsafeMutablePointer<Int32>, entryNext: UnsafeMutablePointer<Int32>
    ) {
        self.mask = mask
        self.entryCount = entryCount
        self.slotKeys = UnsafePointer(slotKeys)
        self.slotHeads = UnsafePointer(slotHeads)
        self.entryDocuments = UnsafePointer(entryDocuments)
        self.entryNext = UnsafePointer(entryNext)
    }

    /// The slot holding `key`, or the empty slot where it would go (one exists: load ≤ 1/2).
    @inline(__always)
    func slot(of key: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: key) & mask
        // SAFETY: slot ≤ mask < slot count.
        while slotHeads[slot] >= 0 && slotKeys[slot] != key { slot = (slot &+ 1) & mask }
        return slot
    }

    /// Calls `body` with every document filed under `key`, latest first.
    @inline(__always)
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        guard entryCount > 0 else { return }
        forEachDocument(fromEntry: slotHeads[slot(of: key)], body)
    }

    /// Calls `body` with the document of `entry` and of every entry after it on its key's list
    /// (filed before it), latest first; nothing for −1.
    @inline(__always)
    func forEachDocument(fromEntry entry: Int32, _ body: (Int32) -> Void) {
        var entry = entry
        while entry >= 0 {
            // SAFETY: entry < entryCount (every link was made by insert).
            body(entryDocuments[Int(entry)])
            entry = entryNext[Int(entry)]
        }
    }
}
