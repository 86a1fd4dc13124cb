// The merge of frozen posting layers with a sorted run of new entries into a new layer
// (Sources/SimCore/Index/FrozenPostings.swift describes the layout): the layers' entries are
// decoded, merged with the run's and encoded in one loop whose state stays in locals, as little
// of it as the layout allows (the writer keeps only its entry count: see put_bits). In Swift the
// same loop, its cursor and its writer spread over more values than the registers hold, and the
// writer's, reached through a pointer that any store into the new layer might alias, were
// reloaded and stored around every entry: about 170 instructions an entry. See
// include/CSimKernels.h for the contract.
#include "CSimKernels.h"

// The loop of up to two layers (merge_two_layers) comes in two versions, picked per merge:
// `plain` (a constant 1 once inlined) when every width the merge reads and writes lies in
// 1...63, so that the loop tests for no empty (0) or whole-word (64) array; otherwise 0.
// Fingerprints of 0 and 64 bits are rare (a layer of no more than 2^keyBits buckets, or of one
// entry), and the tests were about a sixth of a merged entry's instructions.
#define SIMK_INLINE static inline __attribute__((always_inline))

// Value `index` of `width` bits (0...64; 1...63 when `plain`) packed least significant bit
// first; the words are followed by a zero word of padding.
SIMK_INLINE uint64_t packed_value(const uint64_t *words, int64_t index, int width, int plain) {
    if (!plain && width == 0) return 0;
    const uint64_t bit = (uint64_t)index * (uint64_t)width;
    const uint64_t word = bit >> 6, shift = bit & 63;
    // The next word's bits shifted in by 64 - shift in two steps (shift 0 brings none).
    const uint64_t window = words[word] >> shift | (words[word + 1] << 1) << (63 - shift);
    return !plain && width == 64 ? window : window & ((UINT64_C(1) << width) - 1);
}

// Writes `value` (below 2^width, width 1...64) at bit `bit` of packed words that are zero from
// that bit on: ORed into the word holding `bit`, and the bits past that word's end stored into
// the next one (zero when none are: values are written in order, so no later bit is set there).
// Only the position is kept between values, where the Swift _BitAppender keeps the word being
// filled, its bits and their count: three values per array that, with the cursors, did not fit
// the registers and went to the stack and back for every entry.
static inline void put_bits(uint64_t *words, uint64_t bit, uint64_t value) {
    const uint64_t word = bit >> 6, shift = bit & 63;
    words[word] |= value << shift;
    // 64 - shift bits went into the word; shifting in two steps gives 0 when shift is 0.
    words[word + 1] = (value >> 1) >> (63 - shift);
}

// The new layer's arrays and widths (none changes while a merge writes).
typedef struct {
    uint64_t *upper;
    uint32_t *block_starts;
    uint64_t *fingerprints;
    uint64_t *documents;
    int f;
    int document_bits;
    uint64_t fingerprint_mask;
} layer_out;

// The writer's arrays, and its bits held back stored, so that every array is exactly its
// entries' bits (zero after them): the upper word the last 1 went into, and each packed array's
// word being filled (the Swift appender stores it before a carry, and the carried bits after).
static layer_out writer_begin(const simk_postings_writer *w) {
    const int f = w->fingerprint_bits;
    const layer_out out = {w->upper, w->block_starts, w->fingerprints, w->documents, f, w->document_bits,
                           f == 64 ? UINT64_MAX : (UINT64_C(1) << f) - 1};
    out.upper[w->upper_word] = w->upper_bits;
    if (f > 0) out.fingerprints[w->fingerprint_index] = w->fingerprint_pending;
    out.documents[w->document_index] = w->document_pending;
    return out;
}

// The writer's state after `written` entries, the last one's 1 at `upper_bit` of the upper bits
// (-1: none written by the kernel), in the Swift writer's terms: the word being filled and its
// bits (as stored), for its next appends and its finish.
static void writer_end(simk_postings_writer *w, const layer_out *out, int64_t written, int64_t next_block_bucket,
                       int64_t upper_bit) {
    w->written = written;
    w->next_block_bucket = next_block_bucket;
    if (upper_bit >= 0) {
        w->upper_word = upper_bit >> 6;
        w->upper_bits = out->upper[w->upper_word];
    }
    if (out->f > 0) {
        const uint64_t bit = (uint64_t)written * (uint64_t)out->f;
        w->fingerprint_index = (int64_t)(bit >> 6);
        w->fingerprint_filled = (int64_t)(bit & 63);
        w->fingerprint_pending = out->fingerprints[bit >> 6];
    }
    const uint64_t bit = (uint64_t)written * (uint64_t)out->document_bits;
    w->document_index = (int64_t)(bit >> 6);
    w->document_filled = (int64_t)(bit & 63);
    w->document_pending = out->documents[bit >> 6];
}

