/// What a deduplicator keeps of each document besides its signature: its id (all ids in one
/// UTF-8 buffer, held once) and its length in bytes (which picks a cluster's representative).
struct _DocumentTable: Sendable {
    /// Every id's UTF-8 bytes, back to back.
    private(set) var idBytes: [UInt8] = []
    /// `idEnds[i]` is the end of document i's id in ``idBytes``.
    private var idEnds: [Int] = []
    /// Each document's UTF-8 length.
    private(set) var byteCounts: [Int] = []

    /// The number of documents.
    var count: Int { idEnds.count }

    /// Bytes held (ids included).
    var byteCount: Int { idBytes.count + idEnds.count * 8 + byteCounts.count * 8 }

    /// Adds one document.
    mutating func append(id: String, byteCount: Int) {
        idBytes.append(contentsOf: id.utf8)
        idEnds.append(idBytes.count)
        byteCounts.append(byteCount)
    }

    /// Each id's length in bytes.
    var idLengths: [Int] { idEnds.indices.map { idEnds[$0] - ($0 == 0 ? 0 : idEnds[$0 - 1]) } }

    /// The id of document `document`.
    func id(of document: Int) -> String {
        let start = document == 0 ? 0 : idEnds[document - 1]
        return String(decoding: idBytes[start..<idEnds[document]], as: UTF8.self)
    }

    /// Whether document `a`'s id precedes `b`'s in byte-wise UTF-8 order.
    func idPrecedes(_ a: Int, _ b: Int) -> Bool {
        let startA = a == 0 ? 0 : idEnds[a - 1]
        let startB = b == 0 ? 0 : idEnds[b - 1]
        return idBytes[startA..<idEnds[a]].lexicographicallyPrecedes(idBytes[startB..<idEnds[b]])
    }
}
