/*
 * simcore.h: SimCore's C interface (libsimcore), for any language that can call C.
 *
 * SimCore finds near-duplicate text and text reuse: shingle sets and exact similarity,
 * MinHash-family signatures on all cores, a streaming deduplicator with clusters, kept documents
 * and saved state, the passages two texts share (with byte ranges into both), and every pair of
 * documents of a corpus that shares a passage, in one batch or as a stream.
 * Build the library with
 *
 *     swift build -c release --product simcore      # .build/release/libsimcore.so
 *
 * and link with  -I Sources/CSimCore/include -L .build/release -lsimcore.
 *
 * CONVENTIONS (every function follows them)
 *
 *   Status. Every function that can fail returns a simcore_status; SIMCORE_OK (0) is success.
 *     On failure nothing is written to the caller's output arguments (simcore_dedup_id's
 *     *length on SIMCORE_E_BUFFER_TOO_SMALL is the one exception), nothing is inserted, and
 *     simcore_last_error() names the problem. Invalid arguments are reported, never trapped:
 *     the library does not abort the process on bad input.
 *   Last error. simcore_last_error() is per thread: a failing call on one thread never changes
 *     another thread's message. Successful calls leave it unchanged.
 *   Texts. UTF-8 bytes with an explicit length (no NUL terminator needed; NUL bytes are text).
 *     Batches are count pointers and count lengths: document i is texts[i][0 .. lengths[i]),
 *     wherever each lives (the caller concatenates nothing). Texts must be valid UTF-8 (or set
 *     options.invalid_utf8 = SIMCORE_UTF8_REPLACE) and at least one byte long: an empty text is
 *     SIMCORE_E_EMPTY_TEXT, as in SimCore's corpus readers.
 *   Paths. NUL-terminated UTF-8.
 *   Ownership. Inputs are borrowed for the duration of the call only. Every output buffer is
 *     either the caller's (stated "caller-owned") or allocated by the library and released by
 *     the function named next to it (simcore_free, simcore_clusters_free,
 *     simcore_alignment_free, simcore_reuse_pairs_free, or the handle's _free). Handles are
 *     opaque; free each exactly once. NULL may be passed to every _free.
 *   Threads. Stated per handle. Batch functions use options.threads workers (0: every core the
 *     process may run on); their results never depend on the thread count. No function keeps a
 *     lock while it returns, and none calls back into the caller.
 *   Determinism. The same text, options and seed give the same values on every machine, build
 *     and thread count.
 *
 * ABI: types and constants in this header only grow: new functions, new constants, new fields at
 * the end of simcore_options and simcore_alignment_options (whose struct_size says which fields
 * the caller knows).
 * SIMCORE_ABI_VERSION changes only if an existing declaration changes meaning.
 */
#ifndef SIMCORE_H
#define SIMCORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes; simcore_abi_version() returns the library's. */
#define SIMCORE_ABI_VERSION 1

/* ---------------------------------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------------------------------- */

/** What a call did. Values are stable. */
typedef enum simcore_status {
    SIMCORE_OK = 0,
    /** A NULL pointer where one is required, an option out of range, offsets out of order. */
    SIMCORE_E_INVALID_ARGUMENT = 1,
    /** A text (or id) is not valid UTF-8; the message names the document and byte offset. */
    SIMCORE_E_INVALID_UTF8 = 2,
    /** A text has no bytes; the message names the document. */
    SIMCORE_E_EMPTY_TEXT = 3,
    /** A caller-owned output buffer is too small; the message gives the size needed. */
    SIMCORE_E_BUFFER_TOO_SMALL = 4,
    /** A file could not be read or written (missing, permissions, full disk). */
    SIMCORE_E_IO = 5,
    /** A file is not a SimCore index, or is truncated, corrupt, of another format version. */
    SIMCORE_E_FORMAT = 6,
    /** A saved file is intact but was made with other options than the caller's. */
    SIMCORE_E_PARAMETER_MISMATCH = 7,
    /** A document number is out of range. */
    SIMCORE_E_OUT_OF_RANGE = 8
} simcore_status;

