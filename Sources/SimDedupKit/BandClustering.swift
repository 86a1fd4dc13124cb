import SimCommandLine
import SimCore
import SimCoreIO
import SimCoreInternals

/// `simdedup cluster`: the single-machine reference clustering of `bands` output.
///
/// Two documents are in one cluster when they share a key in the same band, directly or through
/// a chain of such documents (connected components). Each cluster is labelled by its smallest
/// id in ``DocumentID``'s byte-wise UTF-8 order, so the label does not depend on input order and
/// a distributed run (`Integrations/spark`) can be compared line for line.
///
/// ```swift
/// let labels = BandClustering.labels(bands: [[1, 2], [3, 2], [5, 6]], ids: ["b", "a", "c"].map { DocumentID(text: $0) })
/// // [1, 1, 2]: "b" and "a" share key 2 in band 1, labelled by "a" (index 1)
/// ```
public enum BandClustering {
    /// The index of each document's cluster label (the smallest id of its cluster).
    ///
    /// - Parameters:
    ///   - bands: Each document's band keys, band 0 first (documents may have none).
    ///   - ids: Each document's id (unique).
    /// - Returns: For document i, the index of the document whose id labels i's cluster.
    /// - Complexity: O(total keys) expected.
    public static func labels(bands: [[Int64]], ids: [DocumentID]) -> [Int] {
        precondition(bands.count == ids.count, "one id per document")
        var components = UnionFind(count: ids.count)
        var firstHolder: [BandSlot: Int] = [:]
        for (document, keys) in bands.enumerated() {
            for (band, key) in keys.enumerated() {
                let slot = BandSlot(band: band, key: key)
                if let other = firstHolder[slot] {
                    components.union(document, other)
                } else {
                    firstHolder[slot] = document
                }
            }
        }
        var smallest = [Int](repeating: -1, count: ids.count)
        for document in ids.indices {
            let root = components.find(document)
            if smallest[root] < 0 || ids[document] < ids[smallest[root]] { smallest[root] = document }
        }
        return ids.indices.map { smallest[components.find($0)] }
    }

    /// Reads `bands` lines from `input`, and writes `{"id":…,"cluster":…}` lines in input order.
    ///
    /// Lines are read by the same ``JSONRecordParser`` as every corpus, with the same policy
    /// (strict JSON, ids as given, UTF-8 checked).
    ///
    /// - Parameters:
    ///   - input: The `bands` output.
    ///   - output: Receives one line per input line.
    ///   - progress: Called every 4,096 records with the count read so far.
    /// - Returns: The number of documents and of clusters.
    /// - Throws: ``CommandError`` (exit status 1) naming `path:line` for malformed JSON, missing
    ///   or mistyped fields, invalid UTF-8, an id seen before, or a read error, and when the input
    ///   holds no record; ``OutputError``.
    public static func run(
        input: LineReader, output: OutputSink, progress: (Int) -> Void = { _ in }
    ) throws -> (documents: Int, clusters: Int) {
        let parser = JSONRecordParser(idField: "id", integersField: "bands")
        var ids: [DocumentID] = []
        var bands: [[Int64]] = []
        var seen: [DocumentID: Int] = [:]
        while let record = try input.nextLine({ line throws(CorpusError) -> JSONRecordParser.Record? in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
            return try decode(line, path: input.path, line: input.lineNumber, parser: parser)
        }) {
            guard let record else { continue }
            guard let id = record.id else { throw CommandError.badInput(path: input.path, line: input.lineNumber, #"missing field "id""#) }
            guard let keys = record.integers else {
                throw CommandError.badInput(path: input.path, line: input.lineNumber, #"missing field "bands""#)
            }
            if let first = seen[id] {
                throw CommandError.badInput(path: input.path, line: input.lineNumber, "duplicate id \(id) (first on line \(first))")
            }
            seen[id] = input.lineNumber
            ids.append(id)
            bands.append(keys)
            if ids.count % 4_096 == 0 { progress(ids.count) }
        }
        guard !ids.isEmpty else {
            throw CommandError("no documents in \(input.path == "-" ? "standard input" : input.path): no `simdedup bands` records")
        }
        let labels = labels(bands: bands, ids: ids)
        var line: [UInt8] = []
        for (document, label) in labels.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            ids[document].appendJSON(to: &line)
            line.append(contentsOf: #","cluster":"#.utf8)
            ids[label].appendJSON(to: &line)
            line.append(contentsOf: "}\n".utf8)
            try output.write(bytes: line)
        }
        return (ids.count, Set(labels).count)
    }

    private static func decode(
        _ line: UnsafeRawBufferPointer, path: String, line number: Int, parser: JSONRecordParser
    ) throws(CorpusError) -> JSONRecordParser.Record {
        if let offset = UTF8Scalars.firstInvalidOffset(line) {
            throw CorpusError(path: path, line: number, reason: .invalidUTF8(offset: offset))
        }
        do {
            return try parser.parse(line)
        } catch {
            throw CorpusError(path: path, line: number, reason: error.corpusReason)
        }
    }
}

/// One (band index, key) bucket.
struct BandSlot: Hashable {
    let band: Int
    let key: Int64
}
