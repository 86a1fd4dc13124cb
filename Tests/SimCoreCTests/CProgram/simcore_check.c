/*
 * simcore_check: a C program that links libsimcore through simcore.h only, as any C user would.
 *
 *     simcore_check WORKDIR FILE...
 *
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
 *    then the same assignment lines again after save and load ("reloaded" prefix).
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
    bad.threshold = 1.0;
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

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: simcore_check WORKDIR FILE...\n");
        return 2;
    }
    check_contract(argv[1]);
    corpus texts;
    if (!read_corpus(argc - 2, argv + 2, &texts)) return 1;
    print_results(&texts);
    print_reloaded(&texts, argv[1]);
    if (failures > 0) {
        fprintf(stderr, "simcore_check: %d checks failed\n", failures);
        return 1;
    }
    return 0;
}
