#!/bin/sh
# show.sh FIXTURE NAME: for one recorded local, the fixture's own {:?} and {:#?} beside what
# `seam print --debug/--pretty` gives, at every probe that recorded it (plus its facts and
# summary against `seam print --json`).
#   FIXTURE: generated-O2, generated (= generated-O0), or a path to a fixture binary.
#   The build directory is $SEAM_BUILD, else the newest /work/main/build*/ holding seam_show.
# Example: tests/e2e/show.sh boundary-O0 wrapper
set -eu
if [ $# -ne 2 ]; then
    echo "usage: $0 FIXTURE NAME" >&2
    exit 2
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${SEAM_BUILD:-}" ]; then
    tool="$SEAM_BUILD/tests/e2e/seam_show"
else
    tool=$(ls -t "$src"/build*/tests/e2e/seam_show 2>/dev/null | head -n 1 || true)
fi
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "no seam_show built: cmake --build <build dir> --target seam_show fixtures" >&2
    exit 2
fi
exec "$tool" "$1" "$2"