/**
 * The message of the last failing call on the calling thread ("" if none failed yet).
 * Ownership: the library's, thread-local; valid until the next failing call on this thread.
 * Thread-safe.
 */
const char *simcore_last_error(void);

/** A constant name for a status ("SIMCORE_E_INVALID_UTF8"); "unknown status" otherwise. Static storage. */
const char *simcore_status_name(int status);

/** The library version, "MAJOR.MINOR.PATCH" (SimCore's release). Static storage. Thread-safe. */
const char *simcore_version(void);

/** The ABI version the library implements (SIMCORE_ABI_VERSION when it matches this header). */
uint32_t simcore_abi_version(void);

/** Releases a buffer the library allocated (each function names the ones it returns). NULL is allowed. */
void simcore_free(void *buffer);

/* ---------------------------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------------------------- */

/** simcore_options.shingle_unit */
#define SIMCORE_SHINGLE_WORDS 1      /**< word n-grams of normalized tokens */
#define SIMCORE_SHINGLE_CHARS 2      /**< character k-grams of the normalized text */

/** simcore_options.scheme: the MinHash-family schemes (SimCore's SignatureSchemeKind). */
#define SIMCORE_SCHEME_OPH 1          /**< one-permutation MinHash, optimal densification (default) */
#define SIMCORE_SCHEME_MINHASH 2      /**< classic k-permutation MinHash, 32-bit minima */
#define SIMCORE_SCHEME_SUPERMINHASH 3 /**< SuperMinHash: lowest variance at the same k */
#define SIMCORE_SCHEME_MINHASH_B1 4   /**< classic MinHash cut to 1 bit per value (signatures only) */

/** Similarity measures (simcore_options.measure takes JACCARD or OVERLAP). */
#define SIMCORE_MEASURE_JACCARD 1     /**< |A∩B| / |A∪B| */
#define SIMCORE_MEASURE_CONTAINMENT 2 /**< |A∩B| / |A|, directed (exact similarity only) */
#define SIMCORE_MEASURE_OVERLAP 3     /**< |A∩B| / min(|A|,|B|) (the deduplicator's default) */

/** simcore_options.verification */
#define SIMCORE_VERIFY_ESTIMATED 1    /**< confirm candidates from signatures (default) */
#define SIMCORE_VERIFY_EXACT 2        /**< confirm candidates from shingle sets (more memory) */

/** simcore_options.invalid_utf8 */
#define SIMCORE_UTF8_REJECT 1         /**< invalid UTF-8 is SIMCORE_E_INVALID_UTF8 (default) */
#define SIMCORE_UTF8_REPLACE 2        /**< invalid bytes are replaced by U+FFFD, one byte at a time */

/**
 * Everything a call needs to know about shingling, signing and deduplicating. Plain data; copy
 * it freely. Always start from simcore_options_init(), then change fields: it sets struct_size
 * and SimCore's defaults (those of simdedup's flags).
 */
typedef struct simcore_options {
    /** sizeof(simcore_options) as the caller compiled it; set by simcore_options_init. */
    uint32_t struct_size;
    /** SIMCORE_SHINGLE_WORDS (default) or SIMCORE_SHINGLE_CHARS. */
    uint32_t shingle_unit;
    /** n or k, 1..1000 (default 5). */
    uint32_t shingle_width;
    /** SIMCORE_SCHEME_* (default OPH). */
    uint32_t scheme;
    /** Values per signature k, 1..4096 (default 128). */
    uint32_t signature_length;
    /** The deduplicator's measure: SIMCORE_MEASURE_OVERLAP (default) or SIMCORE_MEASURE_JACCARD. */
    uint32_t measure;
    /** The one hash seed: of the shingle hash and of the scheme (default 0). */
    uint64_t seed;
    /** The similarity a pair must reach, in (0, 1] (default 0.8); 1 means exact duplicates
        (identical shingle sets). */
    double threshold;
    /** SIMCORE_VERIFY_* (default ESTIMATED). */
    uint32_t verification;
    /** Jaccard banding by hand: bands and rows both 0 (default: the optimum for threshold) or
     *  both >= 1 with bands * rows <= signature_length; only with SIMCORE_MEASURE_JACCARD. */
    uint32_t bands;
    uint32_t rows;
    /** Worker threads for batch calls, 0 (default: every core the process may run on) or 1..1024. */
    uint32_t threads;
    /** SIMCORE_UTF8_* (default REJECT). */
    uint32_t invalid_utf8;
    /** Normalization: lower-case (default 1), fold typographic variants and NFKC (default 1),
     *  keep punctuation inside tokens (default 0). Each 0 or 1. */
    uint32_t lowercase;
    uint32_t fold_compatibility_forms;
    uint32_t keep_punctuation;
} simcore_options;

