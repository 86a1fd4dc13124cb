// One-permutation MinHash's densification: every empty bin takes the value of the first bin of
// its probe sequence that is filled. In a short document most bins are empty and whether the
// next probe hits a filled bin is a coin toss, so a scalar loop either mispredicts a branch per
// probe or waits on a chain of dependent loads. The vector variants handle 8 bins (AVX-512F) or
// 4 (AVX2) at once: per probe, one contiguous load of their probe numbers and one gather of the
// probed values, four probes at a time while a lane is still empty; up to 512 bins, AVX-512F
// tests the probes against a bit mask of the filled bins held in a register and gathers once
// per 8 bins. See include/CSimKernels.h for the contract; every variant gives the portable
// one's output.
#include "CSimKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define SIMK_X86 1
#include <immintrin.h>
#else
#define SIMK_X86 0
#endif

// Bins from `start` on, one at a time, four probes at a time like the vector variants: the
// four loads are unconditional and the first filled value is selected (cmov), not branched to.
static size_t densify_portable(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth,
                               uint64_t *out, size_t start) {
    size_t empty = 0;
    for (size_t i = start; i < k; i++) {
        uint64_t value = bins[i];
        for (size_t t = 0; value == UINT64_MAX && t + 4 <= depth; t += 4) {
            uint64_t pick = UINT64_MAX;
            for (size_t j = 4; j-- > 0;) {
                uint64_t probe = bins[probes[(t + j) * k + i]];
#if defined(__GNUC__) || defined(__clang__)
                // Opaque to the optimizer, which would otherwise skip a later probe's load
                // behind a branch whenever an earlier probe is filled.
                __asm__("" : "+r"(probe));
#endif
                pick = probe != UINT64_MAX ? probe : pick;
            }
            value = pick;
        }
        out[i] = value;
        empty += value == UINT64_MAX;
    }
    return empty;
}

#if SIMK_X86
// Probes are read four at a time (independent gathers, so their latencies overlap; probing one
// at a time makes each gather wait for the last), and the first filled of the four is kept:
// later probes are blended in first, so that earlier ones overwrite them.
__attribute__((target("avx2")))
static size_t densify_avx2(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out) {
    const __m256i none = _mm256_set1_epi64x(-1);
    size_t empty = 0, i = 0;
    for (; i + 4 <= k; i += 4) {
        __m256i value = _mm256_loadu_si256((const __m256i *)(bins + i));
        // All ones in the lanes still empty.
        __m256i open = _mm256_cmpeq_epi64(value, none);
        for (size_t t = 0; t + 4 <= depth && !_mm256_testz_si256(open, open); t += 4) {
            __m256i pick = none;
            for (size_t j = 4; j-- > 0;) {
                const __m128i bin = _mm_loadu_si128((const __m128i *)(probes + (t + j) * k + i));
                const __m256i probe = _mm256_i32gather_epi64((const long long *)bins, bin, 8);
                // Keep the probe where it is filled.
                pick = _mm256_blendv_epi8(probe, pick, _mm256_cmpeq_epi64(probe, none));
            }
            value = _mm256_blendv_epi8(value, pick, open);
            open = _mm256_cmpeq_epi64(value, none);
        }
        _mm256_storeu_si256((__m256i *)(out + i), value);
        empty += (size_t)__builtin_popcount((unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(open)));
    }
    return empty + densify_portable(bins, probes, k, depth, out, i);
}

__attribute__((target("avx512f")))
static size_t densify_avx512(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out) {
    const __m512i none = _mm512_set1_epi64(-1);
    size_t empty = 0, i = 0;
    for (; i + 8 <= k; i += 8) {
        __m512i value = _mm512_loadu_si512((const void *)(bins + i));
        __mmask8 open = _mm512_cmpeq_epu64_mask(value, none);
        for (size_t t = 0; t + 4 <= depth && open; t += 4) {
            __m512i pick = none;
            for (size_t j = 4; j-- > 0;) {
                const __m256i bin = _mm256_loadu_si256((const __m256i *)(probes + (t + j) * k + i));
                const __m512i probe = _mm512_i32gather_epi64(bin, (const void *)bins, 8);
                pick = _mm512_mask_mov_epi64(pick, _mm512_cmpneq_epu64_mask(probe, none), probe);
            }
            value = _mm512_mask_mov_epi64(value, open, pick);
            open = _mm512_mask_cmpeq_epu64_mask(open, value, none);
        }
        _mm512_storeu_si512((void *)(out + i), value);
        empty += (size_t)__builtin_popcount((unsigned)open);
    }
    return empty + densify_portable(bins, probes, k, depth, out, i);
}

