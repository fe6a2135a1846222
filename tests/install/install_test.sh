#!/bin/sh
# Installs a build into a temporary prefix, moves the prefix (the launcher must find its plugin
# relative to itself), and debugs a fixture with the installed seam-lldb: the plugin, its Python
# children module and the launcher all come from the installed tree.
# Usage: install_test.sh CMAKE BUILD_DIR VECS_FIXTURE yes|no (seam-report is built)
# (registered by cmake/install.cmake)
set -u
cmake=$1 build=$2 fixture=$3 report=$4
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$cmake" --install "$build" --prefix "$tmp/staged" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install"; }
mv "$tmp/staged" "$tmp/prefix"
p=$tmp/prefix

[ -x "$p/bin/seam-lldb" ] || fail "no bin/seam-lldb"
plugin=$(find "$p" -name libseam.so)
[ -n "$plugin" ] || fail "no libseam.so"
plugin_dir=$(dirname "$plugin")
[ "$(basename "$plugin_dir")" = seam ] || fail "libseam.so not in a seam/ directory: $plugin"
[ -f "$plugin_dir/seam_children.py" ] || fail "seam_children.py is not beside $plugin"
for doc in README.md docs/install.md docs/vscode.md docs/value-schema.md; do
  [ -f "$p/share/doc/seam/$doc" ] || fail "no share/doc/seam/$doc"
done
if [ "$report" = yes ]; then
  [ -x "$p/bin/seam-report" ] || fail "no bin/seam-report"
fi

[ -x "$fixture" ] || fail "fixture $fixture was not built"
# -x: no ~/.lldbinit, so only the launcher loads seam.
SEAM_EXPECT=$tmp/expect timeout 120 "$p/bin/seam-lldb" -x -b \
  -o 'seam version' -o 'breakpoint set -n seam_probe' -o run -o 'frame select 1' \
  -o 'seam print --debug v_u8' -o 'seam print --debug v_string' -o 'frame variable v_u8' \
  -o kill "$fixture" >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
[ $status -eq 0 ] || fail "seam-lldb exited with $status"

expect_line() {
  grep -Fxq -- "$1" "$tmp/out" || fail "expected the line: $1"
}
expect_line_start() {
  awk -v p="$1" 'index($0, p) == 1 { found = 1 } END { exit !found }' "$tmp/out" ||
    fail "expected a line starting: $1"
}
# The plugin the launcher loaded is the installed one, found through the moved prefix.
grep -q "^(lldb) plugin load \"$p/bin/.*/seam/libseam.so\"$" "$tmp/out" ||
  fail "the launcher did not load the installed plugin"
grep -q '^seam [0-9][0-9.]* (LLDB lldb version [0-9.]*' "$tmp/out" || fail "no seam version line"
expect_line '[0, 1, 127, 128, 255]'
expect_line '["one", "two\t", ""]'
# Synthetic children come from the installed seam_children.py.
expect_line_start '(alloc::vec::Vec<unsigned char, alloc::alloc::Global>) v_u8 = len=5 cap=5'
expect_line '  [4] = 255'
if grep -q 'error:' "$tmp/out"; then fail "an error in the session"; fi
echo "PASS: installed seam-lldb from $p"
