#!/usr/bin/env bash
# The sweep behind simdedup reuse's defaults (README, "Text reuse"): word-level passage precision
# and recall of `simbench reuse` on a generated corpus with planted reuse (reprints, and paragraphs
# borrowed by unrelated stories, half of them lightly edited), varying one option at a time around
# the defaults (words:5, --min-passage-words 12, --max-gap 12).
#   Benchmarks/scripts/reuse-sweep.sh [SIMBENCH] [DOCUMENTS]
set -euo pipefail
simbench="${1:-.build/release/simbench}"
documents="${2:-2000}"
run() {
    "$simbench" reuse --generate "$documents" --corpus-seed 7 --samples 1 --sample-seconds 0 --threads 1 "$@" \
        | sed -n 's/^passages: /'"$(printf '%-45s' "$*")"' /p'
}
for width in 3 4 5 6 7; do run --shingle "words:$width"; done
for words in 8 10 12 15 20 30; do run --min-passage-words "$words"; done
for gap in 0 2 5 8 10 12 16 25; do run --max-gap "$gap"; done
