/*
 * simcore_check: a C program that links libsimcore through simcore.h only, as any C user would.
 *
 *     simcore_check WORKDIR PLANTED FILE...
 *
 * PLANTED holds a generated corpus with planted reuse, each document as an 8-byte little-endian
 * length followed by its bytes; the FILEs are the sample stories.
 * 1. Checks the contract by itself (exit status 1 and a message on the first failure): version,
 *    defaults, every error code with its message, thread-local errors, ownership helpers.
 * 2. Prints what the library computes for the given text files, one fact per line, doubles as
 *    their IEEE-754 bit patterns; SimCoreCTests computes the same lines with SimCore's Swift API
 *    and compares them byte for byte:
 *        signature SCHEME DOC v0 v1 ...          (k = 16, seed 7; values in hex)
 *        similarity MEASURE I J BITS             (every ordered pair, word 5-grams)
 *        shingles DOC COUNT FIRST-HASH
 *        verdict DOC MATCH BITS                  (batch insert, MATCH -1 for new)
 *        assignment DOC CLUSTER REPRESENTATIVE MATCH BITS
 *        kept DOC...
 *        cluster REPRESENTATIVE: MEMBER...
 *        id DOC ID
 *    then the same assignment lines again after save and load ("reloaded" prefix), then
 *    passage alignment and text reuse:
 *        align LABEL I J PASSAGES WORDS-A WORDS-B COVERAGE-A COVERAGE-B
 *        passage A-START A-END B-START B-END WORDS-A-START WORDS-A-END WORDS-B-START WORDS-B-END MATCHED BITS
 *        reuse LABEL PAIRS PASSAGES BOILERPLATE-LINES
 *        pair LABEL A B PASSAGES WORDS-A WORDS-B COVERAGE-A COVERAGE-B   (each followed by its passage lines)
 *    for every ordered pair of the stories (default options, and other options for I < J), reuse
 *    among the stories, reuse in PLANTED (boilerplate auto and off), and a stream over PLANTED:
 *    its first half inserted at once, then each later document's matches before it is inserted.
 */