// Up to 512 bins (k = 128 by default), AVX-512F: which bins are filled fits in one register, a
// bit per bin, so a probe is tested without touching memory: each lane picks its probed bin's
// word of the mask (a permute) and shifts its bit down. Probes are tested four at a time until
// every lane of the block has found a filled bin (or the table ends), and the values are then
// read with one gather per block, where the variant above gathers four times per round.
__attribute__((target("avx512f")))
static size_t densify_avx512_mask(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out) {
    const __m512i none = _mm512_set1_epi64(-1);
    // Bit b of word b / 64 is set when bin b is filled; words past k / 64 stay zero.
    uint64_t words[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        const __mmask8 filled = _mm512_cmpneq_epu64_mask(_mm512_loadu_si512((const void *)(bins + i)), none);
        words[i >> 6] |= (uint64_t)filled << (i & 63);
    }
    for (; i < k; i++) words[i >> 6] |= (uint64_t)(bins[i] != UINT64_MAX) << (i & 63);
    const __m512i mask = _mm512_loadu_si512((const void *)words);
    const __m512i one = _mm512_set1_epi64(1);
    const __m512i low6 = _mm512_set1_epi64(63);
    size_t empty = 0;
    for (i = 0; i + 8 <= k; i += 8) {
        __m512i value = _mm512_loadu_si512((const void *)(bins + i));
        const __mmask8 start = _mm512_cmpeq_epu64_mask(value, none);
        __mmask8 open = start;
        __m512i chosen = _mm512_setzero_si512();
        // Four probes at a time, the last first, so that the first filled one is written last;
        // then the lanes still open take the group's pick.
        for (size_t t = 0; t + 4 <= depth && open; t += 4) {
            __m512i pick = _mm512_setzero_si512();
            __mmask8 any = 0;
            for (size_t j = 4; j-- > 0;) {
                const __m512i bin = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)(probes + (t + j) * k + i)));
                // The word holding the probed bin's bit (bin / 64 < 8), shifted down to that bit.
                const __m512i word = _mm512_permutexvar_epi64(_mm512_srli_epi64(bin, 6), mask);
                const __mmask8 filled = _mm512_test_epi64_mask(_mm512_srlv_epi64(word, _mm512_and_si512(bin, low6)), one);
                pick = _mm512_mask_mov_epi64(pick, filled, bin);
                any |= filled;
            }
            chosen = _mm512_mask_mov_epi64(chosen, open & any, pick);
            open &= (__mmask8)~any;
        }
        value = _mm512_mask_i64gather_epi64(value, start & (__mmask8)~open, chosen, (const void *)bins, 8);
        _mm512_storeu_si512((void *)(out + i), value);
        empty += (size_t)__builtin_popcount((unsigned)open);
    }
    return empty + densify_portable(bins, probes, k, depth, out, i);
}

