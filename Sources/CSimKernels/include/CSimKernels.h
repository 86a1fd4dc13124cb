// SimCore's ISA-specific kernels: small C functions with AVX2 and AVX-512 variants chosen once
// at run time (`__builtin_cpu_supports`), and a portable variant that gives identical output.
//
// The environment variable SIMCORE_ISA=portable|avx2|avx512 caps the variant: the dispatcher
// uses the best one the CPU supports that is not above the requested one. No compiler flags are
// needed (each variant carries `__attribute__((target(...)))`), so the package stays usable as a
// dependency. Any other value of SIMCORE_ISA (or none) leaves the choice to the CPU.
#ifndef SIMCORE_CSIMKERNELS_H
#define SIMCORE_CSIMKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set variants of the kernels.
enum {
    SIMK_ISA_PORTABLE = 0,
    SIMK_ISA_AVX2 = 1,
    SIMK_ISA_AVX512 = 2,
};

/// The variant the dispatcher uses: the best the CPU supports, capped by SIMCORE_ISA.
/// Decided on the first call and fixed for the life of the process.
int simk_active_isa(void);

/// Whether this CPU can run `isa` (and the variant was compiled in).
int simk_isa_supported(int isa);

/// Whether this CPU has AVX-512 F, BW and VBMI (byte permutes across two registers), which the
/// token-hash and densification kernels' AVX-512 variants use when present (tests and reports
/// name the path that ran by it). Decided on the first call; 0 where the variants are not compiled in.
int simk_has_avx512_vbmi(void);

/// Classic MinHash, 32-bit lanes: for every hash x and every lane i,
///   v = mul[i] * fold(x) + add[i]   (mod 2^32),   fold(x) = low32(x) ^ high32(x),
///   mins[i] = min(mins[i], v).
/// `mins` must be initialized by the caller (to 0xFFFFFFFF for a fresh signature).
/// Every variant gives the same `mins` bit for bit.
void simk_minhash32(const uint64_t *hashes, size_t count, const uint32_t *mul,
                    const uint32_t *add, uint32_t *mins, size_t lanes);

/// `simk_minhash32` forced onto one variant, for tests and benchmarks.
/// Returns 0 on success, -1 (and does nothing) if this CPU cannot run `isa`.
int simk_minhash32_isa(int isa, const uint64_t *hashes, size_t count, const uint32_t *mul,
                       const uint32_t *add, uint32_t *mins, size_t lanes);

