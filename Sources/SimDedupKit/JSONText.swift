/// Writing JSON values into a byte buffer: strings escaped per RFC 8259, ids as given.
///
/// Output is UTF-8; only `"`, `\` and the control characters U+0000–U+001F are escaped
/// (`\"`, `\\`, `\n`, `\r`, `\t`, `\u00XX`), so every other character is copied as is.
///
/// ```swift
/// var line: [UInt8] = []
/// JSONText.appendString("a\"b", to: &line)   // the bytes of "a\"b", quotes included
/// ```
public enum JSONText {
    /// Appends `string` as a quoted, escaped JSON string.
    ///
    /// - Parameters:
    ///   - string: Any string.
    ///   - buffer: The buffer to append to.
    /// - Complexity: O(string's UTF-8 length).
    public static func appendString(_ string: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: Array("\\u00".utf8))
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 15)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends a document id: its literal text when it came as a JSON number, a string otherwise.
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - buffer: The buffer to append to.
    public static func appendID(_ id: DocumentID, to buffer: inout [UInt8]) {
        if id.isNumber {
            buffer.append(contentsOf: id.text.utf8)
        } else {
            appendString(id.text, to: &buffer)
        }
    }

    /// Appends `value` in decimal.
    ///
    /// - Parameters:
    ///   - value: The integer.
    ///   - buffer: The buffer to append to.
    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(value).utf8)
    }
}
