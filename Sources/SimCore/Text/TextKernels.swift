internal import CSimKernels
import SimCoreInternals

/// The C text kernels (`CSimKernels/text.c`): the ASCII token map and the token boundaries of
/// word shingling, and the JSON string scan of the corpus reader (package access, for
/// SimCoreIO); 32 bytes per step with AVX2 and 64 with AVX-512BW, chosen once per process
/// like the MinHash kernel (``SignatureKernelISA``, capped by `SIMCORE_ISA`; the AVX-512 variant
/// also needs AVX-512BW and DQ); and the token hashes of word shingling. Every variant gives the
/// portable one's bytes, boundaries and hashes (the JSON unescape's AVX-512 variant may also
/// overwrite room past the bytes it reports, as its contract allows).
package enum _TextKernels {
    /// The variant the text kernels use in this process.
    static var active: SignatureKernelISA { SignatureKernelISA(code: simk_text_isa()) }

    /// The variants of the text kernels this CPU runs (the portable one always), for tests.
    package static var supportedVariants: [SignatureKernelISA] {
        SignatureKernelISA.allCases.filter { simk_text_isa_supported($0.code) != 0 }
    }

    /// Maps the ASCII prefix of `input` (letters, lower-cased when `lowercase`, and digits kept;
    /// other ASCII bytes to 0x20), stopping at the first byte of 0x80 or more.
    ///
    /// - SAFETY: `input` holds `count` bytes; `output` has room for `count` + 64 bytes.
    /// - Returns: The number of bytes mapped, or `nil` if `isa` was forced and this CPU cannot
    ///   run it.
    static func mapASCII(
        _ input: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<UInt8>, lowercase: Bool,
        isa: SignatureKernelISA? = nil
    ) -> Int? {
        guard let isa else { return simk_map_ascii(input, count, output, lowercase ? 1 : 0) }
        var processed = 0
        return simk_map_ascii_isa(isa.code, input, count, output, lowercase ? 1 : 0, &processed) == 0 ? processed : nil
    }

    /// Finds the tokens (maximal runs of bytes other than 0x20) of `text`, as pairs: token i's
    /// first byte offset goes to `bounds[2i]`, the offset after its last byte to `bounds[2i + 1]`.
    /// Each 64-byte block's bit mask of word bytes gives the boundaries as its transitions
    /// (starts and ends alternate); AVX-512 packs them 16 bytes at a time (VPCOMPRESSD), the
    /// other variants take one trailing-zero count per boundary.
    ///
    /// AVX-512 writes whole 16-lane registers, so up to 16 values after the last pair change too.
    ///
    /// - SAFETY: `text` holds `count` bytes followed by 0x20 bytes up to the next multiple of
    ///   64; `bounds` has room for ``boundsRoom(count:)`` values; `count` < 2³¹.
    /// - Returns: The number of tokens.
    static func tokenBounds(_ text: UnsafePointer<UInt8>, count: Int, into bounds: UnsafeMutablePointer<Int32>) -> Int {
        simk_token_bounds(text, count, bounds)
    }

    /// The values ``tokenBounds(_:count:into:)`` may write for `count` bytes of text: a pair for
    /// each of at most `count / 2 + 1` tokens, and 16 more.
    static func boundsRoom(count: Int) -> Int { 2 * (count / 2 + 1) + 16 }

    /// ``tokenBounds(_:count:into:)`` on the variant `isa` (`nil`: the process's), for tests.
    ///
    /// - Returns: The number of tokens, or `nil` if `isa` was forced and this CPU cannot run it
    ///   (nothing written).
    static func tokenBounds(
        _ text: UnsafePointer<UInt8>, count: Int, into bounds: UnsafeMutablePointer<Int32>, isa: SignatureKernelISA?
    ) -> Int? {
        guard let isa else { return tokenBounds(text, count: count, into: bounds) }
        var tokens = 0
        return simk_token_bounds_isa(isa.code, text, count, bounds, &tokens) == 0 ? tokens : nil
    }

    /// Replaces each token's bounds in `tokens` by the seeded XXH3-64 hash of those bytes of
    /// `text` (the value of ``XXH3/hash64(_:seed:)``), in place. A token's bounds take its 8
    /// bytes as ``tokenBounds(_:count:into:isa:)`` writes them: its first byte's offset, then
    /// the offset after its last byte, two 32-bit values. Without a branch on the length up to
    /// 16 bytes, eight tokens per step with AVX-512, four with AVX2; the portable variant one at
    /// a time.
    ///
    /// With AVX-512 VBMI, eight tokens within 128 bytes take their bytes out of two 64-byte loads
    /// instead of two gathers: any of the `readable` bytes may be read.
    ///
    /// - SAFETY: `text` has `readable` readable bytes; every token has a length of at least 1,
    ///   and `readable` is at least 8 past its start and not before its end (word shingling's
    ///   64 padding bytes); `tokens` holds `count` values.
    /// - Returns: `false` if `isa` was forced and this CPU cannot run it (nothing written).
    @discardableResult
    static func hashTokenBounds(
        _ text: UnsafePointer<UInt8>, readable: Int, tokens: UnsafeMutablePointer<UInt64>, count: Int, seed: UInt64,
        isa: SignatureKernelISA? = nil
    ) -> Bool {
        guard let isa else {
            simk_hash_token_bounds(text, readable, tokens, count, seed)
            return true
        }
        return simk_hash_token_bounds_isa(isa.code, text, readable, tokens, count, seed) == 0
    }

    /// Whether ``hashTokenBounds(_:readable:tokens:count:seed:isa:)``'s AVX-512 variant reads the
    /// tokens' bytes out of 64-byte loads (this CPU has AVX-512 VBMI) rather than by gathers.
    static var hashesTokensWithLoads: Bool { simk_has_avx512_vbmi() != 0 }

    /// ``hashTokenBounds(_:readable:tokens:count:seed:isa:)``'s AVX-512 variant for CPUs without
    /// VBMI (gathers), which a CPU with VBMI never runs otherwise, for tests.
    ///
    /// - SAFETY: as ``hashTokenBounds(_:readable:tokens:count:seed:isa:)``.
    /// - Returns: `false` if this CPU cannot run the AVX-512 variant (nothing written).
    static func hashTokenBoundsWithGathers(
        _ text: UnsafePointer<UInt8>, tokens: UnsafeMutablePointer<UInt64>, count: Int, seed: UInt64
    ) -> Bool {
        simk_hash_token_bounds_gathers(text, tokens, count, seed) == 0
    }

    /// Word n-gram hashes from token hashes: for each of `windows` windows i, Murmur3's fmix64
    /// of `P ^ key`, where P = Σⱼ tokens[i + j]·base^(width − 1 − j) mod 2⁶⁴ (see
    /// `_ShingleHashing.finalize`). Eight windows per step with AVX-512 for widths up to 8;
    /// rolled from one window to the next otherwise.
    ///
    /// - SAFETY: `windows` ≥ 1 and `width` ≥ 1; `tokens` holds `windows + width − 1` hashes and
    ///   `shingles` has room for `windows`.
    /// - Returns: `false` if `isa` was forced and this CPU cannot run it (nothing written).
    @discardableResult
    static func wordShingles(
        _ tokens: UnsafePointer<UInt64>, windows: Int, width: Int, key: UInt64, base: UInt64,
        into shingles: UnsafeMutablePointer<UInt64>, isa: SignatureKernelISA? = nil
    ) -> Bool {
        guard let isa else {
            simk_word_shingles(tokens, windows, width, key, base, shingles)
            return true
        }
        return simk_word_shingles_isa(isa.code, tokens, windows, width, key, base, shingles) == 0
    }

    /// The position of the first `"`, `\` or control byte (below 0x20) among `count` bytes,
    /// or `count` if there is none: where a JSON string's plain run ends.
    ///
    /// - SAFETY: `bytes` holds `count` readable bytes; exactly those are read.
    /// - Returns: The position, or `nil` if `isa` was forced and this CPU cannot run it.
    package static func jsonSpecialByte(
        _ bytes: UnsafePointer<UInt8>, count: Int, isa: SignatureKernelISA? = nil
    ) -> Int? {
        guard let isa else { return simk_json_special(bytes, count) }
        var position = 0
        return simk_json_special_isa(isa.code, bytes, count, &position) == 0 ? position : nil
    }

    /// Decodes the inside of a JSON string from `source` into `destination` up to the first
    /// byte it leaves to the caller: the closing quote, a control byte, an invalid escape, a `\u`
    /// escape with bad hex digits or of a lone surrogate, an escape cut off by the end, or the
    /// end. Plain runs (found as ``jsonSpecialByte(_:count:isa:)`` finds them) are copied whole
    /// and the escapes `\" \\ \/ \b \f \n \r \t` and `\uXXXX` (a surrogate pair's two as
    /// one scalar) decoded on the way, in one call however many there are: text written with
    /// every non-ASCII letter escaped (Python's `json.dumps` default) took 5.4 times the
    /// instructions of the same text in UTF-8 while each `\u` escape went back to Swift.
    ///
    /// - SAFETY: `source` holds `count` readable bytes and `destination` room for `count`
    ///   bytes, all of which the AVX-512 variant may write (it stores whole blocks while it
    ///   scans); the first `written` are the decoded bytes (escapes only shrink: 2, 6 and 12
    ///   bytes become 1, at most 3, and 4).
    /// - Returns: The source bytes consumed (where it stopped) and the bytes written, or `nil`
    ///   if `isa` was forced and this CPU cannot run it.
    package static func jsonUnescape(
        _ source: UnsafePointer<UInt8>, count: Int, into destination: UnsafeMutablePointer<UInt8>, isa: SignatureKernelISA? = nil
    ) -> (consumed: Int, written: Int)? {
        var written = 0
        guard let isa else {
            let consumed = simk_json_unescape(source, count, destination, &written)
            return (consumed, written)
        }
        var consumed = 0
        return simk_json_unescape_isa(isa.code, source, count, destination, &consumed, &written) == 0 ? (consumed, written) : nil
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence, or `nil` if all
    /// of `bytes` is valid: exactly `UTF8Scalars.firstInvalidOffset(_:)` (the corpus reader
    /// checks every line before parsing it). One C call: ASCII runs are skipped 64 bytes per
    /// step, and each run of non-ASCII sequences is decoded to its end before the vector
    /// scan resumes. On news text (a curly quote or an accent every 500 bytes or so) a Swift
    /// loop calling the scan once per ASCII run took 3.3% of a one-thread run's samples; this
    /// takes 2.7%, most of it the first read of each line.
    ///
    /// ```swift
    /// Array("café".utf8).withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) }        // nil
    /// [0x61, 0xC3, 0x28].withUnsafeBytes { _TextKernels.firstInvalidUTF8Offset($0) }         // 1
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: Any bytes.
    ///   - isa: A forced variant, for tests (default: the process's).
    /// - Returns: The offset of the first invalid sequence, or `nil` (also when `isa` was forced
    ///   and this CPU cannot run it: tests ask ``supportedVariants`` first).
    /// - Complexity: O(n).
    package static func firstInvalidUTF8Offset(_ bytes: UnsafeRawBufferPointer, isa: SignatureKernelISA? = nil) -> Int? {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var position = 0
        if let isa {
            guard simk_utf8_first_invalid_isa(isa.code, base, bytes.count, &position) == 0 else { return nil }
        } else {
            position = simk_utf8_first_invalid(base, bytes.count)
        }
        return position < bytes.count ? position : nil
    }
}
