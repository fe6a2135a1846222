#!/usr/bin/env bash
# Builds seam against LLDB 22 and runs a subset of the end-to-end tests under it, without
# installing LLDB 22: Debian's python3-lldb-22 conflicts with python3-lldb-19 (installing it
# removes LLDB 19's Python), so the packages are downloaded and unpacked into a private tree.
#
#   tests/lldb22/run.sh [BUILD_DIR]      (default: build-lldb22 beside this checkout's root)
#
# Environment:
#   SEAM_LLDB22_ROOT   where the packages are unpacked        (default /tmp/llvm22-root)
#   SEAM_LLDB22_DEBS   where they are downloaded               (default /tmp/llvm22-debs)
#   SEAM_LLDB22_TESTS  gtest filter of the tests to run        (default below: the subset CI runs)
#   SEAM_LLDB22_JOBS   build jobs                              (default 2)
#
# Needs: apt-get (a package list that has lldb-22: Debian 12 bookworm-security), dpkg, and
# everything the normal build needs. Prints one line per test group and a closing
# `N passed, N failed` line; exits non-zero when a build step or a test fails. See
# docs/install.md ("Other LLDB versions") for what is known to differ.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build-lldb22}
root=${SEAM_LLDB22_ROOT:-/tmp/llvm22-root}
debs=${SEAM_LLDB22_DEBS:-/tmp/llvm22-debs}
jobs=${SEAM_LLDB22_JOBS:-2}
# The default subset covers each front end once (.ci/test runs it: 8 to 12 minutes from an empty
# build directory with ccache warm on a busy 2-core machine, docs/install.md): every fixture value through `seam print` against the program's own `{:?}`
# (All/Fixture), `frame variable`'s summaries and children (Children*), lldb-dap 22 (Dap*),
# `seam bt` (through gcc's .cold parts too: ColdPart), values from cores, `seam own`, seam-report on ELF cores and minidumps (every
# Report.* test: 92 s of the subset alone; all its tests took 112 s on a quiet machine), and the crash classifier over LLDB 22's
# stop descriptions (a stack overflow, live and from minidumps, one of them a push off the
# stack's end: StackOverflowCore).
covered=(
    'All/Fixture.*' 'Children.*' 'ChildrenPaging.*' 'ChildrenSettings.*'
    'Dap.*' 'Fixtures/DapFixtures.*' 'Backtrace.*' 'Core.*' 'DirectMemoryCore.*'
    'Own.*' 'OwnCommand.*' 'Report.*' 'ColdPart.*' 'StackOverflowCore.*'
    'Kinds/Panic.LiveAndCore/crash_O0_stack_overflow'
)
# Nothing is left out: where LLDB 22 differs for its merged `u64`/`usize` types alone
# (docs/install.md, "Other LLDB versions"), Children.*, DapFixtures and Dap.VecsInVsCode expect
# that of LLDB 22 by themselves (tests/e2e/lldb_version.h) and name each such value.
join() { local IFS=:; echo "$*"; }
tests=${SEAM_LLDB22_TESTS:-$(join "${covered[@]}")}
llvm=$root/usr/lib/llvm-22
multiarch=$root/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

# 1. Download and unpack (once). Everything else lldb-22 links against (libedit, libxml2,
#    libz3, libipt, libcurl, libpython3.11) is what lldb-19 needs too.
packages=(lldb-22 liblldb-22 liblldb-22-dev python3-lldb-22 libllvm22 libclang-cpp22)
if [[ ! -x $llvm/bin/lldb || ! -e $llvm/include/lldb/API/LLDB.h ]]; then
    mkdir -p "$debs" "$root"
    (cd "$debs" && apt-get download "${packages[@]}")
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$root"; done
fi
# liblldb-22 and libLLVM.so.22.1 live in the unpacked multiarch directory, which the loader
# does not search; `lldb -P` then finds the Python module in the unpacked tree by itself.
export LD_LIBRARY_PATH=$multiarch:$llvm/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
missing=$(ldd "$llvm/bin/lldb" "$multiarch"/liblldb-22.so.1 | grep 'not found' || true)
if [[ -n $missing ]]; then
    echo "lldb-22 needs libraries that are not installed:" >&2
    echo "$missing" >&2
    exit 1
fi
"$llvm/bin/lldb" --version
"$llvm/bin/lldb" -b -o 'script import lldb; print("python:", lldb.__file__)' | grep '^python:'

# 2. Configure and build. SEAM_LLVM_ROOT (CMakeLists.txt) chooses the SB API headers, liblldb,
#    and the lldb / lldb-server / lldb-dap the tests start. -rpath-link: liblldb's own
#    dependency (libLLVM.so.22.1) is in the unpacked tree, where the linker would not look.
launcher=()
if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DSEAM_LLVM_ROOT="$llvm" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,-rpath-link,$multiarch" \
    -DCMAKE_SHARED_LINKER_FLAGS="-Wl,-rpath-link,$multiarch" >/dev/null
cmake --build "$build" -j"$jobs" --target seam seam-report e2e_tests fixtures

# 3. The plugin in lldb-22 itself: load it, stop at a fixture's probe, print a value.
fixture=$build/fixtures/vecs-O0
smoke=$(LLDB_DEBUGSERVER_PATH=$llvm/bin/lldb-server timeout 120 "$llvm/bin/lldb" -b \
    -o "plugin load $build/plugin/libseam.so" -o 'seam version' -o 'b seam_probe' -o run \
    -o up -o 'frame variable v_u8' -o 'seam print --debug v_u8' "$fixture" 2>&1) || true
passed=0 failed=0
check() { # NAME EXPECTED-SUBSTRING
    if grep -qF -- "$2" <<<"$smoke"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "smoke: $1: no \`$2\` in lldb-22's output" >&2
    fi
}
check version "(LLDB lldb version 22."
check summary "v_u8 = len=5 cap=5 [0, 1, 127, 128, 255]"
check print "[0, 1, 127, 128, 255]"
echo "smoke (lldb-22 + plugin load): $passed passed, $failed failed"

# 4. The end-to-end tests: the harness links liblldb-22 and starts lldb-22's lldb-server and
#    lldb-dap (SEAM_E2E_LLDB_BIN, from SEAM_LLVM_ROOT at configure time).
log=$build/lldb22-e2e.log
set +e
timeout 3600 "$build/tests/e2e/e2e_tests" --gtest_filter="$tests" >"$log" 2>&1
set -e
for group in All/Fixture Children ChildrenPaging ChildrenSettings Dap Fixtures/DapFixtures \
    Backtrace ColdPart Core DirectMemoryCore Own OwnCommand Report StackOverflowCore Kinds/Panic; do
    ok=$(grep -c "^\[       OK \] $group\." "$log" || true)
    bad=$(grep -c "^\[  FAILED  \] $group\..* ms)$" "$log" || true)
    [[ $ok -gt 0 || $bad -gt 0 ]] && echo "$group: $ok passed, $bad failed"
done
grep "^\[  FAILED  \] .* ms)$" "$log" | sed 's/ (.*//' || true
e2e_ok=$(grep -c '^\[       OK \]' "$log" || true)
e2e_bad=$(grep -c '^\[  FAILED  \] .* ms)$' "$log" || true)
echo "log: $log"
echo "lldb22: $((passed + e2e_ok)) passed, $((failed + e2e_bad)) failed"
[[ $((failed + e2e_bad)) -eq 0 ]]
