// SimCore's view of Debian's libxxhash-dev: the header's own implementation, compiled into the
// caller through XXH_INLINE_ALL, under stable names that do not depend on xxHash's macro
// renaming. Nothing links against libxxhash.so: SimCore's binaries run without it. The shared
// library, which `simbench run` measures for comparison, is loaded at run time when present
// (see XXH3.Implementation.sharedLibrary).
#ifndef SIMCORE_CXXHASH_SHIM_H
#define SIMCORE_CXXHASH_SHIM_H

#include <stddef.h>
#include <stdint.h>

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

// XXH3-64 fed in pieces (seed 0): the same value as simcore_inline_xxh3_64 of the pieces
// joined, for a file checksummed as it is written. NULL when the state cannot be allocated.
static inline void *simcore_xxh3_stream_create(void) {
    XXH3_state_t *state = XXH3_createState();
    if (state != NULL) XXH3_64bits_reset(state);
    return state;
}

static inline void simcore_xxh3_stream_update(void *state, const void *data, size_t length) {
    XXH3_64bits_update((XXH3_state_t *)state, data, length);
}

static inline uint64_t simcore_xxh3_stream_digest(const void *state) {
    return XXH3_64bits_digest((const XXH3_state_t *)state);
}

static inline void simcore_xxh3_stream_free(void *state) {
    XXH3_freeState((XXH3_state_t *)state);
}

static inline void simcore_inline_xxh3_128(const void *data, size_t length, uint64_t seed,
                                           uint64_t *low, uint64_t *high) {
    XXH128_hash_t h = XXH3_128bits_withSeed(data, length, seed);
    *low = h.low64;
    *high = h.high64;
}

// The layout of the shared library's XXH128_hash_t, for calls through a loaded symbol.
typedef struct {
    uint64_t low64;
    uint64_t high64;
} simcore_xxh128_result;

#endif
