// Classic MinHash kernel: k multiply-add hash functions over 32-bit lanes, min per lane.
// See include/CSimKernels.h for the contract; the three variants must agree bit for bit.
#include "CSimKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define SIMK_X86 1
#include <immintrin.h>
#else
#define SIMK_X86 0
#endif

static inline uint32_t simk_fold(uint64_t x) { return (uint32_t)x ^ (uint32_t)(x >> 32); }

static void minhash32_portable(const uint64_t *hashes, size_t count, const uint32_t *mul,
                               const uint32_t *add, uint32_t *mins, size_t lanes) {
    for (size_t n = 0; n < count; n++) {
        const uint32_t x = simk_fold(hashes[n]);
        for (size_t i = 0; i < lanes; i++) {
            const uint32_t v = mul[i] * x + add[i];
            mins[i] = v < mins[i] ? v : mins[i];
        }
    }
}

#if SIMK_X86
// Lanes are taken in blocks of 64 (8 vectors of 8) so the block's minima stay in registers while
// every hash streams past; the tail (lanes % 8) goes through the portable loop.
__attribute__((target("avx2")))
static void minhash32_avx2(const uint64_t *hashes, size_t count, const uint32_t *mul,
                           const uint32_t *add, uint32_t *mins, size_t lanes) {
    size_t lane = 0;
    for (; lane + 64 <= lanes; lane += 64) {
        __m256i m[8], a[8], b[8];
        for (int j = 0; j < 8; j++) {
            m[j] = _mm256_loadu_si256((const __m256i *)(mins + lane + 8 * j));
            a[j] = _mm256_loadu_si256((const __m256i *)(mul + lane + 8 * j));
            b[j] = _mm256_loadu_si256((const __m256i *)(add + lane + 8 * j));
        }
        for (size_t n = 0; n < count; n++) {
            const __m256i x = _mm256_set1_epi32((int)simk_fold(hashes[n]));
            for (int j = 0; j < 8; j++) {
                m[j] = _mm256_min_epu32(m[j], _mm256_add_epi32(_mm256_mullo_epi32(a[j], x), b[j]));
            }
        }
        for (int j = 0; j < 8; j++) _mm256_storeu_si256((__m256i *)(mins + lane + 8 * j), m[j]);
    }
    for (; lane + 8 <= lanes; lane += 8) {
        __m256i m = _mm256_loadu_si256((const __m256i *)(mins + lane));
        const __m256i a = _mm256_loadu_si256((const __m256i *)(mul + lane));
        const __m256i b = _mm256_loadu_si256((const __m256i *)(add + lane));
        for (size_t n = 0; n < count; n++) {
            const __m256i x = _mm256_set1_epi32((int)simk_fold(hashes[n]));
            m = _mm256_min_epu32(m, _mm256_add_epi32(_mm256_mullo_epi32(a, x), b));
        }
        _mm256_storeu_si256((__m256i *)(mins + lane), m);
    }
    if (lane < lanes) minhash32_portable(hashes, count, mul + lane, add + lane, mins + lane, lanes - lane);
}

