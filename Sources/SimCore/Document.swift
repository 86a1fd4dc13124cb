/// One input document: an identifier and its text as UTF-8 bytes.
///
/// ```swift
/// let document = Document(id: "001", text: "Russian President Vladimir Putin landed in Vietnam")
/// document.utf8.count   // 51
/// ```
public struct Document: Sendable, Hashable {
    /// The document's id: a file's name without `.txt`, or the JSON Lines id field. Kept, not
    /// interpreted.
    public let id: String
    /// The text as UTF-8 (validated by the corpus readers unless replacement was asked for).
    public let utf8: [UInt8]

    /// Creates a document.
    ///
    /// - Parameters:
    ///   - id: The identifier.
    ///   - utf8: The text as UTF-8 bytes.
    public init(id: String, utf8: [UInt8]) {
        self.id = id
        self.utf8 = utf8
    }

    /// Creates a document from a string.
    ///
    /// - Parameters:
    ///   - id: The identifier.
    ///   - text: The text.
    public init(id: String, text: String) {
        self.init(id: id, utf8: Array(text.utf8))
    }

    /// The text as a `String` (invalid UTF-8, if any was let through, appears as U+FFFD).
    public var text: String { String(decoding: utf8, as: UTF8.self) }
}

extension Document {
    /// Where the text's storage object starts (its header: length and reference count, then
    /// the first bytes), read without retaining it, for prefetching only: `nil` where an array
    /// is not one reference. Package access: the reader and the engine ask for each text a few
    /// documents before their first touch of it, which missed the cache once per document.
    /// Nothing but a prefetch may use the address.
    @inline(__always)
    package var _textStorageForPrefetch: UnsafeRawPointer? {
        // SAFETY: the bits of the array's reference are read (borrowed: no retain), not the
        // object; whatever they are, a prefetch dereferences nothing.
        guard MemoryLayout<[UInt8]>.size == MemoryLayout<UInt>.size else { return nil }
        return UnsafeRawPointer(bitPattern: unsafeBitCast(utf8, to: UInt.self))
    }
}
