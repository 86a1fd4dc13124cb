/// The shingle-hashing kernels: tokens, word n-grams from token hashes, character k-grams.
///
/// Each input byte is hashed by XXH3 once for word shingles: a token's hash is computed once, and
/// a word n-gram's hash is an order-sensitive combination of its tokens' hashes. All functions
/// work on raw buffers whose capacities the caller guarantees; they allocate nothing.
enum _ShingleHashing {
    /// Odd 64-bit constants (xxHash's PRIME64_1 and PRIME64_2).
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// Hashes each space-separated token of normalized text with XXH3.
    ///
    /// - Precondition: `tokenHashes` has room for `count / 2 + 1` hashes.
    /// - Returns: The number of tokens.
    static func hashTokens(
        _ text: UnsafePointer<UInt8>, count: Int, seed: UInt64, into tokenHashes: UnsafeMutablePointer<UInt64>
    ) -> Int {
        guard count > 0 else { return 0 }
        var tokens = 0
        var start = 0
        for index in 0..<count where text[index] == 0x20 {
            tokenHashes[tokens] = _xxh3_64(text + start, index &- start, seed)
            tokens &+= 1
            start = index &+ 1
        }
        tokenHashes[tokens] = _xxh3_64(text + start, count &- start, seed)
        return tokens &+ 1
    }

    /// One word n-gram's hash from its tokens' hashes: order-sensitive, then fully mixed.
    @inline(__always)
    static func combine(_ tokenHashes: UnsafePointer<UInt64>, count: Int, seed: UInt64) -> UInt64 {
        var hash = seed ^ prime2 ^ UInt64(truncatingIfNeeded: count)
        for index in 0..<count {
            hash = (hash ^ tokenHashes[index]) &* prime1
            hash = (hash << 31) | (hash >> 33)
        }
        return finalMix(hash)
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
    /// - Precondition: `shingles` has room for `max(tokens - n + 1, 1)` hashes.
    /// - Returns: The number of shingles written.
    static func wordShingles(
        _ tokenHashes: UnsafePointer<UInt64>, tokens: Int, width: Int, seed: UInt64,
        into shingles: UnsafeMutablePointer<UInt64>
    ) -> Int {
        guard tokens > 0 else { return 0 }
        guard tokens > width else {
            shingles[0] = combine(tokenHashes, count: tokens, seed: seed)
            return 1
        }
        let count = tokens &- width &+ 1
        for index in 0..<count {
            shingles[index] = combine(tokenHashes + index, count: width, seed: seed)
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
