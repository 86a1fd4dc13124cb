/// The shingle-hashing kernels: tokens, word n-grams from token hashes, character k-grams.
///
/// Each input byte is hashed by XXH3 once for word shingles: a token's hash is computed once, and
/// a word n-gram's hash is an order-sensitive combination of its tokens' hashes. All functions
/// work on raw buffers whose capacities the caller guarantees; they allocate nothing.
enum _ShingleHashing {
    /// Odd 64-bit constants (xxHash's PRIME64_1 and PRIME64_2).
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// The hashes ``hashTokens(_:count:seed:into:isa:)`` needs room for, for `count` bytes of
    /// mapped text: one per token (at most `count / 2 + 1`), and the 16 bounds values the
    /// boundary kernel may write after the last pair.
    static func tokenRoom(count: Int) -> Int { _TextKernels.boundsRoom(count: count) / 2 }

    /// Hashes each token (maximal run of bytes other than 0x20) of mapped text with XXH3.
    ///
    /// The vector kernel ``_TextKernels/tokenBounds(_:count:into:isa:)`` writes every token's
    /// start and end, as a pair of 32-bit values, where its hash goes: the transitions of a bit
    /// mask of word bytes, 64 bytes at a time (AVX-512 packs them without a branch per token,
    /// where a trailing-zero loop mispredicted its exit once per block). Then
    /// ``_TextKernels/hashTokenBounds(_:readable:tokens:count:seed:isa:)`` hashes them all in place
    /// without a branch on the token's length (xxHash's short-input branch mispredicted on about
    /// half the tokens of news text), eight at a time with AVX-512: it reads each pair as one
    /// 64-bit lane, so no pass in between turns the pairs into another form.
    ///
    /// - Precondition: `text` is followed by at least 64 readable 0x20 bytes; `tokenHashes` has
    ///   room for ``tokenRoom(count:)`` hashes; `count` is below 2³¹ (the bounds are 32-bit values).
    /// - Parameter isa: A kernel variant to force (tests); `nil` uses the process's.
    /// - Returns: The number of tokens.
    static func hashTokens(
        _ text: UnsafePointer<UInt8>, count: Int, seed: UInt64, into tokenHashes: UnsafeMutablePointer<UInt64>,
        isa: SignatureKernelISA? = nil
    ) -> Int {
        precondition(count < Int(Int32.max), "a document must fold to less than 2 GiB")
        // SAFETY: `tokenRoom(count:)` hashes are the 32-bit values the boundary kernel may write;
        // pair i occupies the bytes of hash i, and the hash kernel reads it before it writes
        // that hash.
        let tokens = tokenHashes.withMemoryRebound(to: Int32.self, capacity: 2 * tokenRoom(count: count)) { bounds in
            // An unsupported forced variant is a test's mistake; the portable one always runs.
            _TextKernels.tokenBounds(text, count: count, into: bounds, isa: isa)
                ?? _TextKernels.tokenBounds(text, count: count, into: bounds, isa: .portable)!
        }
        // SAFETY: every token lies inside `text`, which the map's padding bytes follow.
        let readable = count + TextNormalizer._tokenPadding
        if !_TextKernels.hashTokenBounds(text, readable: readable, tokens: tokenHashes, count: tokens, seed: seed, isa: isa) {
            _TextKernels.hashTokenBounds(text, readable: readable, tokens: tokenHashes, count: tokens, seed: seed, isa: .portable)
        }
        return tokens
    }

    /// The base of the rolling polynomial over token hashes (xxHash's PRIME64_1, odd).
    static let base: UInt64 = prime1

    /// One word n-gram's hash from its tokens' hashes t₀…tₙ₋₁: the polynomial
    /// Σ tⱼ·Bⁿ⁻¹⁻ʲ (mod 2⁶⁴), which is order-sensitive and rolls in O(1) from one window to the
    /// next, then keyed by the seed and the window's width and fully mixed.
    @inline(__always)
    static func combine(_ tokenHashes: UnsafePointer<UInt64>, count: Int, seed: UInt64) -> UInt64 {
        var polynomial: UInt64 = 0
        for index in 0..<count {
            polynomial = polynomial &* base &+ tokenHashes[index]
        }
        return finalize(polynomial, width: count, seed: seed)
    }

