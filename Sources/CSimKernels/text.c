// Text kernels of word shingling: the ASCII token map and the token boundaries, 32 or 64 bytes
// per step. See include/CSimKernels.h for the contracts; every variant gives the same bytes and
// boundaries as the portable one.
#include "CSimKernels.h"

#include <string.h>

// xxHash's own XXH3 (Debian's libxxhash-dev header, compiled in): the token hashes below are
// XXH3-64 values, and tokens longer than 16 bytes take the library's function as they are.
#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__x86_64__) || defined(__i386__)
#define SIMK_X86 1
#include <immintrin.h>
#else
#define SIMK_X86 0
#endif

// One byte of the map: letters (lower-cased on request) and digits kept, other ASCII to 0x20.
static inline uint8_t simk_map_byte(uint8_t byte, int lowercase) {
    if (byte >= 'A' && byte <= 'Z') return lowercase ? (uint8_t)(byte | 0x20) : byte;
    if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9')) return byte;
    return 0x20;
}

// Eight ASCII bytes at once (SWAR). A byte below 0x80 plus a constant below 0x80 never carries
// into the next byte: b + (0x80 - lo) has its high bit set iff b >= lo, b + (0x7F - hi) iff b > hi.
static inline uint64_t simk_map_word(uint64_t word, uint64_t caseBit) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
#define SIMK_IN_RANGE(lo, hi) ((word + (0x80 - (lo)) * ones) & ~(word + (0x7F - (hi)) * ones) & highs)
    const uint64_t upper = SIMK_IN_RANGE('A', 'Z');
    const uint64_t lower = SIMK_IN_RANGE('a', 'z');
    const uint64_t digit = SIMK_IN_RANGE('0', '9');
#undef SIMK_IN_RANGE
    const uint64_t keep = ((upper | lower | digit) >> 7) * 0xFF;
    const uint64_t mapped = word | ((upper >> 2) & caseBit);
    return (mapped & keep) | (0x2020202020202020ull & ~keep);
}

static size_t map_ascii_portable(const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    const uint64_t caseBit = lowercase ? 0x2020202020202020ull : 0;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t word;
        memcpy(&word, input + i, 8);
        if (word & 0x8080808080808080ull) break;
        word = simk_map_word(word, caseBit);
        memcpy(output + i, &word, 8);
    }
    for (; i < count && input[i] < 0x80; i++) output[i] = simk_map_byte(input[i], lowercase);
    return i;
}

// Bit i set iff byte i of the 64 at `text` is not 0x20: an exact zero-byte test on
// word ^ 0x20…20, then the eight high bits gathered into one byte by a multiplication.
static inline uint64_t nonspace_mask_portable(const uint8_t *text) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    uint64_t mask = 0;
    for (int w = 0; w < 8; w++) {
        uint64_t word;
        memcpy(&word, text + w * 8, 8);
        const uint64_t x = word ^ 0x2020202020202020ull;
        const uint64_t nonZero = (((x & low7) + low7) | x) & 0x8080808080808080ull;
        mask |= ((nonZero >> 7) * 0x0102040810204080ull) >> 56 << (w * 8);
    }
    return mask;
}

// A 64-byte block's token boundaries as bits: the transitions of its non-space mask `isWord`, a
// start where a word byte follows a space and an end where a space follows a word byte, which
// alternate. `*previous` (whether the byte before the block is a word byte) becomes the block's
// last byte's.
static inline uint64_t block_transitions(uint64_t isWord, uint64_t *previous) {
    const uint64_t transitions = isWord ^ (isWord << 1 | *previous);
    *previous = isWord >> 63;
    return transitions;
}

// Appends the boundaries of the block at `offset` to `bounds`, one trailing-zero count each.
static inline size_t block_bounds_scalar(uint64_t isWord, uint64_t *previous, size_t offset, int32_t *bounds, size_t written) {
    uint64_t transitions = block_transitions(isWord, previous);
    while (transitions) {
        bounds[written++] = (int32_t)(offset + (size_t)__builtin_ctzll(transitions));
        transitions &= transitions - 1;
    }
    return written;
}

// A token still open after the last block (one reaching a block that ends exactly at `count`)
// ends at `count`; returns the number of tokens.
static inline size_t close_bounds(size_t count, int32_t *bounds, size_t written) {
    if (written & 1) bounds[written++] = (int32_t)count;
    return written / 2;
}

static size_t token_bounds_portable(const uint8_t *text, size_t count, int32_t *bounds) {
    size_t written = 0;
    uint64_t previous = 0;
    for (size_t offset = 0; offset < count; offset += 64) {
        written = block_bounds_scalar(nonspace_mask_portable(text + offset), &previous, offset, bounds, written);
    }
    return close_bounds(count, bounds, written);
}

// The first '"', '\\' or control byte (below 0x20) of a JSON string's bytes, SWAR: for each class,
// (x - 0x01…01) & ~x & 0x80…80 marks the zero bytes of x (x = the word XOR the class's byte, or
// the word minus 0x20 per byte for controls); a borrow only marks bytes above a true hit, so the
// lowest mark is exact.
static size_t json_special_portable(const uint8_t *bytes, size_t count) {
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t word;
        memcpy(&word, bytes + i, 8);
        const uint64_t quote = word ^ (0x22 * ones), backslash = word ^ (0x5C * ones);
        const uint64_t marks = (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((word - 0x20 * ones) & ~word)) & highs;
        if (marks) return i + (size_t)(__builtin_ctzll(marks) >> 3);
    }
    for (; i < count; i++) {
        if (bytes[i] == 0x22 || bytes[i] == 0x5C || bytes[i] < 0x20) return i;
    }
    return count;
}

// The first byte of 0x80 or more (the end of an ASCII run), SWAR: eight bytes per step.
static size_t non_ascii_portable(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        uint64_t word;
        memcpy(&word, bytes + i, 8);
        const uint64_t marks = word & 0x8080808080808080ull;
        if (marks) return i + (size_t)(__builtin_ctzll(marks) >> 3);
    }
    for (; i < count; i++) {
        if (bytes[i] >= 0x80) return i;
    }
    return count;
}


// One token's bounds (the 32-bit start and end in memory order, as simk_token_bounds writes
// them, in the 8 bytes of `slot`) to its XXH3-64 hash, by xxHash's own function.
__attribute__((always_inline)) static inline uint64_t simk_hash_bounds(const uint8_t *text, const uint64_t *slot, uint64_t seed) {
    uint32_t bounds[2];
    memcpy(bounds, slot, sizeof bounds);
    return XXH3_64bits_withSeed(text + bounds[0], bounds[1] - bounds[0], seed);
}

static void hash_bounds_portable(const uint8_t *text, uint64_t *tokens, size_t count, uint64_t seed) {
    for (size_t i = 0; i < count; i++) tokens[i] = simk_hash_bounds(text, tokens + i, seed);
}


// Word n-gram hashes: fmix64(P ^ key) per window, with P = sum of t[i + j] * base^(width-1-j)
// (mod 2^64) and key = seed * PRIME64_2 ^ width, as _ShingleHashing documents.
static inline uint64_t simk_fmix64(uint64_t hash) {
    hash ^= hash >> 33;
    hash *= 0xFF51AFD7ED558CCDull;
    hash ^= hash >> 33;
    hash *= 0xC4CEB9FE1A85EC53ull;
    hash ^= hash >> 33;
    return hash;
}

// Rolls P from one window to the next in O(1): subtract the leaving token's term, shift by one
// power of the base, add the entering token.
static void word_shingles_portable(const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                                   uint64_t *shingles) {
    uint64_t leadingWeight = 1;
    for (size_t j = 1; j < width; j++) leadingWeight *= base;
    uint64_t polynomial = 0;
    for (size_t j = 0; j < width; j++) polynomial = polynomial * base + tokens[j];
    shingles[0] = simk_fmix64(polynomial ^ key);
    for (size_t i = 1; i < windows; i++) {
        polynomial = (polynomial - tokens[i - 1] * leadingWeight) * base + tokens[i + width - 1];
        shingles[i] = simk_fmix64(polynomial ^ key);
    }
}

