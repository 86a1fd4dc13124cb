/// A document id as it appeared in JSON Lines input: a JSON string, or the literal text of a
/// JSON number. Tools echo it back the same way.
///
/// Ids are ordered by the **byte-wise order of their UTF-8 text** (`"10" < "9"`, `"B" < "a"`),
/// which is also Spark's order for strings; a cluster is labelled by its smallest id. A number
/// keeps its literal text, so `1` and `1.0` are different ids, and both differ from the string
/// `"1"`.
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
    ///   - isNumber: Whether it is a JSON number's literal text (default `false`).
    public init(text: String, isNumber: Bool = false) {
        self.text = text
        self.isNumber = isNumber
    }

    /// The byte-wise order of the UTF-8 text; a number before a string of the same text.
    public static func < (lhs: DocumentID, rhs: DocumentID) -> Bool {
        if lhs.text.utf8.elementsEqual(rhs.text.utf8) { return lhs.isNumber && !rhs.isNumber }
        return lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }

    /// Equality of the UTF-8 bytes and the kind (not Unicode canonical equivalence).
    public static func == (lhs: DocumentID, rhs: DocumentID) -> Bool {
        lhs.isNumber == rhs.isNumber && lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    /// Hashes the text's bytes and the kind.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(isNumber)
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// Appends the id as JSON: its literal text when it came as a number, a quoted string
    /// otherwise.
    ///
    /// - Parameter buffer: The buffer to append to.
    public func appendJSON(to buffer: inout [UInt8]) {
        if isNumber {
            buffer.append(contentsOf: text.utf8)
        } else {
            JSONText.appendString(text, to: &buffer)
        }
    }

    /// The id as it is written in output, e.g. `"doc-1"` or `42`.
    public var description: String {
        var bytes: [UInt8] = []
        appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
