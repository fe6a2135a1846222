#!/usr/bin/env bash
# Builds and boots a real Rust-for-Linux kernel with Debian packages only (issue 15):
#
#   tests/kernel/kernel.sh build OUT [--sample FILE.rs]...   # OUT/vmlinux, OUT/bzImage; each
#                                                            # FILE.rs is built in as a sample
#   tests/kernel/kernel.sh boot OUT PORT [PARAM...]         # QEMU (TCG), paused at start, gdb
#                                                            # stub on 127.0.0.1:PORT; each PARAM
#                                                            # added to the kernel's command line
#                                                            # (`seam_panic.trigger=literal`);
#                                                            # prints QEMU's pid as its last line
#   tests/kernel/kernel.sh check                             # exit 0 when a build can run, else
#                                                            # say which tool is missing (exit 3)
#
# What it takes, and from where (nothing from a crates registry):
# - the sources: bookworm-security's linux-source-6.12, pinned (LINUX_VERSION below);
# - clang/lld 19 (`LLVM=-19`): clang-19, lld-19, llvm-19 (installed by .ci/setup);
# - Rust: Debian's rustc-web 1.96 unpacked by tests/toolchains/rustc.sh, and core's sources from
#   its rust-web-src (the kernel builds core itself: RUST_LIB_SRC);
# - bindgen >= 0.65.1: bookworm has 0.60.1, so trixie's bindgen and the libc it needs are fetched
#   with `apt-get download` through a private apt configuration (the system's apt state is not
#   touched), unpacked with dpkg -x and run through trixie's dynamic loader with --library-path;
#   it loads bookworm's libclang-19 (LIBCLANG_PATH).
#
# SEAM_KERNEL_BASE=defconfig starts from x86_64's defconfig instead of tinyconfig: a kernel of a
# distro's size (a vmlinux of hundreds of MB) for bench/kernel_bench.py; give it a cache of its
# own (SEAM_KERNEL_CACHE), since one cache holds one build tree.
#
# The configuration is tinyconfig plus what a debugger needs (tests/kernel/seam.config): a 64-bit
# kernel with a serial console, Rust, DWARF 5 and frame pointers, no modules; each sample is a
# built-in Rust sample (samples/rust), so its init runs as an initcall and needs no disk.
#
# Everything lives under SEAM_KERNEL_CACHE (default ~/.cache/seam-kernel), outside the checkout:
# the downloaded packages, the unpacked tools and sources, and one build tree. A build whose key
# (this script, the config fragment, the samples) matches the tree's last build only copies the
# images (seconds); another key rebuilds incrementally (a sample changed: about a minute). The
# build runs under `nice -n 10`: the machines it runs on are shared.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${SEAM_KERNEL_CACHE:-$HOME/.cache/seam-kernel}
LINUX_VERSION=6.12.118-1~deb12u1
BINDGEN_SUITE=trixie
multiarch=x86_64-linux-gnu
jobs=${SEAM_KERNEL_JOBS:-$(nproc)}
base=${SEAM_KERNEL_BASE:-tinyconfig}
[[ $base == tinyconfig || $base == defconfig ]] || { echo "kernel.sh: SEAM_KERNEL_BASE is tinyconfig or defconfig" >&2; exit 2; }

die() { echo "kernel.sh: $*" >&2; exit 1; }
log() { echo "kernel.sh: $*" >&2; }

# Tools a build cannot do without, by the Debian package that gives them.
missing_tools() {
    local tool missing=()
    for tool in clang-19:clang-19 ld.lld-19:lld-19 llvm-ar-19:llvm-19 flex:flex bison:bison \
        bc:bc perl:perl make:make apt-get:apt dpkg:dpkg dpkg-architecture:dpkg-dev; do
        command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
    done
    [[ -e /usr/lib/llvm-19/lib/libclang-19.so.1 ]] || missing+=(libclang1-19)
    echo "${missing[*]}"
}

# apt-get download into $1 (a directory of its own), quietly unless it fails.
download() {
    local dir=$1; shift
    mkdir -p "$dir"
    (cd "$dir" && apt-get download -q "$@" >"$dir/download.log" 2>&1) || {
        cat "$dir/download.log" >&2
        die "cannot download $* (apt-get update first?)"
    }
}