/** Fills *options with the defaults above and sets struct_size. Thread-safe. */
void simcore_options_init(simcore_options *options);

/* ---------------------------------------------------------------------------------------------
 * Shingle sets and exact similarity
 * ------------------------------------------------------------------------------------------- */

/**
 * A document's sorted, duplicate-free set of 64-bit shingle hashes. Immutable once made:
 * safe to read from any number of threads at once; free it once, when no thread uses it.
 */
typedef struct simcore_shingle_set simcore_shingle_set;

/**
 * Shingles one text (normalize, tokenize, hash) into a new set.
 * options: shingle_unit, shingle_width, seed, normalization, invalid_utf8 are used.
 * *out: a new handle on success; release with simcore_shingle_set_free.
 */
simcore_status simcore_shingle_set_new(const simcore_options *options, const uint8_t *text, size_t length,
                                       simcore_shingle_set **out);

/** Releases a set. NULL is allowed. */
void simcore_shingle_set_free(simcore_shingle_set *set);

/** The number of distinct shingles (0 for NULL). */
size_t simcore_shingle_set_count(const simcore_shingle_set *set);

/**
 * The hashes, strictly increasing, simcore_shingle_set_count(set) of them.
 * Ownership: borrowed from the set; valid until it is freed. NULL when the set is empty.
 */
const uint64_t *simcore_shingle_set_hashes(const simcore_shingle_set *set);

/**
 * The exact similarity of two sets by SIMCORE_MEASURE_* (0 when either is empty); directed
 * containment is |a ∩ b| / |a|. *out: caller-owned.
 */
simcore_status simcore_shingle_set_similarity(const simcore_shingle_set *a, const simcore_shingle_set *b,
                                              uint32_t measure, double *out);

/** simcore_shingle_set_similarity of two texts, shingled with options. *out: caller-owned. */
simcore_status simcore_similarity(const simcore_options *options, uint32_t measure, const uint8_t *a,
                                  size_t a_length, const uint8_t *b, size_t b_length, double *out);

/* ---------------------------------------------------------------------------------------------
 * Signatures
 * ------------------------------------------------------------------------------------------- */

/**
 * Signs count documents on options.threads cores: row i of out (signature_length values) is
 * document i's signature, as SimCore's SignatureMatrix(signingUTF8:options:scheme:threads:)
 * gives it. options: the shingling fields, scheme, signature_length, seed, threads, invalid_utf8.
 * out: caller-owned, at least count * signature_length values (out_capacity counts values).
 * Every text is checked before any is signed; on failure out is untouched.
 * count may be 0 (texts, lengths and out may then be NULL).
 */
simcore_status simcore_signatures(const simcore_options *options, const uint8_t *const *texts, const size_t *lengths,
                                  size_t count, uint64_t *out, size_t out_capacity);

/* ---------------------------------------------------------------------------------------------
 * The deduplicator
 * ------------------------------------------------------------------------------------------- */

/**
 * SimCore's streaming Deduplicator: insert documents, learn for each whether it is new or a
 * near-duplicate of an earlier one, cluster everything seen so far. Documents are numbered 0, 1,
 * 2, ... in insertion order. Thread-safe: any number of threads may call any function on one
 * handle at once (inserts are serialized inside; shingling and signing run in parallel), except
 * simcore_dedup_free, which must come after every other call has returned.
 */
typedef struct simcore_dedup simcore_dedup;

