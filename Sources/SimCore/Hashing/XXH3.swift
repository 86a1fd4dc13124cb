internal import CXXHash
import SimCoreInternals

/// XXH3 hashing of raw bytes: 64-bit and 128-bit, seeded.
///
/// A thin, safe wrapper over xxHash (Debian's `libxxhash-dev`). SimCore compiles the header's
/// own implementation into its code (`XXH_INLINE_ALL`) because that measured faster than a call
/// into the shared library on the short inputs that shingling hashes, and so that no binary
/// needs `libxxhash.so` to run. ``Implementation/sharedLibrary`` loads the shared library at run
/// time where it is installed, so `simbench run` can compare the two on any machine.
///
/// The values are xxHash's, identical on every machine and byte order:
/// ```swift
/// XXH3.hash64(Array("xxhash".utf8), seed: 0)  // the value `xxhsum -H3` prints for "xxhash"
/// ```
public enum XXH3 {
    /// Where the hash function's code comes from.
    public enum Implementation: String, Sendable, CaseIterable {
        /// The header's implementation, inlined into SimCore (`XXH_INLINE_ALL`): the default.
        case inline
        /// A call into the shared library `libxxhash.so.0`, loaded on first use; only where it
        /// is installed (``isAvailable``).
        case sharedLibrary

        /// Whether this implementation can run here: always for ``inline``; for
        /// ``sharedLibrary``, whether `libxxhash.so.0` (Debian's `libxxhash0`) could be loaded.
        public var isAvailable: Bool {
            switch self {
            case .inline: true
            case .sharedLibrary: _SharedXXHash.functions != nil
            }
        }
    }

    /// The 64-bit XXH3 hash of `bytes` with `seed`.
    ///
    /// - Parameters:
    ///   - bytes: Any contiguous bytes.
    ///   - seed: The seed; 0 gives xxHash's unseeded XXH3.
    ///   - implementation: Which copy of the code runs; both give the same value.
    ///     ``Implementation/sharedLibrary`` must be ``Implementation/isAvailable``.
    /// - Returns: The hash, the same on every machine.
    /// - Complexity: O(n) in the number of bytes.
    public static func hash64(
        _ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0, implementation: Implementation = .inline
    ) -> UInt64 {
        switch implementation {
        case .inline:
            return _xxh3_64(bytes.baseAddress, bytes.count, seed)
        case .sharedLibrary:
            return _SharedXXHash.required.hash64(bytes.baseAddress, bytes.count, seed)
        }
    }

    /// The 64-bit XXH3 hash of a byte array with `seed`.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to hash.
    ///   - seed: The seed; 0 gives xxHash's unseeded XXH3.
    /// - Returns: The hash, the same on every machine.
    public static func hash64(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash64($0, seed: seed) }
    }

    /// The 128-bit XXH3 hash of `bytes` with `seed`, as (low, high) 64-bit halves.
    ///
    /// - Parameters:
    ///   - bytes: Any contiguous bytes.
    ///   - seed: The seed; 0 gives xxHash's unseeded XXH3-128.
    ///   - implementation: Which copy of the code runs; both give the same value.
    ///     ``Implementation/sharedLibrary`` must be ``Implementation/isAvailable``.
    /// - Returns: The hash's low and high halves (xxHash's `low64`, `high64`).
    public static func hash128(
        _ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0, implementation: Implementation = .inline
    ) -> (low: UInt64, high: UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        switch implementation {
        case .inline:
            simcore_inline_xxh3_128(bytes.baseAddress, bytes.count, seed, &low, &high)
        case .sharedLibrary:
            let result = _SharedXXHash.required.hash128(bytes.baseAddress, bytes.count, seed)
            low = result.low64
            high = result.high64
        }
        return (low, high)
    }

    /// The 128-bit XXH3 hash of a byte array with `seed`, as (low, high) 64-bit halves.
    public static func hash128(_ bytes: [UInt8], seed: UInt64 = 0) -> (low: UInt64, high: UInt64) {
        bytes.withUnsafeBytes { hash128($0, seed: seed) }
    }
}

/// The inlined XXH3-64 kernel used on every hot path (one token, one character k-gram).
///
/// Inputs of at most 16 bytes (most tokens) take xxHash's own short-input branch directly, which
/// inlines into the caller's loop; longer ones call the full function. Same values either way.
/// `start` may be nil only when `count` is 0 (xxHash accepts that).
@inline(__always)
internal func _xxh3_64(_ start: UnsafeRawPointer?, _ count: Int, _ seed: UInt64) -> UInt64 {
    count <= 16 ? simcore_inline_xxh3_64_upto16(start, count, seed) : simcore_inline_xxh3_64(start, count, seed)
}

/// The shared library's XXH3 functions, loaded once (`dlopen("libxxhash.so.0")`).
struct _SharedXXHash: Sendable {
    let hash64: @convention(c) (UnsafeRawPointer?, Int, UInt64) -> UInt64
    let hash128: @convention(c) (UnsafeRawPointer?, Int, UInt64) -> simcore_xxh128_result

    /// The functions, or `nil` when the library or a symbol is missing.
    static let functions: _SharedXXHash? = {
        guard let hash64 = Platform.symbol(named: "XXH3_64bits_withSeed", inLibrary: "libxxhash.so.0"),
              let hash128 = Platform.symbol(named: "XXH3_128bits_withSeed", inLibrary: "libxxhash.so.0")
        else { return nil }
        // SAFETY: the symbols are xxHash's exported functions with these C signatures (xxhash.h);
        // XXH128_hash_t is two uint64_t, as simcore_xxh128_result.
        return _SharedXXHash(
            hash64: unsafeBitCast(hash64, to: (@convention(c) (UnsafeRawPointer?, Int, UInt64) -> UInt64).self),
            hash128: unsafeBitCast(hash128, to: (@convention(c) (UnsafeRawPointer?, Int, UInt64) -> simcore_xxh128_result).self))
    }()

    /// The functions; a caller error where the library is not installed.
    static var required: _SharedXXHash {
        guard let functions else { preconditionFailure("XXH3.Implementation.sharedLibrary: libxxhash.so.0 is not installed") }
        return functions
    }
}