#if SIMK_X86
__attribute__((target("avx2")))
static size_t json_special_avx2(const uint8_t *bytes, size_t count) {
    const __m256i quote = _mm256_set1_epi8(0x22), backslash = _mm256_set1_epi8(0x5C), control = _mm256_set1_epi8(0x1F);
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        const __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i));
        // x <= 0x1F (unsigned) iff min(x, 0x1F) == x.
        const __m256i hits = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash)),
                                             _mm256_cmpeq_epi8(_mm256_min_epu8(v, control), v));
        const unsigned mask = (unsigned)_mm256_movemask_epi8(hits);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    return i + json_special_portable(bytes + i, count - i);
}

__attribute__((target("avx2")))
static size_t non_ascii_avx2(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(bytes + i));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(bytes + i + 32));
        if (_mm256_movemask_epi8(_mm256_or_si256(a, b))) {
            const unsigned low = (unsigned)_mm256_movemask_epi8(a);
            return low ? i + (size_t)__builtin_ctz(low) : i + 32 + (size_t)__builtin_ctz((unsigned)_mm256_movemask_epi8(b));
        }
    }
    return i + non_ascii_portable(bytes + i, count - i);
}

__attribute__((target("avx512f,avx512bw")))
static size_t non_ascii_avx512(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const uint64_t mask = _mm512_movepi8_mask(_mm512_loadu_si512((const void *)(bytes + i)));
        if (mask) return i + (size_t)__builtin_ctzll(mask);
    }
    return i + non_ascii_portable(bytes + i, count - i);
}

// The bytes a JSON string's scan stops at: '"', '\\' and controls (below 0x20).
__attribute__((target("avx512f,avx512bw")))
static inline uint64_t json_special_mask_avx512(__m512i v) {
    return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x22)) | _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(0x5C)) |
           _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20));
}

__attribute__((target("avx512f,avx512bw")))
static size_t json_special_avx512(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const uint64_t mask = json_special_mask_avx512(_mm512_loadu_si512((const void *)(bytes + i)));
        if (mask) return i + (size_t)__builtin_ctzll(mask);
    }
    return i + json_special_portable(bytes + i, count - i);
}

// Byte ranges by signed comparison: every byte here is ASCII (below 0x80), so signed and
// unsigned order agree.
__attribute__((target("avx2")))
static inline __m256i map32_avx2(__m256i bytes, __m256i caseBit) {
    const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(bytes, _mm256_set1_epi8('A' - 1)),
                                           _mm256_cmpgt_epi8(_mm256_set1_epi8('Z' + 1), bytes));
    const __m256i lower = _mm256_and_si256(_mm256_cmpgt_epi8(bytes, _mm256_set1_epi8('a' - 1)),
                                           _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), bytes));
    const __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(bytes, _mm256_set1_epi8('0' - 1)),
                                           _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), bytes));
    const __m256i keep = _mm256_or_si256(_mm256_or_si256(upper, lower), digit);
    const __m256i mapped = _mm256_or_si256(bytes, _mm256_and_si256(upper, caseBit));
    return _mm256_blendv_epi8(_mm256_set1_epi8(0x20), mapped, keep);
}

__attribute__((target("avx2")))
static size_t map_ascii_avx2(const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    const __m256i caseBit = _mm256_set1_epi8(lowercase ? 0x20 : 0);
    size_t i = 0;
    for (; i + 32 <= count; i += 32) {
        const __m256i bytes = _mm256_loadu_si256((const __m256i *)(input + i));
        const unsigned high = (unsigned)_mm256_movemask_epi8(bytes);
        if (high != 0) {
            // Map the ASCII bytes before the first non-ASCII one (the caller takes it from
            // there) as a whole block, blended into the output's own bytes past them: AVX2 has
            // no byte-masked store, and a byte loop here cost about 160 instructions a stop in
            // text with an accented letter every 60 bytes.
            const size_t ascii = (size_t)__builtin_ctz(high);
            const __m256i lanes = _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                                   16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
            const __m256i before = _mm256_cmpgt_epi8(_mm256_set1_epi8((char)ascii), lanes);
            const __m256i kept = _mm256_loadu_si256((const __m256i *)(output + i));
            _mm256_storeu_si256((__m256i *)(output + i), _mm256_blendv_epi8(kept, map32_avx2(bytes, caseBit), before));
            return i + ascii;
        }
        _mm256_storeu_si256((__m256i *)(output + i), map32_avx2(bytes, caseBit));
    }
    return i + map_ascii_portable(input + i, count - i, output + i, lowercase);
}

__attribute__((target("avx2")))
static size_t token_bounds_avx2(const uint8_t *text, size_t count, int32_t *bounds) {
    const __m256i space = _mm256_set1_epi8(0x20);
    size_t written = 0;
    uint64_t previous = 0;
    for (size_t offset = 0; offset < count; offset += 64) {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(text + offset));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(text + offset + 32));
        const uint64_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, space));
        const uint64_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, space));
        written = block_bounds_scalar(~(low | high << 32), &previous, offset, bounds, written);
    }
    return close_bounds(count, bounds, written);
}

// Letters (cased by `caseBit`) and digits kept, other bytes to 0x20, by unsigned range tests:
// (byte − low) ≤ (high − low).
__attribute__((target("avx512f,avx512bw")))
static inline __m512i map64_avx512(__m512i bytes, __m512i caseBit) {
    const __mmask64 upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('A')), _mm512_set1_epi8('Z' - 'A'));
    const __mmask64 lower = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('a')), _mm512_set1_epi8('z' - 'a'));
    const __mmask64 digit = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('0')), _mm512_set1_epi8('9' - '0'));
    const __m512i cased = _mm512_mask_blend_epi8(upper, bytes, _mm512_or_si512(bytes, caseBit));
    return _mm512_mask_blend_epi8(upper | lower | digit, _mm512_set1_epi8(0x20), cased);
}

// The ASCII bytes before a non-ASCII one, and the input's last bytes (fewer than 64), are mapped
// like whole blocks and written by a masked store: no byte-at-a-time loop at each stop (news
// text stops at a curly quote or a dash every 450 bytes or so) and at the end of each document.
// The tail's load is masked too, so it reads no byte past `count`.
__attribute__((target("avx512f,avx512bw")))
static size_t map_ascii_avx512(const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    const __m512i caseBit = _mm512_set1_epi8(lowercase ? 0x20 : 0);
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m512i bytes = _mm512_loadu_si512((const void *)(input + i));
        const uint64_t high = _mm512_movepi8_mask(bytes);
        if (high != 0) {
            const size_t ascii = (size_t)__builtin_ctzll(high);
            _mm512_mask_storeu_epi8((void *)(output + i), (__mmask64)((1ull << ascii) - 1), map64_avx512(bytes, caseBit));
            return i + ascii;
        }
        _mm512_storeu_si512((void *)(output + i), map64_avx512(bytes, caseBit));
    }
    if (i == count) return count;
    // 1 to 63 bytes left; masked-off lanes load as 0, which is ASCII.
    const __mmask64 left = (__mmask64)((1ull << (count - i)) - 1);
    const __m512i bytes = _mm512_maskz_loadu_epi8(left, (const void *)(input + i));
    const uint64_t high = _mm512_movepi8_mask(bytes);
    const size_t ascii = high ? (size_t)__builtin_ctzll(high) : count - i;
    _mm512_mask_storeu_epi8((void *)(output + i), (__mmask64)((1ull << ascii) - 1), map64_avx512(bytes, caseBit));
    return i + ascii;
}

