import SimCoreInternals

/// A compact multimap from 64-bit keys to 32-bit document numbers: the postings of one shard
/// of an LSH index (one band, or one band of one level).
///
/// Keys are hashes already, so a key's low bits pick its slot directly (open addressing,
/// linear probing, load at most 5/8). Each slot holds its key and the first entry of its
/// posting list; entries are two parallel `Int32` arrays (document, next). A batch build sorts
/// the (key, document) pairs first, so each key's documents sit contiguously, in increasing
/// order; later inserts are prepended to their key's list.
///
/// Memory: about 8 bytes per entry plus 19 bytes per distinct key at the table's lowest load.
struct _PostingTable: Sendable {
    private(set) var slotKeys: [UInt64]
    /// The first entry of each slot's list; -1 marks an empty slot.
    private(set) var slotHeads: [Int32]
    private(set) var entryDocuments: [Int32] = []
    /// The next entry of the same key; -1 ends the list.
    private(set) var entryNext: [Int32] = []
    private(set) var keyCount = 0

    init(minimumKeyCapacity: Int = 8) {
        var capacity = 16
        while capacity * 5 < minimumKeyCapacity * 8 { capacity *= 2 }
        slotKeys = [UInt64](repeating: 0, count: capacity)
        slotHeads = [Int32](repeating: -1, count: capacity)
    }

    /// Builds a table from one key per document of `documents`, each key's documents contiguous.
    ///
    /// - Parameters:
    ///   - keys: `keys[i]` is the key of document `documents[i]`.
    ///   - documents: Document numbers, increasing.
    init(keys: UnsafeBufferPointer<UInt64>, documents: UnsafeBufferPointer<Int32>) {
        precondition(keys.count == documents.count)
        var pairs = [(key: UInt64, document: Int32)]()
        pairs.reserveCapacity(keys.count)
        for i in 0..<keys.count { pairs.append((keys[i], documents[i])) }
        pairs.sort { ($0.key, $0.document) < ($1.key, $1.document) }
        var distinct = 0
        for i in pairs.indices where i == 0 || pairs[i].key != pairs[i - 1].key { distinct += 1 }
        self.init(minimumKeyCapacity: distinct)
        entryDocuments = pairs.map(\.document)
        entryNext = [Int32](repeating: -1, count: pairs.count)
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count && pairs[end].key == pairs[start].key { end += 1 }
            for i in start..<(end - 1) { entryNext[i] = Int32(i + 1) }
            let slot = findSlot(pairs[start].key)
            slotKeys[slot] = pairs[start].key
            slotHeads[slot] = Int32(start)
            keyCount += 1
            start = end
        }
    }

    /// The number of (key, document) entries.
    var entryCount: Int { entryDocuments.count }

    /// Bytes held by the table's arrays.
    var byteCount: Int { slotKeys.count * 12 + entryDocuments.count * 8 }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func findSlot(_ key: UInt64) -> Int {
        let mask = slotKeys.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while slotHeads[slot] >= 0 && slotKeys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    /// Adds `document` to the list of `key`.
    mutating func insert(key: UInt64, document: Int32) {
        precondition(entryDocuments.count < Int(Int32.max), "too many postings")
        if (keyCount + 1) * 8 > slotKeys.count * 5 { grow() }
        let slot = findSlot(key)
        let entry = Int32(entryDocuments.count)
        entryDocuments.append(document)
        entryNext.append(slotHeads[slot])
        if slotHeads[slot] < 0 {
            slotKeys[slot] = key
            keyCount += 1
        }
        slotHeads[slot] = entry
    }

    /// Calls `body` with every document filed under `key`.
    @inline(__always)
    func forEachDocument(withKey key: UInt64, _ body: (Int32) -> Void) {
        slotKeys.withUnsafeBufferPointer { keys in
            slotHeads.withUnsafeBufferPointer { heads in
                let mask = keys.count - 1
                var slot = Int(truncatingIfNeeded: key) & mask
                while heads[slot] >= 0 && keys[slot] != key { slot = (slot + 1) & mask }
                var entry = heads[slot]
                guard entry >= 0 else { return }
                entryDocuments.withUnsafeBufferPointer { documents in
                    entryNext.withUnsafeBufferPointer { next in
                        while entry >= 0 {
                            body(documents[Int(entry)])
                            entry = next[Int(entry)]
                        }
                    }
                }
            }
        }
    }

    /// Doubles the slot array and re-files every key.
    private mutating func grow() {
        let oldKeys = slotKeys
        let oldHeads = slotHeads
        slotKeys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        slotHeads = [Int32](repeating: -1, count: oldKeys.count * 2)
        for slot in oldKeys.indices where oldHeads[slot] >= 0 {
            let target = findSlot(oldKeys[slot])
            slotKeys[target] = oldKeys[slot]
            slotHeads[target] = oldHeads[slot]
        }
    }
}

