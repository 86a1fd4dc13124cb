import SimCore

/// The one JSON Lines record parser: a small, strict JSON parser that extracts the fields a
/// reader asks for from one top-level object and skips every other value without building it.
///
/// Policy, the same for every SimCore reader (`dedupe`, `bands`, `cluster`, `simbench`):
/// - the line is exactly one JSON object (RFC 8259), with optional white space around tokens;
///   no trailing commas, no comments, nesting at most 512 levels deep;
/// - a field the reader asks for may appear only once (other keys may repeat: they are skipped);
/// - numbers follow JSON's grammar (no leading zeros, no `+`, no bare `.`); an id that is a number
///   is kept as its literal text (`1.0` stays `1.0`, `12345678901234567890` is not rounded);
/// - strings are decoded to UTF-8 (escapes, `\uXXXX`, surrogate pairs); in a text field a lone
///   surrogate becomes U+FFFD, in an id it is an error (two such ids would collide).
///
/// ```swift
/// let parser = JSONRecordParser(idField: "id", textField: "text")
/// let record = try parser.parse(#"{"id":7,"text":"hello","extra":[1,2]}"#)
/// record.id       // DocumentID(text: "7", isNumber: true)
/// record.text     // the bytes of "hello"
/// ```
public struct JSONRecordParser: Sendable {
    /// The fields one record held.
    public struct Record: Sendable, Hashable {
        /// The id field: a string's text or a number's literal text; `nil` when absent.
        public var id: DocumentID?
        /// The text field's UTF-8 bytes; `nil` when absent (or not asked for).
        public var text: [UInt8]?
        /// The integer-array field; `nil` when absent (or not asked for).
        public var integers: [Int64]?
    }

    /// Why a record was refused.
    public enum Failure: Error, Sendable, Hashable {
        /// Not one JSON object: what was expected, and at which column.
        case syntax(String)
        /// A field the reader needs has another JSON type.
        case wrongType(field: String, expected: String)
        /// A field the reader needs appears twice.
        case duplicateField(String)
        /// A string id holds a lone surrogate.
        case invalidID(String)
    }

    /// The name of the id field (a string or a number).
    public let idField: String
    /// The name of the text field (a string), if the reader wants one.
    public let textField: String?
    /// The name of an array-of-integers field (signed 64-bit), if the reader wants one.
    public let integersField: String?
    private let idKey: [UInt8]
    private let textKey: [UInt8]?
    private let integersKey: [UInt8]?

    /// Creates a parser for records with these fields.
    ///
    /// - Parameters:
    ///   - idField: The id field's name.
    ///   - textField: The text field's name, or `nil`.
    ///   - integersField: An integer-array field's name, or `nil`.
    public init(idField: String, textField: String? = nil, integersField: String? = nil) {
        self.idField = idField
        self.textField = textField
        self.integersField = integersField
        idKey = Array(idField.utf8)
        textKey = textField.map { Array($0.utf8) }
        integersKey = integersField.map { Array($0.utf8) }
    }

    /// Parses one line given as a string (for tests and small inputs).
    ///
    /// - Parameter line: One JSON object.
    /// - Returns: The fields asked for.
    /// - Throws: ``Failure``.
    public func parse(_ line: String) throws(Failure) -> Record {
        let bytes = Array(line.utf8)
        let result = bytes.withUnsafeBytes { raw in Result { () throws(Failure) -> Record in try parse(raw) } }
        return try result.get()
    }

    /// Parses one line.
    ///
    /// - Parameter line: The line's bytes, without its line ending.
    /// - Returns: The fields asked for (each `nil` when absent).
    /// - Throws: ``Failure`` for a syntax error, a wanted field of another type, or a wanted
    ///   field given twice.
    /// - Complexity: O(line length); allocates only the wanted fields' values.
    public func parse(_ line: UnsafeRawBufferPointer) throws(Failure) -> Record {
        var cursor = Cursor(bytes: line.bindMemory(to: UInt8.self))
        var record = Record()
        var seenID = false
        var seenText = false
        var seenIntegers = false
        cursor.skipSpace()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        if cursor.peek == UInt8(ascii: "}") {
            cursor.advance()
        } else {
            while true {
                cursor.skipSpace()
                let key = try cursor.key()
                cursor.skipSpace()
                try cursor.expect(UInt8(ascii: ":"))
                cursor.skipSpace()
                if let textKey, cursor.key(key, is: textKey) {
                    guard !seenText else { throw .duplicateField(textField!) }
                    seenText = true
                    guard cursor.peek == UInt8(ascii: "\"") else {
                        try cursor.skipValue(depth: 0)
                        throw .wrongType(field: textField!, expected: "a string")
                    }
                    record.text = try cursor.string(strictSurrogates: false)
                } else if cursor.key(key, is: idKey) {
                    guard !seenID else { throw .duplicateField(idField) }
                    seenID = true
                    record.id = try cursor.id(field: idField)
                } else if let integersKey, cursor.key(key, is: integersKey) {
                    guard !seenIntegers else { throw .duplicateField(integersField!) }
                    seenIntegers = true
                    record.integers = try cursor.integerArray(field: integersField!)
                } else {
                    try cursor.skipValue(depth: 0)
                }
                cursor.skipSpace()
                if cursor.peek == UInt8(ascii: ",") {
                    cursor.advance()
                    try cursor.refuseTrailingComma(before: UInt8(ascii: "}"))
                    continue
                }
                try cursor.expect(UInt8(ascii: "}"))
                break
            }
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("end of line after the object") }
        return record
    }

