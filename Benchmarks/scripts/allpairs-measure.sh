#!/usr/bin/env bash
# Exact all-pairs (issue 14, goal 6), Jaccard >= 0.8: two simbench builds alternately on a mostly
# unique and a heavily duplicated corpus of 100,000 documents, pair files compared byte for byte,
# then the Python prefix-filter join on the first N documents of each against the new build.
#
#   Benchmarks/scripts/allpairs-measure.sh BASE_SIMBENCH NEW_SIMBENCH WORK_DIR [PYTHON_DOCUMENTS] [ROUNDS]
#
# BASE_SIMBENCH and NEW_SIMBENCH are release simbench binaries (for example main's and this
# branch's); WORK_DIR receives the corpora (about 1.4 GB) and results; PYTHON_DOCUMENTS (default
# 20000) is the prefix the Python join runs on (100,000 takes it far longer than 15 minutes);
# ROUNDS (default 3) how many times each build runs on each corpus. The Python join uses
# SimCore's own word 5-grams through the simcore package when PYTHON has it (set PYTHON to the
# venv of Integrations/python/test.sh, e.g. .build-python/venv/bin/python), else stops.
# Every timing is preceded by the load average; result JSON per run, for `simbench compare`.
set -euo pipefail
base=$(realpath "$1"); new=$(realpath "$2"); work=$3; small=${4:-20000}; rounds=${5:-3}
python=${PYTHON:-python3}
peer=$(cd "$(dirname "$0")/../peers" && pwd)/prefix_filter_join.py
mkdir -p "$work"; cd "$work"
[ -f news100k.jsonl ] || "$new" generate --documents 100000 --corpus-seed 7 --output news100k.jsonl -q
[ -f dup100k.jsonl ] || "$new" generate --documents 100000 --corpus-seed 7 --reprint-probability 1 --max-cluster-size 20 --output dup100k.jsonl -q
head -"$small" news100k.jsonl > news-small.jsonl
head -"$small" dup100k.jsonl > dup-small.jsonl

bench() { # label binary corpus round
    echo "## $1 $3 round $4, load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "   $1 $3: wall %e s, user %U s, peak RSS %M KB" "$2" bench "$3.jsonl" --workload all-pairs \
        --threshold 0.8 --threads 2 --samples 1 --reference-documents 2 --label "$1" \
        --output "$1-$3-$4.json" --pairs-output "$1-$3.tsv" -q 2>&1 | grep -E "simcore +[12] |wall"
}
for corpus in news100k dup100k news-small dup-small; do
    for round in $(seq "$rounds"); do
        bench base "$base" "$corpus" "$round"
        bench new "$new" "$corpus" "$round"
    done
    cmp "base-$corpus.tsv" "new-$corpus.tsv" && echo "$corpus: identical pairs ($(wc -l < "new-$corpus.tsv"))"
    "$new" compare "base-$corpus-1.json" "new-$corpus-1.json" | grep -E "simcore \| [12]t"
done
for corpus in news-small dup-small; do
    echo "## python $corpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "   python $corpus: wall %e s, peak RSS %M KB" "$python" "$peer" "$corpus.jsonl" --threshold 0.8 --pairs-output "python-$corpus.tsv"
    cmp "python-$corpus.tsv" "new-$corpus.tsv" && echo "$corpus: the Python join's pairs are SimCore's, byte for byte"
done