# trixie's bindgen, run through trixie's loader; prints the wrapper's path.
bindgen_wrapper() {
    local root=$cache/bindgen-$BINDGEN_SUITE
    local wrapper=$root/bin/bindgen
    if [[ ! -x $wrapper ]]; then
        rm -rf "$root"
        local apt=$root/apt
        mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/state/lists/partial" \
            "$apt/cache/archives/partial" "$root/tree" "$root/bin"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $BINDGEN_SUITE main" \
            >"$apt/etc/sources.list"
        local opts=(-o Dir::Etc="$apt/etc" -o Dir::State="$apt/state" -o Dir::Cache="$apt/cache"
            -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Architecture=amd64
            -o Acquire::Languages=none)
        apt-get "${opts[@]}" update -q >"$root/update.log" 2>&1 || {
            cat "$root/update.log" >&2; die "cannot read $BINDGEN_SUITE's package lists"
        }
        mkdir -p "$root/debs"
        (cd "$root/debs" && apt-get "${opts[@]}" download -q bindgen libc6 >"$root/download.log" 2>&1) || {
            cat "$root/download.log" >&2; die "cannot download $BINDGEN_SUITE's bindgen"
        }
        local deb
        for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$root/tree"; done
        cat >"$wrapper" <<EOF
#!/bin/sh
# $BINDGEN_SUITE's bindgen unpacked by tests/kernel/kernel.sh, on $BINDGEN_SUITE's libc.
export LIBCLANG_PATH=/usr/lib/llvm-19/lib
exec "$root/tree/usr/lib/$multiarch/ld-linux-x86-64.so.2" --library-path "$root/tree/usr/lib/$multiarch" "$root/tree/usr/bin/bindgen" "\$@"
EOF
        chmod +x "$wrapper"
    fi
    "$wrapper" --version >/dev/null || die "trixie's bindgen does not run"
    echo "$wrapper"
}

# core's sources for rustc-web 1.96 (rust-web-src); prints the `library` directory.
rust_lib_src() {
    local root=$cache/rust-web-src
    if [[ ! -d $root/library ]]; then
        rm -rf "$root"
        download "$root/debs" rust-web-src=1.96.0+dfsg1-1~deb12u2
        dpkg -x "$root"/debs/rust-web-src_*.deb "$root/tree"
        ln -s "$(echo "$root"/tree/usr/src/rustc-*/library)" "$root/library"
    fi
    echo "$root/library"
}

# The pristine Linux tree, unpacked once; prints its path.
linux_tree() {
    local root=$cache/linux-${LINUX_VERSION%%-*}
    if [[ ! -f $root/.unpacked ]]; then
        rm -rf "$root" "$cache/linux-debs"
        download "$cache/linux-debs" "linux-source-6.12=$LINUX_VERSION"
        mkdir -p "$root.tmp"
        dpkg -x "$cache"/linux-debs/linux-source-6.12_*.deb "$root.tmp"
        mkdir -p "$root"
        tar xJf "$root.tmp"/usr/src/linux-source-6.12.tar.xz -C "$root" --strip-components=1
        rm -rf "$root.tmp" "$cache/linux-debs"
        touch "$root/.unpacked"
    fi
    echo "$root"
}

