import Foundation
import SimCoreInternals
import SimCore

/// The planted duplicate clusters of a corpus, by document id.
///
/// `simbench generate` writes them as JSON Lines next to the corpus
/// (`{"id":"g00000003","cluster":"g00000001","edits":["header"]}`); ``pairs(documentIDs:)``
/// turns them into index pairs of a loaded corpus.
///
/// ```swift
/// let truth = GroundTruth(clusters: ["a": "a", "b": "a", "c": "c"])
/// truth.pairs(documentIDs: ["a", "b", "c"])   // [DocumentPair(0, 1)]
/// ```
public struct GroundTruth: Sendable, Hashable {
    /// Each document's cluster id (the id of the cluster's original).
    public var clusters: [String: String]

    /// Creates ground truth from cluster ids.
    ///
    /// - Parameter clusters: Document id to cluster id.
    public init(clusters: [String: String]) {
        self.clusters = clusters
    }

    /// Ground truth from generated records.
    ///
    /// - Parameter records: What ``CorpusGenerator`` returned.
    public init(generated records: [GeneratedDocument]) {
        var clusters: [String: String] = [:]
        for record in records { clusters[record.id] = GeneratedDocument.id(ofIndex: record.cluster) }
        self.clusters = clusters
    }

    /// Reads a truth file written by `simbench generate`.
    ///
    /// - Parameter url: A `.truth.jsonl` file.
    /// - Returns: The clusters.
    /// - Throws: ``ReadError`` naming the file and, for a bad line, the line and what is wrong.
    public static func read(from url: URL) throws(ReadError) -> GroundTruth {
        struct Line: Decodable { var id: String; var cluster: String }
        var clusters: [String: String] = [:]
        let decoder = JSONDecoder()
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReadError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        for (number, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                let record = try decoder.decode(Line.self, from: Data(line))
                clusters[record.id] = record.cluster
            } catch let error as DecodingError {
                throw ReadError(description: "\(url.path):\(number + 1): not a truth line: \(error.readableDescription)")
            } catch {
                throw ReadError(description: "\(url.path):\(number + 1): not a truth line")
            }
        }
        return GroundTruth(clusters: clusters)
    }

    /// A truth file that cannot be read: the file, the line and why, in one sentence.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// `truth.jsonl:3: not a truth line: missing field "cluster"`.
        public var description: String
    }

    /// The planted pairs among documents with these ids (ids without truth belong to no cluster).
    ///
    /// - Parameter documentIDs: The loaded corpus's ids in order.
    /// - Returns: Every pair of indices in the same cluster.
    /// - Complexity: O(n + pairs).
    public func pairs(documentIDs: [String]) -> Set<DocumentPair> {
        var members: [String: [Int]] = [:]
        for (index, id) in documentIDs.enumerated() {
            if let cluster = clusters[id] { members[cluster, default: []].append(index) }
        }
        var pairs = Set<DocumentPair>()
        for group in members.values where group.count > 1 {
            for a in group.indices {
                for b in group.indices where b > a { pairs.insert(DocumentPair(group[a], group[b])) }
            }
        }
        return pairs
    }
}
