// Text kernels of word shingling: the ASCII token map and the separator bit masks, 32 or 64
// bytes per step. See include/CSimKernels.h for the contracts; every variant gives the same bytes
// and masks as the portable one.
#include "CSimKernels.h"

#include <string.h>

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

// Bit i set iff byte i is not 0x20: an exact zero-byte test on word ^ 0x20…20, then the eight
// high bits gathered into one byte by a multiplication.
static void nonspace_masks_portable(const uint8_t *text, size_t blocks, uint64_t *masks) {
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    for (size_t block = 0; block < blocks; block++) {
        uint64_t mask = 0;
        for (int w = 0; w < 8; w++) {
            uint64_t word;
            memcpy(&word, text + block * 64 + w * 8, 8);
            const uint64_t x = word ^ 0x2020202020202020ull;
            const uint64_t nonZero = (((x & low7) + low7) | x) & 0x8080808080808080ull;
            mask |= ((nonZero >> 7) * 0x0102040810204080ull) >> 56 << (w * 8);
        }
        masks[block] = mask;
    }
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

__attribute__((target("avx512f,avx512bw")))
static size_t json_special_avx512(const uint8_t *bytes, size_t count) {
    const __m512i quote = _mm512_set1_epi8(0x22), backslash = _mm512_set1_epi8(0x5C), space = _mm512_set1_epi8(0x20);
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m512i v = _mm512_loadu_si512((const void *)(bytes + i));
        const uint64_t mask = _mm512_cmpeq_epi8_mask(v, quote) | _mm512_cmpeq_epi8_mask(v, backslash) | _mm512_cmplt_epu8_mask(v, space);
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
            // Map the ASCII bytes before the first non-ASCII one; the caller takes it from there.
            const size_t ascii = (size_t)__builtin_ctz(high);
            return i + map_ascii_portable(input + i, ascii, output + i, lowercase);
        }
        _mm256_storeu_si256((__m256i *)(output + i), map32_avx2(bytes, caseBit));
    }
    return i + map_ascii_portable(input + i, count - i, output + i, lowercase);
}

__attribute__((target("avx2")))
static void nonspace_masks_avx2(const uint8_t *text, size_t blocks, uint64_t *masks) {
    const __m256i space = _mm256_set1_epi8(0x20);
    for (size_t block = 0; block < blocks; block++) {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(text + block * 64));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(text + block * 64 + 32));
        const uint64_t low = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, space));
        const uint64_t high = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, space));
        masks[block] = ~(low | high << 32);
    }
}

__attribute__((target("avx512f,avx512bw")))
static size_t map_ascii_avx512(const uint8_t *input, size_t count, uint8_t *output, int lowercase) {
    const __m512i caseBit = _mm512_set1_epi8(lowercase ? 0x20 : 0);
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        const __m512i bytes = _mm512_loadu_si512((const void *)(input + i));
        const uint64_t high = _mm512_movepi8_mask(bytes);
        if (high != 0) {
            const size_t ascii = (size_t)__builtin_ctzll(high);
            return i + map_ascii_portable(input + i, ascii, output + i, lowercase);
        }
        // Unsigned range tests: (byte − low) ≤ (high − low).
        const __mmask64 upper = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('A')), _mm512_set1_epi8('Z' - 'A'));
        const __mmask64 lower = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('a')), _mm512_set1_epi8('z' - 'a'));
        const __mmask64 digit = _mm512_cmple_epu8_mask(_mm512_sub_epi8(bytes, _mm512_set1_epi8('0')), _mm512_set1_epi8('9' - '0'));
        const __m512i cased = _mm512_mask_blend_epi8(upper, bytes, _mm512_or_si512(bytes, caseBit));
        const __m512i result = _mm512_mask_blend_epi8(upper | lower | digit, _mm512_set1_epi8(0x20), cased);
        _mm512_storeu_si512((void *)(output + i), result);
    }
    return i + map_ascii_portable(input + i, count - i, output + i, lowercase);
}

__attribute__((target("avx512f,avx512bw")))
static void nonspace_masks_avx512(const uint8_t *text, size_t blocks, uint64_t *masks) {
    const __m512i space = _mm512_set1_epi8(0x20);
    for (size_t block = 0; block < blocks; block++) {
        masks[block] = _mm512_cmpneq_epi8_mask(_mm512_loadu_si512((const void *)(text + block * 64)), space);
    }
}
#endif

// The text kernels' AVX-512 variant needs AVX-512BW besides the F the dispatcher checks.
static int text_isa_supported(int isa) {
    if (!simk_isa_supported(isa)) return 0;
#if SIMK_X86
    if (isa == SIMK_ISA_AVX512) {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512bw") ? 1 : 0;
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

static void nonspace_masks_run(int isa, const uint8_t *text, size_t blocks, uint64_t *masks) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        nonspace_masks_avx512(text, blocks, masks);
        return;
    case SIMK_ISA_AVX2:
        nonspace_masks_avx2(text, blocks, masks);
        return;
#endif
    default:
        nonspace_masks_portable(text, blocks, masks);
        return;
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

void simk_nonspace_masks(const uint8_t *text, size_t blocks, uint64_t *masks) {
    nonspace_masks_run(text_active_isa(), text, blocks, masks);
}

int simk_nonspace_masks_isa(int isa, const uint8_t *text, size_t blocks, uint64_t *masks) {
    if (!text_isa_supported(isa)) return -1;
    nonspace_masks_run(isa, text, blocks, masks);
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

size_t simk_non_ascii(const uint8_t *bytes, size_t count) {
    return non_ascii_run(text_active_isa(), bytes, count);
}

int simk_non_ascii_isa(int isa, const uint8_t *bytes, size_t count, size_t *position) {
    if (!text_isa_supported(isa)) return -1;
    *position = non_ascii_run(isa, bytes, count);
    return 0;
}