#include "simcore.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(condition)                                                                         \
    do {                                                                                         \
        if (!(condition)) {                                                                      \
            fprintf(stderr, "simcore_check: %s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, \
                    __LINE__, #condition, simcore_last_error());                                 \
            failures += 1;                                                                       \
        }                                                                                        \
    } while (0)

#define CHECK_STATUS(call, expected, fragment)                                                     \
    do {                                                                                           \
        simcore_status status_ = (call);                                                           \
        if (status_ != (expected) || strstr(simcore_last_error(), (fragment)) == NULL) {           \
            fprintf(stderr, "simcore_check: %s:%d: %s gave %s (%s), expected %s with \"%s\"\n",   \
                    __FILE__, __LINE__, #call, simcore_status_name(status_), simcore_last_error(), \
                    simcore_status_name(expected), (fragment));                                    \
            failures += 1;                                                                         \
        }                                                                                          \
    } while (0)

static uint64_t bits(double value) {
    uint64_t result;
    memcpy(&result, &value, sizeof result);
    return result;
}

typedef struct corpus {
    size_t count;
    uint8_t *data;
    size_t *offsets;
    uint8_t *id_data;
    size_t *id_offsets;
    /* The batch form simcore.h takes: a pointer and a length per document (and per id). */
    const uint8_t **texts;
    size_t *lengths;
    const uint8_t **ids;
    size_t *id_lengths;
} corpus;

/* Reads each file whole; the id is the file name without directory and ".txt". */
static int read_corpus(int count, char **paths, corpus *out) {
    size_t capacity = 1 << 16, used = 0, id_used = 0;
    out->count = (size_t)count;
    out->data = malloc(capacity);
    out->offsets = calloc((size_t)count + 1, sizeof(size_t));
    out->id_data = malloc(4096);
    out->id_offsets = calloc((size_t)count + 1, sizeof(size_t));
    for (int i = 0; i < count; i++) {
        FILE *file = fopen(paths[i], "rb");
        if (file == NULL) {
            fprintf(stderr, "simcore_check: cannot open %s\n", paths[i]);
            return 0;
        }
        size_t got;
        for (;;) {
            if (capacity - used < 4096) {
                capacity *= 2;
                out->data = realloc(out->data, capacity);
            }
            got = fread(out->data + used, 1, capacity - used, file);
            if (got == 0) break;
            used += got;
        }
        fclose(file);
        out->offsets[i + 1] = used;
        const char *name = strrchr(paths[i], '/');
        name = name ? name + 1 : paths[i];
        size_t length = strlen(name);
        if (length > 4 && strcmp(name + length - 4, ".txt") == 0) length -= 4;
        memcpy(out->id_data + id_used, name, length);
        id_used += length;
        out->id_offsets[i + 1] = id_used;
    }
    out->texts = calloc((size_t)count, sizeof *out->texts);
    out->lengths = calloc((size_t)count, sizeof *out->lengths);
    out->ids = calloc((size_t)count, sizeof *out->ids);
    out->id_lengths = calloc((size_t)count, sizeof *out->id_lengths);
    for (int i = 0; i < count; i++) {
        out->texts[i] = out->data + out->offsets[i];
        out->lengths[i] = out->offsets[i + 1] - out->offsets[i];
        out->ids[i] = out->id_data + out->id_offsets[i];
        out->id_lengths[i] = out->id_offsets[i + 1] - out->id_offsets[i];
    }
    return 1;
}

/* Reads PLANTED: count documents, each an 8-byte little-endian length and its bytes. */
static int read_planted(const char *path, corpus *out) {
    memset(out, 0, sizeof *out);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "simcore_check: cannot open %s\n", path);
        return 0;
    }
    size_t capacity = 0, used = 0, slots = 0;
    for (;;) {
        uint8_t header[8];
        if (fread(header, 1, 8, file) != 8) break;
        uint64_t length = 0;
        for (int byte = 7; byte >= 0; byte--) length = (length << 8) | header[byte];
        if (used + length > capacity) {
            capacity = 2 * (used + length);
            out->data = realloc(out->data, capacity);
        }
        if (out->count + 2 > slots) {
            slots = 2 * (out->count + 2);
            out->offsets = realloc(out->offsets, slots * sizeof(size_t));
        }
        if (fread(out->data + used, 1, (size_t)length, file) != length) {
            fprintf(stderr, "simcore_check: %s is truncated\n", path);
            fclose(file);
            return 0;
        }
        out->offsets[out->count] = used;
        used += (size_t)length;
        out->count += 1;
        out->offsets[out->count] = used;
    }
    fclose(file);
    out->texts = calloc(out->count, sizeof *out->texts);
    out->lengths = calloc(out->count, sizeof *out->lengths);
    for (size_t i = 0; i < out->count; i++) {
        out->texts[i] = out->data + out->offsets[i];
        out->lengths[i] = out->offsets[i + 1] - out->offsets[i];
    }
    return out->count > 0;
}

static void *fail_on_other_thread(void *unused) {
    (void)unused;
    simcore_options options;
    simcore_options_init(&options);
    options.threshold = 2.0;
    simcore_dedup *dedup = NULL;
    simcore_status status = simcore_dedup_new(&options, &dedup);
    return (void *)(uintptr_t)(status == SIMCORE_E_INVALID_ARGUMENT && strstr(simcore_last_error(), "threshold") != NULL);
}

static void check_contract(const char *workdir) {
    CHECK(strlen(simcore_version()) >= 5);
    CHECK(simcore_abi_version() == SIMCORE_ABI_VERSION);
    CHECK(strcmp(simcore_status_name(SIMCORE_E_INVALID_UTF8), "SIMCORE_E_INVALID_UTF8") == 0);
    CHECK(strcmp(simcore_status_name(99), "unknown status") == 0);

    simcore_options options;
    simcore_options_init(&options);
    CHECK(options.struct_size == sizeof(simcore_options));
    CHECK(options.shingle_unit == SIMCORE_SHINGLE_WORDS && options.shingle_width == 5);
    CHECK(options.scheme == SIMCORE_SCHEME_OPH && options.signature_length == 128 && options.seed == 0);
    CHECK(options.measure == SIMCORE_MEASURE_OVERLAP && options.threshold == 0.8);
    CHECK(options.verification == SIMCORE_VERIFY_ESTIMATED && options.threads == 0);

    const uint8_t text[] = "one two three four five six";
    const size_t text_length = sizeof text - 1;
    const uint8_t invalid[] = {'o', 'k', ' ', 0xC3, 0x28, ' ', 'n', 'o'};
    double value = -1;
    simcore_shingle_set *set = NULL;
    simcore_dedup *dedup = NULL;
    uint64_t signature[128];
    const uint8_t *texts[2] = {text, text};
    size_t lengths[2] = {text_length, 0};

    /* Arguments and options. */
    CHECK_STATUS(simcore_shingle_set_new(NULL, text, text_length, &set), SIMCORE_E_INVALID_ARGUMENT, "options must not be NULL");
    CHECK_STATUS(simcore_shingle_set_new(&options, text, text_length, NULL), SIMCORE_E_INVALID_ARGUMENT, "out must not be NULL");
    simcore_options zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    CHECK_STATUS(simcore_dedup_new(&zeroed, &dedup), SIMCORE_E_INVALID_ARGUMENT, "simcore_options_init");
    simcore_options bad = options;
    bad.shingle_width = 0;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "shingle_width");
    bad = options;
    bad.signature_length = 5000;
    CHECK_STATUS(simcore_signatures(&bad, texts, lengths, 1, signature, 128), SIMCORE_E_INVALID_ARGUMENT, "signature_length");
    bad = options;
    bad.threshold = 1.5;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "threshold");
    bad = options;
    bad.measure = SIMCORE_MEASURE_CONTAINMENT;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "measure");
    bad = options;
    bad.scheme = SIMCORE_SCHEME_MINHASH_B1;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "cannot be banded");
    bad = options;
    bad.measure = SIMCORE_MEASURE_JACCARD;
    bad.bands = 20;
    bad.rows = 7;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "20 × 7");
    bad.measure = SIMCORE_MEASURE_OVERLAP;
    bad.bands = 4;
    bad.rows = 4;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "JACCARD only");
    bad = options;
    bad.threads = 5000;
    CHECK_STATUS(simcore_dedup_new(&bad, &dedup), SIMCORE_E_INVALID_ARGUMENT, "threads");
    CHECK(dedup == NULL);
    CHECK_STATUS(simcore_similarity(&options, 9, text, text_length, text, text_length, &value), SIMCORE_E_INVALID_ARGUMENT, "measure");
    CHECK(value == -1);

    /* Texts: invalid UTF-8, empty, offsets, buffer sizes. */
    CHECK_STATUS(simcore_shingle_set_new(&options, invalid, sizeof invalid, &set), SIMCORE_E_INVALID_UTF8, "byte 3");
    CHECK_STATUS(simcore_shingle_set_new(&options, text, 0, &set), SIMCORE_E_EMPTY_TEXT, "empty");
    CHECK(set == NULL);
    simcore_options replace = options;
    replace.invalid_utf8 = SIMCORE_UTF8_REPLACE;
    CHECK(simcore_shingle_set_new(&replace, invalid, sizeof invalid, &set) == SIMCORE_OK);
    CHECK(simcore_shingle_set_count(set) == 1);
    simcore_shingle_set_free(set);
    set = NULL;
    CHECK_STATUS(simcore_signatures(&options, texts, lengths, 2, signature, 256), SIMCORE_E_EMPTY_TEXT, "document 1 is empty");
    CHECK_STATUS(simcore_signatures(&options, texts, lengths, 2, signature, 200), SIMCORE_E_BUFFER_TOO_SMALL, "need 256");
    const uint8_t *missing[2] = {text, NULL};
    size_t nonzero[2] = {text_length, 4};
    CHECK_STATUS(simcore_signatures(&options, missing, nonzero, 2, signature, 256), SIMCORE_E_INVALID_ARGUMENT, "document 1 must not be NULL");
    CHECK_STATUS(simcore_signatures(&options, NULL, nonzero, 2, signature, 256), SIMCORE_E_INVALID_ARGUMENT, "texts must not be NULL");
    CHECK(simcore_signatures(&options, NULL, NULL, 0, NULL, 0) == SIMCORE_OK);

    /* The deduplicator: a bad batch inserts nothing. */
    CHECK(simcore_dedup_new(&options, &dedup) == SIMCORE_OK);
    const uint8_t *batch[2] = {text, invalid};
    size_t batch_lengths[2] = {text_length, sizeof invalid};
    simcore_verdict verdicts[2];
    size_t count = 99;
    CHECK_STATUS(simcore_dedup_insert_many(dedup, batch, batch_lengths, 2, NULL, NULL, verdicts), SIMCORE_E_INVALID_UTF8, "document 1");
    CHECK(simcore_dedup_count(dedup, &count) == SIMCORE_OK && count == 0);
    const uint8_t bad_id[] = {0xFF};
    CHECK_STATUS(simcore_dedup_insert(dedup, text, text_length, bad_id, 1, verdicts), SIMCORE_E_INVALID_UTF8, "id");
    CHECK(simcore_dedup_insert(dedup, text, text_length, (const uint8_t *)"first", 5, verdicts) == SIMCORE_OK);
    CHECK(verdicts[0].document == 0 && verdicts[0].duplicate_of == -1 && verdicts[0].similarity == 0);
    CHECK(simcore_dedup_insert(dedup, text, text_length, NULL, 0, verdicts) == SIMCORE_OK);
    CHECK(verdicts[0].document == 1 && verdicts[0].duplicate_of == 0 && verdicts[0].similarity == 1.0);
    uint8_t id[8];
    size_t id_length = 0;
    CHECK_STATUS(simcore_dedup_id(dedup, 0, id, 2, &id_length), SIMCORE_E_BUFFER_TOO_SMALL, "5 bytes");
    CHECK(id_length == 5);
    CHECK(simcore_dedup_id(dedup, 0, id, sizeof id, &id_length) == SIMCORE_OK && id_length == 5 && memcmp(id, "first", 5) == 0);
    CHECK(simcore_dedup_id(dedup, 1, NULL, 0, &id_length) == SIMCORE_OK && id_length == 0);
    CHECK_STATUS(simcore_dedup_id(dedup, 2, id, sizeof id, &id_length), SIMCORE_E_OUT_OF_RANGE, "0..<2");

    /* Files: missing, not an index, other options. */
    char path[4096];
    snprintf(path, sizeof path, "%s/missing/none.simcore", workdir);
    simcore_dedup *loaded = NULL;
    CHECK_STATUS(simcore_dedup_load(path, &options, &loaded), SIMCORE_E_IO, "none.simcore");
    CHECK_STATUS(simcore_dedup_save(dedup, path), SIMCORE_E_IO, "none.simcore");
    snprintf(path, sizeof path, "%s/not-an-index.simcore", workdir);
    FILE *file = fopen(path, "wb");
    CHECK(file != NULL);
    if (file) {
        fputs("this is not an index file, but it is long enough to have a header of sorts", file);
        fclose(file);
    }
    CHECK_STATUS(simcore_dedup_load(path, &options, &loaded), SIMCORE_E_FORMAT, "not a SimCore index");
    snprintf(path, sizeof path, "%s/saved.simcore", workdir);
    CHECK(simcore_dedup_save(dedup, path) == SIMCORE_OK);
    simcore_options other = options;
    other.threshold = 0.7;
    CHECK_STATUS(simcore_dedup_load(path, &other, &loaded), SIMCORE_E_PARAMETER_MISMATCH, "threshold=0.7");
    other = options;
    other.threads = 1;
    CHECK(simcore_dedup_load(path, &other, &loaded) == SIMCORE_OK);
    CHECK(simcore_dedup_count(loaded, &count) == SIMCORE_OK && count == 2);
    simcore_dedup_free(loaded);
    simcore_dedup_free(dedup);
    simcore_dedup_free(NULL);
    simcore_clusters_free(NULL);
    simcore_free(NULL);

    /* Errors are per thread: another thread's failure leaves this thread's message alone. */
    CHECK_STATUS(simcore_shingle_set_new(&options, text, 0, &set), SIMCORE_E_EMPTY_TEXT, "empty");
    pthread_t thread;
    void *result = NULL;
    CHECK(pthread_create(&thread, NULL, fail_on_other_thread, NULL) == 0);
    CHECK(pthread_join(thread, &result) == 0);
    CHECK(result == (void *)1);
    CHECK(strstr(simcore_last_error(), "text is empty") != NULL);
}

