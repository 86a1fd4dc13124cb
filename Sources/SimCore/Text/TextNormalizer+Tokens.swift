import SimCoreInternals

extension TextNormalizer {
    /// Maps `input` to normalized bytes *without* collapsing separators, for word tokenization.
    ///
    /// The tokens of the result (maximal runs of bytes other than 0x20) are exactly the tokens of
    /// ``normalize(utf8:)``; only the separator runs differ. Skipping the collapse lets eight ASCII
    /// bytes be mapped at once with SWAR arithmetic when punctuation is not kept: letters are
    /// lower-cased (if asked), letters and digits kept, every other ASCII byte becomes 0x20.
    /// Non-ASCII scalars take the same fold table as ``normalize(utf8:)``.
    ///
    /// - Returns: The number of bytes written; 64 more 0x20 bytes follow them, so that a reader
    ///   may load whole 64-byte blocks up to the end.
    func _mapForTokens(_ input: UnsafeRawBufferPointer, into output: ScratchBuffer<UInt8>) -> Int {
        let inputCount = input.count
        guard inputCount > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return 0
        }
        var out = output.reserve(inputCount + 72).baseAddress!
        let ascii = UnsafePointer(table.ascii.baseAddress!)
        let swar = !options.keepPunctuation
        let caseBit: UInt64 = options.lowercase ? 0x2020_2020_2020_2020 : 0
        var written = 0
        var index = 0
        while index < inputCount {
            if swar && index &+ 8 <= inputCount {
                let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
                let highBits = word & 0x8080_8080_8080_8080
                // SAFETY: `out` has room for one byte per remaining input byte plus 72, so a
                // whole word may be stored even when only its first bytes are kept.
                UnsafeMutableRawPointer(out + written).storeBytes(
                    of: _mapASCIIWord(word, caseBit: caseBit), as: UInt64.self)
                if highBits == 0 {
                    written &+= 8
                    index &+= 8
                    continue
                }
                // Keep the ASCII bytes before the first non-ASCII one: a byte ≥ 0x80 can only
                // carry into the bytes after it, so theirs are mapped right.
                let asciiBytes = highBits.trailingZeroBitCount >> 3
                written &+= asciiBytes
                index &+= asciiBytes
            }
            let byte = source[index]
            if byte < 0x80 {
                out[written] = ascii[Int(byte)]
                written &+= 1
                index &+= 1
                continue
            }
            let (scalar, length) = UTF8Scalars.decode(source, index, inputCount)
            index &+= length
            withFolded(scalar) { folded in
                let needed = written + folded.count + (inputCount - index) + 72
                if needed > output.storage.count {
                    out = output.grow(to: needed, keeping: written).baseAddress!
                }
                for mapped in folded {
                    out[written] = mapped
                    written &+= 1
                }
            }
        }
        (out + written).initialize(repeating: 0x20, count: 64)
        return written
    }
}

/// Maps eight ASCII bytes at once: letters (lower-cased when `caseBit` is 0x20 in every byte)
/// and digits are kept, every other byte becomes 0x20.
///
/// A byte below 0x80 plus a constant below 0x80 never carries into the next byte:
/// `b + (0x80 - lo)` has its high bit set iff `b >= lo`, and `b + (0x7F - hi)` iff `b > hi`.
/// A byte of 0x80 or more maps to garbage and may disturb the bytes after it (carries move
/// upward), never the bytes before it: callers keep only the bytes before the first such byte.
@inline(__always)
func _mapASCIIWord(_ word: UInt64, caseBit: UInt64) -> UInt64 {
    @inline(__always) func inRange(_ low: UInt64, _ high: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        return (word &+ (0x80 - low) &* ones) & ~(word &+ (0x7F - high) &* ones) & 0x8080_8080_8080_8080
    }
    let upper = inRange(0x41, 0x5A)
    let lower = inRange(0x61, 0x7A)
    let digit = inRange(0x30, 0x39)
    let keep = ((upper | lower | digit) >> 7) &* 0xFF
    let mapped = word | ((upper >> 2) & caseBit)
    return (mapped & keep) | (0x2020_2020_2020_2020 & ~keep)
}

extension TextNormalizer {
    /// The seeded XXH3-64 hash of each token that word shingling's fast path finds in `bytes`
    /// (``_mapForTokens(_:into:)`` and the 64-byte boundary scan of `_ShingleHashing`), in order.
    ///
    /// Package access, so that tests and the normalization fuzz target can hold the fast path
    /// against the reference: the tokens of ``normalize(utf8:)`` split at spaces.
    ///
    /// - Parameters:
    ///   - bytes: Any bytes (invalid UTF-8 is replaced).
    ///   - seed: The XXH3 seed.
    /// - Returns: One hash per token.
    package func _fastPathTokenHashes(ofUTF8 bytes: UnsafeRawBufferPointer, seed: UInt64) -> [UInt64] {
        let scratch = ScratchBuffer<UInt8>()
        let mapped = _mapForTokens(bytes, into: scratch)
        guard mapped > 0 else { return [] }
        return [UInt64](unsafeUninitializedCapacity: mapped / 2 + 1) { hashes, initialized in
            initialized = _ShingleHashing.hashTokens(
                scratch.storage.baseAddress!, count: mapped, seed: seed, into: hashes.baseAddress!)
        }
    }
}