extension _PostingTable {
    /// The chained table of `shard`'s postings, as format-1 index files and format-2 state
    /// files held each band (whole keys when the shard keeps 64 key bits).
    init(_ shard: _PostingShard) {
        let entries = shard.sortedEntries
        let keys = entries.map(\.prefix)
        let documents = entries.map { Int32($0.document) }
        self = keys.withUnsafeBufferPointer { keys in documents.withUnsafeBufferPointer { _PostingTable(keys: keys, documents: $0) } }
    }

    /// Appends the table's arrays to `writer`.
    func write(to writer: inout _BinaryWriter) {
        writer.write(UInt64(keyCount))
        writer.write(array: slotKeys)
        writer.write(array: slotHeads)
        writer.write(array: entryDocuments)
        writer.write(array: entryNext)
    }

    /// Reads a table written by ``write(to:)``, checking it whole (``_checkInvariants(documentLimit:)``)
    /// so that a bad file cannot make a query loop, miss a key or read out of bounds.
    ///
    /// - Parameter documentLimit: Document numbers must be below this.
    /// - Throws: ``IndexFileError/corrupt(_:)``.
    init(reading reader: inout _BinaryReader, documentLimit: Int) throws {
        let limit = Int(Int32.max)
        let keys = try reader.readInt(in: 0...limit, "posting key count")
        slotKeys = try reader.readArray(UInt64.self, limit: limit)
        slotHeads = try reader.readArray(Int32.self, limit: limit)
        entryDocuments = try reader.readArray(Int32.self, limit: limit)
        entryNext = try reader.readArray(Int32.self, limit: limit)
        keyCount = keys
        try _checkInvariants(documentLimit: documentLimit)
    }

    /// Checks everything queries and inserts rely on, in O(slots + entries log entries):
    /// - the slot array is a power of two (at least 16) long, with one head per slot, and at
    ///   least one empty slot (so probing ends);
    /// - ``keyCount`` is the number of occupied slots, and no key occupies two;
    /// - every key sits where probing from its home slot finds it, with no empty slot between;
    /// - every entry names a document below `documentLimit` and links inside the entry array;
    /// - each entry is on exactly one list, reached once: no cycle, no two lists sharing a tail,
    ///   no entry that no key reaches.
    ///
    /// - Parameter documentLimit: Document numbers must be below this.
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    func _checkInvariants(documentLimit: Int) throws(IndexFileError) {
        let slots = slotKeys.count
        guard slots >= 16, slots & (slots - 1) == 0, slotHeads.count == slots,
              entryNext.count == entryDocuments.count, entryDocuments.count < Int(Int32.max) else {
            throw .corrupt("posting table shape")
        }
        let entries = entryDocuments.count
        var used = 0
        for head in slotHeads where head >= 0 {
            guard Int(head) < entries else { throw .corrupt("posting head out of range") }
            used += 1
        }
        guard used == keyCount, used < slots else { throw .corrupt("posting key count") }
        // Probing from a key's home slot walks occupied slots only, so the key must lie within
        // the run of occupied slots that ends at it. `run` is that run's length, counted from
        // an empty slot (one exists: used < slots).
        let mask = slots - 1
        let firstEmpty = slotHeads.firstIndex { $0 < 0 }!
        var run = 0
        for step in 1...slots {
            let slot = (firstEmpty + step) & mask
            guard slotHeads[slot] >= 0 else {
                run = 0
                continue
            }
            run += 1
            let home = Int(truncatingIfNeeded: slotKeys[slot]) & mask
            guard (slot - home) & mask < run else { throw .corrupt("posting key out of its probe sequence") }
        }
        var keys = slotKeys.indices.filter { slotHeads[$0] >= 0 }.map { slotKeys[$0] }
        keys.sort()
        for i in keys.indices.dropFirst() where keys[i] == keys[i - 1] { throw .corrupt("posting key filed twice") }
        for (document, next) in zip(entryDocuments, entryNext) {
            guard document >= 0, Int(document) < documentLimit, next >= -1, Int(next) < entries else {
                throw .corrupt("posting entry out of range")
            }
        }
        var seen = [Bool](repeating: false, count: entries)
        var reached = 0
        for head in slotHeads where head >= 0 {
            var entry = head
            while entry >= 0 {
                guard !seen[Int(entry)] else { throw .corrupt("posting lists cycle or share entries") }
                seen[Int(entry)] = true
                reached += 1
                entry = entryNext[Int(entry)]
            }
        }
        guard reached == entries else { throw .corrupt("posting entries that no key reaches") }
    }
}
