import SimCore

/// A document id as it appeared in the input: a JSON string, or the literal text of a JSON
/// number. Commands echo it back the same way.
///
/// Ids are ordered by the **byte-wise order of their UTF-8 text** (`"10" < "9"`, `"B" < "a"`),
/// which is also Spark's order for strings; a cluster is labelled by its smallest id.
///
/// ```swift
/// DocumentID(text: "10", isNumber: true) < DocumentID(text: "9", isNumber: true)   // true
/// ```
public struct DocumentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id's text (a number's literal text, e.g. `42`).
    public let text: String
    /// Whether the input gave it as a JSON number.
    public let isNumber: Bool

    /// Creates an id.
    ///
    /// - Parameters:
    ///   - text: The id's text.
    ///   - isNumber: Whether it is a JSON number's literal text (default false).
    public init(text: String, isNumber: Bool = false) {
        self.text = text
        self.isNumber = isNumber
    }

    /// The id of a document read by ``CorpusReader``.
    ///
    /// - Parameter document: The document.
    public init(_ document: Document) {
        self.init(text: document.id, isNumber: document.idIsNumber)
    }

    /// The byte-wise order of the UTF-8 text (the number/string distinction does not count).
    public static func < (lhs: DocumentID, rhs: DocumentID) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    /// Equality of the UTF-8 bytes and the kind (not Unicode canonical equivalence).
    public static func == (lhs: DocumentID, rhs: DocumentID) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8) && lhs.isNumber == rhs.isNumber
    }

    /// Hashes the text and the kind.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(isNumber)
    }

    /// The id as it is written in output, e.g. `"doc-1"` or `42`.
    public var description: String {
        var bytes: [UInt8] = []
        JSONText.appendID(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
