// One-permutation MinHash's densification: every empty bin takes the value of the first bin of
// its probe sequence that is filled. In a short document most bins are empty and whether the
// next probe hits a filled bin is a coin toss, so a scalar loop either mispredicts a branch per
// probe or waits on a chain of dependent loads. The vector variants handle 8 bins (AVX-512F) or
// 4 (AVX2) at once: per probe, one contiguous load of their probe numbers and one gather of the
// probed values, four probes at a time while a lane is still empty. See include/CSimKernels.h
// for the contract; every variant gives the portable one's output.
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
#endif

static size_t densify_run(int isa, const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return densify_avx512(bins, probes, k, depth, out);
    case SIMK_ISA_AVX2:
        return densify_avx2(bins, probes, k, depth, out);
#endif
    default:
        return densify_portable(bins, probes, k, depth, out, 0);
    }
}

size_t simk_oph_densify(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out) {
    return densify_run(simk_active_isa(), bins, probes, k, depth, out);
}

int simk_oph_densify_isa(int isa, const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth,
                         uint64_t *out, size_t *empty) {
    if (!simk_isa_supported(isa)) return -1;
    *empty = densify_run(isa, bins, probes, k, depth, out);
    return 0;
}
