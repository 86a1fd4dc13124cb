#!/usr/bin/env python3
"""Spark smoke test: the Spark job must give exactly `simdedup cluster`'s clusters.

1. `simbench generate` writes SimCore's seeded news-like corpus with planted reprint clusters
   (deterministic: the same bytes for the same --seed on every machine) and its planted pairs,
   each with its exact word 5-gram Jaccard as SimCore computes it (`corpus.pairs.tsv`:
   `idA<TAB>idB<TAB>jaccard`);
2. single machine: `simdedup bands | simdedup cluster` -> reference labels;
3. Spark (local[2]): `simdedup_spark.py` on the same corpus -> labels;
4. asserts the labels are identical for every document, and that recall >= 0.99 on planted pairs
   whose Jaccard is >= 0.85.

Exit status 0 when all checks pass, 1 otherwise.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def generate(simbench, path, documents, seed):
    """Runs `simbench generate`; returns the planted (idA, idB, jaccard) triples of its pairs file."""
    subprocess.run([simbench, "generate", "--documents", str(documents), "--corpus-seed", str(seed),
                    "--output", path], check=True, stdout=subprocess.DEVNULL)
    pairs = []
    with open(path[: -len(".jsonl")] + ".pairs.tsv", encoding="utf-8") as lines:
        for line in lines:
            a, b, jaccard = line.rstrip("\n").split("\t")
            pairs.append((a, b, float(jaccard)))
    return pairs


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
    parser.add_argument("--simbench", required=True, help="the simbench binary (generates the corpus)")
    parser.add_argument("--executor-simdedup", help="the binary the executors run (default: --simdedup)")
    parser.add_argument("--work", required=True, help="scratch directory")
    parser.add_argument("--documents", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2026, help="the corpus seed (simbench generate --corpus-seed)")
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    corpus = os.path.join(args.work, "corpus.jsonl")
    started = time.time()
    planted = generate(args.simbench, corpus, args.documents, args.seed)
    print(f"smoke: corpus {corpus}: {args.documents} documents, {len(planted)} planted pairs "
          f"(simbench generate: {time.time() - started:.1f} s)", flush=True)

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

    high = [(a, b) for a, b, jaccard in planted if jaccard >= 0.85]
    found = sum(1 for a, b in high if actual.get(a) is not None and actual.get(a) == actual.get(b))
    recall = found / len(high) if high else 1.0
    print(f"smoke: recall on {len(high)} planted pairs with Jaccard >= 0.85: {recall:.4f} (bound 0.99, corpus seed {args.seed})",
          flush=True)
    if recall < 0.99:
        failures.append(f"recall {recall:.4f} < 0.99")
    if len(high) < args.documents // 10:
        failures.append(f"only {len(high)} planted pairs with Jaccard >= 0.85: the recall check needs more")
    if failures:
        for failure in failures:
            print(f"smoke: FAIL: {failure}", file=sys.stderr)
        return 1
    print("smoke: PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
