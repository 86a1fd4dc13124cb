/// Turns raw UTF-8 bytes into SimCore's canonical text: tokens separated by single ASCII spaces.
///
/// Rules, applied to each Unicode scalar in one pass over the bytes (no `String` per token):
/// 1. Invalid UTF-8 (a stray continuation byte, a truncated or overlong sequence, a surrogate, a
///    value above U+10FFFF) is replaced by U+FFFD one byte at a time; U+FFFD is a symbol, so it
///    becomes a separator unless punctuation is kept. Never a crash.
/// 2. With ``NormalizationOptions/foldCompatibilityForms``: typographic variants are folded
///    (curly quotes, primes, dashes, Unicode spaces, zero-width characters) and then NFKC.
/// 3. With ``NormalizationOptions/lowercase``: Unicode full lower-case mapping.
/// 4. Letters, numbers and marks are kept; every run of anything else becomes one space
///    (punctuation and symbols are kept instead with ``NormalizationOptions/keepPunctuation``).
///    No leading or trailing space.
///
/// ASCII takes a table-driven fast path; other scalars of the Basic Multilingual Plane a second
/// table, built once per process; the rest are folded on the fly. Output is identical on every
/// machine for the same Swift toolchain (whose Unicode tables define NFKC and case mapping).
///
/// ```swift
/// TextNormalizer().normalize("Putin’s visit — «historic»")   // "putin s visit historic"
/// ```
public struct TextNormalizer: Sendable {
    /// The options this normalizer applies.
    public let options: NormalizationOptions
    let table: _FoldTable

    /// Creates a normalizer; the first one for a set of options builds its table (about 0.1 s).
    ///
    /// - Parameter options: The rules to apply (default: ``NormalizationOptions/default``).
    public init(options: NormalizationOptions = .default) {
        self.options = options
        self.table = _FoldTable.shared(for: options)
    }

    /// The normalized form of `text`.
    ///
    /// - Parameter text: Any string.
    /// - Returns: The canonical text: tokens separated by single spaces.
    /// - Complexity: O(n) in the UTF-8 length of `text`.
    public func normalize(_ text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: normalize(utf8: UnsafeRawBufferPointer($0)), as: UTF8.self) }
    }

    /// The normalized form of raw UTF-8 bytes, which may be invalid.
    ///
    /// - Parameter bytes: UTF-8 bytes; invalid sequences are replaced, never trapped on.
    /// - Returns: The canonical text as UTF-8 bytes.
    /// - Complexity: O(n) in the number of bytes.
    public func normalize(utf8 bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let scratch = _ScratchBuffer<UInt8>()
        let count = _normalize(bytes, into: scratch)
        return Array(scratch.storage[0..<count])
    }

    /// The normalized form of a byte array, which may be invalid UTF-8.
    public func normalize(utf8 bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { normalize(utf8: $0) }
    }

    /// Normalizes `input` into `output` (grown as needed) and returns the number of bytes written.
    ///
    /// The hot loop is branch-light: each ASCII byte is looked up, written, and the write cursor
    /// advances unless the byte is a separator following a separator.
    func _normalize(_ input: UnsafeRawBufferPointer, into output: _ScratchBuffer<UInt8>) -> Int {
        let inputCount = input.count
        guard inputCount > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return 0
        }
        var out = output.reserve(inputCount + 8)
        let ascii = UnsafePointer(table.ascii.baseAddress!)
        var written = 0
        var last: UInt8 = 0x20  // pretend the text starts after a separator: no leading space
        var index = 0
        /// Appends a folded scalar, growing `out` so that it keeps room for the rest of the input.
        @inline(__always) func emit(_ folded: UnsafeBufferPointer<UInt8>) {
            let needed = written + folded.count + (inputCount - index) + 8
            if needed > out.count {
                out = output.grow(to: needed, keeping: written)
            }
            for mapped in folded {
                out[written] = mapped
                written &+= (mapped != 0x20 || last != 0x20) ? 1 : 0
                last = mapped
            }
        }
        while index < inputCount {
            let byte = source[index]
            if byte < 0x80 {
                // SAFETY: `out` always has room for one byte per remaining input byte (checked
                // on entry and after every expansion below).
                let mapped = ascii[Int(byte)]
                out[written] = mapped
                written &+= (mapped != 0x20 || last != 0x20) ? 1 : 0
                last = mapped
                index &+= 1
                continue
            }
            let (scalar, length) = _decodeUTF8(source, index, inputCount)
            index &+= length
            if scalar < 0x10000 {
                let entry = table.entries[Int(scalar)]
                emit(UnsafeBufferPointer(start: table.pool.baseAddress! + Int(entry >> 8), count: Int(entry & 0xFF)))
            } else {
                var folded: [UInt8] = []
                _FoldTable.fold(Unicode.Scalar(scalar)!, options: options, into: &folded)
                folded.withUnsafeBufferPointer { emit($0) }
            }
        }
        if written > 0 && last == 0x20 {
            written -= 1
        }
        return written
    }
}

/// Decodes one scalar of UTF-8 starting at a non-ASCII byte.
///
/// - Returns: The scalar value (U+FFFD for an invalid sequence) and how many bytes it used
///   (1 for an invalid sequence, so decoding resynchronizes at the next byte).
@inline(__always)
func _decodeUTF8(_ bytes: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> (UInt32, Int) {
    let lead = UInt32(bytes[index])
    @inline(__always) func continuation(_ offset: Int) -> UInt32? {
        guard index + offset < count else { return nil }
        let byte = UInt32(bytes[index + offset])
        return byte & 0xC0 == 0x80 ? byte & 0x3F : nil
    }
    switch lead {
    case 0xC2...0xDF:
        if let c1 = continuation(1) { return ((lead & 0x1F) << 6 | c1, 2) }
    case 0xE0...0xEF:
        if let c1 = continuation(1), let c2 = continuation(2) {
            let value = (lead & 0x0F) << 12 | c1 << 6 | c2
            if value >= 0x800 && !(0xD800...0xDFFF).contains(value) { return (value, 3) }
        }
    case 0xF0...0xF4:
        if let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) {
            let value = (lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if (0x10000...0x10FFFF).contains(value) { return (value, 4) }
        }
    default:
        break
    }
    return (0xFFFD, 1)
}
