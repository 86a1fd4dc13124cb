#!/usr/bin/env bash
# The before/after measurements of issue 14 (raw JSON Lines to clusters at signing speed, ten
# million documents), as one script to rerun in a quiet window (load average below 0.5).
#
#   Benchmarks/scripts/issue14-measure.sh BASE_BIN NEW_BIN WORK_DIR [--ten-million]
#
# BASE_BIN and NEW_BIN are directories holding release builds of simdedup and simbench (for
# example `git worktree add /tmp/base main && swift build -c release --package-path /tmp/base`
# then /tmp/base/.build/release); WORK_DIR receives the corpora (about 1.6 GB, or 13 GB more with
# --ten-million) and the results. Every timing is preceded (on stderr) by the load average. Output
# identity between the two builds is checked first (Benchmarks/scripts/output-digests.sh).
# Needs python3; the rensa comparison needs `pip install rensa datasketch` (a venv is made in
# WORK_DIR/venv when rensa is missing).
set -euo pipefail
base=$(cd "$1" && pwd); new=$(cd "$2" && pwd); work=$3; ten=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"; cd "$work"
timed() { echo "## load $(cut -d' ' -f1-3 /proc/loadavg): $*" >&2; /usr/bin/time -f "   wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@"; }

# Corpora: 100,000 news-like documents (7 KB), 20,000 for identity checks, their paragraphs.
[ -f news100k.jsonl ] || "$new/simbench" generate --documents 100000 --corpus-seed 7 --output news100k.jsonl
[ -f news20k.jsonl ] || "$new/simbench" generate --documents 20000 --corpus-seed 7 --output news20k.jsonl
[ -f para100k.jsonl ] || python3 "$here/paragraphs.py" news100k.jsonl > para100k.jsonl
head -5 news20k.jsonl > news5.jsonl

echo "# identical outputs (band keys, clusters, dedupe verdicts for both measures and verifications, 1 and 2 threads)"
"$here/output-digests.sh" "$base" news20k.jsonl 1 2 > digests-base.txt
"$here/output-digests.sh" "$new" news20k.jsonl 1 2 > digests-new.txt
diff digests-base.txt digests-new.txt && echo "identical"

echo "# goal 1: end to end, 100,000 news-like documents, 1 and 2 threads, against signing alone in the same run"
for bin in "$base" "$new"; do
  for t in 1 2; do timed "$bin/simdedup" dedupe --measure jaccard --threads $t news100k.jsonl > /dev/null; done
  for t in 1 2; do timed "$bin/simdedup" dedupe --threads $t news100k.jsonl > /dev/null; done
done
# The same-run baseline: shingling and signing alone, then the engine end to end, in one process
# (`simbench sign` is not used: on this branch's base it holds about 1 MB per document).
"$new/simbench" dedupe news100k.jsonl --measure jaccard --skip-truth --threads 2 --queries 100

echo "# goal 1: the rensa pipeline on the same file (Python shingling included)"
if ! python3 -c "import rensa" 2>/dev/null; then
  [ -x venv/bin/python ] || { python3 -m venv venv && venv/bin/pip install -q rensa datasketch; }
  py=venv/bin/python
else
  py=python3
fi
timed "$py" "$here/../peers/peer_dedupe.py" news100k.jsonl --documents 100000 --peers rensa

echo "# goal 3: short documents, the paragraphs (at least 20 words) of the same corpus, 2 threads"
for bin in "$base" "$new"; do
  timed "$bin/simdedup" dedupe --measure jaccard --threads 2 para100k.jsonl > /dev/null
done
timed "$new/simdedup" dedupe --measure jaccard --verification-bits 8 --threads 2 para100k.jsonl > /dev/null

echo "# goal 4: startup, five documents (task-clock of the whole process)"
for bin in "$base" "$new"; do timed "$bin/simdedup" dedupe --threads 1 news5.jsonl > /dev/null; done

echo "# goal 5: compact verification signatures against whole ones and against exact all-pairs (100,000 documents)"
"$new/simbench" dedupe news100k.jsonl --measure jaccard --verification-bits 8 --threads 2
"$new/simbench" dedupe news100k.jsonl --measure jaccard --verification-bits 16 --threads 2 --skip-truth

echo "# goal 5: one million documents of about 1 KB, 8- and 4-bit verification alternately; accuracy on the first 100,000"
[ -f short1m.jsonl ] || "$new/simbench" generate --documents 1000000 --corpus-seed 7 \
    --min-story-bytes 400 --max-story-bytes 800 --output short1m.jsonl
head -n 100000 short1m.jsonl > short100k.jsonl
for round in 1 2; do
  for bits in 8 4; do
    timed "$new/simdedup" dedupe --measure jaccard --verification-bits $bits --threads 2 short1m.jsonl > verdicts1m-$bits.jsonl
  done
done
for bits in 64 8 4; do "$new/simbench" dedupe short100k.jsonl --measure jaccard --verification-bits $bits --threads 2; done

echo "# simbench suite, both builds, compared"
"$base/simbench" bench --label base --output bench-base.json
"$new/simbench" bench --label new --output bench-new.json
"$new/simbench" compare bench-base.json bench-new.json

if [ "$ten" = "--ten-million" ]; then
  echo "# goal 5: ten million documents of about 1 KB (needs 11 GB of disk; deleted afterwards)"
  df -h .
  [ -f short10m.jsonl ] || timed "$new/simbench" generate --documents 10000000 --corpus-seed 7 \
      --min-story-bytes 400 --max-story-bytes 800 --output short10m.jsonl
  timed nice -n 5 "$new/simdedup" dedupe --measure jaccard --verification-bits 4 --threads 2 short10m.jsonl > verdicts10m.jsonl
  wc -l verdicts10m.jsonl
  rm -f short10m.jsonl short10m.truth.jsonl short10m.pairs.tsv verdicts10m.jsonl
fi
