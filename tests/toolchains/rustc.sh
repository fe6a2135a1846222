#!/usr/bin/env bash
# Makes one of Debian bookworm's Rust compilers (and its cargo) usable without installing it, and
# prints the path of a `rustc` to hand to the build as -DSEAM_RUSTC; `cargo` sits beside it.
#
#   tests/toolchains/rustc.sh 1.63     # bookworm's own rustc (std layouts differ the most)
#   tests/toolchains/rustc.sh 1.96     # bookworm-security's rustc-web
#   tests/toolchains/rustc.sh 1.85     # bookworm's own rustc-web, before the security update
#                                      # (formatters/render/tools/gen_unicode_escapes.sh reads
#                                      # its std's Unicode tables)
#
# Why not apt-get install: rustc-web conflicts with rustc (both are /usr/bin/rustc), and a
# machine keeps whichever compiler its user chose. The packages are downloaded and unpacked into
# a private tree (SEAM_TOOLCHAINS_DIR, default /tmp/seam-toolchains), as tests/lldb22/run.sh
# does for LLDB 22; the apt state of the system is not touched.
#
# The printed `rustc` is a small wrapper: the unpacked compiler finds its std through its own
# sysroot, but the loader must be told where librustc_driver and libLLVM are. For 1.63 it also
# lets the fixtures call std::hint::black_box (stable from 1.66), which they use only to keep
# values alive across a stop; every newer API a fixture uses is gated by version instead
# (tests/fixtures/README.md, "Toolchains").
set -euo pipefail

version=${1:?usage: rustc.sh 1.63|1.85|1.96}
root=${SEAM_TOOLCHAINS_DIR:-/tmp/seam-toolchains}/rust-$version
case $version in
    1.63) packages=(rustc libstd-rust-1.63 libstd-rust-dev libllvm14 cargo) ;;
    1.96) packages=(rustc-web libstd-rust-web-1.96 libstd-rust-web-dev libllvm22 cargo-web) ;;
    1.85)
        # bookworm main still lists it beside the security update: pinned by version.
        v=1.85.0+dfsg3-1~deb12u3
        packages=(rustc-web=$v libstd-rust-web-1.85 libstd-rust-web-dev=$v libllvm19 cargo-web=$v) ;;
    *) echo "rustc.sh: no Debian toolchain $version (1.63, 1.85 or 1.96)" >&2; exit 2 ;;
esac
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
tree=$root/tree
wrapper=$root/bin/rustc

if [[ ! -x $wrapper ]]; then
    rm -rf "$root"
    mkdir -p "$root/debs" "$tree" "$root/bin"
    # apt-get download writes to the current directory; as root it warns that the _apt user
    # cannot write there, which is harmless.
    (cd "$root/debs" && apt-get download -q "${packages[@]}" >&2 2>"$root/download.log") || {
        cat "$root/download.log" >&2
        echo "rustc.sh: cannot download ${packages[*]} (apt-get update first?)" >&2
        exit 1
    }
    for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$tree"; done
    extra=""
    if [[ $version == 1.63 ]]; then
        extra='export RUSTC_BOOTSTRAP=1
set -- -Zcrate-attr=feature\(bench_black_box\) "$@"'
    fi
    cat >"$wrapper" <<EOF
#!/bin/sh
# Debian's rustc $version unpacked by tests/toolchains/rustc.sh.
export LD_LIBRARY_PATH="$tree/usr/lib/$multiarch\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
$extra
exec "$tree/usr/bin/rustc" "\$@"
EOF
    chmod +x "$wrapper"
    # The wrapper-crate fixtures build with the cargo beside SEAM_RUSTC: that toolchain's own
    # cargo (a newer cargo cannot drive rustc 1.63), driving the wrapper above.
    cat >"$root/bin/cargo" <<EOF
#!/bin/sh
# Debian's cargo for rustc $version, unpacked by tests/toolchains/rustc.sh.
export RUSTC="$wrapper"
exec "$tree/usr/bin/cargo" "\$@"
EOF
    chmod +x "$root/bin/cargo"
fi
"$wrapper" --version >&2
echo "$wrapper"
