// SimCore's view of Debian's libxxhash-dev.
//
// Two entry points per function, with stable names that do not depend on
// xxHash's macro renaming:
//   * `simcore_lib_*`    call into the shared library (libxxhash.so);
//   * `simcore_inline_*` are the header's own implementation, compiled into
//     the caller through XXH_INLINE_ALL.
// SimCore measured both on short inputs and uses the faster one (see README).
#ifndef SIMCORE_CXXHASH_SHIM_H
#define SIMCORE_CXXHASH_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <xxhash.h>

static inline uint64_t simcore_lib_xxh3_64(const void *data, size_t length, uint64_t seed) {
    return XXH3_64bits_withSeed(data, length, seed);
}

static inline void simcore_lib_xxh3_128(const void *data, size_t length, uint64_t seed,
                                        uint64_t *low, uint64_t *high) {
    XXH128_hash_t h = XXH3_128bits_withSeed(data, length, seed);
    *low = h.low64;
    *high = h.high64;
}

// Swift's Clang importer parses this header without optimization, so `__NO_INLINE__` is
// defined and xxHash would drop its always-inline hints: the length-class helpers would stay
// separate calls. Keep the hints; the Swift optimizer then inlines the whole short-input path.
#define XXH_NO_INLINE_HINTS 0
#define XXH_INLINE_ALL
#include <xxhash.h>

static inline uint64_t simcore_inline_xxh3_64(const void *data, size_t length, uint64_t seed) {
    return XXH3_64bits_withSeed(data, length, seed);
}

// XXH3-64 of at most 16 bytes: the branch of XXH3_64bits_withSeed that such inputs take, with
// the same secret, so the value is the same. Small enough for the optimizer to inline into a
// per-token loop, where the full function (with its long-input paths) stays a call.
static inline uint64_t simcore_inline_xxh3_64_upto16(const void *data, size_t length, uint64_t seed) {
    return XXH3_len_0to16_64b((const xxh_u8 *)data, length, XXH3_kSecret, seed);
}

static inline void simcore_inline_xxh3_128(const void *data, size_t length, uint64_t seed,
                                           uint64_t *low, uint64_t *high) {
    XXH128_hash_t h = XXH3_128bits_withSeed(data, length, seed);
    *low = h.low64;
    *high = h.high64;
}

#endif
