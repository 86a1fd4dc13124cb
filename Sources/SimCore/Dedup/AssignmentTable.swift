/// Every document's ``DocumentAssignment``, in document order, in 17 bytes per document
/// (``_ClusterState/assignments(documents:)``): ``Deduplicator/assignments()`` makes an array of
/// it, and `simdedup dedupe` formats its verdict lines from it window by window, so that ten
/// million documents do not hold 400 MB of assignments besides the engine.
package struct _AssignmentTable: RandomAccessCollection, Sendable {
    /// Each document's cluster label.
    private let labels: [Int32]
    /// Whether each document is its cluster's representative.
    private let isRepresentative: [Bool]
    /// Each document's most similar earlier verified document; −1 for a new document.
    private let matches: [Int32]
    /// The verified similarity to that document (0 for a new document).
    private let similarities: [Double]

    /// The table of these per-document arrays, all of one length.
    init(labels: [Int32], isRepresentative: [Bool], matches: [Int32], similarities: [Double]) {
        precondition(
            isRepresentative.count == labels.count && matches.count == labels.count && similarities.count == labels.count,
            "one entry per document")
        self.labels = labels
        self.isRepresentative = isRepresentative
        self.matches = matches
        self.similarities = similarities
    }

    /// 0: documents are numbered from 0.
    package var startIndex: Int { 0 }
    /// The number of documents.
    package var endIndex: Int { labels.count }

    /// Document `document`'s assignment.
    package subscript(document: Int) -> DocumentAssignment {
        let match = Int(matches[document])
        return DocumentAssignment(
            document: document, cluster: Int(labels[document]), isRepresentative: isRepresentative[document],
            verdict: match < 0 ? .new : .duplicate(of: match, similarity: similarities[document]))
    }
}