/// The number of values two strictly increasing arrays share (|A ∩ B| of two sorted hash sets).
/// Reads exactly `na` values of `a` and `nb` of `b`.
size_t simk_intersection_count(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/// `simk_intersection_count` forced onto one variant, for tests. Returns 0 and sets `*count`, or
/// -1 (and does nothing) if this CPU cannot run `isa`.
int simk_intersection_count_isa(int isa, const uint64_t *a, size_t na, const uint64_t *b, size_t nb, size_t *count);

/// A posting: a key prefix and a document (the layout of Swift's `_PostingEntry`: 16 bytes).
typedef struct {
    uint64_t prefix;
    uint32_t document;
} simk_posting;

/// A frozen posting layer being read (Swift's `_FrozenView`): `count` entries; the upper bits
/// (a 1 per entry, a 0 closing each bucket), and fingerprints and documents packed in
/// `fingerprint_bits` (0...64) and `document_bits` (1...64) bits, each array followed by a zero
/// word.
typedef struct {
    const uint64_t *upper;
    const uint64_t *fingerprints;
    const uint64_t *documents;
    int64_t count;
    int fingerprint_bits;
    int document_bits;
} simk_postings_layer;

/// A frozen posting layer being written (Swift's `_FrozenPostingsWriter`): its arrays, widths
/// and the writer's state (entries written, the next directory bucket, the upper word being
/// filled, and each packed array's word, pending bits and bits filled).
typedef struct {
    uint64_t *upper;
    uint32_t *block_starts;
    uint64_t *fingerprints;
    uint64_t *documents;
    int fingerprint_bits;
    int document_bits;
    int64_t written;
    int64_t next_block_bucket;
    int64_t upper_word;
    uint64_t upper_bits;
    int64_t fingerprint_index;
    uint64_t fingerprint_pending;
    int64_t fingerprint_filled;
    int64_t document_index;
    uint64_t document_pending;
    int64_t document_filled;
} simk_postings_writer;

/// The most layers `simk_postings_merge` takes.
#define SIMK_POSTINGS_MAX_LAYERS 16

/// Appends to `w` the entries of the `layer_count` layers (at most SIMK_POSTINGS_MAX_LAYERS)
/// and the `run_count` entries of `run`, each sorted by (prefix, document), in (prefix, document)
/// order, exactly as the Swift merge (`_FrozenView.merge`) appending them one by one through the
/// Swift writer would: of equal entries, the run's first, then the first layer's. The caller
/// has checked that they fit: every document below the new layer's limit, every prefix below
/// 2^keyBits, and room for all of them. The new layer's arrays are zero past the bits `w` has
/// written or holds (Swift's writer zeroes its block): the kernel ORs bits into them.
void simk_postings_merge(simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count,
                         const simk_posting *run, int64_t run_count);

/// One-permutation MinHash's densification from a probe table: for every bin i < k,
///   out[i] = bins[i] if it is not UINT64_MAX (filled), else bins[probes[t * k + i]] for the
///   first t < depth whose probed bin is filled, else UINT64_MAX.
/// `depth` is a multiple of 4; `probes` holds depth * k bin numbers, each below k (column-major:
/// probe t of every bin, then probe t + 1). `probe_bytes` is NULL or, for k <= 128, the same
/// table as bytes in rows of 128 (row t: probe t of bins 0..<k, then zeros): with it, CPUs with
/// AVX-512 VBMI test every bin's probe of one row at once. Returns how many `out` values are still
/// UINT64_MAX. Every variant gives the same `out` bit for bit.
size_t simk_oph_densify(const uint64_t *bins, const uint32_t *probes, const uint8_t *probe_bytes, size_t k, size_t depth,
                        uint64_t *out);

/// `simk_oph_densify` forced onto one variant, for tests. Returns 0 and sets `*empty`, or -1 (and
/// does nothing) if this CPU cannot run `isa`.
int simk_oph_densify_isa(int isa, const uint64_t *bins, const uint32_t *probes, const uint8_t *probe_bytes, size_t k,
                         size_t depth, uint64_t *out, size_t *empty);

/// `simk_oph_densify`'s AVX-512F variant that tests probes against a bit mask of the filled bins
/// (k <= 512), which a CPU with AVX-512 VBMI runs only without `probe_bytes`; for tests. Returns
/// 0 and sets `*empty`, or -1 (and does nothing) if this CPU cannot run it or k > 512.
int simk_oph_densify_bits(const uint64_t *bins, const uint32_t *probes, size_t k, size_t depth, uint64_t *out,
                          size_t *empty);


/// The filled bins of a one-permutation MinHash signature of k = 2^s bins (s >= 1, `shift` =
/// 64 - s): writes, in lane order, every `signature[i]` whose top s bits are i (the bin's own
/// minimum, not a value densification copied from another bin) to `filled`, and returns how
/// many. `filled` must have room for k values: every variant may write that far. Every variant
/// gives the same count and values.
size_t simk_oph_filled(const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled);

/// `simk_oph_filled` forced onto one variant, for tests. Returns 0 and sets `*count`, or -1 (and
/// does nothing) if this CPU cannot run `isa`.
int simk_oph_filled_isa(int isa, const uint64_t *signature, size_t k, unsigned shift, uint64_t *filled, size_t *count);

/// The variant the text kernels use: the dispatcher's, one lower where the CPU lacks an
/// extension they need (their AVX-512 variant also needs AVX-512BW and DQ).
int simk_text_isa(void);

/// Whether this CPU can run the text kernels' variant `isa`.
int simk_text_isa_supported(int isa);

/// Maps the ASCII prefix of `input` for word tokenization: letters (lower-cased when `lowercase`
/// is non-zero) and digits are kept, every other ASCII byte becomes 0x20. Stops at the first byte
/// of 0x80 or more, or after `count` bytes.
/// Returns the number of bytes mapped (all of them written to `output`). `output` must have room
/// for `count` bytes plus 64 (the callers' padding; no variant changes a byte past the bytes it
/// maps, though AVX2 rewrites the rest of a 32-byte block with the values it holds).
size_t simk_map_ascii(const uint8_t *input, size_t count, uint8_t *output, int lowercase);

/// `simk_map_ascii` forced onto one variant, for tests. Returns 0 and sets `*processed`, or -1
/// (and does nothing) if this CPU cannot run `isa`.
int simk_map_ascii_isa(int isa, const uint8_t *input, size_t count, uint8_t *output, int lowercase,
                       size_t *processed);

/// The tokens (maximal runs of bytes other than 0x20) of `text[0..<count]`, as pairs: writes
/// token i's first byte offset to `bounds[2i]` and the offset after its last byte to
/// `bounds[2i + 1]`, and returns the number of tokens. Reads whole blocks of 64 bytes (the caller
/// guarantees that 0x20 bytes follow `count` up to the next multiple of 64) and writes the tokens'
/// pairs and, with AVX-512, up to 16 values after them (`bounds` needs room for
/// `2 * (count / 2 + 1) + 16` values); `count` is below 2^31.
size_t simk_token_bounds(const uint8_t *text, size_t count, int32_t *bounds);

/// `simk_token_bounds` forced onto one variant, for tests: the count goes to `tokens`. Returns 0,
/// or -1 (and does nothing) if this CPU cannot run `isa`.
int simk_token_bounds_isa(int isa, const uint8_t *text, size_t count, int32_t *bounds, size_t *tokens);

/// Replaces each token's bounds in `tokens` (8 bytes per token: its first byte's offset and the
/// offset after its last byte, two 32-bit values in that order, as `simk_token_bounds` writes
/// them; 1 <= length) by the seeded XXH3-64 hash of those bytes of `text`, in place: the value of
/// XXH3_64bits_withSeed, without a branch on the length up to 16 bytes (eight tokens per step
/// with AVX-512). `text` has `readable` readable bytes, at least `max(length, 8)` from every
/// token's start: each token's first 8 bytes and the 8 ending at its last byte (at its start
/// when shorter) are read, and with AVX-512 VBMI any of the `readable` bytes.
void simk_hash_token_bounds(const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed);

/// `simk_hash_token_bounds` forced onto one variant, for tests. Returns 0, or -1 (and does
/// nothing) if this CPU cannot run `isa`.
int simk_hash_token_bounds_isa(int isa, const uint8_t *text, size_t readable, uint64_t *tokens, size_t count, uint64_t seed);

/// `simk_hash_token_bounds`' AVX-512 variant for CPUs without VBMI (two gathers per eight tokens),
/// which a CPU with VBMI would not run, for tests; the caller guarantees `max(length, 8)` readable
/// bytes from every token's start. Returns 0, or -1 (and does nothing) if this CPU cannot run the
/// AVX-512 variant.
int simk_hash_token_bounds_gathers(const uint8_t *text, uint64_t *tokens, size_t count, uint64_t seed);


/// Word n-gram hashes from token hashes: for each of `windows` windows i (`windows` >= 1, and
/// `tokens` holding `windows + width - 1` values, `width` >= 1), writes to `shingles[i]`
/// Murmur3's fmix64 of (P ^ `key`), where P = sum over j < width of tokens[i + j] *
/// base^(width - 1 - j), mod 2^64. Eight windows per step with AVX-512 for widths up to 8;
/// the portable variant rolls P from one window to the next.
void simk_word_shingles(const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                        uint64_t *shingles);

/// `simk_word_shingles` forced onto one variant, for tests. Returns 0, or -1 (and does nothing)
/// if this CPU cannot run `isa`.
int simk_word_shingles_isa(int isa, const uint64_t *tokens, size_t windows, size_t width, uint64_t key, uint64_t base,
                           uint64_t *shingles);

/// The position of the first '"', '\\' or control byte (below 0x20) among `count` bytes (the
/// inside of a JSON string), or `count` if there is none. Reads exactly `count` bytes.
size_t simk_json_special(const uint8_t *bytes, size_t count);

/// `simk_json_special` forced onto one variant, for tests. Returns 0 and sets `*position`, or -1
/// (and does nothing) if this CPU cannot run `isa`.
int simk_json_special_isa(int isa, const uint8_t *bytes, size_t count, size_t *position);

/// Decodes the inside of a JSON string: copies `src` (`count` bytes after the opening quote) to
/// `dst` (room for `count` bytes) up to the first byte it leaves to the caller, decoding the
/// escapes \" \\ \/ \b \f \n \r \t and \uXXXX (a scalar's, or a surrogate pair's as one
/// scalar, written as UTF-8) on the way. It stops at the closing quote, a control byte (below
/// 0x20), a backslash it does not decode (an invalid escape, bad hex digits, a lone surrogate,
/// an escape cut off by the end) or the end. Plain runs are found by `simk_json_special`'s
/// variant and copied whole (AVX-512: in the same pass, 64 bytes a step, which may also write
/// bytes of `dst` past `*written`, never past `dst + count`). Returns the source bytes consumed
/// (the stop's position) and sets `*written` to the bytes decoded (never more than consumed).
size_t simk_json_unescape(const uint8_t *src, size_t count, uint8_t *dst, size_t *written);

/// `simk_json_unescape` forced onto one variant, for tests. Returns 0 and sets `*consumed` and
/// `*written`, or -1 (and does nothing) if this CPU cannot run `isa`.
int simk_json_unescape_isa(int isa, const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed, size_t *written);

/// The position of the first byte among `count` that does not start a valid UTF-8 sequence
/// (shortest form, no surrogate, nothing above U+10FFFF), or `count` if all are valid. ASCII
/// runs are skipped 64 bytes per step (two loads with AVX2, one with AVX-512), eight on the
/// portable path; each run of non-ASCII sequences is decoded one sequence at a time. Reads
/// exactly `count` bytes.
size_t simk_utf8_first_invalid(const uint8_t *bytes, size_t count);

/// `simk_utf8_first_invalid` forced onto one variant, for tests. Returns 0 and sets `*position`,
/// or -1 (and does nothing) if this CPU cannot run `isa`.
int simk_utf8_first_invalid_isa(int isa, const uint8_t *bytes, size_t count, size_t *position);

/// Loads a pointer slot with acquire ordering: what was written before the matching
/// `simk_store_release` is visible once the pointer is. For tables built lazily and shared by
/// every thread (Swift's own atomics need macOS 15).
static inline void *simk_load_acquire(void *const *slot) {
    return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

/// Stores a pointer slot with release ordering (see `simk_load_acquire`).
static inline void simk_store_release(void **slot, void *value) {
    __atomic_store_n(slot, value, __ATOMIC_RELEASE);
}

/// Loads a 32-bit slot atomically (relaxed): for memo tables whose values are their own data,
/// computed deterministically, so that two threads filling one slot write the same value.
static inline uint32_t simk_load_relaxed_u32(const uint32_t *slot) {
    return __atomic_load_n(slot, __ATOMIC_RELAXED);
}

/// Stores a 32-bit slot atomically (relaxed; see `simk_load_relaxed_u32`).
static inline void simk_store_relaxed_u32(uint32_t *slot, uint32_t value) {
    __atomic_store_n(slot, value, __ATOMIC_RELAXED);
}

/// Hints the processor to bring the cache line of `address` in for reading: lets the misses
/// of independent lookups overlap when their addresses are known before the lookups run.
static inline void simk_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// NFKC of one Unicode scalar alone: when NFKC changes `scalar`, points `*mapping` at the
/// scalars it becomes (static storage, never freed) and returns their count (1 to 18); returns
/// 0 and leaves `*mapping` alone when NFKC keeps `scalar` as it is. The table
/// (nfkc_table.c) is generated from Foundation by Data/generate-nfkc-table.swift.
size_t simk_nfkc_mapping(uint32_t scalar, const uint32_t **mapping);

#ifdef __cplusplus
}
#endif

#endif
