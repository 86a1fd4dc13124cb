#!/usr/bin/env python3
"""Same-run timing of simcore.reuse against simdedup reuse on one corpus: the cost of the Python layer.

    python3 -m venv bench && bench/bin/pip install ./Integrations/python
    swift build -c release --product simdedup
    bench/bin/python Integrations/python/bench_reuse.py CORPUS.jsonl --simdedup .build/release/simdedup [--runs 3]

CORPUS.jsonl has one {"id": ..., "text": ...} per line (`simbench generate` writes one). The two
run alternately, ``--runs`` times each, with the same options (the defaults: boilerplate auto,
all cores):

- simdedup: ``simdedup reuse --quiet CORPUS`` in a child process, its output to /dev/null: the
  whole process (start, reading and parsing the JSON Lines, boilerplate, reuse, writing the
  pairs as JSON Lines).
- simcore: ``simcore.reuse(texts, ids=ids)`` from a list of Python str already in memory to a
  list of ReusedPair (texts encoded, results read into Python values, byte offsets converted to
  str indices for non-ASCII texts).
- library: the library call alone (``simcore_reuse``, the engine work simdedup does too) on the
  same texts already encoded; simcore minus library is the cost of the Python layer.

Prints wall and CPU medians (CPU: user + system of all threads), each ratio to simdedup's, and
the load average before and after; checks once that both found the same pairs.
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import simcore
from simcore import _native, _reuse


def cpu_seconds(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_simdedup(simdedup, corpus):
    before_wall, before_cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    with open(os.devnull, "wb") as sink:
        subprocess.run([simdedup, "reuse", "--quiet", corpus], check=True, stdout=sink, stderr=sink)
    return time.perf_counter() - before_wall, cpu_seconds(resource.RUSAGE_CHILDREN) - before_cpu


def timed(body):
    """(result, wall seconds, CPU seconds of this process) of body()."""
    wall, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_SELF)
    result = body()
    return result, time.perf_counter() - wall, cpu_seconds(resource.RUSAGE_SELF) - cpu


def library_call(texts, ids):
    """The library call alone (simcore_reuse), on texts already encoded into a batch."""
    options = _native.make_alignment_options()
    batch, _, _ = _reuse._corpus([text.encode() for text in texts], ids, True)

    def call():
        raw = _native.ReusePairs()
        _native.check(_native.lib.simcore_reuse(ctypes.byref(options), batch.pointers, batch.lengths, len(batch),
                                                ctypes.byref(raw)))
        _native.lib.simcore_reuse_pairs_free(ctypes.byref(raw))

    return timed(call)[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--simdedup", required=True)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()

    ids, texts = [], []
    with open(arguments.corpus, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    megabytes = sum(len(text.encode()) for text in texts) / 1e6
    print(f"{len(texts)} documents, {megabytes:.1f} MB; {os.cpu_count()} cores; simcore {simcore.library_version()}")
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")

    # The same answer: simcore's pairs are simdedup's lines.
    result = subprocess.run([arguments.simdedup, "reuse", "--quiet", arguments.corpus], check=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    expected = [json.loads(line) for line in result.stdout.splitlines()]
    pairs = simcore.reuse([text.encode() for text in texts], ids=ids)
    got = [{"a": p.a, "b": p.b, "coverage_a": p.coverage_a, "coverage_b": p.coverage_b, "passages": [
        {"a": list(x.a), "b": list(x.b), "words_a": x.words_a, "words_b": x.words_b, "similarity": x.similarity}
        for x in p.passages]} for p in pairs]
    if got != expected:
        sys.exit("simcore.reuse and simdedup reuse disagree")
    print(f"both find {len(pairs)} pairs sharing {sum(len(p.passages) for p in pairs)} passages")

    runs = {"simdedup": [], "simcore": [], "library": []}
    for run in range(arguments.runs):
        # Each run in another order, so that none always goes first.
        order = ["simdedup", "simcore", "library"]
        order = order[run % 3:] + order[:run % 3]
        for name in order:
            if name == "simdedup":
                runs[name].append(run_simdedup(arguments.simdedup, arguments.corpus))
            elif name == "simcore":
                runs[name].append(timed(lambda: simcore.reuse(texts, ids=ids))[1:])
            else:
                runs[name].append(library_call(texts, ids))
        print(f"run {run + 1}: " + ", ".join(f"{name} {runs[name][-1][0]:.2f} s ({runs[name][-1][1]:.2f} CPU-s)"
                                             for name in runs), flush=True)

    medians = {name: (statistics.median(run[0] for run in values), statistics.median(run[1] for run in values))
               for name, values in runs.items()}
    base_wall, base_cpu = medians["simdedup"]
    print(f"{'median of ' + str(arguments.runs):44} {'wall s':>8} {'CPU s':>8} {'wall/simdedup':>14} {'CPU/simdedup':>13}")
    for name, label in [("simdedup", "simdedup reuse (the whole process)"),
                        ("simcore", "simcore.reuse (from str in memory)"),
                        ("library", "  of which the library call (simcore_reuse)")]:
        wall, cpu = medians[name]
        print(f"{label:44} {wall:8.2f} {cpu:8.2f} {wall / base_wall:14.2f} {cpu / base_cpu:13.2f}")
    wall = medians["simcore"][0] - medians["library"][0]
    cpu = medians["simcore"][1] - medians["library"][1]
    print(f"{'  the Python layer (the difference)':44} {wall:8.2f} {cpu:8.2f} {wall / base_wall:14.2f} {cpu / base_cpu:13.2f}")
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
