import Foundation
import SimCore

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
    /// - Parameters:
    ///   - input: The `bands` output.
    ///   - output: Receives one line per input line.
    /// - Returns: The number of documents and of clusters.
    /// - Throws: ``SimDedupError`` (exit status 1) naming `path:line` for malformed JSON, missing
    ///   or mistyped fields, invalid UTF-8, or an id seen before.
    public static func run(input: LineInput, output: OutputSink) throws(SimDedupError) -> (documents: Int, clusters: Int) {
        let decoder = JSONDecoder()
        var ids: [DocumentID] = []
        var bands: [[Int64]] = []
        var seen: [DocumentID: Int] = [:]
        while let line = input.nextLine() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let record = try decode(line, path: input.path, line: input.lineNumber, decoder: decoder)
            if let first = seen[record.id] {
                throw .badInput(path: input.path, line: input.lineNumber, "duplicate id \(record.id) (first on line \(first))")
            }
            seen[record.id] = input.lineNumber
            ids.append(record.id)
            bands.append(record.bands)
        }
        let labels = labels(bands: bands, ids: ids)
        var line: [UInt8] = []
        for (document, label) in labels.enumerated() {
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: #"{"id":"#.utf8)
            JSONText.appendID(ids[document], to: &line)
            line.append(contentsOf: #","cluster":"#.utf8)
            JSONText.appendID(ids[label], to: &line)
            line.append(contentsOf: "}\n".utf8)
            output.write(bytes: line)
        }
        return (ids.count, Set(labels).count)
    }

    private static func decode(
        _ line: [UInt8], path: String, line number: Int, decoder: JSONDecoder
    ) throws(SimDedupError) -> BandsRecord {
        let valid = _firstInvalidUTF8Offset(line)
        if valid < line.count {
            throw .badInput(path: path, line: number, "invalid UTF-8 at byte \(valid)")
        }
        do {
            return try decoder.decode(BandsRecord.self, from: Data(line))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .badInput(path: path, line: number, "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.first?.stringValue ?? "value"
            let expected = field == "id" ? "a string or an integer" : "an array of signed 64-bit integers"
            throw .badInput(path: path, line: number, "field \"\(field)\" must be \(expected)")
        } catch let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.first?.stringValue ?? "value"
            throw .badInput(path: path, line: number, "field \"\(field)\" must not be null")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            let field = context.codingPath.first?.stringValue ?? "value"
            throw .badInput(path: path, line: number, "field \"\(field)\": \(context.debugDescription)")
        } catch {
            throw .badInput(path: path, line: number, "malformed JSON")
        }
    }
}

/// One (band index, key) bucket.
struct BandSlot: Hashable {
    let band: Int
    let key: Int64
}

/// One `bands` line.
struct BandsRecord: Decodable {
    let id: DocumentID
    let bands: [Int64]
}

/// The offset of the first byte that is not valid UTF-8 (the line's length if there is none).
func _firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let scalar): offset += scalar.count
        case .error, .emptyInput: return offset
        }
    }
}
