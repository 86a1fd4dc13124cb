/// UTF-8 decoding and validation: the one implementation the normalizer, the corpus readers and
/// the command lines share.
///
/// A sequence is valid when it is shortest-form, encodes no surrogate and no value above
/// U+10FFFF (RFC 3629). Decoding resynchronizes one byte at a time after an invalid sequence, as
/// the Unicode standard recommends ("maximal subpart" replacement is not attempted).
///
/// Public, not `package`, as is ``decode(_:_:_:)``: this toolchain (Swift 6.3) inlines no
/// `package` function into another module, `@inlinable` or not, and the normalizer decodes every
/// scalar of a non-Latin text through it (a call per scalar was 8% of the instructions of
/// Cyrillic news, 14% once the ASCII kernel no longer ran between words). SimCoreInternals is
/// no product, so nothing outside the package imports it.
public enum UTF8Scalars {
    /// Decodes one scalar of UTF-8 starting at a non-ASCII byte.
    ///
    /// - Parameters:
    ///   - bytes: The text.
    ///   - index: The position of the lead byte (at least 0x80).
    ///   - count: The number of readable bytes at `bytes`.
    /// - Returns: The scalar value (U+FFFD for an invalid sequence) and how many bytes it used
    ///   (1 for an invalid sequence, so decoding resynchronizes at the next byte).
    @inlinable @inline(__always)
    public static func decode(_ bytes: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> (UInt32, Int) {
        let (value, length) = decodeTwoOrThreeBytes(bytes, index, count)
        if length != 0 { return (value, length) }
        let lead = UInt32(bytes[index])
        if lead &- 0xF0 <= 0xF4 - 0xF0 && count &- index >= 4 {
            // Wrapping: index + 3 < count.
            let c1 = UInt32(bytes[index &+ 1]), c2 = UInt32(bytes[index &+ 2]), c3 = UInt32(bytes[index &+ 3])
            if (c1 | c2 << 8 | c3 << 16) & 0xC0C0C0 == 0x808080 {
                let value = (lead & 0x07) << 18 | (c1 & 0x3F) << 12 | (c2 & 0x3F) << 6 | c3 & 0x3F
                if (0x10000...0x10FFFF).contains(value) { return (value, 4) }
            }
        }
        return (0xFFFD, 1)
    }

    /// Decodes one 2- or 3-byte scalar (U+0080...U+FFFF, no surrogate) starting at `index`: the
    /// letters of every script of the Basic Multilingual Plane, so the normalizer's loop over a
    /// run of them; ``decode(_:_:_:)`` adds 4-byte scalars and the replacement of invalid bytes.
    ///
    /// - Parameters:
    ///   - bytes: The text.
    ///   - index: A position, at most `count`.
    ///   - count: The number of readable bytes at `bytes`.
    /// - Returns: The scalar value and its length (2 or 3), or a length of 0 when the bytes at
    ///   `index` are anything else: ASCII, a 4-byte scalar, an invalid or truncated sequence.
    @inlinable @inline(__always)
    public static func decodeTwoOrThreeBytes(_ bytes: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> (UInt32, Int) {
        // Wrapping: 0 ≤ `index` ≤ `count`, so neither `count - index` nor `index + 2` overflows.
        let left = count &- index
        guard left >= 2 else { return (0, 0) }
        let lead = UInt32(bytes[index])
        let c1 = UInt32(bytes[index &+ 1])
        guard c1 & 0xC0 == 0x80 else { return (0, 0) }
        // 0xC0 and 0xC1 would be overlong.
        if lead &- 0xC2 <= 0xDF - 0xC2 { return ((lead & 0x1F) << 6 | c1 & 0x3F, 2) }
        guard lead & 0xF0 == 0xE0, left >= 3 else { return (0, 0) }
        let c2 = UInt32(bytes[index &+ 2])
        guard c2 & 0xC0 == 0x80 else { return (0, 0) }
        let value = (lead & 0x0F) << 12 | (c1 & 0x3F) << 6 | c2 & 0x3F
        // Not overlong, not a surrogate.
        guard value >= 0x800, value &- 0xD800 >= 0x800 else { return (0, 0) }
        return (value, 3)
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or `nil` if all
    /// of `bytes` is valid UTF-8. ASCII is checked 32 bytes at a time, then eight.
    ///
    /// - Parameter bytes: Any bytes.
    /// - Returns: The offset of the first invalid sequence, or `nil`.
    /// - Complexity: O(n).
    package static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let count = bytes.count
        var index = 0
        while index < count {
            // Text is mostly ASCII: 32 bytes per step while it lasts, then 8, then one scalar.
            if index + 32 <= count {
                let raw = UnsafeRawPointer(base + index)
                let any = raw.loadUnaligned(as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                if any & 0x8080_8080_8080_8080 == 0 {
                    index += 32
                    continue
                }
            }
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            if base[index] < 0x80 {
                index += 1
                continue
            }
            let (scalar, length) = decode(base, index, count)
            if scalar == 0xFFFD && length == 1 {
                return index
            }
            index += length
        }
        return nil
    }

    /// ``firstInvalidOffset(_:)`` of a byte array.
    package static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { firstInvalidOffset($0) }
    }
}