/** One inserted document's verdict. */
typedef struct simcore_verdict {
    /** The document's number. */
    int64_t document;
    /** The most similar earlier document (ties: the first inserted), or -1 when it is new. */
    int64_t duplicate_of;
    /** The verified similarity to duplicate_of (options.measure), or 0 when new. */
    double similarity;
} simcore_verdict;

/** One document's place in the clusters found so far. */
typedef struct simcore_assignment {
    /** The document's number. */
    int64_t document;
    /** The member whose id is smallest (byte-wise UTF-8 order, first inserted among equal ids)
     *  labels the cluster; a document without duplicates labels its own. */
    int64_t cluster;
    /** As the document's verdict when it was inserted. */
    int64_t duplicate_of;
    double similarity;
    /** 1 if this is the one document kept from its cluster (the longest, first among equals). */
    uint32_t is_representative;
    uint32_t reserved;
} simcore_assignment;

/** Clusters in compressed rows; every array is library-allocated (simcore_clusters_free). */
typedef struct simcore_clusters {
    /** Number of clusters. */
    size_t count;
    /** count + 1 offsets: cluster c's members are members[offsets[c] .. offsets[c+1]). */
    size_t *offsets;
    /** Document numbers, increasing within each cluster; clusters ordered by first member. */
    int64_t *members;
    /** count document numbers: each cluster's representative (its longest document). */
    int64_t *representatives;
} simcore_clusters;

/**
 * A new, empty deduplicator. The options are copied: they hold for the handle's lifetime
 * (threads and invalid_utf8 included); scheme must be OPH, MINHASH or SUPERMINHASH, measure
 * JACCARD or OVERLAP.
 * *out: release with simcore_dedup_free.
 */
simcore_status simcore_dedup_new(const simcore_options *options, simcore_dedup **out);

/**
 * Loads a deduplicator saved by simcore_dedup_save with the same options (threads and
 * invalid_utf8 may differ). A missing or unreadable file is SIMCORE_E_IO; a truncated,
 * corrupt or other-version file SIMCORE_E_FORMAT; other options SIMCORE_E_PARAMETER_MISMATCH.
 */
simcore_status simcore_dedup_load(const char *path, const simcore_options *options, simcore_dedup **out);

/** Saves everything seen so far, atomically (temporary file, then rename). */
simcore_status simcore_dedup_save(simcore_dedup *dedup, const char *path);

/** Releases a deduplicator. NULL is allowed. */
void simcore_dedup_free(simcore_dedup *dedup);

/**
 * Inserts one document. id: UTF-8 bytes kept as the document's name (id_length 0 is the empty
 * id; id may be NULL then). *out: caller-owned, may be NULL.
 */
simcore_status simcore_dedup_insert(simcore_dedup *dedup, const uint8_t *text, size_t length, const uint8_t *id,
                                    size_t id_length, simcore_verdict *out);

/**
 * Inserts count documents in order on options.threads cores, with exactly the verdicts
 * one-by-one inserts would give. ids and id_lengths: like texts and lengths (empty ids allowed),
 * or both NULL for empty ids. Every text and id is checked first: on failure nothing is
 * inserted. out: caller-owned, count verdicts, may be NULL.
 */
simcore_status simcore_dedup_insert_many(simcore_dedup *dedup, const uint8_t *const *texts, const size_t *lengths,
                                         size_t count, const uint8_t *const *ids, const size_t *id_lengths,
                                         simcore_verdict *out);

/** The number of documents inserted. *out: caller-owned. */
simcore_status simcore_dedup_count(simcore_dedup *dedup, size_t *out);

/**
 * One document's id (UTF-8, not NUL-terminated) into buffer, caller-owned, capacity bytes.
 * *length: caller-owned; the id's length in bytes, also set when the status is
 * SIMCORE_E_BUFFER_TOO_SMALL (the only failure that writes an output: call again with a buffer
 * that large). buffer may be NULL when capacity is 0. SIMCORE_E_OUT_OF_RANGE for a number not in
 * 0 ..< count.
 */
