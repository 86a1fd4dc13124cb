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
/// var line: [UInt8] = []
/// "42\0".utf8.withContiguousStorageIfAvailable { EngineID.appendJSON(engineID: UnsafeRawBufferPointer($0), to: &line) }
/// // line: the bytes of 42; "doc-1" gives "doc-1", quotes included
/// ```
enum EngineID {
    /// The engine's id for `id`.
    static func encode(_ id: DocumentID) -> String {
        id.isNumber ? id.text + "\u{0}" : id.text
    }

    /// Appends the id whose engine id has the UTF-8 bytes `engineID` as the input wrote it, as
    /// ``DocumentID/appendJSON(to:)`` writes a ``DocumentID``: a number's literal as it is, a
    /// string quoted and escaped. Straight from the bytes, with no string made: the verdict
    /// lines of a million documents name about 2.3 million ids.
    ///
    /// - Parameters:
    ///   - engineID: An engine id's UTF-8 bytes (``encode(_:)``'s, or a loaded state's).
    ///   - buffer: The buffer to append to.
    static func appendJSON(engineID: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        if let last = engineID.last, last == 0 {
            let literal = UnsafeRawBufferPointer(rebasing: engineID.dropLast())
            if isNumberLiteral(literal) {
                buffer.append(contentsOf: literal)
                return
            }
        }
        buffer.append(UInt8(ascii: "\""))
        JSONText.appendEscaped(utf8: engineID, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
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
