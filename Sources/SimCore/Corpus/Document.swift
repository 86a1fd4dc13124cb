/// One input document: an identifier and its text as UTF-8 bytes.
public struct Document: Sendable, Hashable {
    /// The document's id: a file's name without `.txt`, or the JSON Lines `id` field.
    public let id: String
    /// The text as UTF-8 (validated by the readers unless replacement was asked for).
    public let utf8: [UInt8]
    /// Where it came from, for messages: `path` or `path:line`.
    public let source: String
    /// Whether the JSON Lines `id` was a JSON number (then ``id`` holds its literal text, e.g. `42`),
    /// so that tools can echo it back as a number.
    public let idIsNumber: Bool

    /// Creates a document.
    ///
    /// - Parameters:
    ///   - id: The identifier.
    ///   - utf8: The text as UTF-8 bytes.
    ///   - source: Where it came from (default: empty).
    ///   - idIsNumber: Whether `id` is the literal text of a JSON number (default: false).
    public init(id: String, utf8: [UInt8], source: String = "", idIsNumber: Bool = false) {
        self.id = id
        self.utf8 = utf8
        self.source = source
        self.idIsNumber = idIsNumber
    }

    /// Creates a document from a string.
    public init(id: String, text: String, source: String = "") {
        self.init(id: id, utf8: Array(text.utf8), source: source)
    }

    /// The text as a `String` (invalid UTF-8, if any was let through, appears as U+FFFD).
    public var text: String { String(decoding: utf8, as: UTF8.self) }
}