simcore_status simcore_dedup_id(simcore_dedup *dedup, int64_t document, uint8_t *buffer, size_t capacity,
                                size_t *length);

/**
 * Every document's id, in document order, as one buffer and count + 1 offsets.
 * *data and *offsets: library-allocated, release each with simcore_free (*data may be NULL
 * when every id is empty). *count: caller-owned.
 */
simcore_status simcore_dedup_ids(simcore_dedup *dedup, uint8_t **data, size_t **offsets, size_t *count);

/**
 * Every document's assignment, in document order.
 * *assignments: library-allocated (simcore_free), NULL when there are no documents.
 */
simcore_status simcore_dedup_assignments(simcore_dedup *dedup, simcore_assignment **assignments, size_t *count);

/**
 * The documents to keep: one representative per cluster and every document without
 * duplicates, increasing. *documents: library-allocated (simcore_free), NULL when none.
 */
simcore_status simcore_dedup_kept(simcore_dedup *dedup, int64_t **documents, size_t *count);

/**
 * The clusters found so far; include_singletons 0 leaves out documents without duplicates.
 * *out: caller-owned struct whose arrays the library allocates; release with
 * simcore_clusters_free(out).
 */
simcore_status simcore_dedup_clusters(simcore_dedup *dedup, int include_singletons, simcore_clusters *out);

/** Releases the arrays of a simcore_clusters and zeroes it. NULL is allowed. */
void simcore_clusters_free(simcore_clusters *clusters);

/* ---------------------------------------------------------------------------------------------
 * Passage alignment and text reuse
 *
 * Which passages two texts share, with half-open byte ranges into both ORIGINAL texts (not the
 * normalized text), and which documents of a corpus share passages: SimCore's PassageAligner and
 * ReuseIndex, simdedup's align and reuse commands. Texts are tokenized as the shingler does it;
 * shared word n-grams seed passages, collinear seeds are chained and gaps of up to maximum_gap
 * words bridged, so a passage survives a few substituted, inserted or deleted words.
 * ------------------------------------------------------------------------------------------- */

/** simcore_alignment_options.boilerplate */
#define SIMCORE_BOILERPLATE_AUTO 1    /**< blank lines found in at least max(10, 1% of) the documents (default) */
#define SIMCORE_BOILERPLATE_OFF 2     /**< keep every line */

/**
 * How passages are found: SimCore's AlignmentOptions and ReuseOptions, simdedup align's and
 * reuse's flags. Plain data; copy it freely. Always start from simcore_alignment_options_init(),
 * then change fields: it sets struct_size and the defaults below.
 */
typedef struct simcore_alignment_options {
    /** sizeof(simcore_alignment_options) as the caller compiled it; set by _init. */
    uint32_t struct_size;
    /** Words per seed n-gram, 1..1000 (default 5; simdedup's --shingle words:N). */
    uint32_t ngram_width;
    /** The fewest matching words of a reported passage, 1..100000 (default 12; --min-passage-words). */
    uint32_t minimum_passage_words;
    /** The most substituted, inserted or deleted words bridged inside a passage, on either side,
     *  0..10000 (default 12; --max-gap). */
    uint32_t maximum_gap;
    /** The hash seed of tokens and n-grams (default 0; --seed). Passages do not depend on it, up
     *  to 64-bit hash collisions. */
    uint64_t seed;
    /** Normalization, as in simcore_options: each 0 or 1 (defaults 1, 1, 0). Boilerplate lines are
     *  compared under the same rules. */
    uint32_t lowercase;
    uint32_t fold_compatibility_forms;
    uint32_t keep_punctuation;
    /** SIMCORE_UTF8_* (default REJECT). With REPLACE, invalid bytes are matched as separators and
     *  byte ranges still index the bytes as given. */
    uint32_t invalid_utf8;
    /** Reuse only: n-grams held by more documents than this are left out of the index (common
     *  phrases make no candidate pairs), at least 2 (default 100; --max-df). */
    uint32_t maximum_document_frequency;
    /** simcore_reuse and simcore_reuse_index_new: SIMCORE_BOILERPLATE_AUTO (default, as simdedup
     *  reuse) or SIMCORE_BOILERPLATE_OFF (--boilerplate). */
    uint32_t boilerplate;
    /** Reuse only: worker threads, 0 (default: every core the process may run on) or 1..1024. */
    uint32_t threads;
    /** 0, as _init sets it. */
    uint32_t reserved;
} simcore_alignment_options;

