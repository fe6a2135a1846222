#!/usr/bin/env bash
# Debian's own distro kernel for bench/kernel_bench.py --distro: the bzImage and its 600 MB
# vmlinux with full DWARF (a distro config: thousands of units, where our kernel build has a
# few hundred). Downloaded with `apt-get download` and unpacked, never installed.
#
#   bench/fetch_distro_kernel.sh [DIR]    # default ~/.cache/seam-kernel/distro-6.1
#
# Leaves DIR/vmlinux and DIR/bzImage (the layout tests/kernel/kernel.sh boot reads) and prints
# DIR. The .debs are deleted once unpacked (925 MB); a second run with both files present
# downloads nothing.
set -euo pipefail
VERSION=${SEAM_DISTRO_KERNEL:-6.1.0-53-amd64}
dir=${1:-$HOME/.cache/seam-kernel/distro-6.1}
mkdir -p "$dir"
cd "$dir"
if [[ ! -s vmlinux || ! -s bzImage ]]; then
    # apt-get download writes into the current directory; the dbg package is 855 MB, of which
    # only the vmlinux is wanted, so tar extracts that one member.
    apt-get download "linux-image-$VERSION-unsigned" "linux-image-$VERSION-dbg" >&2
    dpkg-deb --fsys-tarfile linux-image-"$VERSION"-dbg_*.deb \
        | tar -x "./usr/lib/debug/boot/vmlinux-$VERSION"
    dpkg-deb --fsys-tarfile linux-image-"$VERSION"-unsigned_*.deb \
        | tar -x "./boot/vmlinuz-$VERSION"
    ln -sfn "usr/lib/debug/boot/vmlinux-$VERSION" vmlinux
    ln -sfn "boot/vmlinuz-$VERSION" bzImage
    rm -f linux-image-"$VERSION"-*.deb
fi
echo "$dir"