// Appends `prefix` and `document` as the entry `written` of the new layer `out` (the body of
// _FrozenPostingsWriter.append(prefix:document:)); `out`, `written`, `next_block_bucket`,
// `upper_bit` and `plain` are the caller's locals.
#define SIMK_APPEND(prefix, document)                                                                              \
    do {                                                                                                           \
        const int64_t bucket_ = !plain && out.f == 64 ? 0 : (int64_t)((prefix) >> out.f);                          \
        while (next_block_bucket <= bucket_) {                                                                     \
            out.block_starts[next_block_bucket >> 4] = (uint32_t)written;                                          \
            next_block_bucket += 16;                                                                               \
        }                                                                                                          \
        upper_bit = written + bucket_;                                                                             \
        out.upper[upper_bit >> 6] |= UINT64_C(1) << (upper_bit & 63);                                              \
        if (plain || out.f > 0) {                                                                                  \
            put_bits(out.fingerprints, (uint64_t)written * (uint64_t)out.f, (prefix) & out.fingerprint_mask);      \
        }                                                                                                          \
        put_bits(out.documents, (uint64_t)written * (uint64_t)out.document_bits, (document));                      \
        written++;                                                                                                 \
    } while (0)

// A layer's cursor: its entries in (prefix, document) order, the next one in `prefix` and
// `document` (the sentinel UINT64_MAX, UINT32_MAX once it is exhausted).
typedef struct {
    simk_postings_layer layer;
    int64_t word, entry;
    uint64_t bits;
    uint64_t prefix;
    uint32_t document;
} layer_cursor;

static inline void cursor_start(layer_cursor *c, const simk_postings_layer *layer) {
    c->layer = *layer;
    c->word = 0;
    c->entry = 0;
    c->bits = layer->count > 0 ? layer->upper[0] : 0;
}

// The next entry of `layer` after `*entry` entries, whose 1 bits are read up to word `*word`
// (`*bits` holds those of its 1 bits not yet read) into `*prefix` and `*document`: the sentinel
// UINT64_MAX, UINT32_MAX once it is exhausted.
SIMK_INLINE void layer_next(const simk_postings_layer *layer, int64_t *word, uint64_t *bits, int64_t *entry,
                            uint64_t *prefix, uint32_t *document, int plain) {
    if (*entry >= layer->count) {
        *prefix = UINT64_MAX;
        *document = UINT32_MAX;
        return;
    }
    while (*bits == 0) *bits = layer->upper[++*word];
    // The entry's 1 sits after `bucket` zeros and `entry` ones.
    const uint64_t bucket = (uint64_t)(*word * 64 + __builtin_ctzll(*bits) - *entry);
    const int f = layer->fingerprint_bits;
    const uint64_t fingerprint = packed_value(layer->fingerprints, *entry, f, plain);
    *document = (uint32_t)packed_value(layer->documents, *entry, layer->document_bits, plain);
    *prefix = !plain && f == 64 ? fingerprint : bucket << f | fingerprint;
    *bits &= *bits - 1;
    *entry += 1;
}

static inline void cursor_advance(layer_cursor *c) {
    layer_next(&c->layer, &c->word, &c->bits, &c->entry, &c->prefix, &c->document, 0);
}

// Three layers or more: the least head of the sources at each step, the run's on a tie,
// else the first layer's, as the Swift k-way merge.
static void merge_layers(simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count,
                         const simk_posting *run, int64_t run_count) {
    const layer_out out = writer_begin(w);
    int64_t written = w->written, next_block_bucket = w->next_block_bucket, upper_bit = -1;
    const int plain = 0;
    layer_cursor cursors[SIMK_POSTINGS_MAX_LAYERS];
    int64_t total = run_count;
    for (int64_t source = 0; source < layer_count; source++) {
        cursor_start(&cursors[source], &layers[source]);
        cursor_advance(&cursors[source]);
        total += layers[source].count;
    }
    int64_t next = 0;
    for (int64_t i = 0; i < total; i++) {
        int64_t best = layer_count;
        uint64_t prefix = next < run_count ? run[next].prefix : UINT64_MAX;
        uint32_t document = next < run_count ? run[next].document : UINT32_MAX;
        for (int64_t source = 0; source < layer_count; source++) {
            const layer_cursor *c = &cursors[source];
            if (c->prefix < prefix || (c->prefix == prefix && c->document < document)) {
                best = source;
                prefix = c->prefix;
                document = c->document;
            }
        }
        SIMK_APPEND(prefix, document);
        if (best == layer_count) {
            next++;
        } else {
            cursor_advance(&cursors[best]);
        }
    }
    writer_end(w, &out, written, next_block_bucket, upper_bit);
}