/** Fills *options with the defaults above and sets struct_size. Thread-safe. */
void simcore_alignment_options_init(simcore_alignment_options *options);

/** One passage two texts share. */
typedef struct simcore_passage {
    /** The passage's bytes in text A, half-open [a_start, a_end): from the first byte of its first
     *  word to the last byte of its last word, in A as given. */
    size_t a_start;
    size_t a_end;
    /** Its bytes in text B, half-open. */
    size_t b_start;
    size_t b_end;
    /** Its words in A and in B, half-open word numbers (0 is a text's first word). */
    size_t words_a_start;
    size_t words_a_end;
    size_t words_b_start;
    size_t words_b_end;
    /** Words of the passage that match a word on the other side, in order. */
    size_t matched_words;
    /** 2 × matched_words / (words in A + words in B): 1 for a verbatim passage. */
    double similarity;
    /** 0. */
    uint64_t reserved;
} simcore_passage;

/** The passages two texts share and how much of each text they cover. */
typedef struct simcore_alignment {
    /** Number of passages. */
    size_t count;
    /** count passages, by position in A then in B; they may overlap on one side when a text
     *  repeats a passage the other has once. NULL when count is 0. */
    simcore_passage *passages;
    /** Words in A and in B. */
    size_t word_count_a;
    size_t word_count_b;
    /** The fraction of A's (B's) words inside at least one passage (0 for a text without words). */
    double coverage_a;
    double coverage_b;
} simcore_alignment;

/**
 * The passages texts a and b share (a is side A of every passage), as `simdedup align` finds them.
 * options: every field but maximum_document_frequency, boilerplate and threads (one pair is
 * aligned on the calling thread). Work is linear in the two lengths, never quadratic; texts
 * without a shared passage give count 0.
 * *out: caller-owned struct whose passages the library allocates; release with
 * simcore_alignment_free(out).
 */
simcore_status simcore_align(const simcore_alignment_options *options, const uint8_t *a, size_t a_length,
                             const uint8_t *b, size_t b_length, simcore_alignment *out);

/** Releases the passages of a simcore_alignment from simcore_align and zeroes it. NULL is allowed.
 *  (A simcore_reuse_pair's alignment is released with its simcore_reuse_pairs, never by this.) */
void simcore_alignment_free(simcore_alignment *alignment);

/** Two documents that share at least one passage. */
typedef struct simcore_reuse_pair {
    /** The earlier document's number: side A of alignment. */
    int64_t a;
    /** The later document's number (from simcore_reuse_index_matches: the number the new text
     *  would get, the index's count): side B. */
    int64_t b;
    /** Their passages and coverage. alignment.passages points into the simcore_reuse_pairs'
     *  passages block: do not free it on its own. */
    simcore_alignment alignment;
} simcore_reuse_pair;

/** Pairs of documents sharing passages; every array is library-allocated (simcore_reuse_pairs_free). */
typedef struct simcore_reuse_pairs {
    /** Number of pairs. */
    size_t count;
    /** count pairs, ordered by a then b. NULL when count is 0. */
    simcore_reuse_pair *pairs;
    /** Every pair's passages, pair after pair in pair order: pairs[i].alignment.passages is
     *  passages + (the passage counts of pairs 0 .. i-1). */
    size_t passage_count;
    simcore_passage *passages;
    /** simcore_reuse with SIMCORE_BOILERPLATE_AUTO: how many distinct boilerplate lines were
     *  blanked; 0 otherwise. */
    size_t boilerplate_lines;
} simcore_reuse_pairs;

/** Releases the arrays of a simcore_reuse_pairs and zeroes it. NULL is allowed. */
void simcore_reuse_pairs_free(simcore_reuse_pairs *pairs);

