// The merge of frozen posting layers with a sorted run of new entries into a new layer
// (Sources/SimCore/Index/FrozenPostings.swift describes the layout): the layers' entries are
// decoded, merged with the run's and encoded in one loop whose state stays in registers. In
// Swift the same loop, its cursor and its writer spread over more values than the registers
// hold, and the writer's, reached through a pointer that any store into the new layer might
// alias, were reloaded and stored around every entry: about 170 instructions an entry. See
// include/CSimKernels.h for the contract.
#include "CSimKernels.h"

// Value `index` of `width` bits (0...64) packed least significant bit first; the words are
// followed by a zero word of padding.
static inline uint64_t packed_value(const uint64_t *words, int64_t index, int width) {
    if (width == 0) return 0;
    const uint64_t bit = (uint64_t)index * (uint64_t)width;
    const uint64_t word = bit >> 6, shift = bit & 63;
    // The next word's bits shifted in by 64 - shift in two steps (shift 0 brings none).
    const uint64_t window = words[word] >> shift | (words[word + 1] << 1) << (63 - shift);
    return width == 64 ? window : window & ((UINT64_C(1) << width) - 1);
}

// Appends `value` (below 2^width, width 1...64) to packed words as the Swift _BitAppender does:
// the partial word is stored whole after every value.
static inline void append_bits(uint64_t *words, int64_t *index, uint64_t *pending, int64_t *filled, uint64_t value,
                               int width) {
    *pending |= value << *filled;
    words[*index] = *pending;
    const int64_t total = *filled + width;
    const int64_t carry = total >> 6;
    const uint64_t rest = (value >> 1) >> (63 - *filled);
    *pending = carry ? rest : *pending;
    *index += carry;
    *filled = total & 63;
}