// Up to two layers and the run, a missing layer given as an empty one (exhausted from the
// start): both cursors in locals. Merges that take in the newest layer and the one before it
// write most of a shard's entries once it holds a few hundred thousand; the k-way loop above
// keeps its cursors in an array on the stack and walks it per entry, and on 1,080,000
// paragraphs (4-bit verification) it held 13% of the samples. With this loop the merges took
// 13% fewer instructions (898 M -> 780 M on the first 150,000 of them, one thread). Merges of
// one layer or none, a small part of the entries, pay a comparison with the empty layer's
// sentinel per entry (a separate one-layer loop, a near-copy of this one, saved 0.2% of the
// instructions on those paragraphs, 0.65% on the first 150,000).
SIMK_INLINE void merge_two_layers(simk_postings_writer *w, const simk_postings_layer *layers, const simk_posting *run,
                                  int64_t run_count, const int plain) {
    const layer_out out = writer_begin(w);
    int64_t written = w->written, next_block_bucket = w->next_block_bucket, upper_bit = -1;

    // Copies of the layers (stores into the new layer cannot change them) and their cursors;
    // exhausted sources hold a sentinel above every real entry (documents are below 2^31).
    const simk_postings_layer first = layers[0], second = layers[1];
    int64_t first_word = 0, first_entry = 0, second_word = 0, second_entry = 0;
    uint64_t first_bits = first.count > 0 ? first.upper[0] : 0;
    uint64_t second_bits = second.count > 0 ? second.upper[0] : 0;
    uint64_t first_prefix, second_prefix;
    uint32_t first_document, second_document;
    layer_next(&first, &first_word, &first_bits, &first_entry, &first_prefix, &first_document, plain);
    layer_next(&second, &second_word, &second_bits, &second_entry, &second_prefix, &second_document, plain);
    int64_t next = 0;
    uint64_t run_prefix = run_count > 0 ? run[0].prefix : UINT64_MAX;
    uint32_t run_document = run_count > 0 ? run[0].document : UINT32_MAX;
    const int64_t total = first.count + second.count + run_count;
    for (int64_t i = 0; i < total; i++) {
        // The least head; of equal ones the run's, then the first layer's (as merge_layers).
        const int second_less =
            second_prefix < first_prefix || (second_prefix == first_prefix && second_document < first_document);
        const uint64_t layer_prefix = second_less ? second_prefix : first_prefix;
        const uint32_t layer_document = second_less ? second_document : first_document;
        const int from_layer =
            layer_prefix < run_prefix || (layer_prefix == run_prefix && layer_document < run_document);
        const uint64_t prefix = from_layer ? layer_prefix : run_prefix;
        const uint32_t document = from_layer ? layer_document : run_document;
        if (!from_layer) {
            next++;
            run_prefix = next < run_count ? run[next].prefix : UINT64_MAX;
            run_document = next < run_count ? run[next].document : UINT32_MAX;
        } else if (second_less) {
            layer_next(&second, &second_word, &second_bits, &second_entry, &second_prefix, &second_document, plain);
        } else {
            layer_next(&first, &first_word, &first_bits, &first_entry, &first_prefix, &first_document, plain);
        }
        SIMK_APPEND(prefix, document);
    }
    writer_end(w, &out, written, next_block_bucket, upper_bit);
}

// Whether every width a merge of `layers` into `w` reads and writes lies in 1...63 (see
// `plain` above).
static int plain_widths(const simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count) {
    if (w->fingerprint_bits < 1 || w->fingerprint_bits > 63 || w->document_bits > 63) return 0;
    for (int64_t source = 0; source < layer_count; source++) {
        const simk_postings_layer *layer = &layers[source];
        if (layer->fingerprint_bits < 1 || layer->fingerprint_bits > 63 || layer->document_bits > 63) return 0;
    }
    return 1;
}

void simk_postings_merge(simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count,
                         const simk_posting *run, int64_t run_count) {
    if (layer_count <= 2) {
        // The layers, and empty ones for those missing (never read: their count is 0).
        simk_postings_layer pair[2] = {{0}, {0}};
        for (int64_t source = 0; source < layer_count; source++) pair[source] = layers[source];
        // The loop inlined twice, `plain` a constant in each copy.
        if (plain_widths(w, layers, layer_count)) {
            merge_two_layers(w, pair, run, run_count, 1);
        } else {
            merge_two_layers(w, pair, run, run_count, 0);
        }
    } else {
        merge_layers(w, layers, layer_count, run, run_count);
    }
}