static void print_assignments(simcore_dedup *dedup, const char *prefix) {
    simcore_assignment *assignments = NULL;
    size_t count = 0;
    CHECK(simcore_dedup_assignments(dedup, &assignments, &count) == SIMCORE_OK);
    for (size_t i = 0; i < count; i++) {
        simcore_assignment a = assignments[i];
        printf("%sassignment %" PRId64 " %" PRId64 " %u %" PRId64 " %016" PRIx64 "\n", prefix, a.document, a.cluster,
               a.is_representative, a.duplicate_of, bits(a.similarity));
    }
    simcore_free(assignments);
}

static void print_results(const corpus *texts) {
    static const uint32_t schemes[] = {SIMCORE_SCHEME_OPH, SIMCORE_SCHEME_MINHASH, SIMCORE_SCHEME_SUPERMINHASH,
                                       SIMCORE_SCHEME_MINHASH_B1};
    static const char *const scheme_names[] = {"oph", "minhash", "superminhash", "minhash-b1"};
    simcore_options options;
    simcore_options_init(&options);
    options.signature_length = 16;
    options.seed = 7;
    options.threads = 2;
    uint64_t *values = malloc(texts->count * 16 * sizeof(uint64_t));
    for (size_t s = 0; s < sizeof schemes / sizeof schemes[0]; s++) {
        options.scheme = schemes[s];
        CHECK(simcore_signatures(&options, texts->texts, texts->lengths, texts->count, values, texts->count * 16) == SIMCORE_OK);
        for (size_t doc = 0; doc < texts->count; doc++) {
            printf("signature %s %zu", scheme_names[s], doc);
            for (size_t j = 0; j < 16; j++) printf(" %" PRIx64, values[doc * 16 + j]);
            printf("\n");
        }
    }
    free(values);

    simcore_options_init(&options);
    simcore_shingle_set **sets = calloc(texts->count, sizeof *sets);
    for (size_t doc = 0; doc < texts->count; doc++) {
        const uint8_t *text = texts->data + texts->offsets[doc];
        CHECK(simcore_shingle_set_new(&options, text, texts->offsets[doc + 1] - texts->offsets[doc], &sets[doc]) == SIMCORE_OK);
        const uint64_t *hashes = simcore_shingle_set_hashes(sets[doc]);
        printf("shingles %zu %zu %016" PRIx64 "\n", doc, simcore_shingle_set_count(sets[doc]), hashes ? hashes[0] : 0);
    }
    static const uint32_t measures[] = {SIMCORE_MEASURE_JACCARD, SIMCORE_MEASURE_CONTAINMENT, SIMCORE_MEASURE_OVERLAP};
    static const char *const measure_names[] = {"jaccard", "containment", "overlap"};
    for (size_t m = 0; m < 3; m++) {
        for (size_t i = 0; i < texts->count; i++) {
            for (size_t j = 0; j < texts->count; j++) {
                double value = -1, direct = -2;
                CHECK(simcore_shingle_set_similarity(sets[i], sets[j], measures[m], &value) == SIMCORE_OK);
                const uint8_t *a = texts->data + texts->offsets[i];
                const uint8_t *b = texts->data + texts->offsets[j];
                CHECK(simcore_similarity(&options, measures[m], a, texts->offsets[i + 1] - texts->offsets[i], b,
                                         texts->offsets[j + 1] - texts->offsets[j], &direct) == SIMCORE_OK);
                CHECK(value == direct);
                printf("similarity %s %zu %zu %016" PRIx64 "\n", measure_names[m], i, j, bits(value));
            }
        }
    }
    for (size_t doc = 0; doc < texts->count; doc++) simcore_shingle_set_free(sets[doc]);
    free(sets);

    /* The default deduplicator (overlap coefficient 0.8), batch insert with ids. */
    simcore_dedup *dedup = NULL;
    CHECK(simcore_dedup_new(&options, &dedup) == SIMCORE_OK);
    simcore_verdict *verdicts = calloc(texts->count, sizeof *verdicts);
    CHECK(simcore_dedup_insert_many(dedup, texts->texts, texts->lengths, texts->count, texts->ids, texts->id_lengths,
                                    verdicts) == SIMCORE_OK);
    for (size_t doc = 0; doc < texts->count; doc++) {
        printf("verdict %" PRId64 " %" PRId64 " %016" PRIx64 "\n", verdicts[doc].document, verdicts[doc].duplicate_of,
               bits(verdicts[doc].similarity));
    }
    free(verdicts);
    print_assignments(dedup, "");
    int64_t *kept = NULL;
    size_t kept_count = 0;
    CHECK(simcore_dedup_kept(dedup, &kept, &kept_count) == SIMCORE_OK);
    printf("kept");
    for (size_t i = 0; i < kept_count; i++) printf(" %" PRId64, kept[i]);
    printf("\n");
    simcore_free(kept);
    simcore_clusters clusters;
    CHECK(simcore_dedup_clusters(dedup, 1, &clusters) == SIMCORE_OK);
    for (size_t c = 0; c < clusters.count; c++) {
        printf("cluster %" PRId64 ":", clusters.representatives[c]);
        for (size_t m = clusters.offsets[c]; m < clusters.offsets[c + 1]; m++) printf(" %" PRId64, clusters.members[m]);
        printf("\n");
    }
    simcore_clusters_free(&clusters);
    CHECK(clusters.count == 0 && clusters.members == NULL);
    uint8_t *ids = NULL;
    size_t *id_offsets = NULL, id_count = 0;
    CHECK(simcore_dedup_ids(dedup, &ids, &id_offsets, &id_count) == SIMCORE_OK);
    for (size_t doc = 0; doc < id_count; doc++) {
        printf("id %zu %.*s\n", doc, (int)(id_offsets[doc + 1] - id_offsets[doc]), (const char *)ids + id_offsets[doc]);
    }
    simcore_free(ids);
    simcore_free(id_offsets);
    simcore_dedup_free(dedup);
}

