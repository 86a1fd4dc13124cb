/// What a ``Deduplicator`` says about one inserted document.
///
/// ```swift
/// switch deduplicator.insert(document).verdict {
/// case .new: store(document)
/// case .duplicate(let original, let similarity): link(document, to: original, similarity)
/// }
/// ```
public enum DuplicateVerdict: Sendable, Hashable {
    /// No earlier document reaches the threshold.
    case new
    /// The most similar earlier document (ties: the first inserted) and the verified similarity.
    case duplicate(of: Int, similarity: Double)

    /// Whether the document duplicates an earlier one.
    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}

/// One inserted document: its number in the deduplicator and its verdict.
public struct InsertionResult: Sendable, Hashable {
    /// The document's number: 0 for the first document inserted, then 1, 2, ….
    public let document: Int
    /// New, or a duplicate of an earlier document.
    public let verdict: DuplicateVerdict
}

/// A group of near-duplicates and the one document to keep.
public struct DuplicateCluster: Sendable, Hashable {
    /// The document to keep: the longest (most UTF-8 bytes), ties going to the first inserted.
    public let representative: Int
    /// Every member's number, increasing (the representative included).
    public let members: [Int]
}

/// One document's place in a deduplicator's clusters (``Deduplicator/assignments()``).
public struct DocumentAssignment: Sendable, Hashable {
    /// The document's number.
    public let document: Int
    /// The number of the document that labels its cluster: the member whose id is smallest in
    /// byte-wise UTF-8 order (the first inserted among equal ids). A document without duplicates
    /// labels its own one-member cluster.
    public let cluster: Int
    /// Whether this is the one document kept from its cluster (the longest, the first inserted
    /// among equals).
    public let isRepresentative: Bool
    /// New, or a duplicate of the most similar earlier document, as when it was inserted.
    public let verdict: DuplicateVerdict
}
