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
    static func isNumberLiteral(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
