#!/usr/bin/env bash
# SimCore's fuzz targets: libFuzzer with AddressSanitizer, over checks in SimCoreFixtures
# (FuzzCheck) that `swift test` also runs on the committed corpora.
#
#   Fuzz/fuzz.sh build                       build every target (release, -sanitize=fuzzer,address)
#   Fuzz/fuzz.sh run TARGET [OPTION...]      fuzz one target, e.g. -runs=10000000 or -max_total_time=600;
#                                            new inputs go to .build/corpus/TARGET, crashes to .build/artifacts/
#   Fuzz/fuzz.sh smoke [SECONDS]             every target at once for SECONDS (default 60) from its committed corpus
#   Fuzz/fuzz.sh replay                      every committed input once through its target
#
# TARGET is FuzzNormalize, FuzzJSONLines, FuzzIndexFile or FuzzAlignment. A crash reproducer worth keeping goes
# to Corpus/TARGET/regression-NAME, where `swift test` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"

targets=(FuzzNormalize FuzzJSONLines FuzzIndexFile FuzzAlignment)
# SwiftPM's --sanitize=fuzzer handles the executables' entry point (libFuzzer's main); the
# -Xswiftc/-Xcc copies make sure every module, dependencies included, gets coverage
# instrumentation (with --sanitize alone an incremental build sometimes compiled without it).
build_flags=(-c release --sanitize=fuzzer --sanitize=address
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)
# The Swift runtime's crash handler and ASan's both want a crash; leave it to ASan. Stack
# traces of allocations cost more than the checks themselves and are not needed to find a bug.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=0}"
common=(-max_len="${FUZZ_MAX_LEN:-8192}" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=.build/artifacts/)
mkdir -p .build/artifacts

case "${1:-}" in
build)
    swift build "${build_flags[@]}"
    ;;
run)
    target="$2"
    shift 2
    mkdir -p ".build/corpus/$target"
    ".build/release/$target" "${common[@]}" "$@" ".build/corpus/$target" "Corpus/$target"
    ;;
smoke)
    # Every target at once (each is one thread), each into its own log, printed when all have ended.
    seconds="${2:-60}"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    pids=()
    for target in "${targets[@]}"; do
        mkdir "$scratch/$target"
        ".build/release/$target" "${common[@]}" -max_total_time="$seconds" "$scratch/$target" "Corpus/$target" \
            >"$scratch/$target.log" 2>&1 &
        pids+=($!)
    done
    failed=0
    for index in "${!targets[@]}"; do
        target="${targets[$index]}"
        status=0
        wait "${pids[$index]}" || status=$?
        grep -E '^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|stat::average_exec_per_sec)|ERROR|^Fuzz' "$scratch/$target.log" || true
        if [ "$status" -ne 0 ]; then
            tail -n 40 "$scratch/$target.log"
            echo "fuzz: $target failed (status $status); the input is in Fuzz/.build/artifacts/" >&2
            failed=1
        else
            echo "fuzz: $target ran ${seconds} s with no failure"
        fi
    done
    exit "$failed"
    ;;
replay)
    for target in "${targets[@]}"; do
        ".build/release/$target" -runs=1 Corpus/"$target"/*
    done
    ;;
*)
    sed -n '2,13p' "$0" >&2
    exit 2
    ;;
esac