    /// Keys a window's polynomial by seed and width, then mixes it.
    @inline(__always)
    static func finalize(_ polynomial: UInt64, width: Int, seed: UInt64) -> UInt64 {
        finalMix(polynomial ^ windowKey(width: width, seed: seed))
    }

    /// What ``finalize(_:width:seed:)`` XORs into a window's polynomial: the seed and the width.
    @inline(__always)
    static func windowKey(width: Int, seed: UInt64) -> UInt64 {
        (seed &* prime2) ^ UInt64(truncatingIfNeeded: width)
    }

    /// A 64-bit finalizer with full avalanche (Murmur3's fmix64).
    @inline(__always)
    static func finalMix(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }

    /// Word n-gram hashes from token hashes: `tokens - n + 1` of them, or one for a document of
    /// fewer than `n` (but at least one) tokens.
    ///
    /// The windows of a longer document go to ``_TextKernels/wordShingles(_:windows:width:key:base:into:isa:)``:
    /// with AVX-512, eight windows at a time, each polynomial evaluated directly (the same value
    /// mod 2⁶⁴ as the rolled one, without the rolled loop's chain of multiplications); otherwise
    /// rolled in O(1) per window.
    ///
    /// - Precondition: `shingles` has room for `max(tokens - n + 1, 1)` hashes.
    /// - Parameter isa: A kernel variant to force (tests); `nil` uses the process's.
    /// - Returns: The number of shingles written.
    static func wordShingles(
        _ tokenHashes: UnsafePointer<UInt64>, tokens: Int, width: Int, seed: UInt64,
        into shingles: UnsafeMutablePointer<UInt64>, isa: SignatureKernelISA? = nil
    ) -> Int {
        guard tokens > 0 else { return 0 }
        guard tokens > width else {
            shingles[0] = combine(tokenHashes, count: tokens, seed: seed)
            return 1
        }
        let count = tokens &- width &+ 1
        let key = windowKey(width: width, seed: seed)
        // SAFETY: `tokenHashes` holds `count + width - 1` hashes; `shingles` has room for `count`.
        if !_TextKernels.wordShingles(tokenHashes, windows: count, width: width, key: key, base: base, into: shingles, isa: isa) {
            _TextKernels.wordShingles(tokenHashes, windows: count, width: width, key: key, base: base, into: shingles, isa: .portable)
        }
        return count
    }

    /// Character k-gram hashes (k Unicode scalars, spaces included) of normalized text, or one
    /// hash of the whole text when it has fewer than k scalars.
    ///
    /// - Precondition: `shingles` and `scalarStarts` have room for `count + 1` elements.
    /// - Returns: The number of shingles written.
    static func characterShingles(
        _ text: UnsafePointer<UInt8>, count: Int, width: Int, seed: UInt64,
        scalarStarts: UnsafeMutablePointer<Int32>, into shingles: UnsafeMutablePointer<UInt64>
    ) -> Int {
        guard count > 0 else { return 0 }
        var scalars = 0
        for index in 0..<count where text[index] & 0xC0 != 0x80 {
            scalarStarts[scalars] = Int32(truncatingIfNeeded: index)
            scalars &+= 1
        }
        scalarStarts[scalars] = Int32(truncatingIfNeeded: count)
        guard scalars > width else {
            shingles[0] = _xxh3_64(text, count, seed)
            return 1
        }
        let windows = scalars &- width &+ 1
        for index in 0..<windows {
            let start = Int(scalarStarts[index])
            let end = Int(scalarStarts[index &+ width])
            shingles[index] = _xxh3_64(text + start, end &- start, seed)
        }
        return windows
    }
}
