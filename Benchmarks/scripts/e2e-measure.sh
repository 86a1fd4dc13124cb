#!/usr/bin/env bash
# Issue 14, goal 1: `simdedup dedupe` end to end against the same documents' signing alone, two
# builds alternated so that both see the same machine. Rerun in a quiet window (load below 0.5).
#
#   Benchmarks/scripts/e2e-measure.sh BASE_SIMDEDUP NEW_SIMDEDUP SIMBENCH news100k.jsonl [ROUNDS]
#
# BASE_SIMDEDUP and NEW_SIMDEDUP are release builds of simdedup (e.g. main's and a branch's);
# SIMBENCH is a release simbench (signing alone does not depend on the branch). news100k.jsonl is
# `simbench generate --documents 100000 --corpus-seed 7`. Each timing is preceded by the load
# average; ROUNDS (default 3) rounds of base then new, for --measure jaccard on 2 and 1 threads and
# the default measure on 2 threads, then signing alone (`simbench dedupe ... --skip-truth`).
set -euo pipefail
base=$1; new=$2; simbench=$3; corpus=$4; rounds=${5:-3}
timed() { echo "## load $(cut -d' ' -f1-3 /proc/loadavg): $*" >&2; /usr/bin/time -f "   wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@"; }
for round in $(seq "$rounds"); do
  for bin in "$base" "$new"; do
    timed "$bin" dedupe --quiet --measure jaccard --threads 2 "$corpus" > /dev/null
    timed "$bin" dedupe --quiet --measure jaccard --threads 1 "$corpus" > /dev/null
    timed "$bin" dedupe --quiet --threads 2 "$corpus" > /dev/null
  done
done
echo "## load $(cut -d' ' -f1-3 /proc/loadavg): signing alone" >&2
"$simbench" dedupe "$corpus" --measure jaccard --skip-truth --threads 2 --quiet