// Appends `prefix` and `document` through the writer state in the caller's locals (the body of
// _FrozenPostingsWriter.append(prefix:document:)).
#define SIMK_APPEND(prefix, document)                                                                              \
    do {                                                                                                           \
        const int64_t bucket_ = f == 64 ? 0 : (int64_t)((prefix) >> f);                                            \
        while (s.next_block_bucket <= bucket_) {                                                                   \
            s.block_starts[s.next_block_bucket >> 4] = (uint32_t)s.written;                                        \
            s.next_block_bucket += 16;                                                                             \
        }                                                                                                          \
        const int64_t bit_ = s.written + bucket_;                                                                  \
        if (bit_ >> 6 != s.upper_word) {                                                                           \
            s.upper[s.upper_word] = s.upper_bits;                                                                  \
            s.upper_word = bit_ >> 6;                                                                              \
            s.upper_bits = 0;                                                                                      \
        }                                                                                                          \
        s.upper_bits |= UINT64_C(1) << (bit_ & 63);                                                                \
        if (f > 0) {                                                                                               \
            append_bits(s.fingerprints, &s.fingerprint_index, &s.fingerprint_pending, &s.fingerprint_filled,      \
                        (prefix) & fingerprint_mask, f);                                                           \
        }                                                                                                          \
        append_bits(s.documents, &s.document_index, &s.document_pending, &s.document_filled, (document),          \
                    s.document_bits);                                                                              \
        s.written++;                                                                                               \
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
static inline void layer_next(const simk_postings_layer *layer, int64_t *word, uint64_t *bits, int64_t *entry,
                              uint64_t *prefix, uint32_t *document) {
    if (*entry >= layer->count) {
        *prefix = UINT64_MAX;
        *document = UINT32_MAX;
        return;
    }
    while (*bits == 0) *bits = layer->upper[++*word];
    // The entry's 1 sits after `bucket` zeros and `entry` ones.
    const uint64_t bucket = (uint64_t)(*word * 64 + __builtin_ctzll(*bits) - *entry);
    const int f = layer->fingerprint_bits;
    const uint64_t fingerprint = packed_value(layer->fingerprints, *entry, f);
    *document = (uint32_t)packed_value(layer->documents, *entry, layer->document_bits);
    *prefix = f == 64 ? fingerprint : bucket << f | fingerprint;
    *bits &= *bits - 1;
    *entry += 1;
}

static inline void cursor_advance(layer_cursor *c) {
    layer_next(&c->layer, &c->word, &c->bits, &c->entry, &c->prefix, &c->document);
}

// No layer, or several (a merge that takes in older layers too): the least head of the
// sources at each step, the run's on a tie, else the first layer's, as the Swift k-way merge.
static void merge_layers(simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count,
                         const simk_posting *run, int64_t run_count) {
    // The writer's state in a local copy (kept in registers), stored back at the end.
    simk_postings_writer s = *w;
    const int f = s.fingerprint_bits;
    const uint64_t fingerprint_mask = f == 64 ? UINT64_MAX : (UINT64_C(1) << f) - 1;
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
    *w = s;
}

// One layer and the run (nearly every merge): the cursor in locals too.
static void merge_one_layer(simk_postings_writer *w, const simk_postings_layer *layer, const simk_posting *run,
                            int64_t run_count) {
    // The writer's state in a local copy (kept in registers), stored back at the end.
    simk_postings_writer s = *w;
    const int f = s.fingerprint_bits;
    const uint64_t fingerprint_mask = f == 64 ? UINT64_MAX : (UINT64_C(1) << f) - 1;

    // The layer's cursor in locals too (a copy of the layer, which stores into the new layer
    // cannot change); exhausted sources hold a sentinel above every real entry (documents are
    // below 2^31).
    const simk_postings_layer source = *layer;
    int64_t word = 0, entry = 0;
    uint64_t bits = source.count > 0 ? source.upper[0] : 0;
    uint64_t head_prefix;
    uint32_t head_document;
    layer_next(&source, &word, &bits, &entry, &head_prefix, &head_document);
    int64_t next = 0;
    uint64_t other_prefix = run_count > 0 ? run[0].prefix : UINT64_MAX;
    uint32_t other_document = run_count > 0 ? run[0].document : UINT32_MAX;
    const int64_t total = source.count + run_count;
    for (int64_t i = 0; i < total; i++) {
        const int from_layer =
            head_prefix < other_prefix || (head_prefix == other_prefix && head_document < other_document);
        const uint64_t prefix = from_layer ? head_prefix : other_prefix;
        const uint32_t document = from_layer ? head_document : other_document;
        if (from_layer) {
            layer_next(&source, &word, &bits, &entry, &head_prefix, &head_document);
        } else {
            next++;
            other_prefix = next < run_count ? run[next].prefix : UINT64_MAX;
            other_document = next < run_count ? run[next].document : UINT32_MAX;
        }
        SIMK_APPEND(prefix, document);
    }
    *w = s;
}

// Two layers and the run (the merges that take in the newest layer and the one before it,
// which write most of a shard's entries once it holds a few hundred thousand): both cursors in
// locals, as in merge_one_layer. The k-way loop above keeps its cursors in an array on the
// stack and walks it per entry: on 1,080,000 paragraphs (4-bit verification) it held 13% of
// the samples, and merge_one_layer 0.4%. Here the merges take 13% fewer instructions (898 M ->
// 780 M on the first 150,000 of them, one thread).
static void merge_two_layers(simk_postings_writer *w, const simk_postings_layer *layers, const simk_posting *run,
                             int64_t run_count) {
    // The writer's state in a local copy (kept in registers), stored back at the end.
    simk_postings_writer s = *w;
    const int f = s.fingerprint_bits;
    const uint64_t fingerprint_mask = f == 64 ? UINT64_MAX : (UINT64_C(1) << f) - 1;

    // Copies of the layers (stores into the new layer cannot change them) and their cursors;
    // exhausted sources hold a sentinel above every real entry (documents are below 2^31).
    const simk_postings_layer first = layers[0], second = layers[1];
    int64_t first_word = 0, first_entry = 0, second_word = 0, second_entry = 0;
    uint64_t first_bits = first.count > 0 ? first.upper[0] : 0;
    uint64_t second_bits = second.count > 0 ? second.upper[0] : 0;
    uint64_t first_prefix, second_prefix;
    uint32_t first_document, second_document;
    layer_next(&first, &first_word, &first_bits, &first_entry, &first_prefix, &first_document);
    layer_next(&second, &second_word, &second_bits, &second_entry, &second_prefix, &second_document);
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
            layer_next(&second, &second_word, &second_bits, &second_entry, &second_prefix, &second_document);
        } else {
            layer_next(&first, &first_word, &first_bits, &first_entry, &first_prefix, &first_document);
        }
        SIMK_APPEND(prefix, document);
    }
    *w = s;
}

void simk_postings_merge(simk_postings_writer *w, const simk_postings_layer *layers, int64_t layer_count,
                         const simk_posting *run, int64_t run_count) {
    if (layer_count == 1) {
        merge_one_layer(w, layers, run, run_count);
    } else if (layer_count == 2) {
        merge_two_layers(w, layers, run, run_count);
    } else {
        merge_layers(w, layers, layer_count, run, run_count);
    }
}