    /// The keys of a line's top-level object, in order, for messages such as "missing field
    /// "text" (fields present: "title", "body")"; as many as can be read before a syntax error.
    ///
    /// - Parameter line: One JSON object.
    /// - Returns: The keys (each decoded; repeated keys listed once).
    /// - Complexity: O(line length); only for error messages, never on the record path.
    public static func topLevelKeys(of line: UnsafeRawBufferPointer) -> [String] {
        var cursor = Cursor(bytes: line.bindMemory(to: UInt8.self))
        var keys: [String] = []
        cursor.skipSpace()
        guard (try? cursor.expect(UInt8(ascii: "{"))) != nil else { return keys }
        while true {
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: "\""), let key = try? cursor.string(strictSurrogates: false) else { return keys }
            let name = String(decoding: key, as: UTF8.self)
            if !keys.contains(name) { keys.append(name) }
            cursor.skipSpace()
            guard (try? cursor.expect(UInt8(ascii: ":"))) != nil else { return keys }
            cursor.skipSpace()
            guard (try? cursor.skipValue(depth: 0)) != nil else { return keys }
            cursor.skipSpace()
            guard cursor.peek == UInt8(ascii: ",") else { return keys }
            cursor.advance()
        }
    }

    /// A read position in one line.
    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[position] }
        mutating func advance() { position += 1 }

        func error(_ expected: String) -> Failure {
            let found = peek.map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte \($0)" }
            return .syntax("expected \(expected) at column \(position + 1), found \(found ?? "end of line")")
        }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { advance() }
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard peek == byte else { throw error("'\(Character(Unicode.Scalar(byte)))'") }
            advance()
        }

        /// After a `,`: refuses a `close` bracket that follows (with white space between), which
        /// JSON does not allow and which would otherwise read as a missing key or value.
        mutating func refuseTrailingComma(before close: UInt8) throws(Failure) {
            skipSpace()
            guard peek != close else {
                throw error(close == UInt8(ascii: "}") ? "a key after ',' (JSON has no trailing commas)" : "a value after ',' (JSON has no trailing commas)")
            }
        }

        /// An id: a string (lone surrogates refused) or a number's literal text.
        mutating func id(field: String) throws(Failure) -> DocumentID {
            if peek == UInt8(ascii: "\"") {
                return DocumentID(text: try stringValue(strictSurrogates: true))
            }
            if let first = peek, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) {
                let literal = try number()
                return DocumentID(text: String(decoding: UnsafeBufferPointer(rebasing: bytes[literal]), as: UTF8.self), isNumber: true)
            }
            try skipValue(depth: 0)
            throw .wrongType(field: field, expected: "a string or a number")
        }

        /// An array of signed 64-bit integers.
        mutating func integerArray(field: String) throws(Failure) -> [Int64] {
            let wrongType = Failure.wrongType(field: field, expected: "an array of signed 64-bit integers")
            guard peek == UInt8(ascii: "[") else {
                try skipValue(depth: 0)
                throw wrongType
            }
            advance()
            skipSpace()
            var values: [Int64] = []
            if peek == UInt8(ascii: "]") {
                advance()
                return values
            }
            while true {
                skipSpace()
                guard let first = peek, first == UInt8(ascii: "-") || (0x30...0x39).contains(first) else { throw wrongType }
                let literal = try number()
                guard let value = Int64(String(decoding: UnsafeBufferPointer(rebasing: bytes[literal]), as: UTF8.self)) else {
                    throw wrongType
                }
                values.append(value)
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    advance()
                    try refuseTrailingComma(before: UInt8(ascii: "]"))
                    continue
                }
                try expect(UInt8(ascii: "]"))
                return values
            }
        }

        /// A string as a `String`, made from the line's bytes directly when it holds no escape
        /// (an id: a `String` of up to 15 bytes then allocates nothing, where one decoded from
        /// ``string(strictSurrogates:)``'s array allocated the array, a million times for a
        /// million paragraphs).
        mutating func stringValue(strictSurrogates: Bool) throws(Failure) -> String {
            let quote = position
            if let plain = try plainString() {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[plain]), as: UTF8.self)
            }
            position = quote
            return String(decoding: try string(strictSurrogates: strictSurrogates), as: UTF8.self)
        }

        /// Moves past a string that needs no decoding (no escape, no raw control character,
        /// closed on the line) and returns where its contents lie in the line; `nil` for any
        /// other string, with ``position`` at the first byte that needs care (a backslash, a
        /// control character or the end of the line). Throws when no string starts here.
        private mutating func plainString() throws(Failure) -> Range<Int>? {
            try expect(UInt8(ascii: "\""))
            let start = position
            position = nextSpecialByte(from: position)
            guard peek == UInt8(ascii: "\"") else { return nil }
            advance()
            return start..<position - 1
        }

        /// Decodes a string to UTF-8 bytes. A `\u` escape of a lone surrogate becomes U+FFFD,
        /// or an error with `strictSurrogates`.
        ///
        /// A string without escapes is found eight or more bytes at a time
        /// (``nextSpecialByte(from:)``) and copied whole; one with escapes is decoded into one
        /// array the size of the rest of the line (escapes only shrink) by
        /// ``decodeEscapedString(from:into:strictSurrogates:)``.
        mutating func string(strictSurrogates: Bool) throws(Failure) -> [UInt8] {
            let start = position + 1
            if let plain = try plainString() { return Array(UnsafeBufferPointer(rebasing: bytes[plain])) }
            guard let byte = peek else { throw error("closing '\"'") }
            guard byte == UInt8(ascii: "\\") else { throw error("no raw control character inside a string") }
            var failure: Failure?
            let decoded = [UInt8](unsafeUninitializedCapacity: bytes.count - start) { room, filled in
                do throws(Failure) {
                    filled = try decodeEscapedString(from: start, into: room, strictSurrogates: strictSurrogates)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            return decoded
        }

        /// Decodes the string that starts at `start` (after its opening quote) into `room`, and
        /// moves past its closing quote: the C kernel copies plain runs and decodes the simple
        /// escapes (``_TextKernels/jsonUnescape(_:count:into:isa:)``) in one call however many
        /// there are, and hands back only at the closing quote, a `\u` escape (decoded here) or
        /// an error.
        ///
        /// - Parameters:
        ///   - start: Where the string's contents begin.
        ///   - room: Room for `bytes.count - start` bytes, the most the contents can decode to.
        ///   - strictSurrogates: Whether a lone surrogate is an error (else U+FFFD).
        /// - Returns: The bytes written.
        private mutating func decodeEscapedString(
            from start: Int, into room: UnsafeMutableBufferPointer<UInt8>, strictSurrogates: Bool
        ) throws(Failure) -> Int {
            guard let base = bytes.baseAddress, let output = room.baseAddress else { throw error("closing '\"'") }
            var source = start
            var filled = 0
            while true {
                // SAFETY: source...bytes.count lies inside the line; every byte decoded consumed at
                // least one source byte, so filled <= source - start and output + filled has room
                // for all bytes.count - source bytes the kernel may write.
                let (consumed, written) = _TextKernels.jsonUnescape(base + source, count: bytes.count - source, into: output + filled)!
                position = source + consumed
                filled += written
                guard let byte = peek else { throw error("closing '\"'") }
                if byte == UInt8(ascii: "\"") {
                    advance()
                    return filled
                }
                guard byte == UInt8(ascii: "\\") else { throw error("no raw control character inside a string") }
                advance()
                // A \u escape takes six or twelve bytes and decodes to four at most.
                for unit in Unicode.UTF8.encode(try escapedScalar(strictSurrogates: strictSurrogates))! {
                    output[filled] = unit
                    filled += 1
                }
                source = position
            }
        }

        /// A key: its raw bytes when it holds no escape (compared in place, no allocation), or
        /// its decoded bytes.
        enum Key {
            case raw(Range<Int>)
            case decoded([UInt8])
        }

        /// Reads a key string.
        mutating func key() throws(Failure) -> Key {
            let save = position
            if let plain = try plainString() { return .raw(plain) }
            // An escape, a control character or no closing quote: the decoder handles (or refuses) it.
            position = save
            return .decoded(try string(strictSurrogates: false))
        }

        /// Whether `key` is `name`.
        func key(_ key: Key, is name: [UInt8]) -> Bool {
            switch key {
            case .raw(let range): UnsafeBufferPointer(rebasing: bytes[range]).elementsEqual(name)
            case .decoded(let decoded): decoded == name
            }
        }

        /// The position of the first `"`, `\` or control byte (below 0x20) at or after `start`,
        /// or the end of the line: 32 or 64 bytes per step in the C kernel
        /// (``_TextKernels/jsonSpecialByte(_:count:isa:)``) for long runs, eight bytes per step
        /// with SWAR arithmetic for short ones (keys, ids), where a call would cost more.
        ///
        /// For each byte class, `(x − 0x01…01) & ~x & 0x80…80` marks the zero bytes of x (x = the
        /// word XOR the class's byte, or for controls the word minus 0x20 per byte); a borrow can
        /// only mark bytes above a true hit, so the lowest mark is exact.
        @inline(__always)
        func nextSpecialByte(from start: Int) -> Int {
            let count = bytes.count
            guard let base = bytes.baseAddress else { return count }
            if count &- start >= 64 {
                // SAFETY: bytes start..<count are inside the line.
                return start &+ (_TextKernels.jsonSpecialByte(base + start, count: count &- start) ?? 0)
            }
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var index = start
            while index &+ 8 <= count {
                // SAFETY: index + 8 <= count, so all eight bytes are inside the line.
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let quote = word ^ (0x22 &* ones)
                let backslash = word ^ (0x5C &* ones)
                let marks = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- 0x20 &* ones) & ~word) & highs
                if marks != 0 { return index &+ marks.trailingZeroBitCount &>> 3 }
                index &+= 8
            }
            while index < count {
                let byte = base[index]
                if byte == 0x22 || byte == 0x5C || byte < 0x20 { return index }
                index &+= 1
            }
            return count
        }

        /// The scalar of the `\u` escape after a backslash (at `position`), which it moves past.
        /// The kernel decodes the other valid escapes, so any other byte here is an error.
        private mutating func escapedScalar(strictSurrogates: Bool) throws(Failure) -> Unicode.Scalar {
            guard let byte = peek else { throw error("an escape") }
            advance()
            switch byte {
            case UInt8(ascii: "u"):
                let escapeStart = position - 2
                var scalar = try hex4()
                var lone = false
                if (0xD800...0xDBFF).contains(scalar) {
                    let save = position
                    if peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            lone = true
                        }
                    } else {
                        lone = true
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    lone = true
                }
                if lone {
                    if strictSurrogates {
                        let text = String(decoding: bytes[escapeStart..<escapeStart + 6], as: UTF8.self)
                        throw .invalidID("lone surrogate \(text) at column \(escapeStart + 1)")
                    }
                    scalar = 0xFFFD
                }
                // Surrogates were combined or replaced: every value left is a scalar.
                return Unicode.Scalar(scalar)!
            default:
                position -= 1
                throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
        }

        private mutating func hex4() throws(Failure) -> UInt32 {
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

        /// Reads a number in JSON's grammar and returns where its literal text lies in the line
        /// (nothing copied: a skipped number costs no allocation).
        mutating func number() throws(Failure) -> Range<Int> {
            let start = position
            if peek == UInt8(ascii: "-") { advance() }
            guard let first = peek, (0x30...0x39).contains(first) else { throw error("a digit") }
            advance()
            if first == 0x30, let next = peek, (0x30...0x39).contains(next) {
                throw error("no leading zero in a number")
            }
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
            return start..<position
        }

        /// Skips any JSON value.
        mutating func skipValue(depth: Int) throws(Failure) {
            guard depth < 512 else { throw error("nesting no deeper than 512 levels") }
            guard let byte = peek else { throw error("a value") }
            switch byte {
            case UInt8(ascii: "\""):
                try skipString()
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
                        try skipString()
                        skipSpace()
                        try expect(UInt8(ascii: ":"))
                        skipSpace()
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    if peek == UInt8(ascii: ",") {
                        advance()
                        try refuseTrailingComma(before: close)
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

        /// Moves past a string (a skipped value or key) without decoding it, refusing what
        /// ``string(strictSurrogates:)`` refuses with the same message at the same column: no
        /// closing quote, a raw control character, an invalid escape or `\u` escape.
        private mutating func skipString() throws(Failure) {
            guard try plainString() == nil else { return }
            while true {
                guard let byte = peek else { throw error("closing '\"'") }
                if byte == UInt8(ascii: "\"") {
                    advance()
                    return
                }
                guard byte == UInt8(ascii: "\\") else { throw error("no raw control character inside a string") }
                advance()
                switch peek {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    advance()
                default:
                    // `\u` (a lone surrogate reads as U+FFFD, as in a decoded key), the end of
                    // the line or an invalid escape: the decoder's own checks and messages.
                    _ = try escapedScalar(strictSurrogates: false)
                }
                position = nextSpecialByte(from: position)
            }
        }

        private mutating func literal(_ word: StaticString) throws(Failure) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            for byte in expected {
                guard peek == byte else { throw error("'\(word)'") }
                advance()
            }
        }
    }
}
