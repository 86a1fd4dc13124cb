#!/usr/bin/env python3
"""End-to-end streaming dedupe with SimCore's peers, for a same-machine ratio.

For each document of a JSON Lines corpus (fields id, text), in order: lower-case, split into
word tokens, build word 5-gram shingles, MinHash them (128 permutations), query an LSH index
at Jaccard 0.8 and insert. Python shingling is included, as in a real pipeline.

    pip install datasketch rensa
    python3 Benchmarks/peers/peer_dedupe.py corpus.jsonl --documents 5000

Prints one line per peer: documents, seconds, docs/s, duplicates found.
"""
import argparse
import json
import re
import time

TOKEN = re.compile(r"\w+")


def shingles(text, width=5):
    tokens = TOKEN.findall(text.lower())
    if len(tokens) <= width:
        return [" ".join(tokens)] if tokens else []
    return [" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)]


def run_datasketch(texts):
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    duplicates = 0
    for index, text in enumerate(texts):
        signature = MinHash(num_perm=128, seed=1)
        signature.update_batch([s.encode("utf-8") for s in shingles(text)])
        if lsh.query(signature):
            duplicates += 1
        lsh.insert(str(index), signature)
    return duplicates


def run_rensa(texts):
    from rensa import RMinHash, RMinHashLSH
    lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    duplicates = 0
    for index, text in enumerate(texts):
        signature = RMinHash(num_perm=128, seed=1)
        signature.update(shingles(text))
        if lsh.query(signature):
            duplicates += 1
        lsh.insert(index, signature)
    return duplicates


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--peers", default="datasketch,rensa")
    arguments = parser.parse_args()
    texts = []
    with open(arguments.corpus, encoding="utf-8") as corpus:
        for line in corpus:
            if len(texts) == arguments.documents:
                break
            texts.append(json.loads(line)["text"])
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    for peer in arguments.peers.split(","):
        run = {"datasketch": run_datasketch, "rensa": run_rensa}[peer]
        start = time.perf_counter()
        duplicates = run(texts)
        seconds = time.perf_counter() - start
        print(f"{peer}: {len(texts)} documents ({megabytes:.1f} MB), {seconds:.2f} s, "
              f"{len(texts) / seconds:.0f} docs/s, {duplicates} flagged as duplicates")


if __name__ == "__main__":
    main()
