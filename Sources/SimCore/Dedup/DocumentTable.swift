internal import CSimKernels
import SimCoreInternals

/// What a deduplicator keeps of each document besides its signature: its id (all ids in one
/// UTF-8 buffer, held once), its length in bytes (which picks a cluster's representative), and
/// a hash index from each distinct id to the first document that has it.
///
/// The index holds document numbers (4 bytes a slot, at most three quarters of the slots
/// used) and one tag byte a slot, never a second copy of the ids: a lookup hashes the id
/// (XXH3), walks the tags from the hash's slot, and compares bytes in ``idBytes`` only where a
/// tag equals the id's (1 in 255 of the other ids), so a lookup of an id the table lacks, which
/// is what a caller refusing repeated ids does for almost every document, reads the tag bytes
/// alone: about 8.5 of them, a few bytes of one cache line, at the fullest (linear probing's
/// ½(1 + 1/(1 − α)²) at α = 3/4). Slots at most half full took 1.5 times the memory on
/// average, and twice at 1,080,000 documents (19.4 bytes a document instead of 9.7).
/// Only an id's first document is filed, so many documents sharing one id (the library's
/// default id is empty) cost nothing and never lengthen a probe.
///
/// Ends and lengths are kept in 32 bits (8 bytes a document together, where two `Int`s took
/// 16): an id's end modulo 2³², with the documents where the ends pass each further 4 GiB
/// listed apart (``idEndCarries``), and a length below 2³² − 1 as itself, a longer one in
/// ``farLengths``. Both are paged (``PagedColumn``): they grow a page at a time, never doubling.
struct _DocumentTable: Sendable {
    /// Every id's UTF-8 bytes, back to back.
    private(set) var idBytes: [UInt8] = []
    /// `idEnds[i]` is the end of document i's id in ``idBytes``, modulo 2^``idEndBits``.
    private var idEnds = PagedColumn<UInt32>()
    /// The first document whose id ends at or past each multiple of 2^``idEndBits`` (the
    /// second multiple's after the first's), which ``idEnd(of:)`` adds back: empty below 4 GiB
    /// of ids.
    private var idEndCarries: [Int] = []
    /// Bits of an id end kept in ``idEnds``: 32 (fewer only in tests, which cross the carries
    /// with small ids).
    private let idEndBits: Int
    /// Each document's UTF-8 length, or ``UInt32/max`` for one of 2³² − 1 bytes or more, kept
    /// in ``farLengths``.
    private var lengths = PagedColumn<UInt32>()
    /// The lengths of 2³² − 1 bytes or more, by document.
    private var farLengths: [Int: Int] = [:]
    /// Open addressing by XXH3 of the id: the first document of each distinct id; -1 is empty.
    private var idSlots = [Int32](repeating: -1, count: 16)
    /// One byte per slot of ``idSlots``: 0 where it is empty, the ``_idTag(_:)`` of its
    /// document's id hash where it is not.
    private var idTags = [UInt8](repeating: 0, count: 16)
    /// Distinct ids filed in ``idSlots``.
    private var distinctIDs = 0

    /// An empty table; `idEndBits` below 32 (tests only) keeps fewer bits of each id end, so
    /// that small ids cross the carries.
    init(idEndBits: Int = 32) {
        precondition((1...32).contains(idEndBits), "id ends keep 1 to 32 bits")
        self.idEndBits = idEndBits
    }

    /// The number of documents.
    var count: Int { idEnds.count }

    /// Bytes held (ids and the id index included).
    var byteCount: Int {
        idBytes.count + idEnds.byteCount + idEndCarries.count * 8 + lengths.byteCount + farLengths.count * 16
            + idSlots.count * 5
    }

    /// Document `document`'s UTF-8 length.
    @inline(__always)
    func length(of document: Int) -> Int {
        let length = lengths[document]
        return length == .max ? farLength(of: document) : Int(length)
    }

    /// The length of a document of 2³² − 1 bytes or more.
    @inline(never)
    private func farLength(of document: Int) -> Int { farLengths[document, default: 0] }