// The boundaries of each 16 bytes packed by VPCOMPRESSD (16 lane offsets, compressed by the
// transition bits into a register) and written by a plain store of all 16 lanes, the next
// store starting after the real ones: no branch per boundary. A compressing store to memory is
// microcoded on AMD, and a masked store of exactly the real lanes measured 2.7 times slower than
// this on Zen 4 (3.0 against 1.1 ms, the kernel alone over 20 MB of news text; in a dedupe run its
// share of the samples fell from 3.7% to 2.7%); so up to 16 values past the last pair are written.
__attribute__((target("avx512f,avx512bw")))
static size_t token_bounds_avx512(const uint8_t *text, size_t count, int32_t *bounds) {
    const __m512i space = _mm512_set1_epi8(0x20);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i sixteen = _mm512_set1_epi32(16);
    size_t written = 0;
    uint64_t previous = 0;
    for (size_t offset = 0; offset < count; offset += 64) {
        const uint64_t isWord = _mm512_cmpneq_epi8_mask(_mm512_loadu_si512((const void *)(text + offset)), space);
        const uint64_t transitions = block_transitions(isWord, &previous);
        __m512i positions = _mm512_add_epi32(lanes, _mm512_set1_epi32((int32_t)offset));
        for (int quarter = 0; quarter < 4; quarter++) {
            const __mmask16 hits = (__mmask16)(transitions >> (16 * quarter));
            _mm512_storeu_si512((void *)(bounds + written), _mm512_maskz_compress_epi32(hits, positions));
            written += (unsigned)__builtin_popcount(hits);
            positions = _mm512_add_epi32(positions, sixteen);
        }
    }
    return close_bounds(count, bounds, written);
}

// 64 x 64 -> 64-bit products, 4 lanes: AVX2 has only 32 x 32 -> 64.
__attribute__((target("avx2")))
static inline __m256i simk_mullo64_avx2(__m256i a, __m256i b) {
    const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
    return _mm256_add_epi64(_mm256_mul_epu32(a, b), _mm256_slli_epi64(cross, 32));
}

// Four tokens per step: hash_bounds_avx512's lanes on AVX2, with 64-bit products made of 32-bit
// ones and signed comparisons (every length is below 2^32).
__attribute__((target("avx2")))
static void hash_bounds_avx2(const uint8_t *text, uint64_t *tokens, size_t count, uint64_t seed) {
    const xxh_u8 *secret = XXH3_kSecret;
    const __m256i low32 = _mm256_set1_epi64x(0xFFFFFFFF), lowByte = _mm256_set1_epi64x(0xFF);
    const __m256i eight = _mm256_set1_epi64x(8), four = _mm256_set1_epi64x(4), three = _mm256_set1_epi64x(3), one = _mm256_set1_epi64x(1);
    const __m256i sixteen = _mm256_set1_epi64x(16);
    const __m256i bitflip16Low = _mm256_set1_epi64x((long long)((XXH_readLE64(secret + 24) ^ XXH_readLE64(secret + 32)) + seed));
    const __m256i bitflip16High = _mm256_set1_epi64x((long long)((XXH_readLE64(secret + 40) ^ XXH_readLE64(secret + 48)) - seed));
    const xxh_u64 seed4 = seed ^ ((xxh_u64)XXH_swap32((xxh_u32)seed) << 32);
    const __m256i bitflip8 = _mm256_set1_epi64x((long long)((XXH_readLE64(secret + 8) ^ XXH_readLE64(secret + 16)) - seed4));
    const __m256i bitflip3 = _mm256_set1_epi64x((long long)((xxh_u64)(XXH_readLE32(secret) ^ XXH_readLE32(secret + 4)) + seed));
    const __m256i byteSwap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
                                              7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    const __m256i mx1 = _mm256_set1_epi64x((long long)0x165667919E3779F9ULL);
    const __m256i rrmxmx = _mm256_set1_epi64x((long long)0x9FB21C651E98DF25ULL);
    const __m256i prime2 = _mm256_set1_epi64x((long long)XXH_PRIME64_2), prime3 = _mm256_set1_epi64x((long long)XXH_PRIME64_3);
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        // Little-endian: each lane holds the token's start in its low half and its end in its high.
        const __m256i bounds = _mm256_loadu_si256((const __m256i *)(tokens + i));
        const __m256i start = _mm256_and_si256(bounds, low32);
        const __m256i length = _mm256_sub_epi64(_mm256_srli_epi64(bounds, 32), start);
        const __m256i isLong = _mm256_cmpgt_epi64(length, eight), isMid = _mm256_cmpgt_epi64(length, three);
        const __m256i first = _mm256_i64gather_epi64((const long long *)text, start, 1);
        const __m256i tail8 = _mm256_and_si256(_mm256_sub_epi64(length, eight), isLong);
        const __m256i last = _mm256_i64gather_epi64((const long long *)text, _mm256_add_epi64(start, tail8), 1);

        const __m256i a = _mm256_xor_si256(first, bitflip16Low), b = _mm256_xor_si256(last, bitflip16High);
        const __m256i aHigh = _mm256_srli_epi64(a, 32), bHigh = _mm256_srli_epi64(b, 32);
        const __m256i ll = _mm256_mul_epu32(a, b), lh = _mm256_mul_epu32(a, bHigh);
        const __m256i hl = _mm256_mul_epu32(aHigh, b), hh = _mm256_mul_epu32(aHigh, bHigh);
        const __m256i cross = _mm256_add_epi64(_mm256_add_epi64(_mm256_srli_epi64(ll, 32), _mm256_and_si256(lh, low32)),
                                               _mm256_and_si256(hl, low32));
        const __m256i productLow = _mm256_or_si256(_mm256_slli_epi64(cross, 32), _mm256_and_si256(ll, low32));
        const __m256i productHigh = _mm256_add_epi64(_mm256_add_epi64(hh, _mm256_srli_epi64(lh, 32)),
                                                     _mm256_add_epi64(_mm256_srli_epi64(hl, 32), _mm256_srli_epi64(cross, 32)));
        __m256i long16 = _mm256_add_epi64(_mm256_add_epi64(length, _mm256_shuffle_epi8(a, byteSwap)),
                                          _mm256_add_epi64(b, _mm256_xor_si256(productLow, productHigh)));
        long16 = _mm256_xor_si256(long16, _mm256_srli_epi64(long16, 37));
        long16 = simk_mullo64_avx2(long16, mx1);
        long16 = _mm256_xor_si256(long16, _mm256_srli_epi64(long16, 32));

        const __m256i tail4 = _mm256_slli_epi64(_mm256_and_si256(_mm256_sub_epi64(length, four), isMid), 3);
        const __m256i input64 = _mm256_add_epi64(_mm256_and_si256(_mm256_srlv_epi64(first, tail4), low32),
                                                 _mm256_slli_epi64(first, 32));
        __m256i mid8 = _mm256_xor_si256(input64, bitflip8);
        const __m256i rotated = _mm256_xor_si256(_mm256_or_si256(_mm256_slli_epi64(mid8, 49), _mm256_srli_epi64(mid8, 15)),
                                                 _mm256_or_si256(_mm256_slli_epi64(mid8, 24), _mm256_srli_epi64(mid8, 40)));
        mid8 = _mm256_xor_si256(mid8, rotated);
        mid8 = simk_mullo64_avx2(mid8, rrmxmx);
        mid8 = _mm256_xor_si256(mid8, _mm256_add_epi64(_mm256_srli_epi64(mid8, 35), length));
        mid8 = simk_mullo64_avx2(mid8, rrmxmx);
        mid8 = _mm256_xor_si256(mid8, _mm256_srli_epi64(mid8, 28));

        const __m256i c1 = _mm256_and_si256(first, lowByte);
        const __m256i c2 = _mm256_and_si256(_mm256_srlv_epi64(first, _mm256_slli_epi64(_mm256_srli_epi64(length, 1), 3)), lowByte);
        const __m256i c3 = _mm256_and_si256(_mm256_srlv_epi64(first, _mm256_slli_epi64(_mm256_sub_epi64(length, one), 3)), lowByte);
        __m256i short3 = _mm256_or_si256(_mm256_or_si256(_mm256_slli_epi64(c1, 16), _mm256_slli_epi64(c2, 24)),
                                         _mm256_or_si256(c3, _mm256_slli_epi64(length, 8)));
        short3 = _mm256_xor_si256(short3, bitflip3);
        short3 = _mm256_xor_si256(short3, _mm256_srli_epi64(short3, 33));
        short3 = simk_mullo64_avx2(short3, prime2);
        short3 = _mm256_xor_si256(short3, _mm256_srli_epi64(short3, 29));
        short3 = simk_mullo64_avx2(short3, prime3);
        short3 = _mm256_xor_si256(short3, _mm256_srli_epi64(short3, 32));

        const __m256i hashes = _mm256_blendv_epi8(_mm256_blendv_epi8(short3, mid8, isMid), long16, isLong);
        const unsigned beyond16 = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(length, sixteen)));
        _mm256_storeu_si256((__m256i *)(tokens + i), hashes);
        if (beyond16) {
            uint64_t saved[4];
            _mm256_storeu_si256((__m256i *)saved, bounds);
            for (unsigned lanes = beyond16; lanes; lanes &= lanes - 1) {
                const unsigned lane = (unsigned)__builtin_ctz(lanes);
                tokens[i + lane] = simk_hash_bounds(text, saved + lane, seed);
            }
        }
    }
    hash_bounds_portable(text, tokens + i, count - i, seed);
}

