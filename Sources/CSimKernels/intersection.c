// The intersection count of two sorted sets of 64-bit hashes, the inner loop of exact
// similarity (exact all-pairs verifies every candidate pair with it). The vector variants
// compare a block of one set with every rotation of a block of the other (8 × 8 values with
// AVX-512F, 4 × 4 with AVX2), then advance the block whose last value is smaller, or both; a
// scalar merge finishes. See include/CSimKernels.h for the contract; every variant gives the
// portable one's count.
#include "CSimKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define SIMK_X86 1
#include <immintrin.h>
#else
#define SIMK_X86 0
#endif

// The branch-free merge: which side advances is unpredictable, so no branch decides it.
static size_t intersection_portable(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, shared = 0;
    while (i < na && j < nb) {
        const uint64_t x = a[i], y = b[j];
        shared += x == y;
        i += x <= y;
        j += y <= x;
    }
    return shared;
}

// Why the block merge counts each shared value once: a block pair is compared at most once
// (every step advances a block), and a block of `a` is left behind only when its last value is
// at most the last value of the current block of `b`, so every later value of `b` is larger
// than all of it (the sets are strictly increasing): its shared values were in blocks of `b`
// already compared with it. The same holds with the roles swapped, and for the scalar tail.
#if SIMK_X86
__attribute__((target("avx2")))
static size_t intersection_avx2(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, shared = 0;
    while (i + 4 <= na && j + 4 <= nb) {
        const __m256i va = _mm256_loadu_si256((const __m256i *)(a + i));
        const __m256i vb = _mm256_loadu_si256((const __m256i *)(b + j));
        const __m256i r1 = _mm256_permute4x64_epi64(vb, _MM_SHUFFLE(0, 3, 2, 1));
        const __m256i r2 = _mm256_permute4x64_epi64(vb, _MM_SHUFFLE(1, 0, 3, 2));
        const __m256i r3 = _mm256_permute4x64_epi64(vb, _MM_SHUFFLE(2, 1, 0, 3));
        const __m256i hits = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi64(va, vb), _mm256_cmpeq_epi64(va, r1)),
                                             _mm256_or_si256(_mm256_cmpeq_epi64(va, r2), _mm256_cmpeq_epi64(va, r3)));
        shared += (size_t)__builtin_popcount((unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(hits)));
        const uint64_t lastA = a[i + 3], lastB = b[j + 3];
        i += lastA <= lastB ? 4 : 0;
        j += lastB <= lastA ? 4 : 0;
    }
    return shared + intersection_portable(a + i, na - i, b + j, nb - j);
}

__attribute__((target("avx512f")))
static size_t intersection_avx512(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    size_t i = 0, j = 0, shared = 0;
    while (i + 8 <= na && j + 8 <= nb) {
        const __m512i va = _mm512_loadu_si512((const void *)(a + i));
        const __m512i vb = _mm512_loadu_si512((const void *)(b + j));
        __mmask8 hits = _mm512_cmpeq_epu64_mask(va, vb);
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 1));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 2));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 3));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 4));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 5));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 6));
        hits |= _mm512_cmpeq_epu64_mask(va, _mm512_alignr_epi64(vb, vb, 7));
        shared += (size_t)__builtin_popcount((unsigned)hits);
        const uint64_t lastA = a[i + 7], lastB = b[j + 7];
        i += lastA <= lastB ? 8 : 0;
        j += lastB <= lastA ? 8 : 0;
    }
    return shared + intersection_avx2(a + i, na - i, b + j, nb - j);
}
#endif

static size_t intersection_run(int isa, const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        return intersection_avx512(a, na, b, nb);
    case SIMK_ISA_AVX2:
        return intersection_avx2(a, na, b, nb);
#endif
    default:
        return intersection_portable(a, na, b, nb);
    }
}

size_t simk_intersection_count(const uint64_t *a, size_t na, const uint64_t *b, size_t nb) {
    return intersection_run(simk_active_isa(), a, na, b, nb);
}

int simk_intersection_count_isa(int isa, const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t *count) {
    if (!simk_isa_supported(isa)) return -1;
    *count = intersection_run(isa, a, na, b, nb);
    return 0;
}
