#!/usr/bin/env python3
"""Spark smoke test: the Spark job must give exactly `simdedup cluster`'s clusters.

1. generates a seeded corpus with planted near-duplicates (deterministic: the same bytes for the
   same --seed on every machine);
2. single machine: `simdedup bands | simdedup cluster` -> reference labels;
3. Spark (local[2]): `simdedup_spark.py` on the same corpus -> labels;
4. asserts the labels are identical for every document, and that recall >= 0.99 on planted pairs
   whose word 5-gram Jaccard (computed here, same definition as `--shingle words:5` on this
   lowercase ASCII text) is >= 0.85.

Exit status 0 when all checks pass, 1 otherwise.
"""
import argparse
import itertools
import json
import os
import random
import subprocess
import sys
import time


def generate(path, documents, seed, duplicate_fraction=0.3):
    """Writes `documents` JSONL records; returns the planted (original, copy) id pairs.

    Originals: 80-250 words drawn from a 20,000-word synthetic vocabulary (Zipf-like).
    Copies: an earlier document with a random 0-4% of its words substituted, deleted or
    duplicated, and sometimes a trimmed end, so planted pairs span Jaccard ~0.5-1.0.
    """
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "su", "ta", "vo", "ri", "pe", "da", "go", "hu", "zi", "ba", "fe", "xo"]
    vocabulary = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30000)})[:20000]
    cumulative = list(itertools.accumulate(1.0 / (rank + 10) for rank in range(len(vocabulary))))
    texts = []
    planted = []
    with open(path, "w", encoding="utf-8") as output:
        for index in range(documents):
            if index > 10 and rng.random() < duplicate_fraction:
                source = rng.randrange(len(texts))
                words = texts[source].split()
                rate = rng.uniform(0.0, 0.04)
                edited = []
                for word in words:
                    roll = rng.random()
                    if roll < rate / 3:
                        edited.append(rng.choices(vocabulary, cum_weights=cumulative)[0])
                    elif roll < 2 * rate / 3:
                        continue
                    elif roll < rate:
                        edited.extend([word, word])
                    else:
                        edited.append(word)
                if rng.random() < 0.2:
                    edited = edited[: int(len(edited) * rng.uniform(0.85, 1.0))]
                text = " ".join(edited)
                planted.append((f"d{source:06d}", f"d{index:06d}"))
            else:
                text = " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(80, 250)))
            texts.append(text)
            output.write(json.dumps({"id": f"d{index:06d}", "text": text}) + "\n")
    return planted, texts


def shingles(text, width=5):
    words = text.split()
    if len(words) < width:
        return {tuple(words)}
    return {tuple(words[i:i + width]) for i in range(len(words) - width + 1)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def read_labels(path):
    labels = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            labels[record["id"]] = record["cluster"]
    return labels


def read_spark_labels(directory):
    labels = {}
    for name in sorted(os.listdir(directory)):
        if name.startswith("part-"):
            labels.update(read_labels(os.path.join(directory, name)))
    return labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--simdedup", required=True, help="the simdedup binary")
    parser.add_argument("--executor-simdedup", help="the binary the executors run (default: --simdedup)")
    parser.add_argument("--work", required=True, help="scratch directory")
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    corpus = os.path.join(args.work, "corpus.jsonl")
    planted, texts = generate(corpus, args.documents, args.seed)
    print(f"smoke: corpus {corpus}: {args.documents} documents, {len(planted)} planted copies", flush=True)

    options = ["--signature-length", "128", "--shingle", "words:5", "--seed", "0", "--threshold", "0.8"]
    bands = os.path.join(args.work, "bands.jsonl")
    reference = os.path.join(args.work, "reference.jsonl")
    started = time.time()
    with open(corpus, "rb") as source, open(bands, "wb") as sink:
        subprocess.run([args.simdedup, "bands", *options], stdin=source, stdout=sink, check=True)
    with open(bands, "rb") as source, open(reference, "wb") as sink:
        subprocess.run([args.simdedup, "cluster"], stdin=source, stdout=sink, check=True)
    print(f"smoke: simdedup bands | simdedup cluster: {time.time() - started:.1f} s", flush=True)

    output = os.path.join(args.work, "spark-out")
    driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "simdedup_spark.py")
    started = time.time()
    subprocess.run([sys.executable, driver, "--master", "local[2]", "--input", corpus, "--output", output,
                    "--output-format", "jsonl", "--partitions", str(args.partitions),
                    "--shuffle-partitions", str(args.partitions),
                    "--simdedup", args.executor_simdedup or args.simdedup,
                    "--signature-length", "128", "--shingle", "words:5", "--seed", "0", "--threshold", "0.8"], check=True)
    print(f"smoke: Spark job: {time.time() - started:.1f} s", flush=True)

    expected = read_labels(reference)
    actual = read_spark_labels(os.path.join(output, "clusters"))
    failures = []
    if set(expected) != set(actual):
        failures.append(f"document sets differ: {len(set(expected) ^ set(actual))} ids in only one output")
    differing = sorted(i for i in expected if i in actual and expected[i] != actual[i])
    if differing:
        sample = ", ".join(f"{i}: spark {actual[i]} vs reference {expected[i]}" for i in differing[:5])
        failures.append(f"{len(differing)} documents labelled differently ({sample})")
    clusters = len(set(expected.values()))
    print(f"smoke: {len(expected)} documents, {clusters} clusters in the reference; "
          f"{len(differing)} labels differ", flush=True)

    high = [(a, b) for a, b in planted
            if jaccard(shingles(texts[int(a[1:])]), shingles(texts[int(b[1:])])) >= 0.85]
    found = sum(1 for a, b in high if actual.get(a) is not None and actual.get(a) == actual.get(b))
    recall = found / len(high) if high else 1.0
    print(f"smoke: recall on {len(high)} planted pairs with Jaccard >= 0.85: {recall:.4f} (bound 0.99, corpus seed {args.seed})",
          flush=True)
    if recall < 0.99:
        failures.append(f"recall {recall:.4f} < 0.99")
    if failures:
        for failure in failures:
            print(f"smoke: FAIL: {failure}", file=sys.stderr)
        return 1
    print("smoke: PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