// The constants of hash8_avx512: xxHash's secret folded with the seed, as its short-input
// functions fold them.
typedef struct {
    __m512i bitflip16Low, bitflip16High, bitflip8, bitflip3;
} simk_hash8_keys;

__attribute__((target("avx512f,avx512bw,avx512dq")))
static inline simk_hash8_keys hash8_keys_avx512(uint64_t seed) {
    const xxh_u8 *secret = XXH3_kSecret;
    const xxh_u64 seed4 = seed ^ ((xxh_u64)XXH_swap32((xxh_u32)seed) << 32);
    simk_hash8_keys keys;
    keys.bitflip16Low = _mm512_set1_epi64((long long)((XXH_readLE64(secret + 24) ^ XXH_readLE64(secret + 32)) + seed));
    keys.bitflip16High = _mm512_set1_epi64((long long)((XXH_readLE64(secret + 40) ^ XXH_readLE64(secret + 48)) - seed));
    keys.bitflip8 = _mm512_set1_epi64((long long)((XXH_readLE64(secret + 8) ^ XXH_readLE64(secret + 16)) - seed4));
    keys.bitflip3 = _mm512_set1_epi64((long long)((xxh_u64)(XXH_readLE32(secret) ^ XXH_readLE32(secret + 4)) + seed));
    return keys;
}

// Eight tokens' XXH3-64 values from their lengths (1 to 16), their first 8 bytes (`first`) and the
// 8 bytes ending at their last byte (`last`; at their start when shorter than 8), without a
// branch on their lengths: the values of xxHash's three short-input branches
// (XXH3_len_1to3_64b, 4to8 and 9to16, same secret and seed) are all computed in every lane and
// one is selected by masks, so tokens of random lengths cost no mispredicted branch (xxHash's
// length branch mispredicted on about half the tokens of news text). The 4-8 and 1-3 byte
// formulas take their bytes out of `first` by variable shifts. The 64 x 64 -> 128-bit product
// of the 9-16 byte formula is built from four 32 x 32 -> 64-bit ones.
__attribute__((target("avx512f,avx512bw,avx512dq"), always_inline))
static inline __m512i hash8_avx512(__m512i first, __m512i last, __m512i length, const simk_hash8_keys *keys) {
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFF), lowByte = _mm512_set1_epi64(0xFF);
    const __m512i eight = _mm512_set1_epi64(8), four = _mm512_set1_epi64(4), one = _mm512_set1_epi64(1);
    const __m512i byteSwap = _mm512_broadcast_i32x4(_mm_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8));
    const __m512i mx1 = _mm512_set1_epi64((long long)0x165667919E3779F9ULL);
    const __m512i rrmxmx = _mm512_set1_epi64((long long)0x9FB21C651E98DF25ULL);
    const __m512i prime2 = _mm512_set1_epi64((long long)XXH_PRIME64_2), prime3 = _mm512_set1_epi64((long long)XXH_PRIME64_3);

    // 9-16 bytes: avalanche(length + swap64(a) + b + fold(a * b)).
    const __m512i a = _mm512_xor_si512(first, keys->bitflip16Low), b = _mm512_xor_si512(last, keys->bitflip16High);
    const __m512i aHigh = _mm512_srli_epi64(a, 32), bHigh = _mm512_srli_epi64(b, 32);
    const __m512i ll = _mm512_mul_epu32(a, b), lh = _mm512_mul_epu32(a, bHigh);
    const __m512i hl = _mm512_mul_epu32(aHigh, b), hh = _mm512_mul_epu32(aHigh, bHigh);
    const __m512i cross = _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, low32)),
                                           _mm512_and_si512(hl, low32));
    const __m512i productLow = _mm512_or_si512(_mm512_slli_epi64(cross, 32), _mm512_and_si512(ll, low32));
    const __m512i productHigh = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(lh, 32)),
                                                 _mm512_add_epi64(_mm512_srli_epi64(hl, 32), _mm512_srli_epi64(cross, 32)));
    __m512i long16 = _mm512_add_epi64(_mm512_add_epi64(length, _mm512_shuffle_epi8(a, byteSwap)),
                                      _mm512_add_epi64(b, _mm512_xor_si512(productLow, productHigh)));
    long16 = _mm512_xor_si512(long16, _mm512_srli_epi64(long16, 37));
    long16 = _mm512_mullo_epi64(long16, mx1);
    long16 = _mm512_xor_si512(long16, _mm512_srli_epi64(long16, 32));

    // 4-8 bytes: rrmxmx((last 4 bytes + first 4 << 32) ^ bitflip, length).
    const __m512i tail4 = _mm512_slli_epi64(_mm512_sub_epi64(_mm512_max_epu64(length, four), four), 3);
    const __m512i input64 = _mm512_add_epi64(_mm512_and_si512(_mm512_srlv_epi64(first, tail4), low32),
                                             _mm512_slli_epi64(first, 32));
    __m512i mid8 = _mm512_xor_si512(input64, keys->bitflip8);
    mid8 = _mm512_xor_si512(mid8, _mm512_xor_si512(_mm512_rol_epi64(mid8, 49), _mm512_rol_epi64(mid8, 24)));
    mid8 = _mm512_mullo_epi64(mid8, rrmxmx);
    mid8 = _mm512_xor_si512(mid8, _mm512_add_epi64(_mm512_srli_epi64(mid8, 35), length));
    mid8 = _mm512_mullo_epi64(mid8, rrmxmx);
    mid8 = _mm512_xor_si512(mid8, _mm512_srli_epi64(mid8, 28));

    // 1-3 bytes: XXH64's avalanche of {input[0], input[len / 2], input[len - 1], len} ^ bitflip.
    const __m512i c1 = _mm512_and_si512(first, lowByte);
    const __m512i c2 = _mm512_and_si512(_mm512_srlv_epi64(first, _mm512_slli_epi64(_mm512_srli_epi64(length, 1), 3)), lowByte);
    const __m512i c3 = _mm512_and_si512(_mm512_srlv_epi64(first, _mm512_slli_epi64(_mm512_sub_epi64(length, one), 3)), lowByte);
    __m512i short3 = _mm512_or_si512(_mm512_or_si512(_mm512_slli_epi64(c1, 16), _mm512_slli_epi64(c2, 24)),
                                     _mm512_or_si512(c3, _mm512_slli_epi64(length, 8)));
    short3 = _mm512_xor_si512(short3, keys->bitflip3);
    short3 = _mm512_xor_si512(short3, _mm512_srli_epi64(short3, 33));
    short3 = _mm512_mullo_epi64(short3, prime2);
    short3 = _mm512_xor_si512(short3, _mm512_srli_epi64(short3, 29));
    short3 = _mm512_mullo_epi64(short3, prime3);
    short3 = _mm512_xor_si512(short3, _mm512_srli_epi64(short3, 32));

    const __mmask8 isMid = _mm512_cmpge_epu64_mask(length, four), isLong = _mm512_cmpgt_epu64_mask(length, eight);
    return _mm512_mask_blend_epi64(isLong, _mm512_mask_blend_epi64(isMid, short3, mid8), long16);
}

