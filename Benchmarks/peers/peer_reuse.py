#!/usr/bin/env python3
"""Same-run comparison of `simdedup reuse` with text-matcher (PyPI) on the same document pairs.

    python3 -m venv .build-peers && .build-peers/bin/pip install text-matcher
    .build-peers/bin/python Benchmarks/peers/peer_reuse.py corpus.jsonl --pairs 300 \
        --simdedup .build/release/simdedup

CORPUS.jsonl is a corpus written by `simbench generate`; CORPUS.passages.jsonl beside it holds the
planted shared passages (byte ranges in both documents). The script takes the first --pairs
planted pairs (pairs of documents that share planted text), writes their documents to a temporary
JSON Lines file, and then, in the same run:

- times `simdedup reuse --threads 1` on that file (process start, JSON reading, boilerplate, index,
  every candidate pair: everything a user waits for);
- times text-matcher's `Matcher` on each of the pairs, in this process (its defaults: word 3-grams,
  threshold 3, cutoff 5; stop words kept, because NLTK's stop-word list is a separate download);
- prints both times (CPU seconds, which other processes on a shared machine do not inflate, and
  wall seconds) and their ratio; the agreement of the two tools (Jaccard similarity of the sets
  of words each puts inside a passage, over both sides of every pair, words placed by their first
  byte); and each tool's word-level precision and recall against the planted passages, computed the
  same way as `simbench reuse` does.

Words here are runs of Unicode word characters (`\\w+`), for both tools alike.
"""

import argparse
import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time


def load_corpus(path):
    texts = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                texts[str(record["id"])] = record["text"]
    return texts


def load_truth(path, limit):
    pairs = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            pairs.append((record["a"], record["b"], [(tuple(p["a"]), tuple(p["b"])) for p in record["passages"]]))
            if len(pairs) == limit:
                break
    return pairs


class Words:
    """Byte offsets of a text's words and of its characters (text-matcher counts characters)."""

    def __init__(self, text):
        self.byte_of_char = [0]
        for character in text:
            self.byte_of_char.append(self.byte_of_char[-1] + len(character.encode("utf-8")))
        self.starts = [self.byte_of_char[m.start()] for m in re.finditer(r"\w+", text)]

    def covered(self, spans):
        """The indices of the words whose first byte lies inside one of the byte spans."""
        return {index for index, start in enumerate(self.starts) if any(a <= start < b for a, b in spans)}


def run_text_matcher(text_a, text_b):
    """text-matcher's passages of one pair, or None when it fails on the pair (its match extension
    recurses once per extended word, can exceed Python's recursion limit on long reprints, and can
    run off the start of its n-gram list)."""
    from text_matcher.matcher import Matcher, Text

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            matcher = Matcher(Text(text_a, "A", removeStopwords=False), Text(text_b, "B", removeStopwords=False),
                              threshold=3, cutoff=5, ngramSize=3)
            _, locations_a, locations_b = matcher.match()
    except (RecursionError, IndexError):
        return None
    return list(zip(locations_a, locations_b))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a .jsonl corpus written by simbench generate")
    parser.add_argument("--pairs", type=int, default=300, help="planted pairs to compare (default 300)")
    parser.add_argument("--simdedup", default=".build/release/simdedup", help="the simdedup binary")
    arguments = parser.parse_args()

    truth_path = arguments.corpus[: -len(".jsonl")] + ".passages.jsonl"
    texts = load_corpus(arguments.corpus)
    truth = load_truth(truth_path, arguments.pairs)
    ids = sorted({identifier for a, b, _ in truth for identifier in (a, b)})

    with tempfile.TemporaryDirectory() as directory:
        subset = os.path.join(directory, "pairs.jsonl")
        with open(subset, "w", encoding="utf-8") as handle:
            for identifier in ids:
                handle.write(json.dumps({"id": identifier, "text": texts[identifier]}, ensure_ascii=False) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        completed = subprocess.run([arguments.simdedup, "reuse", "--threads", "1", subset],
                                   capture_output=True, text=True, check=True)
        simcore_wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        simcore_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    simcore = {}
    for line in completed.stdout.splitlines():
        record = json.loads(line)
        simcore[(record["a"], record["b"])] = [(tuple(p["a"]), tuple(p["b"])) for p in record["passages"]]

    sys.setrecursionlimit(20_000)
    matcher = {}
    run_text_matcher(texts[truth[0][0]], texts[truth[0][1]])   # imports NLTK outside the timing
    start, cpu = time.perf_counter(), time.process_time()
    for a, b, _ in truth:
        matcher[(a, b)] = run_text_matcher(texts[a], texts[b])
    matcher_seconds, matcher_wall = time.process_time() - cpu, time.perf_counter() - start
    failed = [pair for pair, found in matcher.items() if found is None]
    matcher = {pair: found or [] for pair, found in matcher.items()}

    words = {identifier: Words(texts[identifier]) for identifier in ids}
    sides = {"simcore": [0, 0], "text-matcher": [0, 0]}   # hits, reported
    planted_total = 0
    both = either = 0
    for a, b, planted in truth:
        for side, identifier in ((0, a), (1, b)):
            text_words = words[identifier]
            true = text_words.covered([span[side] for span in planted])
            planted_total += len(true)
            ours = text_words.covered([span[side] for span in simcore.get((a, b), [])])
            # text-matcher reports character offsets; simdedup and the truth report bytes.
            theirs = text_words.covered([(text_words.byte_of_char[s], text_words.byte_of_char[e])
                                         for s, e in (span[side] for span in matcher[(a, b)])])
            for name, found in (("simcore", ours), ("text-matcher", theirs)):
                sides[name][0] += len(found & true)
                sides[name][1] += len(found)
            both += len(ours & theirs)
            either += len(ours | theirs)

    print(f"{len(truth)} planted pairs, {len(ids)} documents, {sum(len(texts[i].encode()) for i in ids) / 1e6:.2f} MB")
    print(f"simdedup reuse (1 thread, whole process): {simcore_seconds:.3f} s CPU ({simcore_wall:.3f} s wall)")
    print(f"text-matcher (Matcher per pair):         {matcher_seconds:.3f} s CPU ({matcher_wall:.3f} s wall)")
    print(f"speed ratio (CPU): simdedup is {matcher_seconds / simcore_seconds:.1f}x faster")
    if failed:
        print(f"text-matcher failed (RecursionError or IndexError) on {len(failed)} pairs; counted as finding nothing")
    print(f"agreement (Jaccard of words inside passages): {both / either if either else 1:.3f}")
    for name, (hits, reported) in sides.items():
        precision = hits / reported if reported else 1
        recall = hits / planted_total if planted_total else 1
        print(f"{name}: word-level precision {precision:.3f}, recall {recall:.3f}")


if __name__ == "__main__":
    sys.exit(main())
