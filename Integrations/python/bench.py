#!/usr/bin/env python3
"""Same-run benchmark: simcore against datasketch and rensa, from Python strings to duplicates.

    python3 -m venv bench && bench/bin/pip install datasketch rensa numpy ./Integrations/python
    bench/bin/python Integrations/python/bench.py CORPUS.jsonl [--documents N] [--tools a,b,...]

CORPUS.jsonl has one {"id": ..., "text": ...} per line (`simbench generate` writes one). Every
tool gets the same first N texts as a list of Python str, already in memory; the clock runs from
there to its answer. Each tool runs in its own process, so peak memory is its own.

- simcore: Deduplicator(threshold=0.8, measure="jaccard", k=128).add_many(texts), then
  clusters() and kept(); word 5-grams, verified, on all cores (simcore-1t: threads=1).
- rensa: its documented bulk path, RMinHash.digest_matrix_from_token_sets on Python word
  5-gram shingles (num_perm 128) and RMinHashLSH(0.8, 128, 16 bands)
  .insert_matrix_and_query_duplicate_flags, in batches: a duplicate flag per document
  (LSH candidates, not verified, no clusters: less work than simcore does).
- rensa-rho: the same with digest_matrix_from_token_sets_rho (rensa's fastest pipeline,
  sampled token positions).
- datasketch: MinHash.bulk (num_perm 128) on the same shingles, MinHashLSH(0.8, 128) query
  then insert per document, clusters by union-find over the candidates.

Python shingling for the peers is Benchmarks/peers/peer_dedupe.py's (lower-case, \\w+ tokens,
word 5-grams), as a real pipeline does it. Prints docs/s, MB/s, peak RSS, duplicates and each
peer's wall and CPU time over simcore's (CPU seconds of all threads: steadier than wall time on a
loaded machine), with the load average before and after.
"""
import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
TOOLS = ["simcore", "simcore-1t", "rensa", "rensa-rho", "datasketch"]
BATCH = 4096


def peer_shingles():
    """peer_dedupe.py's shingle function (one definition for both peer benchmarks)."""
    path = REPOSITORY / "Benchmarks" / "peers" / "peer_dedupe.py"
    spec = importlib.util.spec_from_file_location("peer_dedupe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.shingles


def load(corpus, documents):
    texts = []
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            if len(texts) == documents:
                break
            texts.append(json.loads(line)["text"])
    return texts


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_simcore(texts, threads):
    import simcore

    with simcore.Deduplicator(threshold=0.8, measure="jaccard", k=128, threads=threads) as dedup:
        dedup.add_many(texts)
        clusters = dedup.clusters()
        kept = dedup.kept()
    return len(texts) - len(kept), len(clusters)


def run_rensa(texts, rho):
    from rensa import RMinHash, RMinHashLSH

    shingles = peer_shingles()
    lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    digest = RMinHash.digest_matrix_from_token_sets_rho if rho else RMinHash.digest_matrix_from_token_sets
    duplicates = 0
    for start in range(0, len(texts), BATCH):
        matrix = digest([shingles(text) for text in texts[start:start + BATCH]], num_perm=128, seed=1)
        duplicates += sum(lsh.insert_matrix_and_query_duplicate_flags(matrix, start_key=start))
    return duplicates, None


def run_datasketch(texts):
    from datasketch import MinHash, MinHashLSH

    shingles = peer_shingles()
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    parent = list(range(len(texts)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    duplicates = 0
    for start in range(0, len(texts), BATCH):
        batch = [[s.encode("utf-8") for s in shingles(text)] for text in texts[start:start + BATCH]]
        for offset, signature in enumerate(MinHash.bulk(batch, num_perm=128, seed=1)):
            document = start + offset
            candidates = lsh.query(signature)
            duplicates += bool(candidates)
            for other in candidates:
                parent[find(other)] = find(document)
            lsh.insert(document, signature)
    clusters = {}
    for document in range(len(texts)):
        clusters.setdefault(find(document), []).append(document)
    return duplicates, sum(len(members) > 1 for members in clusters.values())


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(corpus, documents, tool):
    texts = load(corpus, documents)
    loaded = rss_bytes()
    cpu = cpu_seconds()
    start = time.perf_counter()
    if tool == "simcore":
        duplicates, clusters = run_simcore(texts, None)
    elif tool == "simcore-1t":
        duplicates, clusters = run_simcore(texts, 1)
    elif tool in ("rensa", "rensa-rho"):
        duplicates, clusters = run_rensa(texts, tool == "rensa-rho")
    else:
        duplicates, clusters = run_datasketch(texts)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    print(json.dumps({
        "tool": tool, "documents": len(texts), "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "seconds": seconds, "cpu_seconds": cpu, "peak_rss": peak_rss_bytes(), "loaded_rss": loaded, "duplicates": duplicates,
        "clusters": clusters,
    }))


def loadavg():
    with open("/proc/loadavg") as file:
        return " ".join(file.read().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--documents", type=int, default=None, help="the first N documents (default: all)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, from {', '.join(TOOLS)}")
    parser.add_argument("--run", choices=TOOLS, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.run:
        measure(arguments.corpus, arguments.documents, arguments.run)
        return
    tools = arguments.tools.split(",")
    unknown = [tool for tool in tools if tool not in TOOLS]
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}")
    print(f"load average before: {loadavg()}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}", flush=True)
    results = []
    for tool in tools:
        command = [sys.executable, __file__, arguments.corpus, "--run", tool]
        if arguments.documents is not None:
            command += ["--documents", str(arguments.documents)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        print(f"  {tool}: {result['seconds']:.2f} s (load average {loadavg()})", flush=True)
    base = next((r for r in results if r["tool"] == "simcore"), results[0])
    header = (f"{'tool':<12} {'documents':>9} {'seconds':>9} {'docs/s':>9} {'MB/s':>7} {'CPU s':>8} {'peak RSS':>9} "
              f"{'above corpus':>12} {'duplicates':>10}  time / {base['tool']}  CPU / {base['tool']}")
    print(header)
    for r in results:
        print(f"{r['tool']:<12} {r['documents']:>9} {r['seconds']:>9.2f} {r['documents'] / r['seconds']:>9.0f} "
              f"{r['bytes'] / 1e6 / r['seconds']:>7.1f} {r['cpu_seconds']:>8.2f} {r['peak_rss'] / 2**30:>7.2f} GB "
              f"{(r['peak_rss'] - r['loaded_rss']) / 2**30:>9.2f} GB {r['duplicates']:>10}  "
              f"{r['seconds'] / base['seconds']:>11.1f}×  {r['cpu_seconds'] / base['cpu_seconds']:>9.1f}×")
    print(f"load average after: {loadavg()}")


if __name__ == "__main__":
    main()