// Stores eight tokens' hashes over their bounds (`bounds`, as loaded from `tokens`), the tokens
// longer than 16 bytes hashed one by one by xxHash (rare).
__attribute__((target("avx512f,avx512bw,avx512dq"), always_inline))
static inline void store8_avx512(const uint8_t *text, uint64_t *tokens, __m512i bounds, __m512i length, __m512i hashes,
                                 uint64_t seed) {
    const __mmask8 beyond16 = _mm512_cmpgt_epu64_mask(length, _mm512_set1_epi64(16));
    _mm512_storeu_si512((void *)tokens, hashes);
    if (beyond16) {
        uint64_t saved[8];
        _mm512_storeu_si512((void *)saved, bounds);
        for (unsigned lanes = beyond16; lanes; lanes &= lanes - 1) {
            const unsigned lane = (unsigned)__builtin_ctz(lanes);
            tokens[lane] = simk_hash_bounds(text, saved + lane, seed);
        }
    }
}

// Eight tokens per step (hash8_avx512). Two gathers load each token's first 8 bytes and the 8
// ending at its last byte (at its start when shorter: the caller guarantees `max(length, 8)`
// readable bytes from every start). The last 1 to 7 tokens take a step of their own, the last
// one repeated in the lanes past them. The portable variant keeps xxHash's branches: computing
// all three formulas one token at a time measured slower than the mispredictions.
__attribute__((target("avx512f,avx512bw,avx512dq"), always_inline))
static inline void hash8_gather_avx512(const uint8_t *text, uint64_t *tokens, uint64_t seed, const simk_hash8_keys *keys) {
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFF), eight = _mm512_set1_epi64(8);
    // Little-endian: each lane holds the token's start in its low half and its end in its high.
    const __m512i bounds = _mm512_loadu_si512((const void *)tokens);
    const __m512i start = _mm512_and_si512(bounds, low32);
    const __m512i length = _mm512_sub_epi64(_mm512_srli_epi64(bounds, 32), start);
    const __m512i first = _mm512_i64gather_epi64(start, (const void *)text, 1);
    const __m512i tail8 = _mm512_sub_epi64(_mm512_max_epu64(length, eight), eight);
    const __m512i last = _mm512_i64gather_epi64(_mm512_add_epi64(start, tail8), (const void *)text, 1);
    store8_avx512(text, tokens, bounds, length, hash8_avx512(first, last, length, keys), seed);
}

// The last `count` (1 to 7) tokens' bounds as eight lanes, the last one repeated past them.
static inline void simk_last_tokens(uint64_t lanes[8], const uint64_t *tokens, size_t count) {
    // memcpy: the pairs were written as 32-bit values.
    for (size_t lane = 0; lane < 8; lane++) memcpy(lanes + lane, tokens + (lane < count ? lane : count - 1), sizeof(uint64_t));
}

__attribute__((target("avx512f,avx512bw,avx512dq")))
static void hash_bounds_avx512(const uint8_t *text, uint64_t *tokens, size_t count, uint64_t seed) {
    const simk_hash8_keys keys = hash8_keys_avx512(seed);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) hash8_gather_avx512(text, tokens + i, seed, &keys);
    if (i < count) {
        uint64_t lanes[8];
        simk_last_tokens(lanes, tokens + i, count - i);
        hash8_gather_avx512(text, lanes, seed, &keys);
        memcpy(tokens + i, lanes, (count - i) * sizeof(uint64_t));
    }
}

// hash_bounds_avx512 with AVX-512 VBMI (byte permutes across registers): eight tokens whose bytes
// lie within 128 bytes of the first one's start (news text: nearly all) take their first and
// last 8 bytes out of two 64-byte loads by VPERMI2B, each lane's 8 byte indices made from its
// offset. The loads are plain ones while 128 bytes from the first start are readable, masked to
// the readable bytes near the end of the text (masked loads measured as slow as the gathers on
// AMD Zen 4); eight tokens spread wider take the gathers. On Zen 4, 2.6 times hash_bounds_avx512's
// speed timed alone over 20 MB of news text (the gathers had been two thirds of its time); in a
// dedupe run, where each document's text is in cache, its share of the samples fell from 15.8% to
// 10.4%.
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vbmi"), always_inline))
static inline void hash8_window_avx512(const uint8_t *text, size_t readable, uint64_t *tokens, uint64_t seed,
                                       const simk_hash8_keys *keys) {
    const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFF), eight = _mm512_set1_epi64(8);
    // Each lane's low byte copied to its 8 bytes (a byte shuffle within 128-bit lanes), plus 0..7.
    const __m512i spread = _mm512_broadcast_i32x4(_mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 8, 8, 8, 8));
    const __m512i steps = _mm512_set1_epi64(0x0706050403020100LL);
    const __m512i window = _mm512_set1_epi64(128);
    const __m512i bounds = _mm512_loadu_si512((const void *)tokens);
    const __m512i start = _mm512_and_si512(bounds, low32);
    const __m512i length = _mm512_sub_epi64(_mm512_srli_epi64(bounds, 32), start);
    const __m512i tail = _mm512_add_epi64(start, _mm512_sub_epi64(_mm512_max_epu64(length, eight), eight));
    // Every lane reads [start, start + 8) and [tail, tail + 8): all of it lies in
    // [base, base + 128) when each lane's offset from the first lane's start is below 128
    // (unsigned: a lane before it wraps past) and the end of its reads at most 128 past it.
    // The first test is not redundant: a short token starting up to 8 bytes before the first
    // lane's has a tail offset that wraps to just below 2^64, and adding 8 wraps it back.
    const size_t base = (uint32_t)_mm_cvtsi128_si32(_mm512_castsi512_si128(bounds));
    const __m512i offset = _mm512_set1_epi64((long long)base);
    const __m512i relative = _mm512_sub_epi64(start, offset);
    const __m512i tailRelative = _mm512_sub_epi64(tail, offset);
    const __mmask8 near = _mm512_cmplt_epu64_mask(relative, window)
        & _mm512_cmple_epu64_mask(_mm512_add_epi64(tailRelative, eight), window);
    __m512i first, last;
    if (near == 0xFF) {
        __m512i low, high;
        if (readable - base >= 128) {
            low = _mm512_loadu_si512((const void *)(text + base));
            high = _mm512_loadu_si512((const void *)(text + base + 64));
        } else {
            // Every lane's reads end at or before `readable`, so the bytes past it are unused.
            const size_t left = readable - base;
            const __mmask64 lowMask = left >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << left) - 1;
            const __mmask64 highMask = left <= 64 ? 0 : ((__mmask64)1 << (left - 64)) - 1;
            low = _mm512_maskz_loadu_epi8(lowMask, (const void *)(text + base));
            high = _mm512_maskz_loadu_epi8(highMask, (const void *)(text + base + 64));
        }
        first = _mm512_permutex2var_epi8(low, _mm512_add_epi8(_mm512_shuffle_epi8(relative, spread), steps), high);
        last = _mm512_permutex2var_epi8(low, _mm512_add_epi8(_mm512_shuffle_epi8(tailRelative, spread), steps), high);
    } else {
        first = _mm512_i64gather_epi64(start, (const void *)text, 1);
        last = _mm512_i64gather_epi64(tail, (const void *)text, 1);
    }
    store8_avx512(text, tokens, bounds, length, hash8_avx512(first, last, length, keys), seed);
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vbmi")))
static void hash_bounds_avx512_vbmi(const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed) {
    const simk_hash8_keys keys = hash8_keys_avx512(seed);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) hash8_window_avx512(text, readable, tokens + i, seed, &keys);
    if (i < count) {
        uint64_t lanes[8];
        simk_last_tokens(lanes, tokens + i, count - i);
        hash8_window_avx512(text, readable, lanes, seed, &keys);
        memcpy(tokens + i, lanes, (count - i) * sizeof(uint64_t));
    }
}