    /// Appends the end of the id just appended to ``idBytes`` and `length`, the length of its
    /// document.
    @inline(__always)
    private mutating func appendEnd(length: Int) {
        let end = idBytes.count
        while end >> idEndBits > idEndCarries.count { idEndCarries.append(idEnds.count) }
        idEnds.append(UInt32(truncatingIfNeeded: end & ((1 << idEndBits) - 1)))
        if length >= Int(UInt32.max) {
            farLengths[lengths.count] = length
            lengths.append(.max)
        } else {
            lengths.append(UInt32(length))
        }
    }

    /// Where document `document`'s id ends in ``idBytes``.
    @inline(__always)
    private func idEnd(of document: Int) -> Int {
        let low = Int(idEnds[document])
        return idEndCarries.isEmpty ? low : low + carried(before: document)
    }

    /// What the carries at or before `document` add to its id's end (past 4 GiB of ids only).
    @inline(never)
    private func carried(before document: Int) -> Int {
        var lower = 0
        var upper = idEndCarries.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if idEndCarries[middle] <= document { lower = middle + 1 } else { upper = middle }
        }
        return lower << idEndBits
    }

    /// Appends a prepared batch's ids and lengths, in its row order: the ids and lengths first,
    /// then each id is filed with the slots of the ids ``idPrefetchDistance`` rows on asked
    /// for, so that the cache misses of the probes (the slots of a million documents span
    /// 10 MB) overlap instead of queueing one per document.
    mutating func append(_ batch: _PreparedBatch) {
        let first = count
        for row in 0..<batch.count {
            idBytes.append(contentsOf: batch.ids[row].utf8)
            appendEnd(length: batch.byteCounts[row])
        }
        let hashes = (first..<count).map { idHash(of: $0) }
        for row in 0..<batch.count {
            let ahead = row &+ Self.idPrefetchDistance
            if ahead < hashes.count { prefetchSlot(of: hashes[ahead]) }
            fileID(of: first &+ row, hash: hashes[row])
        }
    }

    /// How many rows ahead ``append(_:)`` and ``growSlots(refiling:)`` ask for an id's slot.
    private static let idPrefetchDistance = 8

    /// Asks for the cache lines of the home slot of an id hash (a hint: nothing changes).
    func prefetchSlot(of hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash) & (idSlots.count &- 1)
        // SAFETY: slot < idSlots.count == idTags.count, so both addresses lie in their arrays;
        // a prefetch reads nothing.
        idTags.withUnsafeBufferPointer { simk_prefetch($0.baseAddress! + slot) }
        idSlots.withUnsafeBufferPointer { simk_prefetch($0.baseAddress! + slot) }
    }

    /// Adds one document.
    mutating func append(id: String, byteCount: Int) {
        idBytes.append(contentsOf: id.utf8)
        appendEnd(length: byteCount)
        fileID(of: idEnds.count - 1, hash: idHash(of: idEnds.count - 1))
    }

    /// Makes room for `more` documents with `moreIDBytes` bytes of ids, so that appending them
    /// copies no array as it grows (a loader knows both; at ten million documents the doubling
    /// copies and their fresh pages were a tenth of loading). The ends and lengths grow by pages
    /// and need no room; the id index still grows as distinct ids arrive: how many of the ids
    /// are distinct is not known.
    mutating func reserveCapacity(documents more: Int, idBytes moreIDBytes: Int) {
        idBytes.reserveCapacity(idBytes.count + moreIDBytes)
    }

    /// Calls `body` with each id's length in bytes, in document order.
    func forEachIDLength(_ body: (Int) -> Void) {
        var start = 0
        for document in 0..<count {
            let end = idEnd(of: document)
            body(end - start)
            start = end
        }
    }

    /// The id of document `document`.
    func id(of document: Int) -> String {
        String(decoding: idBytes[idRange(of: document)], as: UTF8.self)
    }

    /// Appends the ids of `documents`, as UTF-8 bytes, to `bytes`, and where each ends in
    /// `bytes` to `ends` (the ids read in place: a slice per id retained the id storage).
    func appendIDs(of documents: [Int], to bytes: inout [UInt8], ends: inout [Int]) {
        idBytes.withUnsafeBufferPointer { ids in
            // SAFETY: a document's id range lies in idBytes (idEnds are offsets into it); the
            // slice is checked in debug builds.
            for document in documents {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: ids[idRange(of: document)]))
                ends.append(bytes.count)
            }
        }
    }

    /// Whether document `a`'s id precedes `b`'s in byte-wise UTF-8 order.
    func idPrecedes(_ a: Int, _ b: Int) -> Bool {
        idBytes[idRange(of: a)].lexicographicallyPrecedes(idBytes[idRange(of: b)])
    }

    /// The first document whose id is `id` (byte for byte), or `nil`.
    ///
    /// - Complexity: O(id length) expected.
    func firstDocument(withID id: String) -> Int? {
        var id = id
        return id.withUTF8 { wanted in
            let bytes = UnsafeRawBufferPointer(wanted)
            return firstDocument(withID: bytes, hash: Self.idHash(bytes))
        }
    }

    /// The first document whose id is `id`, given its ``idHash(_:)`` (which a caller can
    /// compute before taking a lock), or `nil`.
    ///
    /// - Complexity: O(id length) expected.
    @inline(__always)
    func firstDocument(withID id: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
        probe(for: id, hash: hash).document
    }

    /// The hash an id is filed under: XXH3 of its UTF-8 bytes.
    static func idHash(_ id: UnsafeRawBufferPointer) -> UInt64 { XXH3.hash64(id) }

    /// The tag byte of an id hash: its top byte, 1 in place of 0 (0 marks an empty slot).
    @inline(__always)
    static func _idTag(_ hash: UInt64) -> UInt8 {
        let top = UInt8(truncatingIfNeeded: hash &>> 56)
        return top == 0 ? 1 : top
    }

    /// Walks the probe of `hash` (the XXH3 of `wanted`): the filed document whose id is
    /// `wanted`, or the empty slot that ends the probe.
    ///
    /// Tags are compared first; ids only where a tag matches.
    ///
    /// - Complexity: O(id length) expected.
    @inline(__always)
    private func probe(for wanted: UnsafeRawBufferPointer, hash: UInt64) -> (document: Int?, emptySlot: Int) {
        let tag = Self._idTag(hash)
        return idTags.withUnsafeBufferPointer { tags in
            // SAFETY: `tags` has `idSlots.count` entries, a power of two, so `slot & mask` stays
            // inside it; at most three quarters are used, so the walk meets an empty one (tag 0).
            let mask = tags.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let found = tags[slot]
                if found == 0 { return (nil, slot) }
                if found == tag {
                    let document = Int(idSlots[slot])
                    if idMatches(document, wanted) { return (document, slot) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether document `document`'s id is `wanted`, byte for byte.
    @inline(never)
    private func idMatches(_ document: Int, _ wanted: UnsafeRawBufferPointer) -> Bool {
        let range = idRange(of: document)
        guard range.count == wanted.count else { return false }
        return idBytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[range]).elementsEqual(wanted) }
    }

    @inline(__always)
    private func idRange(of document: Int) -> Range<Int> {
        (document == 0 ? 0 : idEnd(of: document - 1))..<idEnd(of: document)
    }

    private func idHash(of document: Int) -> UInt64 {
        idBytes.withUnsafeBytes { Self.idHash(UnsafeRawBufferPointer(rebasing: $0[idRange(of: document)])) }
    }

    /// Files `document` under its id, whose ``idHash(_:)`` is `hash`, unless an earlier
    /// document has that id; doubles the slots past three quarters full.
    private mutating func fileID(of document: Int, hash: UInt64) {
        if !Self.hasRoom(forIDs: distinctIDs + 1, slots: idSlots.count) { growSlots(refiling: document) }
        if fileFirst(document, hash: hash) { distinctIDs += 1 }
    }

    /// Files `document` under its id, whose ``idHash(_:)`` is `hash`, unless a filed document
    /// has that id; returns whether it was filed. The slots must have room for one more id
    /// (``hasRoom(forIDs:slots:)``).
    @inline(__always)
    private mutating func fileFirst(_ document: Int, hash: UInt64) -> Bool {
        let range = idRange(of: document)
        let found = idBytes.withUnsafeBytes { probe(for: UnsafeRawBufferPointer(rebasing: $0[range]), hash: hash) }
        guard found.document == nil else { return false }
        idSlots[found.emptySlot] = Int32(document)
        idTags[found.emptySlot] = Self._idTag(hash)
        return true
    }

    /// Doubles the slots and files the first document of each id again.
    ///
    /// Where most documents so far are first documents (at most twice as many documents as
    /// distinct ids), documents `0..<end` (every document filed so far) are filed again in
    /// document order, which keeps each id's first document: ids are hashed ``growthBlock`` at a
    /// time, reading ``idBytes`` in order, and each slot is asked for ``idPrefetchDistance``
    /// documents ahead. Walking the old slots read and hashed each filed id at random instead:
    /// 130–207 ms on one core, the other idle, when 1,080,000 paragraphs passed a million ids
    /// (31–32 ms in document order). Where many documents repeat ids (the library's default id is
    /// empty), the old slots are walked as before, so that a doubling costs the distinct ids, not
    /// every document.
    private mutating func growSlots(refiling end: Int) {
        let old = idSlots
        idSlots = [Int32](repeating: -1, count: old.count * 2)
        idTags = [UInt8](repeating: 0, count: idSlots.count)
        guard end <= 2 * distinctIDs else {
            for filed in old where filed >= 0 { _ = fileFirst(Int(filed), hash: idHash(of: Int(filed))) }
            return
        }
        distinctIDs = 0
        var hashes = [UInt64](repeating: 0, count: Self.growthBlock)
        for start in stride(from: 0, to: end, by: Self.growthBlock) {
            let count = Swift.min(Self.growthBlock, end - start)
            for row in 0..<count { hashes[row] = idHash(of: start + row) }
            for row in 0..<count {
                if row + Self.idPrefetchDistance < count { prefetchSlot(of: hashes[row + Self.idPrefetchDistance]) }
                if fileFirst(start + row, hash: hashes[row]) { distinctIDs += 1 }
            }
        }
    }

    /// Whether `slots` slots may hold `ids` distinct ids: at most three quarters of them full.
    @inline(__always)
    static func hasRoom(forIDs ids: Int, slots: Int) -> Bool { ids * 4 <= slots * 3 }

    /// How many ids ``growSlots(refiling:)`` hashes before filing them (32 KiB of hashes).
    private static let growthBlock = 4_096

    /// Checks the table: one end and one length per document (each long one in
    /// ``farLengths``), carries in order, ends increasing up to the id buffer's size, and an
    /// id index that files exactly the first document of each distinct id.
    ///
    /// - Parameter lookingUpEveryID: Whether the id index is checked slot by slot and id by id
    ///   (a loader that filed every id here passes `false`: 10 million random lookups).
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(total id bytes) expected.
    func _checkInvariants(lookingUpEveryID: Bool = true) throws(IndexFileError) {
        guard lengths.count == idEnds.count,
              farLengths.allSatisfy({ $0.key >= 0 && $0.key < count && lengths[$0.key] == .max && $0.value >= Int(UInt32.max) }),
              lengths.count(where: { $0 == .max }) == farLengths.count else { throw .corrupt("document lengths") }
        guard zip(idEndCarries, idEndCarries.dropFirst()).allSatisfy({ $0 <= $1 }), idEndCarries.allSatisfy({ $0 >= 0 && $0 < count }),
              idEnds.allSatisfy({ Int($0) >> idEndBits == 0 }) else { throw .corrupt("id offsets") }
        var previous = 0
        for document in 0..<count {
            let end = idEnd(of: document)
            guard end >= previous else { throw .corrupt("id offsets decrease") }
            previous = end
        }
        guard previous == idBytes.count else { throw .corrupt("id offsets and id bytes disagree") }
        var filed = 0
        var inRange = true
        for slot in idSlots where slot >= 0 {
            filed += 1
            inRange = inRange && Int(slot) < count
        }
        guard idSlots.count >= 16, idSlots.count & (idSlots.count - 1) == 0, filed == distinctIDs,
              Self.hasRoom(forIDs: distinctIDs, slots: idSlots.count), inRange, idTags.count == idSlots.count else {
            throw .corrupt("id index shape")
        }
        guard lookingUpEveryID else { return }
        for slot in idSlots.indices {
            let filed = idSlots[slot]
            guard idTags[slot] == (filed < 0 ? 0 : Self._idTag(idHash(of: Int(filed)))) else { throw .corrupt("id index tags") }
        }
        for document in 0..<count {
            guard let first = firstDocument(withID: id(of: document)), first <= document,
                  idBytes[idRange(of: first)].elementsEqual(idBytes[idRange(of: document)]) else {
                throw .corrupt("id index misses document \(document)")
            }
        }
    }
}