// Blocks of 128 lanes (8 vectors of 16).
__attribute__((target("avx512f")))
static void minhash32_avx512(const uint64_t *hashes, size_t count, const uint32_t *mul,
                             const uint32_t *add, uint32_t *mins, size_t lanes) {
    size_t lane = 0;
    for (; lane + 128 <= lanes; lane += 128) {
        __m512i m[8], a[8], b[8];
        for (int j = 0; j < 8; j++) {
            m[j] = _mm512_loadu_si512((const void *)(mins + lane + 16 * j));
            a[j] = _mm512_loadu_si512((const void *)(mul + lane + 16 * j));
            b[j] = _mm512_loadu_si512((const void *)(add + lane + 16 * j));
        }
        for (size_t n = 0; n < count; n++) {
            const __m512i x = _mm512_set1_epi32((int)simk_fold(hashes[n]));
            for (int j = 0; j < 8; j++) {
                m[j] = _mm512_min_epu32(m[j], _mm512_add_epi32(_mm512_mullo_epi32(a[j], x), b[j]));
            }
        }
        for (int j = 0; j < 8; j++) _mm512_storeu_si512((void *)(mins + lane + 16 * j), m[j]);
    }
    for (; lane + 16 <= lanes; lane += 16) {
        __m512i m = _mm512_loadu_si512((const void *)(mins + lane));
        const __m512i a = _mm512_loadu_si512((const void *)(mul + lane));
        const __m512i b = _mm512_loadu_si512((const void *)(add + lane));
        for (size_t n = 0; n < count; n++) {
            const __m512i x = _mm512_set1_epi32((int)simk_fold(hashes[n]));
            m = _mm512_min_epu32(m, _mm512_add_epi32(_mm512_mullo_epi32(a, x), b));
        }
        _mm512_storeu_si512((void *)(mins + lane), m);
    }
    if (lane < lanes) minhash32_portable(hashes, count, mul + lane, add + lane, mins + lane, lanes - lane);
}
#endif

int simk_isa_supported(int isa) {
    switch (isa) {
    case SIMK_ISA_PORTABLE:
        return 1;
#if SIMK_X86
    case SIMK_ISA_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? 1 : 0;
    case SIMK_ISA_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") ? 1 : 0;
#endif
    default:
        return 0;
    }
}

// -1 until decided; every thread that races the first call computes the same value.
static int simk_vbmi = -1;

int simk_has_avx512_vbmi(void) {
    int has = __atomic_load_n(&simk_vbmi, __ATOMIC_ACQUIRE);
    if (has >= 0) return has;
#if SIMK_X86
    __builtin_cpu_init();
    has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi")
        ? 1 : 0;
#else
    has = 0;
#endif
    __atomic_store_n(&simk_vbmi, has, __ATOMIC_RELEASE);
    return has;
}

static int simk_requested_isa(void) {
    const char *value = getenv("SIMCORE_ISA");
    if (value == NULL) return SIMK_ISA_AVX512;
    if (strcmp(value, "portable") == 0) return SIMK_ISA_PORTABLE;
    if (strcmp(value, "avx2") == 0) return SIMK_ISA_AVX2;
    return SIMK_ISA_AVX512;
}

// -1 until decided; every thread that races the first call computes the same value.
static int simk_chosen_isa = -1;

int simk_active_isa(void) {
    int isa = __atomic_load_n(&simk_chosen_isa, __ATOMIC_ACQUIRE);
    if (isa >= 0) return isa;
    isa = simk_requested_isa();
    while (isa > SIMK_ISA_PORTABLE && !simk_isa_supported(isa)) isa--;
    __atomic_store_n(&simk_chosen_isa, isa, __ATOMIC_RELEASE);
    return isa;
}

static void minhash32_run(int isa, const uint64_t *hashes, size_t count, const uint32_t *mul,
                          const uint32_t *add, uint32_t *mins, size_t lanes) {
    switch (isa) {
#if SIMK_X86
    case SIMK_ISA_AVX512:
        minhash32_avx512(hashes, count, mul, add, mins, lanes);
        return;
    case SIMK_ISA_AVX2:
        minhash32_avx2(hashes, count, mul, add, mins, lanes);
        return;
#endif
    default:
        minhash32_portable(hashes, count, mul, add, mins, lanes);
        return;
    }
}

int simk_minhash32_isa(int isa, const uint64_t *hashes, size_t count, const uint32_t *mul,
                       const uint32_t *add, uint32_t *mins, size_t lanes) {
    if (!simk_isa_supported(isa)) return -1;
    minhash32_run(isa, hashes, count, mul, add, mins, lanes);
    return 0;
}

void simk_minhash32(const uint64_t *hashes, size_t count, const uint32_t *mul,
                    const uint32_t *add, uint32_t *mins, size_t lanes) {
    minhash32_run(simk_active_isa(), hashes, count, mul, add, mins, lanes);
}