static void print_reloaded(const corpus *texts, const char *workdir) {
    simcore_options options;
    simcore_options_init(&options);
    simcore_dedup *dedup = NULL;
    CHECK(simcore_dedup_new(&options, &dedup) == SIMCORE_OK);
    for (size_t doc = 0; doc < texts->count; doc++) {
        size_t start = texts->offsets[doc], id_start = texts->id_offsets[doc];
        CHECK(simcore_dedup_insert(dedup, texts->data + start, texts->offsets[doc + 1] - start, texts->id_data + id_start,
                                   texts->id_offsets[doc + 1] - id_start, NULL) == SIMCORE_OK);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus.simcore", workdir);
    CHECK(simcore_dedup_save(dedup, path) == SIMCORE_OK);
    simcore_dedup_free(dedup);
    dedup = NULL;
    CHECK(simcore_dedup_load(path, &options, &dedup) == SIMCORE_OK);
    print_assignments(dedup, "reloaded ");
    simcore_dedup_free(dedup);
}

/* ---------------------------------------------------------------------------------------------
 * Passage alignment and text reuse
 * ------------------------------------------------------------------------------------------- */

static void print_passages(const simcore_alignment *alignment) {
    for (size_t p = 0; p < alignment->count; p++) {
        const simcore_passage *passage = &alignment->passages[p];
        printf("passage %zu %zu %zu %zu %zu %zu %zu %zu %zu %016" PRIx64 "\n", passage->a_start, passage->a_end,
               passage->b_start, passage->b_end, passage->words_a_start, passage->words_a_end, passage->words_b_start,
               passage->words_b_end, passage->matched_words, bits(passage->similarity));
    }
}

static void print_alignment(const char *label, size_t a, size_t b, const simcore_alignment *alignment) {
    printf("align %s %zu %zu %zu %zu %zu %016" PRIx64 " %016" PRIx64 "\n", label, a, b, alignment->count,
           alignment->word_count_a, alignment->word_count_b, bits(alignment->coverage_a), bits(alignment->coverage_b));
    print_passages(alignment);
}

static void print_pairs(const char *label, const simcore_reuse_pairs *pairs) {
    printf("reuse %s %zu %zu %zu\n", label, pairs->count, pairs->passage_count, pairs->boilerplate_lines);
    size_t next = 0;
    for (size_t i = 0; i < pairs->count; i++) {
        const simcore_reuse_pair *pair = &pairs->pairs[i];
        const simcore_alignment *alignment = &pair->alignment;
        printf("pair %s %" PRId64 " %" PRId64 " %zu %zu %zu %016" PRIx64 " %016" PRIx64 "\n", label, pair->a, pair->b,
               alignment->count, alignment->word_count_a, alignment->word_count_b, bits(alignment->coverage_a),
               bits(alignment->coverage_b));
        /* The passages lie pair after pair in one block. */
        CHECK(alignment->count == 0 || alignment->passages == pairs->passages + next);
        next += alignment->count;
        print_passages(alignment);
    }
    CHECK(next == pairs->passage_count);
}

/* Whether two results hold the same pairs and passages. */
static int same_pairs(const simcore_reuse_pairs *x, const simcore_reuse_pairs *y) {
    if (x->count != y->count || x->passage_count != y->passage_count) return 0;
    for (size_t i = 0; i < x->count; i++) {
        const simcore_reuse_pair *p = &x->pairs[i], *q = &y->pairs[i];
        if (p->a != q->a || p->b != q->b || p->alignment.count != q->alignment.count ||
            p->alignment.coverage_a != q->alignment.coverage_a || p->alignment.coverage_b != q->alignment.coverage_b)
            return 0;
    }
    return x->passage_count == 0 || memcmp(x->passages, y->passages, x->passage_count * sizeof(simcore_passage)) == 0;
}

typedef struct stream_worker {
    simcore_reuse_index *index;
    const corpus *texts;
    size_t first;
    size_t step;
    int64_t *numbers;
    int failed;
} stream_worker;

/* Inserts texts first, first + step, ... into a shared index, asking for matches every other time. */
static void *insert_concurrently(void *argument) {
    stream_worker *worker = argument;
    for (size_t doc = worker->first; doc < worker->texts->count; doc += worker->step) {
        simcore_reuse_pairs matches = {0};
        int wants_matches = (doc / worker->step) % 2 == 0;
        simcore_status status = simcore_reuse_index_insert(worker->index, worker->texts->texts[doc], worker->texts->lengths[doc],
                                                           &worker->numbers[doc], wants_matches ? &matches : NULL);
        if (status != SIMCORE_OK) worker->failed = 1;
        if (status == SIMCORE_OK && wants_matches) {
            for (size_t i = 0; i < matches.count; i++) {
                if (matches.pairs[i].b != worker->numbers[doc] || matches.pairs[i].a >= worker->numbers[doc]) worker->failed = 1;
            }
            simcore_reuse_pairs_free(&matches);
        }
    }
    return NULL;
}

static void check_alignment_contract(const corpus *planted) {
    simcore_alignment_options options;
    simcore_alignment_options_init(&options);
    CHECK(options.struct_size == sizeof(simcore_alignment_options));
    CHECK(options.ngram_width == 5 && options.minimum_passage_words == 12 && options.maximum_gap == 12 && options.seed == 0);
    CHECK(options.lowercase == 1 && options.fold_compatibility_forms == 1 && options.keep_punctuation == 0);
    CHECK(options.invalid_utf8 == SIMCORE_UTF8_REJECT && options.maximum_document_frequency == 100);
    CHECK(options.boilerplate == SIMCORE_BOILERPLATE_AUTO && options.threads == 0 && options.reserved == 0);

    /* The example of SimCore's PassageAligner: one substituted word is bridged. */
    const char *a = "Russian President Vladimir Putin landed in Vietnam on Thursday on a state visit, a day after "
                    "signing a mutual defence pact.";
    const char *b = "Russian President Vladimir Putin landed in Hanoi on Thursday on a state visit, a day after "
                    "signing a mutual defence pact.";
    simcore_alignment alignment;
    CHECK(simcore_align(&options, (const uint8_t *)a, strlen(a), (const uint8_t *)b, strlen(b), &alignment) == SIMCORE_OK);
    CHECK(alignment.count == 1 && alignment.word_count_a == 21 && alignment.word_count_b == 21);
    if (alignment.count == 1) {
        simcore_passage passage = alignment.passages[0];
        CHECK(passage.a_start == 0 && passage.a_end == 122 && passage.b_start == 0 && passage.b_end == 120);
        CHECK(passage.words_a_start == 0 && passage.words_a_end == 21 && passage.matched_words == 20);
        CHECK(passage.similarity == 40.0 / 42.0 && passage.reserved == 0);
        CHECK(alignment.coverage_a == 1.0 && alignment.coverage_b == 1.0);
    }
    simcore_alignment_free(&alignment);
    CHECK(alignment.count == 0 && alignment.passages == NULL);
    simcore_alignment_free(NULL);
    /* Nothing shared, and a text too short for a passage: no passage, no error. */
    CHECK(simcore_align(&options, (const uint8_t *)a, strlen(a), (const uint8_t *)"x", 1, &alignment) == SIMCORE_OK);
    CHECK(alignment.count == 0 && alignment.passages == NULL && alignment.word_count_b == 1 && alignment.coverage_a == 0);
    simcore_alignment_free(&alignment);

    /* Options and arguments; a failing call leaves *out alone. */
    const uint8_t *text = (const uint8_t *)a;
    size_t length = strlen(a);
    simcore_alignment untouched = {.count = 99};
    CHECK_STATUS(simcore_align(NULL, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "options must not be NULL");
    CHECK_STATUS(simcore_align(&options, text, length, text, length, NULL), SIMCORE_E_INVALID_ARGUMENT, "out must not be NULL");
    simcore_alignment_options bad;
    memset(&bad, 0, sizeof bad);
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT,
                 "simcore_alignment_options_init");
    bad = options;
    bad.ngram_width = 0;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "ngram_width must be in 1...1000, not 0");
    bad = options;
    bad.minimum_passage_words = 100001;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "minimum_passage_words");
    bad = options;
    bad.maximum_gap = 10001;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "maximum_gap");
    bad = options;
    bad.keep_punctuation = 2;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "keep_punctuation");
    bad = options;
    bad.maximum_document_frequency = 1;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "maximum_document_frequency");
    bad = options;
    bad.boilerplate = 3;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "boilerplate");
    bad = options;
    bad.threads = 5000;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "threads");
    bad = options;
    bad.reserved = 1;
    CHECK_STATUS(simcore_align(&bad, text, length, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "reserved must be 0");
    const uint8_t invalid[] = {'o', 'k', ' ', 0xC3, 0x28, ' ', 'n', 'o'};
    CHECK_STATUS(simcore_align(&options, text, 0, text, length, &untouched), SIMCORE_E_EMPTY_TEXT, "a is empty");
    CHECK_STATUS(simcore_align(&options, text, length, invalid, sizeof invalid, &untouched), SIMCORE_E_INVALID_UTF8, "b is not valid UTF-8 (byte 3)");
    CHECK_STATUS(simcore_align(&options, NULL, 4, text, length, &untouched), SIMCORE_E_INVALID_ARGUMENT, "a must not be NULL");
    CHECK(untouched.count == 99 && untouched.passages == NULL);
    simcore_alignment_options replace = options;
    replace.invalid_utf8 = SIMCORE_UTF8_REPLACE;
    CHECK(simcore_align(&replace, invalid, sizeof invalid, invalid, sizeof invalid, &alignment) == SIMCORE_OK);
    CHECK(alignment.count == 0 && alignment.word_count_a == 2); /* "ok", "no": the invalid byte and "(" separate */
    simcore_alignment_free(&alignment);
    /* Invalid bytes are separators; ranges index the bytes as given. */
    uint8_t damaged[512];
    memcpy(damaged, a, length);
    damaged[3] = 0xFF; /* "Rus\xFFian President": "rus", "ian", "president", ... */
    CHECK(simcore_align(&replace, damaged, length, text, length, &alignment) == SIMCORE_OK);
    CHECK(alignment.count == 1 && alignment.word_count_a == 22);
    if (alignment.count == 1) {
        CHECK(alignment.passages[0].a_start == 8 && alignment.passages[0].a_end == length - 1); /* before the "." */
        CHECK(alignment.passages[0].b_start == 8 && alignment.passages[0].words_a_start == 2);
    }
    simcore_alignment_free(&alignment);

    /* Reuse: bad batches, and an empty one. */
    simcore_reuse_pairs pairs = {.count = 99};
    const uint8_t *batch[3] = {text, text, invalid};
    size_t lengths[3] = {length, 0, sizeof invalid};
    CHECK_STATUS(simcore_reuse(&options, batch, lengths, 2, &pairs), SIMCORE_E_EMPTY_TEXT, "document 1 is empty");
    lengths[1] = length;
    CHECK_STATUS(simcore_reuse(&options, batch, lengths, 3, &pairs), SIMCORE_E_INVALID_UTF8, "document 2 is not valid UTF-8");
    CHECK_STATUS(simcore_reuse(&options, NULL, lengths, 3, &pairs), SIMCORE_E_INVALID_ARGUMENT, "texts must not be NULL");
    CHECK_STATUS(simcore_reuse(&options, batch, lengths, 2, NULL), SIMCORE_E_INVALID_ARGUMENT, "out must not be NULL");
    CHECK(pairs.count == 99);
    CHECK(simcore_reuse(&options, NULL, NULL, 0, &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 0 && pairs.pairs == NULL && pairs.passage_count == 0 && pairs.passages == NULL);
    simcore_reuse_pairs_free(&pairs);
    simcore_reuse_pairs_free(NULL);
    /* A document against a copy of itself: one passage, the whole text up to its last word. */
    CHECK(simcore_reuse(&options, batch, lengths, 2, &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 1 && pairs.passage_count == 1);
    if (pairs.count == 1) {
        CHECK(pairs.pairs[0].a == 0 && pairs.pairs[0].b == 1 && pairs.pairs[0].alignment.passages == pairs.passages);
        CHECK(pairs.passages[0].a_start == 0 && pairs.passages[0].a_end == length - 1 && pairs.passages[0].similarity == 1.0);
    }
    simcore_reuse_pairs_free(&pairs);
    CHECK(pairs.count == 0 && pairs.pairs == NULL && pairs.passages == NULL);

    /* Boilerplate: twelve documents that share one line of 14 words and nothing else ("Report aq",
       "Report br", ... first). Auto blanks
       it (it stands in at least 10 documents): no pair; off keeps it: every pair shares it, and an
       index given a sample learns it only with auto. */
    char boilerplate_data[12][160];
    const uint8_t *boilerplate_texts[12];
    size_t boilerplate_lengths[12];
    for (int doc = 0; doc < 12; doc++) {
        snprintf(boilerplate_data[doc], sizeof boilerplate_data[doc],
                 "Report %c%c\nAll rights reserved by the agency that wrote this story and sold it today\n", 'a' + doc,
                 'q' + doc);
        boilerplate_texts[doc] = (const uint8_t *)boilerplate_data[doc];
        boilerplate_lengths[doc] = strlen(boilerplate_data[doc]);
    }
    CHECK(simcore_reuse(&options, boilerplate_texts, boilerplate_lengths, 12, &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 0 && pairs.boilerplate_lines == 1);
    simcore_reuse_pairs_free(&pairs);
    simcore_alignment_options off = options;
    off.boilerplate = SIMCORE_BOILERPLATE_OFF;
    CHECK(simcore_reuse(&off, boilerplate_texts, boilerplate_lengths, 12, &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 66 && pairs.passage_count == 66 && pairs.boilerplate_lines == 0);
    if (pairs.count == 66) {
        CHECK(pairs.pairs[65].a == 10 && pairs.pairs[65].b == 11 && pairs.passages[0].words_a_start == 2);
        CHECK(pairs.passages[0].words_a_end == 16 && pairs.passages[0].a_start == 10 && pairs.passages[0].similarity == 1.0);
        CHECK(pairs.passages[0].a_end == boilerplate_lengths[0] - 1); /* the line ends the text */
    }
    simcore_reuse_pairs_free(&pairs);
    simcore_reuse_index *learned = NULL, *unlearned = NULL;
    CHECK(simcore_reuse_index_new(&options, boilerplate_texts, boilerplate_lengths, 12, &learned) == SIMCORE_OK);
    CHECK(simcore_reuse_index_new(&off, boilerplate_texts, boilerplate_lengths, 12, &unlearned) == SIMCORE_OK);
    CHECK(simcore_reuse_index_insert_many(learned, boilerplate_texts, boilerplate_lengths, 12) == SIMCORE_OK);
    CHECK(simcore_reuse_index_insert_many(unlearned, boilerplate_texts, boilerplate_lengths, 12) == SIMCORE_OK);
    CHECK(simcore_reuse_index_matches(learned, boilerplate_texts[0], boilerplate_lengths[0], &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 0);
    simcore_reuse_pairs_free(&pairs);
    CHECK(simcore_reuse_index_matches(unlearned, boilerplate_texts[0], boilerplate_lengths[0], &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 12 && pairs.pairs[11].a == 11 && pairs.pairs[11].b == 12);
    simcore_reuse_pairs_free(&pairs);
    simcore_reuse_index_free(learned);
    simcore_reuse_index_free(unlearned);

    /* The index: NULL handles, a bad batch inserts nothing, a bad text is not inserted. */
    simcore_reuse_index *index = NULL;
    size_t count = 99;
    CHECK_STATUS(simcore_reuse_index_new(&options, NULL, NULL, 0, NULL), SIMCORE_E_INVALID_ARGUMENT, "out must not be NULL");
    CHECK_STATUS(simcore_reuse_index_new(&options, batch, lengths, 3, &index), SIMCORE_E_INVALID_UTF8, "document 2");
    CHECK(index == NULL);
    CHECK_STATUS(simcore_reuse_index_count(NULL, &count), SIMCORE_E_INVALID_ARGUMENT, "index must not be NULL");
    CHECK(simcore_reuse_index_new(&options, NULL, NULL, 0, &index) == SIMCORE_OK);
    CHECK_STATUS(simcore_reuse_index_insert_many(index, batch, lengths, 3), SIMCORE_E_INVALID_UTF8, "document 2");
    CHECK(simcore_reuse_index_count(index, &count) == SIMCORE_OK && count == 0);
    int64_t number = -5;
    CHECK_STATUS(simcore_reuse_index_insert(index, invalid, sizeof invalid, &number, NULL), SIMCORE_E_INVALID_UTF8, "text is not valid UTF-8");
    CHECK_STATUS(simcore_reuse_index_insert(index, text, 0, &number, NULL), SIMCORE_E_EMPTY_TEXT, "text is empty");
    CHECK(number == -5);
    CHECK_STATUS(simcore_reuse_index_matches(index, text, length, NULL), SIMCORE_E_INVALID_ARGUMENT, "out must not be NULL");
    CHECK(simcore_reuse_index_insert_many(index, NULL, NULL, 0) == SIMCORE_OK);
    CHECK(simcore_reuse_index_insert(index, text, length, &number, NULL) == SIMCORE_OK && number == 0);
    CHECK(simcore_reuse_index_matches(index, text, length, &pairs) == SIMCORE_OK);
    CHECK(pairs.count == 1 && pairs.pairs[0].a == 0 && pairs.pairs[0].b == 1);
    simcore_reuse_pairs_free(&pairs);
    CHECK(simcore_reuse_index_count(index, &count) == SIMCORE_OK && count == 1);
    CHECK(simcore_reuse_index_insert(index, text, length, &number, &pairs) == SIMCORE_OK && number == 1);
    CHECK(pairs.count == 1 && pairs.pairs[0].a == 0 && pairs.pairs[0].b == 1);
    simcore_reuse_pairs_free(&pairs);
    simcore_reuse_index_free(index);
    simcore_reuse_index_free(NULL);

    /* One index shared by four threads: every document inserted once, numbers 0 .. n-1. */
    CHECK(simcore_reuse_index_new(&options, NULL, NULL, 0, &index) == SIMCORE_OK);
    corpus part = *planted;
    part.count = planted->count < 200 ? planted->count : 200;
    int64_t *numbers = calloc(part.count, sizeof *numbers);
    pthread_t threads[4];
    stream_worker workers[4];
    for (size_t t = 0; t < 4; t++) {
        workers[t] = (stream_worker){index, &part, t, 4, numbers, 0};
        CHECK(pthread_create(&threads[t], NULL, insert_concurrently, &workers[t]) == 0);
    }
    for (size_t t = 0; t < 4; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        CHECK(workers[t].failed == 0);
    }
    CHECK(simcore_reuse_index_count(index, &count) == SIMCORE_OK && count == part.count);
    uint8_t *seen = calloc(part.count, 1);
    for (size_t doc = 0; doc < part.count; doc++) {
        CHECK(numbers[doc] >= 0 && (size_t)numbers[doc] < part.count && !seen[numbers[doc]]);
        if (numbers[doc] >= 0 && (size_t)numbers[doc] < part.count) seen[numbers[doc]] = 1;
    }
    free(seen);
    free(numbers);
    simcore_reuse_index_free(index);
}

static void print_alignments(const corpus *stories, const corpus *planted) {
    simcore_alignment_options options;
    simcore_alignment_options_init(&options);
    simcore_alignment alignment;
    for (size_t i = 0; i < stories->count; i++) {
        for (size_t j = 0; j < stories->count; j++) {
            if (i == j) continue;
            CHECK(simcore_align(&options, stories->texts[i], stories->lengths[i], stories->texts[j], stories->lengths[j],
                                &alignment) == SIMCORE_OK);
            print_alignment("default", i, j, &alignment);
            simcore_alignment_free(&alignment);
        }
    }
    simcore_alignment_options other = options;
    other.ngram_width = 4;
    other.minimum_passage_words = 8;
    other.maximum_gap = 0;
    other.seed = 3;
    other.keep_punctuation = 1;
    for (size_t i = 0; i < stories->count; i++) {
        for (size_t j = i + 1; j < stories->count; j++) {
            CHECK(simcore_align(&other, stories->texts[i], stories->lengths[i], stories->texts[j], stories->lengths[j],
                                &alignment) == SIMCORE_OK);
            print_alignment("other", i, j, &alignment);
            simcore_alignment_free(&alignment);
        }
    }

    simcore_reuse_pairs pairs, again;
    CHECK(simcore_reuse(&options, stories->texts, stories->lengths, stories->count, &pairs) == SIMCORE_OK);
    print_pairs("stories", &pairs);
    simcore_reuse_pairs_free(&pairs);

    /* The planted corpus, as simdedup reuse: boilerplate auto. */
    CHECK(simcore_reuse(&options, planted->texts, planted->lengths, planted->count, &pairs) == SIMCORE_OK);
    print_pairs("planted", &pairs);
    CHECK(pairs.boilerplate_lines > 0);
    /* An index that learns boilerplate from the whole corpus, then holds it: the same pairs, on
       one thread as on all. */
    simcore_reuse_index *index = NULL;
    simcore_alignment_options one = options;
    one.threads = 1;
    CHECK(simcore_reuse_index_new(&one, planted->texts, planted->lengths, planted->count, &index) == SIMCORE_OK);
    CHECK(simcore_reuse_index_insert_many(index, planted->texts, planted->lengths, planted->count) == SIMCORE_OK);
    CHECK(simcore_reuse_index_pairs(index, &again) == SIMCORE_OK);
    CHECK(same_pairs(&pairs, &again));
    CHECK(again.boilerplate_lines == 0);
    simcore_reuse_pairs_free(&again);
    simcore_reuse_index_free(index);

    /* A stream with the corpus's boilerplate: the first half at once, then each later document's
       matches (asked for alone, or with the insert every other time), then inserted. */
    CHECK(simcore_reuse_index_new(&options, planted->texts, planted->lengths, planted->count, &index) == SIMCORE_OK);
    size_t half = planted->count / 2;
    CHECK(simcore_reuse_index_insert_many(index, planted->texts, planted->lengths, half) == SIMCORE_OK);
    for (size_t doc = half; doc < planted->count; doc++) {
        simcore_reuse_pairs matches = {0};
        int64_t number = -1;
        if (doc % 2 == 0) {
            CHECK(simcore_reuse_index_matches(index, planted->texts[doc], planted->lengths[doc], &matches) == SIMCORE_OK);
            CHECK(simcore_reuse_index_insert(index, planted->texts[doc], planted->lengths[doc], &number, NULL) == SIMCORE_OK);
        } else {
            CHECK(simcore_reuse_index_insert(index, planted->texts[doc], planted->lengths[doc], &number, &matches) == SIMCORE_OK);
        }
        CHECK(number == (int64_t)doc);
        if (matches.count > 0) print_pairs("stream", &matches);
        simcore_reuse_pairs_free(&matches);
    }
    /* Every document inserted: the index's pairs are the batch's. */
    CHECK(simcore_reuse_index_pairs(index, &again) == SIMCORE_OK);
    CHECK(same_pairs(&pairs, &again));
    simcore_reuse_pairs_free(&again);
    simcore_reuse_index_free(index);
    simcore_reuse_pairs_free(&pairs);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: simcore_check WORKDIR PLANTED FILE...\n");
        return 2;
    }
    check_contract(argv[1]);
    corpus texts, planted;
    if (!read_planted(argv[2], &planted)) return 1;
    check_alignment_contract(&planted);
    if (!read_corpus(argc - 3, argv + 3, &texts)) return 1;
    print_results(&texts);
    print_reloaded(&texts, argv[1]);
    print_alignments(&texts, &planted);
    if (failures > 0) {
        fprintf(stderr, "simcore_check: %d checks failed\n", failures);
        return 1;
    }
    return 0;
}
