#!/usr/bin/env bash
# Issue 14, goal 3: the repeated-id check of `simdedup dedupe`, two builds alternated so that both
# see the same machine. Rerun in a quiet window (load below 0.5).
#
#   Benchmarks/scripts/ids-measure.sh BASE_SIMDEDUP NEW_SIMDEDUP para100k.jsonl [ROUNDS] [para50k.jsonl news5k.jsonl]
#
# BASE_SIMDEDUP and NEW_SIMDEDUP are release builds of simdedup (main's and the branch's);
# para100k.jsonl is `python3 Benchmarks/scripts/paragraphs.py news100k.jsonl` (1,883,152
# paragraphs). ROUNDS (default 3) rounds of base then new, on 2 threads and on 1, each timing
# preceded by the load average and followed by the md5 of the verdicts (they must agree). With
# para50k.jsonl and news5k.jsonl, instructions too: callgrind on `strip --strip-debug` copies
# (valgrind 3.19 cannot read today's debug info), 1 thread.
set -euo pipefail
base=$1; new=$2; corpus=$3; rounds=${4:-3}
timed() {
  echo "## load $(cut -d' ' -f1-3 /proc/loadavg): $*" >&2
  /usr/bin/time -f "   wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@" | md5sum >&2
}
for threads in 2 1; do
  for round in $(seq "$rounds"); do
    for bin in "$base" "$new"; do timed "$bin" dedupe --quiet --measure jaccard --threads "$threads" "$corpus"; done
  done
done
if [ $# -ge 6 ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  strip --strip-debug -o "$work/base" "$base"
  strip --strip-debug -o "$work/new" "$new"
  for small in "$5" "$6"; do
    for bin in base new; do
      valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$work/$bin" dedupe --quiet --measure jaccard --threads 1 "$small" \
        2>&1 > /dev/null | grep -E "refs" | sed "s|^|$bin $(basename "$small"): |" >&2
    done
  done
fi
