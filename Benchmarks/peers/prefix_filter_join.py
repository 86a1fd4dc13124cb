#!/usr/bin/env python3
"""Exact Jaccard all-pairs in Python: a prefix-filter set-similarity join, for a same-machine
ratio against SimCore's ExactAllPairs (`simbench bench FILE --workload all-pairs`).

The standard AllPairs / PPJoin-style algorithm (Bayardo et al. 2007, Xiao et al. 2008), in
plain Python over the standard library:
1. every document becomes a set of shingle hashes; tokens are ordered by document frequency,
   rarest first (ties by hash), and each set is rewritten as a sorted list of token ranks;
2. documents are processed by increasing size; document x probes the inverted index with its
   prefix, its first |x| - ceil(t*|x|) + 1 ranks, skipping indexed documents smaller than
   t*|x| (length filter; they are dropped from the front of each posting list, since sizes only
   grow), then indexes that same prefix;
3. every candidate is verified by exact Jaccard (a set intersection); pairs with
   Jaccard >= t are kept.

Tokenization (--tokens):
- `simcore` (default): SimCore's own word 5-gram hashes of each text, from the `simcore`
  Python package (`pip install ./Integrations/python`), so the sets are exactly SimCore's and the
  pairs must be exactly those of ExactAllPairs; this step is timed separately and is not part
  of the join;
- `python`: pure Python: lower-case, `\\w+` tokens, word 5-grams as tuples hashed with Python's
  `hash` (a text of at most 5 tokens is one shingle). SimCore also folds typography and Unicode
  compatibility forms and hashes tokens with XXH3, so a few borderline pairs may differ.

    python3 Benchmarks/peers/prefix_filter_join.py news100k.jsonl --threshold 0.8 \\
        --pairs-output python-pairs.tsv

Prints documents, shingles, seconds for reading + shingling and for the join (frequency count,
ordering, index, probe, verify), and the pair count. --pairs-output writes one
`idA<TAB>idB<TAB>jaccard` line per pair, ordered by document position, the format of
`simbench bench --pairs-output`, so the two files can be compared with `cmp`.
"""
import argparse
import json
import math
import re
import sys
import time
from collections import Counter

TOKEN = re.compile(r"\w+")


def read_corpus(path, limit):
    ids, texts = [], []
    with open(path, encoding="utf-8") as corpus:
        for number, line in enumerate(corpus, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if "id" not in record or "text" not in record:
                sys.exit(f"{path}:{number}: a record needs \"id\" and \"text\"")
            ids.append(str(record["id"]))
            texts.append(record["text"])
            if limit is not None and len(texts) == limit:
                break
    if not texts:
        sys.exit(f"{path}: no documents")
    return ids, texts


def python_shingles(text, width=5):
    tokens = TOKEN.findall(text.lower())
    if len(tokens) <= width:
        return {hash(tuple(tokens))} if tokens else set()
    return {hash(tuple(tokens[i:i + width])) for i in range(len(tokens) - width + 1)}


def simcore_shingles(texts):
    try:
        import simcore
    except ImportError:
        sys.exit("--tokens simcore needs the simcore package: pip install ./Integrations/python")
    return [set(simcore.shingles(text).hashes) for text in texts]


def prefix_length(size, threshold):
    # The same rounding as ExactAllPairs.prefixLength.
    required = max(1, math.ceil(threshold * size - 1e-9))
    return max(0, size - required + 1)


def join(sets, threshold):
    """Every pair (i, j), i < j, with Jaccard(sets[i], sets[j]) >= threshold, and its value."""
    frequency = Counter()
    for shingles in sets:
        frequency.update(shingles)
    order = sorted(frequency, key=lambda token: (frequency[token], token))
    rank = {token: position for position, token in enumerate(order)}
    ranked = [sorted(rank[token] for token in shingles) for shingles in sets]
    by_size = sorted(range(len(sets)), key=lambda document: (len(sets[document]), document))

    index = {}   # rank -> [documents], in increasing size
    start = {}   # rank -> first posting still long enough
    pairs = []
    for x in by_size:
        size = len(ranked[x])
        if size == 0:
            continue
        minimum_size = threshold * size - 1e-9
        candidates = set()
        prefix = ranked[x][:prefix_length(size, threshold)]
        for token in prefix:
            postings = index.get(token)
            if postings is None:
                index[token] = [x]
                start[token] = 0
                continue
            first = start[token]
            while first < len(postings) and len(sets[postings[first]]) < minimum_size:
                first += 1
            start[token] = first
            candidates.update(postings[first:])
            postings.append(x)
        shingles = sets[x]
        for y in candidates:
            other = sets[y]
            common = len(shingles & other)
            similarity = common / (size + len(other) - common)
            if similarity >= threshold:
                pairs.append((min(x, y), max(x, y), similarity))
    pairs.sort()
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="JSON Lines with id and text fields")
    parser.add_argument("--threshold", type=float, default=0.8, help="Jaccard threshold in (0, 1] (default 0.8)")
    parser.add_argument("--documents", type=int, default=None, help="only the first N documents")
    parser.add_argument("--tokens", choices=["simcore", "python"], default="simcore")
    parser.add_argument("--pairs-output", help="write idA<TAB>idB<TAB>jaccard lines here")
    arguments = parser.parse_args()
    if not 0 < arguments.threshold <= 1:
        sys.exit("--threshold must be in (0, 1]")

    began = time.perf_counter()
    ids, texts = read_corpus(arguments.corpus, arguments.documents)
    if arguments.tokens == "simcore":
        sets = simcore_shingles(texts)
    else:
        sets = [python_shingles(text) for text in texts]
    del texts
    shingled = time.perf_counter()
    pairs = join(sets, arguments.threshold)
    joined = time.perf_counter()

    print(f"documents {len(sets)}, shingles {sum(map(len, sets))}, tokens {arguments.tokens}, threshold {arguments.threshold}")
    print(f"read + shingle {shingled - began:.2f} s; join {joined - shingled:.2f} s; pairs {len(pairs)}")
    if arguments.pairs_output:
        with open(arguments.pairs_output, "w", encoding="utf-8") as output:
            for first, second, similarity in pairs:
                output.write(f"{ids[first]}\t{ids[second]}\t{similarity!r}\n")


if __name__ == "__main__":
    main()
