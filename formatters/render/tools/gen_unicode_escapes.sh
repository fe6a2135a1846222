#!/usr/bin/env bash
# Regenerates formatters/render/unicode_escapes.cpp from the std of each rustc that seam imitates:
# today's (the rustc on PATH, or $RUSTC) whole, and two older stds as their differences from it.
#
#   formatters/render/tools/gen_unicode_escapes.sh
#
# Which std serves which rustc versions (Type::rustc, from DW_AT_producer). The escaped set is
# core's printable.rs (is_printable) and unicode_data.rs (Grapheme_Extend), regenerated together
# since rust-lang/rust#123164 (printables bumped to Unicode 15.1, merged 2024-03, rustc 1.79):
#   - below 1.79: bookworm's rustc 1.63 (Unicode 14 tables). Exact for 1.58-1.65; from 1.66
#     (#101821, Unicode 15.0 Grapheme_Extend) it is an approximation measured against no std.
#   - 1.79 to 1.91: bookworm's rustc-web 1.85 (Unicode 16.0, #130183, rustc 1.83). 1.79-1.82
#     had Unicode 15.1 and escape the code points 16.0 assigned, which this table prints.
#   - 1.92 on, and unknown versions: today's (Unicode 17.0, #146330, rustc 1.92).
set -euo pipefail
cd "$(dirname "$0")/../../.."
today=${RUSTC:-rustc}
older=("79:$(tests/toolchains/rustc.sh 1.63)" "92:$(tests/toolchains/rustc.sh 1.85)")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tool=formatters/render/tools/gen_unicode_escapes.rs

ranges() { # rustc output: builds the tool with that rustc and writes its std's ranges
    "$1" -O "$tool" -o "$work/gen" 2>/dev/null
    RUSTC=$1 "$work/gen" ranges >"$2"
}

ranges "$today" "$work/today.txt"
args=()
for era in "${older[@]}"; do
    minor=${era%%:*}
    ranges "${era#*:}" "$work/$minor.txt"
    args+=("$minor:$work/$minor.txt")
done
"$today" -O "$tool" -o "$work/gen" 2>/dev/null
"$work/gen" cpp "$work/today.txt" "${args[@]}" >formatters/render/unicode_escapes.cpp
clang-format -i formatters/render/unicode_escapes.cpp
echo "wrote formatters/render/unicode_escapes.cpp" >&2