/**
 * Every pair of count documents that shares a passage, as `simdedup reuse` prints them for the same
 * documents in the same order: with SIMCORE_BOILERPLATE_AUTO, lines found in at least
 * max(10, 1% of) the documents are first blanked (their bytes read as spaces, so byte ranges
 * still index the original texts). Documents are numbered 0 .. count-1 in order. Runs on
 * options.threads cores; the result is the same for every thread count. Every text is checked
 * before any is indexed; count may be 0 (texts and lengths may then be NULL).
 * *out: caller-owned struct whose arrays the library allocates; release with
 * simcore_reuse_pairs_free(out).
 */
simcore_status simcore_reuse(const simcore_alignment_options *options, const uint8_t *const *texts,
                             const size_t *lengths, size_t count, simcore_reuse_pairs *out);

/**
 * A corpus-wide reuse index that grows: insert documents (numbered 0, 1, 2, ... in insertion
 * order), ask which indexed documents a new text shares passages with, or list every pair.
 * Thread-safe: any number of threads may call any function on one handle; calls are serialized
 * inside (each runs on options.threads cores), except simcore_reuse_index_free, which must come
 * after every other call has returned. Indexed texts are copied and held in memory.
 */
typedef struct simcore_reuse_index simcore_reuse_index;

/**
 * A new, empty index. The options are copied and hold for the handle's lifetime.
 * A stream has no corpus to count lines in up front, so boilerplate is learned from a sample:
 * with SIMCORE_BOILERPLATE_AUTO and boilerplate_count > 0, the lines found in at least
 * max(10, 1% of) those texts are blanked in every document inserted or matched later; with
 * SIMCORE_BOILERPLATE_OFF or no sample (boilerplate_texts and _lengths may then be NULL), none.
 * Passing the whole corpus as the sample and inserting it gives simcore_reuse's pairs.
 * *out: release with simcore_reuse_index_free.
 */
simcore_status simcore_reuse_index_new(const simcore_alignment_options *options,
                                       const uint8_t *const *boilerplate_texts, const size_t *boilerplate_lengths,
                                       size_t boilerplate_count, simcore_reuse_index **out);

/** Releases an index. NULL is allowed. */
void simcore_reuse_index_free(simcore_reuse_index *index);

/**
 * Inserts one document. *document: caller-owned, may be NULL; its number. matches: may be NULL;
 * otherwise it first receives the passages the text shares with the documents indexed before it
 * (as simcore_reuse_index_matches), atomically with the insert: a stream's pairs, one document
 * at a time. Release matches with simcore_reuse_pairs_free.
 */
simcore_status simcore_reuse_index_insert(simcore_reuse_index *index, const uint8_t *text, size_t length,
                                          int64_t *document, simcore_reuse_pairs *matches);

/**
 * Inserts count documents in order (tokenized on options.threads cores). Every text is checked
 * first: on failure nothing is inserted. count may be 0.
 */
simcore_status simcore_reuse_index_insert_many(simcore_reuse_index *index, const uint8_t *const *texts,
                                               const size_t *lengths, size_t count);

/** The number of documents inserted. *out: caller-owned. */
simcore_status simcore_reuse_index_count(simcore_reuse_index *index, size_t *out);

/**
 * The passages a new text shares with the indexed documents; the text is not inserted. One pair
 * per indexed document sharing a passage, ordered by it: a is the indexed document (side A), b
 * the index's count. Document frequencies count the new text, as they will once it is inserted,
 * so a stream finds the batch's pairs whenever maximum_document_frequency does not bind.
 * *out: release with simcore_reuse_pairs_free.
 */
simcore_status simcore_reuse_index_matches(simcore_reuse_index *index, const uint8_t *text, size_t length,
                                           simcore_reuse_pairs *out);

/**
 * Every pair of indexed documents that shares a passage, ordered by a then b; the same for every
 * thread count. *out: release with simcore_reuse_pairs_free.
 */
simcore_status simcore_reuse_index_pairs(simcore_reuse_index *index, simcore_reuse_pairs *out);

#ifdef __cplusplus
}
#endif

#endif /* SIMCORE_H */
