#!/usr/bin/env bash
# Builds the fuzz tree (build-fuzz, or SEAM_FUZZ_BUILD_DIR) and runs each libFuzzer target for
# SECONDS (default 60), one after another, niced: the machine is shared. Prints one line per
# target: executions, seconds, corpus size and findings. A finding (crash, leak, timeout,
# over-sized allocation) is kept under BUILD/findings/TARGET/ and makes the script fail.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_formatters fuzz_dwarf fuzz_core_file fuzz_crash fuzz_recipes fuzz_render)
dir=${SEAM_FUZZ_BUILD_DIR:-build-fuzz}
cxx=${SEAM_FUZZ_CXX:-clang++-19}
cc=${SEAM_FUZZ_CC:-clang-19}

launcher=()
command -v ccache >/dev/null 2>&1 &&
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DSEAM_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" "${launcher[@]}" >/dev/null
fi
nice cmake --build "$dir" --target "${targets[@]}" fuzz_seeds -j"$(nproc)" >/dev/null

# Symbolized reports: clang-19 ships no llvm-symbolizer of its own version here.
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
    for s in llvm-symbolizer-19 llvm-symbolizer; do
        if command -v "$s" >/dev/null 2>&1; then export ASAN_SYMBOLIZER_PATH=$(command -v "$s"); break; fi
    done
fi

failed=0
printf '%-16s %12s %8s %8s %9s\n' target executions seconds corpus findings
for t in "${targets[@]}"; do
    name=${t#fuzz_}
    work="$dir/corpus/$name"   # grows run after run; the repo's seeds are read, never written
    findings="$dir/findings/$name"
    mkdir -p "$work" "$findings"
    seeds=()
    [ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
    [ -d "$dir/tests/fuzz/seeds/$name" ] && seeds+=("$dir/tests/fuzz/seeds/$name")
    log="$dir/findings/$name.log"
    before=$(find "$findings" -type f | wc -l)
    # -rss_limit_mb/-malloc_limit_mb: an allocation sized by the input is a finding; -timeout: a
    # single input running for seconds is a hang. Leaks are findings too (ASan's LeakSanitizer).
    set +e
    nice "$dir/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -malloc_limit_mb=512 -print_final_stats=1 -artifact_prefix="$findings/" \
        "$work" "${seeds[@]}" >"$log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    after=$(find "$findings" -type f | wc -l)
    printf '%-16s %12s %8s %8s %9s\n' "$t" "${runs:-?}" "${took:-$seconds}" \
        "$(find "$work" -type f | wc -l)" "$((after - before))"
    if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
        failed=1
        echo "  $t failed (exit $rc): see $log and $findings/" >&2
        grep -m3 -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | sed 's/^/  /' >&2 || true
    fi
done
exit $failed
