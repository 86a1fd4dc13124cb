#!/usr/bin/env bash
# Python tests: a fresh virtual environment under the git-ignored .build-python/, the package
# installed exactly as a user would (pip install ./Integrations/python: one release build of
# libsimcore), pytest and NumPy, then the pytest suite, which compares with the simdedup and
# simbench of this checkout (built here in debug, as `swift test` already does).
# SIMCORE_SCRATCH_PATH: a SwiftPM scratch path other than .build, for every build here.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache="$PWD/.build-python"
mkdir -p "$cache"

rm -rf "$cache/venv"
if ! python3 -m venv "$cache/venv" 2>/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$cache/venv"
    python3 -m venv "$cache/venv"
fi
python="$cache/venv/bin/python"
PIP_CACHE_DIR="$cache/pip-cache" "$python" -m pip install -q --disable-pip-version-check pytest numpy
"$python" -m pip install -q --disable-pip-version-check ./Integrations/python

scratch=()
if [ -n "${SIMCORE_SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$SIMCORE_SCRATCH_PATH"); fi
swift build "${scratch[@]}" --product simdedup
swift build "${scratch[@]}" --product simbench
bin="$(swift build "${scratch[@]}" --show-bin-path)"
# From outside the source tree, so that `import simcore` is the installed package.
cd "$cache"
SIMCORE_SIMDEDUP="$bin/simdedup" SIMCORE_SIMBENCH="$bin/simbench" \
    "$python" -m pytest -q -p no:cacheprovider "$OLDPWD/Integrations/python/tests" "$@"