// Up to 128 bins with AVX-512 VBMI: the filled bins as 128 bytes (0xFF filled, 0 empty) in two
// registers, and each probe level's 128 bin numbers as bytes (`probe_bytes`, worked out once by
// the caller), so that one VPERMI2B per 64 bins tells whether their probes are filled: a level
// costs a few instructions for all bins together, where the bit-mask variant above tests each
// block of 8 bins on its own. Levels are tested while a bin is open (the first filled probe
// closes it, so it keeps that one); then the values are read with one gather per block of 8
// bins that had an empty one.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static size_t densify_avx512_vbmi(const uint64_t *bins, const uint8_t *probe_bytes, size_t k, size_t depth,
                                  uint64_t *out) {
    const __m512i none = _mm512_set1_epi64(-1);
    // Bit i of filled[i / 64]: bin i is filled; bits at k and above stay zero.
    uint64_t filled[2] = {0, 0};
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
        const __mmask8 mask = _mm512_cmpneq_epu64_mask(_mm512_loadu_si512((const void *)(bins + i)), none);
        filled[i >> 6] |= (uint64_t)mask << (i & 63);
    }
    for (; i < k; i++) filled[i >> 6] |= (uint64_t)(bins[i] != UINT64_MAX) << (i & 63);
    // Lanes below k that are empty.
    const uint64_t inside_low = k >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1);
    const uint64_t inside_high = k >= 128 ? ~(uint64_t)0 : k <= 64 ? 0 : (((uint64_t)1 << (k - 64)) - 1);
    const uint64_t empty_low = ~filled[0] & inside_low, empty_high = ~filled[1] & inside_high;
    uint64_t open_low = empty_low, open_high = empty_high;
    if (open_low | open_high) {
        const __m512i filled_low = _mm512_movm_epi8(filled[0]);
        const __m512i filled_high = _mm512_movm_epi8(filled[1]);
        __m512i chosen_low = _mm512_setzero_si512(), chosen_high = _mm512_setzero_si512();
        for (size_t t = 0; t < depth && (open_low | open_high); t++) {
            // SAFETY (of the loads): the caller gives depth rows of 128 bytes.
            const __m512i probe_low = _mm512_loadu_si512((const void *)(probe_bytes + t * 128));
            const __m512i probe_high = _mm512_loadu_si512((const void *)(probe_bytes + t * 128 + 64));
            // Byte j: 0xFF where bin j's probe t is filled (probe numbers are below 128).
            const __mmask64 hit_low = _mm512_test_epi8_mask(
                _mm512_permutex2var_epi8(filled_low, probe_low, filled_high), _mm512_set1_epi8(-1)) & open_low;
            const __mmask64 hit_high = _mm512_test_epi8_mask(
                _mm512_permutex2var_epi8(filled_low, probe_high, filled_high), _mm512_set1_epi8(-1)) & open_high;
            chosen_low = _mm512_mask_mov_epi8(chosen_low, hit_low, probe_low);
            chosen_high = _mm512_mask_mov_epi8(chosen_high, hit_high, probe_high);
            open_low &= ~(uint64_t)hit_low;
            open_high &= ~(uint64_t)hit_high;
        }
        uint8_t chosen[128];
        _mm512_storeu_si512((void *)chosen, chosen_low);
        _mm512_storeu_si512((void *)(chosen + 64), chosen_high);
        // The bins that found a filled probe, as one mask per 64.
        const uint64_t found[2] = {empty_low & ~open_low, empty_high & ~open_high};
        for (i = 0; i + 8 <= k; i += 8) {
            __m512i value = _mm512_loadu_si512((const void *)(bins + i));
            const __mmask8 take = (__mmask8)(found[i >> 6] >> (i & 63));
            if (take) {
                const __m512i index = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(chosen + i)));
                value = _mm512_mask_i64gather_epi64(value, take, index, (const void *)bins, 8);
            }
            _mm512_storeu_si512((void *)(out + i), value);
        }
        for (; i < k; i++) out[i] = (found[i >> 6] >> (i & 63)) & 1 ? bins[chosen[i]] : bins[i];
    } else {
        for (i = 0; i + 8 <= k; i += 8) _mm512_storeu_si512((void *)(out + i), _mm512_loadu_si512((const void *)(bins + i)));
        for (; i < k; i++) out[i] = bins[i];
    }
    return (size_t)__builtin_popcountll(open_low) + (size_t)__builtin_popcountll(open_high);
}
#endif

static size_t densify_run(int isa, const uint64_t *bins, const uint32_t *probes, const uint8_t *probe_bytes, size_t k,
                          size_t depth, uint64_t *out) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        if (probe_bytes != NULL && k <= 128 && simk_has_avx512_vbmi()) return densify_avx512_vbmi(bins, probe_bytes, k, depth, out);
        return k <= 512 ? densify_avx512_mask(bins, probes, k, depth, out) : densify_avx512(bins, probes, k, depth, out);
    case SIMK_ISA_AVX2:
        return densify_avx2(bins, probes, k, depth, out);
#endif
    default:
        return densify_portable(bins, probes, k, depth, out, 0);
    }
}

size_t simk_oph_densify(const uint64_t *bins, const uint32_t *probes, const uint8_t *probe_bytes, size_t k, size_t depth,
                        uint64_t *out) {
    return densify_run(simk_active_isa(), bins, probes, probe_bytes, k, depth, out);
}

int simk_oph_densify_isa(int isa, const uint64_t *bins, const uint32_t *probes, const uint8_t *probe_bytes, size_t k,
                         size_t depth, uint64_t *out, size_t *empty) {
    if (!simk_isa_supported(isa)) return -1;
    *empty = densify_run(isa, bins, probes, probe_bytes, k, depth, out);
    return 0;
}

int simk_oph_densify_bits(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out,
                          size_t *empty) {
#if SIMK_X86
    if (!simk_isa_supported(SIMK_ISA_AVX512) || k > 512) return -1;
    *empty = densify_avx512_mask(bins, probes, k, depth, out);
    return 0;
#else
    (void)bins; (void)probes; (void)k; (void)depth; (void)out; (void)empty;
    return -1;
#endif
}
