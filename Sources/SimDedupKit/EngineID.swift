import SimCoreIO

/// How `simdedup dedupe` names a document inside the engine (and so in a `--state` file), so that
/// an id read back in a later run is written as the input wrote it: a JSON string's text as it
/// is, a JSON number's literal text followed by one NUL byte (`42` is stored as `"42\0"`).
///
/// The engine labels a cluster by its byte-wise smallest id; the marker keeps that order for
/// every pair of different texts (a text sorts before any longer text it begins), and puts a
/// string before a number of the same text. The one id read back wrongly would be a string made
/// of a number literal and one trailing U+0000.
///
/// ```swift
/// EngineID.encode(DocumentID(text: "42", isNumber: true))   // "42\0"
/// EngineID.decode("42\0")                                    // DocumentID(text: "42", isNumber: true)
/// EngineID.decode("doc-1")                                   // DocumentID(text: "doc-1")
/// ```
enum EngineID {
    /// The engine's id for `id`.
    static func encode(_ id: DocumentID) -> String {
        id.isNumber ? id.text + "\u{0}" : id.text
    }

    /// The id as the input wrote it.
    static func decode(_ text: String) -> DocumentID {
        guard text.utf8.last == 0 else { return DocumentID(text: text) }
        let literal = String(text.utf8.dropLast())!
        guard isNumberLiteral(literal) else { return DocumentID(text: text) }
        return DocumentID(text: literal, isNumber: true)
    }

    /// Whether `text` follows JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    ///
    /// - Complexity: O(text length); allocates nothing, and a text that does not start with a
    ///   digit or `-` (most ids) is refused at its first byte.
    static func isNumberLiteral(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return false }
        return text.utf8.withContiguousStorageIfAvailable(isNumberLiteral) ?? isNumberLiteral(Array(text.utf8))
    }

    /// Whether `bytes` follow JSON's number grammar.
    private static func isNumberLiteral(_ bytes: some Collection<UInt8>) -> Bool {
        var index = bytes.startIndex
        func next(_ accepts: (UInt8) -> Bool) -> Bool {
            guard index != bytes.endIndex, accepts(bytes[index]) else { return false }
            bytes.formIndex(after: &index)
            return true
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func digits() -> Int {
            var count = 0
            while next(isDigit) { count += 1 }
            return count
        }
        _ = next { $0 == UInt8(ascii: "-") }
        if !next({ $0 == UInt8(ascii: "0") }) && digits() == 0 { return false }
        if next({ $0 == UInt8(ascii: ".") }) && digits() == 0 { return false }
        if next({ $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            _ = next { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
            if digits() == 0 { return false }
        }
        return index == bytes.endIndex
    }
}
