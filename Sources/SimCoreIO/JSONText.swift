/// Writing JSON values into a byte buffer: the one JSON string escaper of SimCore's tools.
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
        appendEscaped(utf8: string.utf8, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes escaped for the inside of a JSON string, without quotes.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text (invalid bytes are copied as they are).
    ///   - buffer: The buffer to append to.
    /// - Complexity: O(n); runs without escapes are copied in one call.
    public static func appendEscaped(utf8 bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        let done: Bool? = bytes.withContiguousStorageIfAvailable { bytes in
            appendEscaped(UnsafeRawBufferPointer(bytes), to: &buffer)
            return true
        }
        if done == nil {
            Array(bytes).withUnsafeBytes { appendEscaped($0, to: &buffer) }
        }
    }

    private static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
            switch byte {
            case 0x22: buffer.append(contentsOf: [0x5C, 0x22])
            case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                buffer.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]])
            }
            runStart = index + 1
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...]))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` in decimal.
    ///
    /// - Parameters:
    ///   - value: The integer.
    ///   - buffer: The buffer to append to.
    public static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(value).utf8)
    }
}