// Eight windows per step, each P evaluated directly by Horner's rule over `width` unaligned
// loads (the same value mod 2^64 as the rolled one); there is no dependency from one window to
// the next, which bounds the rolled loop at one multiplication's latency per window. Widths
// above SIMK_VECTOR_SHINGLE_WIDTH (more multiplications per window than rolling costs) and the
// last windows take the portable loop.
#define SIMK_VECTOR_SHINGLE_WIDTH 8
__attribute__((target("avx512f,avx512bw,avx512dq")))
static void word_shingles_avx512(const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                                 uint64_t *shingles) {
    if (width > SIMK_VECTOR_SHINGLE_WIDTH) {
        word_shingles_portable(tokens, windows, width, key, base, shingles);
        return;
    }
    const __m512i baseVector = _mm512_set1_epi64((long long)base), keyVector = _mm512_set1_epi64((long long)key);
    const __m512i mix1 = _mm512_set1_epi64((long long)0xFF51AFD7ED558CCDull), mix2 = _mm512_set1_epi64((long long)0xC4CEB9FE1A85EC53ull);
    size_t i = 0;
    for (; i + 8 <= windows; i += 8) {
        __m512i polynomial = _mm512_loadu_si512((const void *)(tokens + i));
        for (size_t j = 1; j < width; j++) {
            polynomial = _mm512_add_epi64(_mm512_mullo_epi64(polynomial, baseVector), _mm512_loadu_si512((const void *)(tokens + i + j)));
        }
        __m512i hash = _mm512_xor_si512(polynomial, keyVector);
        hash = _mm512_xor_si512(hash, _mm512_srli_epi64(hash, 33));
        hash = _mm512_mullo_epi64(hash, mix1);
        hash = _mm512_xor_si512(hash, _mm512_srli_epi64(hash, 33));
        hash = _mm512_mullo_epi64(hash, mix2);
        hash = _mm512_xor_si512(hash, _mm512_srli_epi64(hash, 33));
        _mm512_storeu_si512((void *)(shingles + i), hash);
    }
    if (i < windows) word_shingles_portable(tokens + i, windows - i, width, key, base, shingles + i);
}
#endif

// The text kernels' AVX-512 variant needs AVX-512BW and DQ besides the F the dispatcher checks.
static int text_isa_supported(int isa) {
    if (!simk_isa_supported(isa)) return 0;
#if SIMK_X86
    if (isa == SIMK_ISA_AVX512) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") ? 1 : 0;
    }
#endif
    return 1;
}

// -1 until decided; every thread that races the first call computes the same value.
static int text_chosen_isa = -1;

static int text_active_isa(void) {
    int isa = __atomic_load_n(&text_chosen_isa, __ATOMIC_ACQUIRE);
    if (isa >= 0) return isa;
    isa = simk_active_isa();
    while (isa > SIMK_ISA_PORTABLE && !text_isa_supported(isa)) isa--;
    __atomic_store_n(&text_chosen_isa, isa, __ATOMIC_RELEASE);
    return isa;
}

static size_t map_ascii_run(int isa, const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return map_ascii_avx512(input, count, output, lowercase);
    case SIMK_ISA_AVX2:
        return map_ascii_avx2(input, count, output, lowercase);
#endif
    default:
        return map_ascii_portable(input, count, output, lowercase);
    }
}

static size_t token_bounds_run(int isa, const uint8_t *text, size_t count, int32_t *bounds) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return token_bounds_avx512(text, count, bounds);
    case SIMK_ISA_AVX2:
        return token_bounds_avx2(text, count, bounds);
#endif
    default:
        return token_bounds_portable(text, count, bounds);
    }
}

int simk_text_isa(void) { return text_active_isa(); }

int simk_text_isa_supported(int isa) { return text_isa_supported(isa); }

size_t simk_map_ascii(const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    return map_ascii_run(text_active_isa(), input, count, output, lowercase);
}

int simk_map_ascii_isa(int isa, const uint8_t *input, size_t count, uint8_t *output, int lowercase,
                       size_t *processed) {
    if (!text_isa_supported(isa)) return -1;
    *processed = map_ascii_run(isa, input, count, output, lowercase);
    return 0;
}

size_t simk_token_bounds(const uint8_t *text, size_t count, int32_t *bounds) {
    return token_bounds_run(text_active_isa(), text, count, bounds);
}

int simk_token_bounds_isa(int isa, const uint8_t *text, size_t count, int32_t *bounds, size_t *tokens) {
    if (!text_isa_supported(isa)) return -1;
    *tokens = token_bounds_run(isa, text, count, bounds);
    return 0;
}

static size_t json_special_run(int isa, const uint8_t *bytes, size_t count) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return json_special_avx512(bytes, count);
    case SIMK_ISA_AVX2:
        return json_special_avx2(bytes, count);
#endif
    default:
        return json_special_portable(bytes, count);
    }
}

size_t simk_json_special(const uint8_t *bytes, size_t count) {
    return json_special_run(text_active_isa(), bytes, count);
}

int simk_json_special_isa(int isa, const uint8_t *bytes, size_t count, size_t *position) {
    if (!text_isa_supported(isa)) return -1;
    *position = json_special_run(isa, bytes, count);
    return 0;
}

// The byte a simple escape (the one after a backslash) stands for; 0 for \u, an invalid
// escape, or any other byte (none of the simple escapes decodes to 0).
static inline uint8_t json_simple_escape(uint8_t escape) {
    switch (escape) {
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    case 'b': return 0x08;
    case 'f': return 0x0C;
    case 'n': return 0x0A;
    case 'r': return 0x0D;
    case 't': return 0x09;
    default: return 0;
    }
}

#if SIMK_X86
// A plain run in one pass, 64 bytes a step: each block is stored to `dst` whole while its special
// bytes are looked for, so a run costs no second pass and no `memcpy` call (news text has an
// escape every 140 bytes or so). A whole block's store ends before `dst + count`; the last
// bytes (fewer than 64) are loaded and stored with a mask. Returns the run's length; bytes of
// `dst` past it, up to `dst + count`, may be overwritten.
__attribute__((target("avx512f,avx512bw")))
static size_t json_copy_run_avx512(const uint8_t *src, size_t count, uint8_t *dst) {
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m512i v = _mm512_loadu_si512((const void *)(src + i));
        const uint64_t special = json_special_mask_avx512(v);
        _mm512_storeu_si512((void *)(dst + i), v);
        if (special) return i + (size_t)__builtin_ctzll(special);
    }
    if (i == count) return count;
    const __mmask64 valid = (__mmask64)((1ull << (count - i)) - 1);
    const __m512i v = _mm512_maskz_loadu_epi8(valid, (const void *)(src + i));
    // Masked-off lanes load as 0, a control byte: only the valid lanes count.
    const uint64_t special = json_special_mask_avx512(v) & valid;
    _mm512_mask_storeu_epi8((void *)(dst + i), valid, v);
    return special ? i + (size_t)__builtin_ctzll(special) : count;
}
#endif

// Copies the plain run at the start of `src` (up to its first special byte) to `dst`; returns
// its length. The AVX-512 variant copies while it scans; the others scan, then copy.
static size_t json_copy_run(int isa, const uint8_t *src, size_t count, uint8_t *dst) {
#if SIMK_X86
    if (isa == SIMK_ISA_AVX512) return json_copy_run_avx512(src, count, dst);
#endif
    const size_t run = json_special_run(isa, src, count);
    memcpy(dst, src, run);
    return run;
}

