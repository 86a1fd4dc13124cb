// The filled bins of a one-permutation MinHash signature: the values that are their own bin's
// minimum. A value copied into an empty bin by densification is another bin's minimum, and a
// value's bin is its top bits (k a power of two), so lane i was filled exactly when
// value >> (64 - log2 k) == i. A signature store keeps only these values (a short document fills
// a third of 128 bins) and gets the rest back by densifying again. See include/CSimKernels.h for
// the contract; every variant gives the portable one's output.
#include "CSimKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define SIMK_X86 1
#include <immintrin.h>
#else
#define SIMK_X86 0
#endif

// Every value is written at the next free place and kept (the place advances) only when it is
// its lane's own: no branch on which lanes are filled, a coin toss in a short document.
static size_t filled_portable(const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled) {
    size_t count = 0;
    for (size_t lane = 0; lane < k; lane++) {
        const uint64_t value = signature[lane];
        filled[count] = value;
        count += (value >> shift) == lane;
    }
    return count;
}

#if SIMK_X86
// Eight lanes a step: compare the values' bins with the lane numbers, compress the matching
// values to the front of a register (the register form: the memory form of VPCOMPRESSQ is
// microcoded and slow on AMD's cores) and store all eight words at the next free place, which
// is at most the step's first lane, so the store stays within the k words of `filled`.
__attribute__((target("avx512f")))
static size_t filled_avx512(const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled) {
    size_t count = 0;
    __m512i lanes = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    const __m512i eight = _mm512_set1_epi64(8);
    const __m128i bits = _mm_cvtsi32_si128((int)shift);
    for (size_t lane = 0; lane < k; lane += 8) {
        const __m512i values = _mm512_loadu_si512((const void *)(signature + lane));
        const __mmask8 own = _mm512_cmpeq_epi64_mask(_mm512_srl_epi64(values, bits), lanes);
        _mm512_storeu_si512((void *)(filled + count), _mm512_maskz_compress_epi64(own, values));
        count += (size_t)__builtin_popcount((unsigned)own);
        lanes = _mm512_add_epi64(lanes, eight);
    }
    return count;
}
#endif

static size_t filled_run(int isa, const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled) {
#if SIMK_X86
    if (isa == SIMK_ISA_AVX512 && k % 8 == 0) return filled_avx512(signature, k, shift, filled);
#endif
    (void)isa;
    return filled_portable(signature, k, shift, filled);
}

size_t simk_oph_filled(const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled) {
    return filled_run(simk_active_isa(), signature, k, shift, filled);
}

int simk_oph_filled_isa(int isa, const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled, size_t *count) {
    if (!simk_isa_supported(isa)) return -1;
    *count = filled_run(isa, signature, k, shift, filled);
    return 0;
}
