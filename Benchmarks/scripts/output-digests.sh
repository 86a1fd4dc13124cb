#!/usr/bin/env bash
# Prints one md5 per simdedup output that must never change with a speed-up: band keys, dedupe
# verdicts for both measures and both verifications, and clusters, on every thread count.
# Usage: output-digests.sh BIN_DIR CORPUS.jsonl [THREADS...]   (default threads: 1 2)
# Compare the output of two builds with diff: any difference is a bug.
set -euo pipefail
bin=$1; corpus=$2; shift 2
threads=("$@"); [ ${#threads[@]} -gt 0 ] || threads=(1 2)
name=$(basename "$corpus")
echo "bands $name: $("$bin/simdedup" bands "$corpus" | md5sum | cut -c1-32)"
echo "cluster $name: $("$bin/simdedup" bands "$corpus" | "$bin/simdedup" cluster | md5sum | cut -c1-32)"
for t in "${threads[@]}"; do
  for measure in jaccard overlap; do
    for verification in estimated exact; do
      digest=$("$bin/simdedup" dedupe --measure $measure --verification $verification --threads "$t" "$corpus" 2>/dev/null | md5sum | cut -c1-32)
      echo "dedupe $measure $verification threads=$t $name: $digest"
    done
  done
done