// Each byte's value as a hex digit (either case), or -1.
static const int8_t json_hex_digits[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
     0,  1,  2,  3,  4,  5,  6,  7,  8,  9, -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

// The value of the four hex digits at `p`, or a negative number if one is not a hex digit: a
// table load a digit, no branch.
static inline int32_t json_hex4(const uint8_t *p) {
    const int32_t d0 = json_hex_digits[p[0]], d1 = json_hex_digits[p[1]];
    const int32_t d2 = json_hex_digits[p[2]], d3 = json_hex_digits[p[3]];
    // Any -1 makes the OR negative; otherwise the digits are 0...15 and fit side by side.
    return (d0 | d1 | d2 | d3) < 0 ? -1 : d0 << 12 | d1 << 8 | d2 << 4 | d3;
}

// Writes scalar `value` (at most U+10FFFF, not a surrogate) as UTF-8 at `dst`; returns its length.
static inline size_t utf8_encode(uint32_t value, uint8_t *dst) {
    if (value < 0x80) {
        dst[0] = (uint8_t)value;
        return 1;
    }
    if (value < 0x800) {
        dst[0] = (uint8_t)(0xC0 | value >> 6);
        dst[1] = (uint8_t)(0x80 | (value & 0x3F));
        return 2;
    }
    if (value < 0x10000) {
        dst[0] = (uint8_t)(0xE0 | value >> 12);
        dst[1] = (uint8_t)(0x80 | (value >> 6 & 0x3F));
        dst[2] = (uint8_t)(0x80 | (value & 0x3F));
        return 3;
    }
    dst[0] = (uint8_t)(0xF0 | value >> 18);
    dst[1] = (uint8_t)(0x80 | (value >> 12 & 0x3F));
    dst[2] = (uint8_t)(0x80 | (value >> 6 & 0x3F));
    dst[3] = (uint8_t)(0x80 | (value & 0x3F));
    return 4;
}

// The `\u` escape at `src` (at most `count` bytes readable): a scalar's escape, or a high and a
// low surrogate's escapes together, written as UTF-8 at `dst`. Returns the source bytes used
// (6 or 12) and sets `*length` to the bytes written; returns 0 for what the caller must judge:
// bad hex digits, a lone surrogate, too few bytes.
static inline size_t json_unicode_escape(const uint8_t *src, size_t count, uint8_t *dst, size_t *length) {
    if (count < 6) return 0;
    int32_t value = json_hex4(src + 2);
    if (value < 0) return 0;
    size_t used = 6;
    if (value >= 0xD800 && value <= 0xDFFF) {
        if (value > 0xDBFF || count < 12 || src[6] != '\\' || src[7] != 'u') return 0;
        const int32_t low = json_hex4(src + 8);
        if (low < 0xDC00 || low > 0xDFFF) return 0;
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
        used = 12;
    }
    *length = utf8_encode((uint32_t)value, dst);
    return used;
}

// Plain runs copied by json_copy_run, simple and `\u` escapes decoded on the way; stops at the
// first byte left to the caller (see simk_json_unescape).
static size_t json_unescape_run(int isa, const uint8_t *src, size_t count, uint8_t *dst, size_t *written) {
    size_t i = 0, w = 0;
    for (;;) {
        // The output never runs ahead of the input (w <= i: an escape of 2, 6 or 12 bytes
        // decodes to 1, at most 3, or 4), so dst + w has room for count - i.
        // An escape right after an escape (every letter of a text escaped) needs no run.
        if (i < count && src[i] != '\\') {
            const size_t run = json_copy_run(isa, src + i, count - i, dst + w);
            i += run;
            w += run;
        }
        if (i + 1 >= count || src[i] != '\\') break;
        if (src[i + 1] == 'u') {
            size_t length = 0;
            const size_t used = json_unicode_escape(src + i, count - i, dst + w, &length);
            if (!used) break;
            i += used;
            w += length;
            continue;
        }
        const uint8_t decoded = json_simple_escape(src[i + 1]);
        if (!decoded) break;
        dst[w++] = decoded;
        i += 2;
    }
    *written = w;
    return i;
}

size_t simk_json_unescape(const uint8_t *src, size_t count, uint8_t *dst, size_t *written) {
    return json_unescape_run(text_active_isa(), src, count, dst, written);
}

int simk_json_unescape_isa(int isa, const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed, size_t *written) {
    if (!text_isa_supported(isa)) return -1;
    *consumed = json_unescape_run(isa, src, count, dst, written);
    return 0;
}

static size_t non_ascii_run(int isa, const uint8_t *bytes, size_t count) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return non_ascii_avx512(bytes, count);
    case SIMK_ISA_AVX2:
        return non_ascii_avx2(bytes, count);
#endif
    default:
        return non_ascii_portable(bytes, count);
    }
}

// The length of the valid UTF-8 sequence whose lead byte (0x80 or more) is bytes[0], or 0 if
// none starts there: shortest form, no surrogate, nothing above U+10FFFF (RFC 3629), exactly as
// UTF8Scalars.decode decides. The second byte's range says it for the leads where it matters:
// E0 needs A0-BF (no overlong), ED 80-9F (no surrogate), F0 90-BF (no overlong), F4 80-8F (at
// most U+10FFFF).
static inline size_t utf8_sequence(const uint8_t *bytes, size_t count) {
    const uint8_t lead = bytes[0];
    size_t length;
    uint8_t low = 0x80, high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;
    } else {
        return 0;
    }
    if (count < length || bytes[1] < low || bytes[1] > high) return 0;
    for (size_t i = 2; i < length; i++) {
        if ((bytes[i] & 0xC0) != 0x80) return 0;
    }
    return length;
}

// ASCII runs skipped by the variant's kernel; each run of non-ASCII sequences (a word of
// Cyrillic, a curly quote) followed to its end here, without leaving C.
static size_t utf8_first_invalid_scalar(int isa, const uint8_t *bytes, size_t count) {
    size_t i = 0;
    for (;;) {
        i += non_ascii_run(isa, bytes + i, count - i);
        if (i >= count) return count;
        do {
            const size_t length = utf8_sequence(bytes + i, count - i);
            if (!length) return i;
            i += length;
        } while (i < count && bytes[i] >= 0x80);
    }
}

#if SIMK_X86
// The error flags of Keiser and Lemire's check ("Validating UTF-8 in less than one instruction
// per byte", 2021), as simdjson and simdutf use it: three 16-entry lookups (the previous byte's
// high and low nibbles, this byte's high nibble) flag every bad pair of bytes, and the bytes that
// must be the third or fourth of a sequence (two or three after a lead of E0 or F0 and up) are
// matched against the pairs of continuations.
enum {
    UTF8_TOO_SHORT = 1 << 0,      // a lead, then no continuation
    UTF8_TOO_LONG = 1 << 1,       // ASCII, then a continuation
    UTF8_OVERLONG_3 = 1 << 2,     // E0 80-9F
    UTF8_TOO_LARGE = 1 << 3,      // F4 90-BF, F5 and up
    UTF8_SURROGATE = 1 << 4,      // ED A0-BF
    UTF8_OVERLONG_2 = 1 << 5,     // C0, C1
    UTF8_TOO_LARGE_1000 = 1 << 6, // F5 and up, then 80-8F
    UTF8_OVERLONG_4 = 1 << 6,     // F0 80-8F
    UTF8_TWO_CONTS = 1 << 7,      // two continuations
    UTF8_CARRY = UTF8_TOO_SHORT | UTF8_TOO_LONG | UTF8_TWO_CONTS,
};

// The 32 lanes of a table of 16 values, repeated for each 128-bit half (VPSHUFB looks up within
// each half).
#define UTF8_TABLE(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                                          \
    _mm256_setr_epi8((char)(a), (char)(b), (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), (char)(h), (char)(i),      \
                     (char)(j), (char)(k), (char)(l), (char)(m), (char)(n), (char)(o), (char)(p), (char)(a), (char)(b),      \
                     (char)(c), (char)(d), (char)(e), (char)(f), (char)(g), (char)(h), (char)(i), (char)(j), (char)(k),      \
                     (char)(l), (char)(m), (char)(n), (char)(o), (char)(p))

