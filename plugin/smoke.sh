#!/bin/sh
# Smoke test of the plugin by hand: builds a small Rust program, stops it in lldb at
# seam_probe, and checks `seam print --debug` against the program's own `{:?}`.
#   plugin/smoke.sh [BUILD_DIR]      (default: build-plugin beside this folder)
# Environment: LLDB (default lldb-19, then lldb), RUSTC (default rustc on PATH, then rustup's).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-plugin}
plugin=$build/plugin/libseam.so
[ -f "$plugin" ] || { echo "no plugin at $plugin: build the 'seam' target first" >&2; exit 2; }
lldb=${LLDB:-$(command -v lldb-19 || command -v lldb)}
rustc=${RUSTC:-$(command -v rustc || echo "$HOME/.cargo/bin/rustc")}
work=$(mktemp -d /tmp/seam-smoke-XXXXXX)
trap 'rm -rf "$work"' EXIT

cat > "$work/smoke.rs" <<'RUST'
use std::fmt::Write as _;

#[derive(Debug)]
struct Point { x: i32, y: (u8, String) }

#[no_mangle]
#[inline(never)]
pub extern "C" fn seam_probe() { std::hint::black_box(()); }

fn values(out: &str) {
    let s = String::from("héllo \"q\"\n");
    let v: Vec<u64> = vec![1, 2, 3];
    let e: Vec<String> = Vec::new();
    let none: Option<String> = None;
    let some: Option<u32> = Some(7);
    let p = Point { x: -3, y: (9, String::from("in")) };
    let st: &str = "lit";
    let b = Box::new(5usize);
    let mut text = String::new();
    // One `name<TAB>{:?}` line per value: the oracle seam must match byte for byte.
    for (name, dbg) in [
        ("s", format!("{:?}", s)), ("v", format!("{:?}", v)), ("e", format!("{:?}", e)),
        ("none", format!("{:?}", none)), ("some", format!("{:?}", some)),
        ("p", format!("{:?}", p)), ("p.y.1", format!("{:?}", p.y.1)), ("p.x", format!("{:?}", p.x)),
        ("st", format!("{:?}", st)), ("*b", format!("{:?}", *b)),
    ] {
        writeln!(text, "{}\t{}", name, dbg).unwrap();
    }
    std::fs::write(out, text).unwrap();
    seam_probe();
    std::hint::black_box((&s, &v, &e, &none, &some, &p, st, &b));
}

fn main() { values(&std::env::args().nth(1).unwrap()); }
RUST
"$rustc" -g -C opt-level=0 -o "$work/smoke" "$work/smoke.rs"

names="s v e none some p p.y.1 p.x st *b"
set -- -b -o "plugin load $plugin" -o "seam version" -o "b seam_probe" -o "run $work/expect.txt" -o up
for n in $names; do set -- "$@" -o "seam print --debug $n"; done
# lldb -b stops at the first failing command: the error case goes last.
set -- "$@" -o "seam print --json some" -o "seam print --tree p" -o "seam p v" \
    -o "frame variable s v none some p b" -o "seam p nosuch"
"$lldb" "$@" "$work/smoke" > "$work/lldb.out" 2>&1 || true
cat "$work/lldb.out"
echo "----"

fail=0
grep -q '^seam 0.1.0 (LLDB lldb version' "$work/lldb.out" || { echo "FAIL: seam version"; fail=1; }
for n in $names; do
    want=$(awk -F'\t' -v n="$n" '$1 == n { sub(/^[^\t]*\t/, ""); print; exit }' "$work/expect.txt")
    got=$(awk -v c="(lldb) seam print --debug $n" 'found { print; exit } $0 == c { found = 1 }' \
        "$work/lldb.out")
    if [ "$want" = "$got" ]; then printf 'ok   %s = %s\n' "$n" "$got"
    else printf 'FAIL %s: want [%s] got [%s]\n' "$n" "$want" "$got"; fail=1; fi
done
grep -q "error: no variable named 'nosuch' in frame #1 (smoke::values)" "$work/lldb.out" ||
    { echo "FAIL: missing-variable error"; fail=1; }
[ $fail = 0 ] && echo "smoke: all passed" || echo "smoke: FAILED"
exit $fail