build() {
    local out=${1:?usage: kernel.sh build OUT [--sample FILE.rs]...}; shift
    local samples=()
    while (($#)); do
        case $1 in
            --sample) samples+=("$(realpath "${2:?--sample needs a file}")"); shift 2 ;;
            *) die "unknown argument $1" ;;
        esac
    done
    local missing
    missing=$(missing_tools)
    [[ -z $missing ]] || { echo "kernel.sh: missing Debian packages: $missing" >&2; exit 3; }
    mkdir -p "$cache" "$out"
    local started=$SECONDS
    local rustc bindgen libsrc src
    rustc=$("$repo/tests/toolchains/rustc.sh" 1.96)
    bindgen=$(bindgen_wrapper)
    libsrc=$(rust_lib_src)
    src=$(linux_tree)
    log "tools ready after $((SECONDS - started)) s"

    # The key of this build: what goes into it besides the pinned packages.
    local key
    key=$({ echo "$base"; cat "$0" "$here/seam.config"; for s in "${samples[@]}"; do basename "$s"; cat "$s"; done; } | sha256sum | cut -c1-16)
    local obj=$cache/build
    if [[ -f $obj/.key && $(cat "$obj/.key") == "$key" && -f $obj/vmlinux ]]; then
        log "cached build $key"
    else
        rm -f "$obj/.key"
        # The samples: samples/rust/NAME.rs, each built in (obj-y) by a block of the Makefile
        # this script owns; the last build's samples go first.
        local old
        for old in $(sed -n '/^# seam samples begin/,/^# seam samples end/s/^obj-y += \(.*\)\.o$/\1/p' "$src/samples/rust/Makefile"); do
            rm -f "$src/samples/rust/$old.rs"
        done
        sed -i '/^# seam samples begin/,/^# seam samples end/d' "$src/samples/rust/Makefile"
        {
            echo "# seam samples begin"
            for s in "${samples[@]}"; do
                local name
                name=$(basename "$s" .rs)
                [[ ! -e $src/samples/rust/$name.rs ]] || die "a kernel sample is called $name already"
                cp "$s" "$src/samples/rust/$name.rs"
                echo "obj-y += $name.o"
            done
            echo "# seam samples end"
        } >>"$src/samples/rust/Makefile"
        mkdir -p "$obj"
        local make_args=(-C "$src" O="$obj" LLVM=-19 RUSTC="$rustc" HOSTRUSTC="$rustc"
            BINDGEN="$bindgen" RUST_LIB_SRC="$libsrc" -j"$jobs")
        # tinyconfig, then the fragment merged over it; olddefconfig settles the rest.
        nice -n 10 make "${make_args[@]}" "$base" >"$obj/config.log" 2>&1 \
            || { tail -30 "$obj/config.log" >&2; die "$base failed"; }
        "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$here/seam.config" >>"$obj/config.log" 2>&1
        nice -n 10 make "${make_args[@]}" olddefconfig >>"$obj/config.log" 2>&1 \
            || { tail -30 "$obj/config.log" >&2; die "olddefconfig failed"; }
        # Kconfig drops what it cannot have (Rust without a working rustc or bindgen): say so.
        local line
        while read -r line; do
            [[ $line == CONFIG_* ]] || continue
            grep -qx "$line" "$obj/.config" || {
                [[ $line == CONFIG_RUST=y ]] && nice -n 10 make "${make_args[@]}" rustavailable >&2
                die "the configuration lost $line (see $obj/config.log)"
            }
        done <"$here/seam.config"
        log "building Linux ${LINUX_VERSION%%-*} in $obj"
        nice -n 10 make "${make_args[@]}" vmlinux bzImage >"$obj/build.log" 2>&1 \
            || { grep -B5 -A15 -m3 'error' "$obj/build.log" >&2 || tail -40 "$obj/build.log" >&2; die "build failed (log: $obj/build.log)"; }
        echo "$key" >"$obj/.key"
        log "built in $((SECONDS - started)) s"
    fi
    cp "$obj/vmlinux" "$out/vmlinux"
    cp "$obj/arch/x86/boot/bzImage" "$out/bzImage"
    echo "$out/vmlinux"
}

boot() {
    local out=${1:?usage: kernel.sh boot OUT PORT [PARAM...]} port=${2:?usage: kernel.sh boot OUT PORT [PARAM...]}
    shift 2
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is missing (qemu-system-x86)"
    # No KVM: TCG works everywhere, and a stranger's CI machine has no /dev/kvm. -S: paused at
    # the first instruction until the debugger continues; the console goes to OUT/console.log.
    qemu-system-x86_64 -machine q35 -cpu qemu64 -m 256M -smp 1 -accel tcg -nographic \
        -no-reboot -display none -monitor none -serial "file:$out/console.log" \
        -kernel "$out/bzImage" -append "console=ttyS0 nokaslr panic=-1${*:+ $*}" \
        -S -gdb "tcp:127.0.0.1:$port" </dev/null >"$out/qemu.log" 2>&1 &
    echo $!
}

case ${1:-} in
    build) shift; build "$@" ;;
    boot) shift; boot "$@" ;;
    check)
        missing=$(missing_tools)
        [[ -z $missing ]] || { echo "missing Debian packages: $missing"; exit 3; }
        command -v qemu-system-x86_64 >/dev/null || { echo "missing Debian packages: qemu-system-x86"; exit 3; } ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
