#!/usr/bin/env bash
# The whole test suite under ASan + UBSan (tests/fixtures/README.md, "Sanitizers"): builds
# build-asan with clang 19 (-DSEAM_SANITIZE=ON; the fixtures stay uninstrumented) and runs every
# CTest test in it. seam's code runs instrumented in every process a test starts: the test
# programs, seam-report and its workers, seam-gui, and the plugin inside lldb and lldb-dap, which
# start with the sanitizer runtime preloaded (root CMakeLists.txt).
#
# Every report goes to a file of its own under build-asan/sanitizer-reports (log_path): a
# seam-report worker's stderr is /dev/null, and lldb-dap's exit status is not checked (it aborts
# on disconnect, plugin or not), so a report there would not fail its test by itself. Any file
# there fails the run, and the reports are printed. Leaks are detected everywhere; only LLDB's
# and Python's own (tests/sanitize/lsan.supp) are suppressed. seam-report's address-space limit
# per worker cannot coexist with ASan's shadow memory; one allocation past 2 GiB fails instead
# (max_allocation_size_mb, returning null as the limit would), so a core whose lengths make LLDB
# allocate gigabytes still fails alone and fast.
#
# SEAM_RUSTC names the rustc that builds the fixtures (default: the one on PATH), so one run can
# be both the sanitizer run and a toolchain's run (.ci/test).
#
#   [SEAM_RUSTC=PATH] tests/sanitize/run.sh [CTEST_ARGS...]      (e.g. -R Report)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${SEAM_SANITIZE_BUILD_DIR:-build-asan}
rustc_arg=()
[[ -n ${SEAM_RUSTC:-} ]] && rustc_arg=(-DSEAM_RUSTC="$SEAM_RUSTC")
SEAM_BUILD_DIR=$dir .ci/build -DSEAM_SANITIZE=ON -DCMAKE_C_COMPILER=clang-19 \
    -DCMAKE_CXX_COMPILER=clang++-19 -DSEAM_BENCH=OFF "${rustc_arg[@]}"
reports=$PWD/$dir/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
common="print_stacktrace=1:log_exe_name=1"
export ASAN_OPTIONS="$common:log_path=$reports/asan:detect_leaks=1:check_initialization_order=1:allocator_may_return_null=1:max_allocation_size_mb=2048"
export UBSAN_OPTIONS="$common:log_path=$reports/ubsan:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0"
status=0
start=$(date +%s)
ctest --test-dir "$dir" --output-on-failure -j2 --timeout 1800 "$@" || status=$?
echo "== sanitizer suite: $(( $(date +%s) - start )) s"
if compgen -G "$reports/*" >/dev/null; then
    for f in "$reports"/*; do
        echo "== $f"
        cat "$f"
    done
    echo "FAIL: sanitizer reports above ($reports)"
    status=1
fi
exit $status
