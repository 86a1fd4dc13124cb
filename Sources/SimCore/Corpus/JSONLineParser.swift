/// A small, strict JSON parser for one JSON Lines record: it extracts the id and text fields
/// of a top-level object and skips every other value without building it.
///
/// Strings are decoded straight to UTF-8 bytes (escapes, `\uXXXX` and surrogate pairs; a lone
/// surrogate becomes U+FFFD). Nesting deeper than 512 levels is refused rather than recursed into.
struct _JSONLineParser {
    /// The fields found in one record.
    struct Fields {
        /// The id: a string's bytes, or a number's literal text.
        var id: [UInt8]?
        /// Whether the id field was present with a type other than string or number.
        var idHasWrongType = false
        var idIsNumber = false
        /// The text's UTF-8 bytes.
        var text: [UInt8]?
        /// Whether the text field was present with a type other than string.
        var textHasWrongType = false
    }

    /// A syntax error, with what was expected and the byte column.
    struct SyntaxError: Error {
        let message: String
    }

    let idField: [UInt8]
    let textField: [UInt8]

    /// Parses one line.
    func parse(_ line: UnsafeRawBufferPointer) throws(SyntaxError) -> Fields {
        var cursor = Cursor(bytes: line.bindMemory(to: UInt8.self))
        var fields = Fields()
        cursor.skipSpace()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        if cursor.peek == UInt8(ascii: "}") {
            cursor.advance()
        } else {
            while true {
                cursor.skipSpace()
                let key = try cursor.string()
                cursor.skipSpace()
                try cursor.expect(UInt8(ascii: ":"))
                cursor.skipSpace()
                if key == textField {
                    if cursor.peek == UInt8(ascii: "\"") {
                        fields.text = try cursor.string()
                        fields.textHasWrongType = false
                    } else {
                        try cursor.skipValue(depth: 0)
                        fields.text = nil
                        fields.textHasWrongType = true
                    }
                } else if key == idField {
                    if cursor.peek == UInt8(ascii: "\"") {
                        fields.id = try cursor.string()
                        fields.idHasWrongType = false
                        fields.idIsNumber = false
                    } else if let first = cursor.peek, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) {
                        fields.id = try cursor.number()
                        fields.idHasWrongType = false
                        fields.idIsNumber = true
                    } else {
                        try cursor.skipValue(depth: 0)
                        fields.id = nil
                        fields.idHasWrongType = true
                    }
                } else {
                    try cursor.skipValue(depth: 0)
                }
                cursor.skipSpace()
                if cursor.peek == UInt8(ascii: ",") {
                    cursor.advance()
                    continue
                }
                try cursor.expect(UInt8(ascii: "}"))
                break
            }
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("end of line after the object") }
        return fields
    }

    /// A read position in one line.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[position] }
        mutating func advance() { position += 1 }

        func error(_ expected: String) -> SyntaxError {
            let found = peek.map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte \($0)" }
            return SyntaxError(message: "expected \(expected) at column \(position + 1), found \(found ?? "end of line")")
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { advance() }
        }

        mutating func expect(_ byte: UInt8) throws(SyntaxError) {
            guard peek == byte else { throw error("'\(Character(Unicode.Scalar(byte)))'") }
            advance()
        }

        /// Decodes a string to UTF-8 bytes.
        mutating func string() throws(SyntaxError) -> [UInt8] {
            try expect(UInt8(ascii: "\""))
            var output: [UInt8] = []
            var runStart = position
            while true {
                guard let byte = peek else { throw error("closing '\"'") }
                switch byte {
                case UInt8(ascii: "\""):
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                    advance()
                    return output
                case UInt8(ascii: "\\"):
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                    advance()
                    try escape(into: &output)
                    runStart = position
                case 0..<0x20:
                    throw error("no raw control character inside a string")
                default:
                    advance()
                }
            }
        }

        private mutating func escape(into output: inout [UInt8]) throws(SyntaxError) {
            guard let byte = peek else { throw error("an escape") }
            advance()
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    let save = position
                    if peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                output.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(scalar)!)!)
            default:
                position -= 1
                throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }

        private mutating func hex4() throws(SyntaxError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek else { throw error("four hex digits") }
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw error("four hex digits")
                }
                value = value << 4 | digit
                advance()
            }
            return value
        }

        /// Reads a number and returns its literal text.
        mutating func number() throws(SyntaxError) -> [UInt8] {
            let start = position
            if peek == UInt8(ascii: "-") { advance() }
            guard let first = peek, (0x30...0x39).contains(first) else { throw error("a digit") }
            while let byte = peek, (0x30...0x39).contains(byte) { advance() }
            if peek == UInt8(ascii: ".") {
                advance()
                guard let digit = peek, (0x30...0x39).contains(digit) else { throw error("a digit after '.'") }
                while let byte = peek, (0x30...0x39).contains(byte) { advance() }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                advance()
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { advance() }
                guard let digit = peek, (0x30...0x39).contains(digit) else { throw error("an exponent") }
                while let byte = peek, (0x30...0x39).contains(byte) { advance() }
            }
            return Array(bytes[start..<position])
        }

        /// Skips any JSON value.
        mutating func skipValue(depth: Int) throws(SyntaxError) {
            guard depth < 512 else { throw error("nesting no deeper than 512 levels") }
            guard let byte = peek else { throw error("a value") }
            switch byte {
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                advance()
                skipSpace()
                if peek == close {
                    advance()
                    return
                }
                while true {
                    skipSpace()
                    if close == UInt8(ascii: "}") {
                        _ = try string()
                        skipSpace()
                        try expect(UInt8(ascii: ":"))
                        skipSpace()
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    if peek == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    try expect(close)
                    return
                }
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default:
                _ = try number()
            }
        }

        private mutating func literal(_ word: StaticString) throws(SyntaxError) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for byte in expected {
                guard peek == byte else { throw error("'\(word)'") }
                advance()
            }
        }
    }
}
