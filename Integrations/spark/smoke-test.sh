#!/usr/bin/env bash
# Spark smoke test: installs Java and pyspark if missing, builds simdedup and simbench, runs
# smoke_test.py (10,000 documents from `simbench generate`, local[2]): Spark's clusters must equal
# `simdedup cluster`'s and recall must be >= 0.99 on planted pairs with Jaccard >= 0.85.
# Cached under the git-ignored .build-spark/: the virtual environment and pip's cache (put a
# pyspark wheel or sdist in .build-spark/wheels/ to install without downloading it).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
cache="$root/.build-spark"
pyspark_version="${PYSPARK_VERSION:-4.3.0}"
mkdir -p "$cache/wheels"

if ! command -v java >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq default-jre-headless >/dev/null
fi
if [ ! -x "$cache/venv/bin/python" ] || ! "$cache/venv/bin/python" -c "import pyspark" 2>/dev/null; then
    if ! python3 -m venv "$cache/venv" 2>/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$cache/venv"
    fi
    PIP_CACHE_DIR="$cache/pip-cache" "$cache/venv/bin/pip" install -q --find-links "$cache/wheels" "pyspark==$pyspark_version"
fi

# SIMDEDUP_SCRATCH_PATH: build simdedup and simbench in another scratch path than .build (e.g. a
# developer's own).
scratch=()
if [ -n "${SIMDEDUP_SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$SIMDEDUP_SCRATCH_PATH"); fi
swift build "${scratch[@]}" --product simdedup
swift build "${scratch[@]}" --product simbench
bin="$(swift build "${scratch[@]}" --show-bin-path)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$cache/venv/bin/python" Integrations/spark/smoke_test.py --simdedup "$bin/simdedup" --simbench "$bin/simbench" \
    --work "$work" "$@"
