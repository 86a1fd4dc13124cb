import SimCore
internal import CSimKernels

/// The ids `simdedup dedupe` has accepted but its engine may not have filed yet: those of the
/// batch being read and of the two batches handed over before it
/// (``Deduplicator/insert(batchesFrom:threads:results:)`` files a batch while the next ones
/// are read and prepared).
///
/// Two generations of two batches each: ``startBatch()`` clears the older generation and makes
/// it the current one every second batch, so the current and the older one together always
/// hold the batch being read and at least the two before it. Each generation is an
/// open-addressing table keyed by the id's XXH3 hash (each slot keeps the hash's top 32 bits
/// beside the entry number, so a probe reads one slot, and the entry's whole hash and text only
/// when those bits agree): one hash per lookup for both generations, where a `[String: Int]` per
/// batch hashed the text again with SipHash in each.
/// Memory stays bounded (4 batches of ids) however long a streaming run; tables are reused.
/// They start small and double as ids arrive, so a short run does not clear (and fault in)
/// tables sized for the largest batches: that was 4% of a one-document run's start.
///
/// ```swift
/// var recent = RecentIDs()
/// recent.startBatch()
/// recent.insert(RecentIDs.Key("a"), document: 0)
/// recent.document(withID: RecentIDs.Key("a"))   // 0
/// recent.document(withID: RecentIDs.Key("b"))   // nil
/// ```
struct RecentIDs {
    /// An id and its hash, computed once for a lookup and the insert that may follow it.
    struct Key {
        /// The id's text.
        let text: String
        /// XXH3 of its UTF-8 bytes: the hash the engine files ids under, so the same value
        /// serves ``Deduplicator/document(withID:idHash:)``.
        let hash: UInt64

        /// The key of `text`.
        init(_ text: String) {
            self.text = text
            var bytes = text
            hash = bytes.withUTF8 { XXH3.hash64(UnsafeRawBufferPointer($0)) }
        }

        /// A key with a chosen hash, for tests of colliding hashes.
        static func _withHash(_ text: String, _ hash: UInt64) -> Key { Key(text: text, hash: hash) }

        private init(text: String, hash: UInt64) {
            self.text = text
            self.hash = hash
        }
    }

    /// One generation: entries in insertion order and their table.
    private struct Generation {
        var texts: [String] = []
        var hashes: [UInt64] = []
        var documents: [Int] = []
        /// By hash: the hash's top 32 bits above entry number + 1, 0 empty; at least twice the
        /// entries a generation holds. A probe reads one slot and, only when its top bits agree,
        /// the entry (a probe for a new id, the usual one, touches no entry).
        var slots: [UInt64]

        init(slotCount: Int) {
            slots = [UInt64](repeating: 0, count: slotCount)
        }

        /// The bits of a hash that a slot keeps beside the entry number.
        static let tagMask: UInt64 = 0xFFFF_FFFF_0000_0000

        /// The slot value of entry `entry` (below 2³² − 1) with hash `hash`.
        @inline(__always)
        static func slotValue(entry: Int, hash: UInt64) -> UInt64 {
            hash & tagMask | UInt64(truncatingIfNeeded: entry &+ 1)
        }

        /// The document of `text`, or the empty slot its probe ends at.
        func find(_ text: String, hash: UInt64) -> (document: Int?, emptySlot: Int) {
            let mask = slots.count - 1
            let tag = hash & Self.tagMask
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let value = slots[slot]
                if value == 0 { return (nil, slot) }
                if value & Self.tagMask == tag {
                    let entry = Int(truncatingIfNeeded: value & ~Self.tagMask) &- 1
                    if hashes[entry] == hash && texts[entry] == text { return (documents[entry], slot) }
                }
                slot = (slot + 1) & mask
            }
        }

        /// Asks for the cache line of the home slot of `hash` (a hint: nothing changes).
        func prefetch(hash: UInt64) {
            slots.withUnsafeBufferPointer { slots in
                // SAFETY: the slot is masked below slots.count (a power of two); a prefetch
                // reads nothing.
                simk_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
            }
        }

        /// Files `key` as the id of `document` unless this generation has it; doubles the
        /// slots past half full.
        mutating func insert(_ key: Key, document: Int) {
            if (texts.count + 1) * 2 > slots.count {
                slots = [UInt64](repeating: 0, count: slots.count * 2)
                let mask = slots.count - 1
                for entry in hashes.indices {
                    var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
                    while slots[slot] != 0 { slot = (slot + 1) & mask }
                    slots[slot] = Self.slotValue(entry: entry, hash: hashes[entry])
                }
            }
            let found = find(key.text, hash: key.hash)
            guard found.document == nil else { return }
            // Entry numbers fit the slot's low 32 bits beside the tag (0 is an empty slot).
            precondition(texts.count < Int(UInt32.max) - 1, "a generation holds fewer than 2³² − 2 ids")
            slots[found.emptySlot] = Self.slotValue(entry: texts.count, hash: key.hash)
            texts.append(key.text)
            hashes.append(key.hash)
            documents.append(document)
        }

        mutating func removeAll() {
            texts.removeAll(keepingCapacity: true)
            hashes.removeAll(keepingCapacity: true)
            documents.removeAll(keepingCapacity: true)
            for slot in slots.indices { slots[slot] = 0 }
        }
    }

    /// Batches a generation holds.
    private static let batchesPerGeneration = 2
    private var current: Generation
    private var older: Generation
    /// Batches started in `current`.
    private var batchesInCurrent = 0

    /// Empty tables of 16 slots each, which double as ids are filed.
    init() {
        current = Generation(slotCount: 16)
        older = Generation(slotCount: 16)
    }

    /// Begins a batch: every second call, the older generation (batches filed by now) is
    /// cleared and becomes the current one.
    mutating func startBatch() {
        if batchesInCurrent == Self.batchesPerGeneration {
            swap(&current, &older)
            current.removeAll()
            batchesInCurrent = 0
        }
        batchesInCurrent += 1
    }

    /// Asks for the slots where ``document(withID:)`` and ``insert(_:document:)`` will look
    /// for an id of hash `hash`, in both generations (a hint: nothing changes). Mutating only
    /// so that a caller's captured table is used in place, not copied.
    mutating func prefetch(hash: UInt64) {
        current.prefetch(hash: hash)
        older.prefetch(hash: hash)
    }

    /// The document of this batch or of the last two (at least) with id `key`, or `nil`.
    ///
    /// - Complexity: O(id length) expected.
    func document(withID key: Key) -> Int? {
        current.find(key.text, hash: key.hash).document ?? older.find(key.text, hash: key.hash).document
    }

    /// Files `key` as the id of `document`, unless the current generation has it already.
    ///
    /// Each generation's table keeps at least twice the slots of its ids and never shrinks
    /// (with `--boilerplate auto` every document is read in one batch, and held).
    mutating func insert(_ key: Key, document: Int) {
        current.insert(key, document: document)
    }
}
