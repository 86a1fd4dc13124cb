/// What a deduplicator keeps of each document besides its signature: its id (all ids in one
/// UTF-8 buffer, held once), its length in bytes (which picks a cluster's representative), and
/// a hash index from each distinct id to the first document that has it.
///
/// The index holds document numbers only (4 bytes a slot, at most half the slots used), never a
/// second copy of the ids: a lookup hashes the id (XXH3) and compares bytes in ``idBytes``.
/// Only an id's first document is filed, so many documents sharing one id (the library's
/// default id is empty) cost nothing and never lengthen a probe.
struct _DocumentTable: Sendable {
    /// Every id's UTF-8 bytes, back to back.
    private(set) var idBytes: [UInt8] = []
    /// `idEnds[i]` is the end of document i's id in ``idBytes``.
    private var idEnds: [Int] = []
    /// Each document's UTF-8 length.
    private(set) var byteCounts: [Int] = []
    /// Open addressing by XXH3 of the id: the first document of each distinct id; -1 is empty.
    private var idSlots = [Int32](repeating: -1, count: 16)
    /// Distinct ids filed in ``idSlots``.
    private var distinctIDs = 0

    /// The number of documents.
    var count: Int { idEnds.count }

    /// Bytes held (ids and the id index included).
    var byteCount: Int { idBytes.count + idEnds.count * 8 + byteCounts.count * 8 + idSlots.count * 4 }

    /// Adds one document.
    mutating func append(id: String, byteCount: Int) {
        idBytes.append(contentsOf: id.utf8)
        idEnds.append(idBytes.count)
        byteCounts.append(byteCount)
        fileID(of: idEnds.count - 1)
    }

    /// Each id's length in bytes.
    var idLengths: [Int] { idEnds.indices.map { idEnds[$0] - ($0 == 0 ? 0 : idEnds[$0 - 1]) } }

    /// The id of document `document`.
    func id(of document: Int) -> String {
        String(decoding: idBytes[idRange(of: document)], as: UTF8.self)
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
            let mask = idSlots.count - 1
            var slot = Int(truncatingIfNeeded: XXH3.hash64(UnsafeRawBufferPointer(wanted))) & mask
            while idSlots[slot] >= 0 {
                let document = Int(idSlots[slot])
                if idBytes[idRange(of: document)].elementsEqual(wanted) { return document }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    private func idRange(of document: Int) -> Range<Int> {
        (document == 0 ? 0 : idEnds[document - 1])..<idEnds[document]
    }

    private func idHash(of document: Int) -> UInt64 {
        idBytes.withUnsafeBytes { XXH3.hash64(UnsafeRawBufferPointer(rebasing: $0[idRange(of: document)])) }
    }

    /// Files `document` under its id unless an earlier document has that id; doubles the slots
    /// past half full.
    private mutating func fileID(of document: Int) {
        if (distinctIDs + 1) * 2 > idSlots.count {
            let old = idSlots
            idSlots = [Int32](repeating: -1, count: old.count * 2)
            for filed in old where filed >= 0 { place(Int(filed), hash: idHash(of: Int(filed))) }
        }
        let hash = idHash(of: document)
        let mask = idSlots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while idSlots[slot] >= 0 {
            if idBytes[idRange(of: Int(idSlots[slot]))].elementsEqual(idBytes[idRange(of: document)]) { return }
            slot = (slot + 1) & mask
        }
        idSlots[slot] = Int32(document)
        distinctIDs += 1
    }

    /// Puts a document known to be the first of its id into the first free slot of its probe.
    private mutating func place(_ document: Int, hash: UInt64) {
        let mask = idSlots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while idSlots[slot] >= 0 { slot = (slot + 1) & mask }
        idSlots[slot] = Int32(document)
    }

    /// Checks the table: one end and one length per document, ends increasing up to the id
    /// buffer's size, byte counts not negative, and an id index that files exactly the first
    /// document of each distinct id.
    ///
    /// - Throws: ``IndexFileError/corrupt(_:)`` naming the first violation.
    /// - Complexity: O(total id bytes) expected.
    func _checkInvariants() throws(IndexFileError) {
        guard byteCounts.count == idEnds.count, byteCounts.allSatisfy({ $0 >= 0 }) else { throw .corrupt("document lengths") }
        var previous = 0
        for end in idEnds {
            guard end >= previous else { throw .corrupt("id offsets decrease") }
            previous = end
        }
        guard previous == idBytes.count else { throw .corrupt("id offsets and id bytes disagree") }
        let filed = idSlots.filter { $0 >= 0 }
        guard idSlots.count >= 16, idSlots.count & (idSlots.count - 1) == 0, filed.count == distinctIDs,
              distinctIDs * 2 <= idSlots.count, filed.allSatisfy({ Int($0) < count }) else {
            throw .corrupt("id index shape")
        }
        for document in 0..<count {
            guard let first = firstDocument(withID: id(of: document)), first <= document,
                  idBytes[idRange(of: first)].elementsEqual(idBytes[idRange(of: document)]) else {
                throw .corrupt("id index misses document \(document)")
            }
        }
    }
}
