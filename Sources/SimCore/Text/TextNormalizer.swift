import SimCoreInternals

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
/// ASCII takes a table-driven fast path; other scalars a second table, whose pages are built
/// once per process as their scripts are first seen. Output is identical on every machine for
/// the same Swift toolchain (whose Unicode tables define NFKC and case mapping).
///
/// ```swift
/// TextNormalizer().normalize("Putin’s visit — «historic»")   // "putin s visit historic"
/// ```
public struct TextNormalizer: Sendable {
    /// The options this normalizer applies.
    public let options: NormalizationOptions
    let table: _FoldTable

    /// Creates a normalizer; the first one for a set of options builds the first page of its
    /// table (about 0.4 ms; other pages are built when their scripts are first seen).
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
        let scratch = ScratchBuffer<UInt8>()
        let count = _normalize(bytes, into: scratch)
        return Array(scratch.storage[0..<count])
    }

    /// The normalized form of a byte array, which may be invalid UTF-8.
    public func normalize(utf8 bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { normalize(utf8: $0) }
    }

    /// Normalizes `input` into `output` (grown as needed): the collapsed canonical text.
    ///
    /// The hot loop is branch-free per ASCII byte and takes eight bytes at a time while they are
    /// all ASCII: each byte is looked up and written, and the write cursor advances unless the
    /// byte is a separator following a separator.
    ///
    /// - Returns: The number of bytes written.
    func _normalize(_ input: UnsafeRawBufferPointer, into output: ScratchBuffer<UInt8>) -> Int {
        let inputCount = input.count
        guard inputCount > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return 0
        }
        let ascii = UnsafePointer(table.ascii.baseAddress!)
        // SAFETY: `state.out` keeps room for one byte per remaining input byte, plus slack:
        // reserved here, and grown by `appendFolded` before every expansion.
        var state = _NormalizerState(out: output.reserve(inputCount + 8).baseAddress!)
        var index = 0
        while index < inputCount {
            if index &+ 8 <= inputCount {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    state.step(ascii[Int(truncatingIfNeeded: word & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 8) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 16) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 24) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 32) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 40) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: (word >> 48) & 0xFF)])
                    state.step(ascii[Int(truncatingIfNeeded: word >> 56)])
                    index &+= 8
                    continue
                }
            }
            let byte = source[index]
            if byte < 0x80 {
                state.step(ascii[Int(byte)])
                index &+= 1
                continue
            }
            // A run of 2- and 3-byte scalars: each one's folded bytes read from its fold-table
            // entry. 4-byte scalars, invalid bytes and folded forms longer than their scalar's
            // bytes (a few) take `appendFolded`.
            let runStart = index
            while let fold = shortFold(source, index, inputCount) {
                // The output's room of one byte per input byte and 8 more holds the entry's 4
                // bytes, and `count` ≤ `length` bytes stay written.
                let folded = UInt32(littleEndian: fold.entry.loadUnaligned(as: UInt32.self))
                if fold.count > 0 && !_NormalizerState.holdsSeparator(folded, count: fold.count) {
                    state.appendWordBytes(folded, count: fold.count)
                } else {
                    for position in 0..<fold.count { state.step(UInt8(truncatingIfNeeded: folded >> (position &* 8))) }
                }
                index &+= fold.length
            }
            if index != runStart { continue }
            let (scalar, length) = UTF8Scalars.decode(source, index, inputCount)
            index &+= length
            state = appendFolded(scalar, to: state, remainingInput: inputCount - index, output: output)
        }
        return state.finish()
    }

    /// Appends the folded form of one non-ASCII scalar, growing the buffers first if needed.
    /// Out of line: it is the rare path, and taking `state` by value keeps the hot loop's state
    /// in registers.
    @inline(never)
    private func appendFolded(
        _ scalar: UInt32, to state: _NormalizerState, remainingInput: Int, output: ScratchBuffer<UInt8>
    ) -> _NormalizerState {
        var state = state
        let folded = table.folded(scalar)
        let needed = state.written + folded.count + remainingInput + 8
        if needed > output.storage.count {
            state.out = output.grow(to: needed, keeping: state.written).baseAddress!
        }
        for mapped in folded { state.step(mapped) }
        return state
    }

    /// The fold-table entry of the 2- or 3-byte scalar at `index` (the letters of every script
    /// of the Basic Multilingual Plane) when its folded form is no longer than its bytes, which
    /// is all but a few: so the entry holds the folded bytes (``_FoldTable/inlineLimit``), and
    /// the normalizer's loops take them without the general decoder or a branch per byte. `nil` for
    /// anything else (ASCII, a 4-byte scalar, invalid bytes, a longer folded form).
    ///
    /// - Returns: The entry (its first `count` bytes are the folded bytes), `count`, and the
    ///   scalar's length in the input.
    @inline(__always)
    func shortFold(
        _ source: UnsafePointer<UInt8>, _ index: Int, _ inputCount: Int
    ) -> (entry: UnsafeRawPointer, count: Int, length: Int)? {
        let (scalar, length) = UTF8Scalars.decodeTwoOrThreeBytes(source, index, inputCount)
        guard length != 0 else { return nil }
        let entry = table.entry(of: scalar)
        let count = _FoldTable.foldedCount(entry: entry)
        guard count <= length else { return nil }
        return (entry, count, length)
    }

}

/// The write side of normalization: the cursor and the last byte written.
struct _NormalizerState {
    var out: UnsafeMutablePointer<UInt8>
    var written = 0
    /// The text starts as if after a separator, so that no leading space is written.
    var last: UInt8 = 0x20

    /// Appends one normalized byte (0x20 for a separator), without a branch.
    @inline(__always)
    mutating func step(_ mapped: UInt8) {
        out[written] = mapped
        // No table byte is 0x00, so `mapped | last` is 0x20 only for two separators in a row.
        written &+= (mapped | last) != 0x20 ? 1 : 0
        last = mapped
    }

    /// Appends the first `count` (1...3) bytes of `bytes` (the first byte lowest), none of them
    /// a separator, by one 4-byte store: the cursor's room must hold 4 bytes.
    @inline(__always)
    mutating func appendWordBytes(_ bytes: UInt32, count: Int) {
        UnsafeMutableRawPointer(out + written).storeBytes(of: bytes.littleEndian, as: UInt32.self)
        written &+= count
        last = UInt8(truncatingIfNeeded: bytes >> UInt32(truncatingIfNeeded: (count &- 1) &* 8))
    }

    /// Whether one of the first `count` (0...3) bytes of `bytes` (the first byte lowest) is a
    /// separator (0x20): a zero byte of `bytes ^ 0x20202020`, found without a branch per byte.
    @inline(__always)
    static func holdsSeparator(_ bytes: UInt32, count: Int) -> Bool {
        let spaced = bytes ^ 0x2020_2020
        // A byte's high bit is set where that byte of `spaced` is zero; a borrow can set it
        // wrongly only above a byte that is really zero, so the lowest flag is always right.
        let zeros = (spaced &- 0x0101_0101) & ~spaced & 0x8080_8080
        return zeros & ((1 << UInt32(truncatingIfNeeded: count &* 8)) &- 1) != 0
    }

    /// Takes back a trailing separator; returns the number of bytes.
    func finish() -> Int {
        last == 0x20 ? Swift.max(0, written - 1) : written
    }
}