// Non-zero lanes where `input`, after the 32 bytes `previous`, breaks a sequence; a sequence cut
// by the end of `input` is not flagged (the next block, or the caller, sees it).
__attribute__((target("avx2")))
static inline __m256i utf8_errors_avx2(__m256i input, __m256i previous) {
    const __m256i joined = _mm256_permute2x128_si256(previous, input, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(input, joined, 15);
    const __m256i prev2 = _mm256_alignr_epi8(input, joined, 14);
    const __m256i prev3 = _mm256_alignr_epi8(input, joined, 13);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i byte_1_high = _mm256_shuffle_epi8(
        UTF8_TABLE(UTF8_TOO_LONG, UTF8_TOO_LONG, UTF8_TOO_LONG, UTF8_TOO_LONG, UTF8_TOO_LONG, UTF8_TOO_LONG, UTF8_TOO_LONG,
                   UTF8_TOO_LONG, UTF8_TWO_CONTS, UTF8_TWO_CONTS, UTF8_TWO_CONTS, UTF8_TWO_CONTS, UTF8_TOO_SHORT | UTF8_OVERLONG_2,
                   UTF8_TOO_SHORT, UTF8_TOO_SHORT | UTF8_OVERLONG_3 | UTF8_SURROGATE,
                   UTF8_TOO_SHORT | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000 | UTF8_OVERLONG_4),
        _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble));
    const __m256i byte_1_low = _mm256_shuffle_epi8(
        UTF8_TABLE(UTF8_CARRY | UTF8_OVERLONG_3 | UTF8_OVERLONG_2 | UTF8_OVERLONG_4, UTF8_CARRY | UTF8_OVERLONG_2, UTF8_CARRY,
                   UTF8_CARRY, UTF8_CARRY | UTF8_TOO_LARGE, UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000, UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000, UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000, UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000 | UTF8_SURROGATE,
                   UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000, UTF8_CARRY | UTF8_TOO_LARGE | UTF8_TOO_LARGE_1000),
        _mm256_and_si256(prev1, nibble));
    const __m256i byte_2_high = _mm256_shuffle_epi8(
        UTF8_TABLE(UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT,
                   UTF8_TOO_SHORT,
                   UTF8_TOO_LONG | UTF8_OVERLONG_2 | UTF8_TWO_CONTS | UTF8_OVERLONG_3 | UTF8_TOO_LARGE_1000 | UTF8_OVERLONG_4,
                   UTF8_TOO_LONG | UTF8_OVERLONG_2 | UTF8_TWO_CONTS | UTF8_OVERLONG_3 | UTF8_TOO_LARGE,
                   UTF8_TOO_LONG | UTF8_OVERLONG_2 | UTF8_TWO_CONTS | UTF8_SURROGATE | UTF8_TOO_LARGE,
                   UTF8_TOO_LONG | UTF8_OVERLONG_2 | UTF8_TWO_CONTS | UTF8_SURROGATE | UTF8_TOO_LARGE, UTF8_TOO_SHORT,
                   UTF8_TOO_SHORT, UTF8_TOO_SHORT, UTF8_TOO_SHORT),
        _mm256_and_si256(_mm256_srli_epi16(input, 4), nibble));
    const __m256i special = _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
    // 0x80 where this byte must be a third (two after E0-EF) or fourth (three after F0-FF) byte:
    // there the pair of continuations (UTF8_TWO_CONTS) is required, elsewhere it is an error.
    const __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    const __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    const __m256i must_be_continuation = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must_be_continuation, special);
}
#undef UTF8_TABLE

// 32 bytes a step through the check above (two ASCII blocks in a row need none); at the first
// block it flags, or at the last whole block, the scalar check takes over from the start of the
// sequence that holds the byte before the block, and gives the exact offset: every sequence
// before that start is valid, because a bad one is flagged in its own block or the next. On
// Cyrillic text the scalar check alone took 15 instructions a byte.
__attribute__((target("avx2")))
static size_t utf8_first_invalid_avx2(const uint8_t *bytes, size_t count) {
    size_t i = 0;
    __m256i previous = _mm256_setzero_si256();
    int previous_ascii = 1;
    for (; i + 32 <= count; i += 32) {
        // ASCII after ASCII needs no check: 64 bytes a step, as non_ascii_avx2 (`previous`
        // stays an ASCII block, which is all the check reads of it).
        while (previous_ascii && i + 64 <= count &&
               !_mm256_movemask_epi8(_mm256_or_si256(_mm256_loadu_si256((const __m256i *)(bytes + i)),
                                                     _mm256_loadu_si256((const __m256i *)(bytes + i + 32))))) {
            i += 64;
        }
        if (i + 32 > count) break;
        const __m256i input = _mm256_loadu_si256((const __m256i *)(bytes + i));
        const int ascii = _mm256_movemask_epi8(input) == 0;
        if (!(ascii && previous_ascii)) {
            const __m256i errors = utf8_errors_avx2(input, previous);
            if (!_mm256_testz_si256(errors, errors)) break;
        }
        previous = input;
        previous_ascii = ascii;
    }
    size_t start = i >= 3 ? i - 3 : 0;
    while (start < i && (bytes[start] & 0xC0) == 0x80) start++;
    return start + utf8_first_invalid_scalar(SIMK_ISA_AVX2, bytes + start, count - start);
}
#endif

static size_t utf8_first_invalid_run(int isa, const uint8_t *bytes, size_t count) {
#if SIMK_X86
    if (isa == SIMK_ISA_AVX2 || isa == SIMK_ISA_AVX512) return utf8_first_invalid_avx2(bytes, count);
#endif
    return utf8_first_invalid_scalar(isa, bytes, count);
}

size_t simk_utf8_first_invalid(const uint8_t *bytes, size_t count) {
    return utf8_first_invalid_run(text_active_isa(), bytes, count);
}

int simk_utf8_first_invalid_isa(int isa, const uint8_t *bytes, size_t count, size_t *position) {
    if (!text_isa_supported(isa)) return -1;
    *position = utf8_first_invalid_run(isa, bytes, count);
    return 0;
}

static void hash_bounds_run(int isa, const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        if (simk_has_avx512_vbmi()) {
            hash_bounds_avx512_vbmi(text, readable, tokens, count, seed);
        } else {
            hash_bounds_avx512(text, tokens, count, seed);
        }
        return;
    case SIMK_ISA_AVX2:
        hash_bounds_avx2(text, tokens, count, seed);
        return;
#endif
    default:
        hash_bounds_portable(text, tokens, count, seed);
        return;
    }
}

void simk_hash_token_bounds(const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed) {
    hash_bounds_run(text_active_isa(), text, readable, tokens, count, seed);
}

int simk_hash_token_bounds_isa(int isa, const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed) {
    if (!text_isa_supported(isa)) return -1;
    hash_bounds_run(isa, text, readable, tokens, count, seed);
    return 0;
}

int simk_hash_token_bounds_gathers(const uint8_t *text, uint64_t *tokens, size_t count, uint64_t seed) {
#if SIMK_X86
    if (!text_isa_supported(SIMK_ISA_AVX512)) return -1;
    hash_bounds_avx512(text, tokens, count, seed);
    return 0;
#else
    (void)text; (void)tokens; (void)count; (void)seed;
    return -1;
#endif
}

static void word_shingles_run(int isa, const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                              uint64_t *shingles) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        word_shingles_avx512(tokens, windows, width, key, base, shingles);
        return;
#endif
    default:
        word_shingles_portable(tokens, windows, width, key, base, shingles);
        return;
    }
}

void simk_word_shingles(const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                        uint64_t *shingles) {
    word_shingles_run(text_active_isa(), tokens, windows, width, key, base, shingles);
}

int simk_word_shingles_isa(int isa, const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                           uint64_t *shingles) {
    if (!text_isa_supported(isa)) return -1;
    word_shingles_run(isa, tokens, windows, width, key, base, shingles);
    return 0;
}
