#!/usr/bin/env python3
"""Seeds for fuzz_core_file from a real ELF core (gdb's gcore of a fixture at its crash): the
core trimmed to what the reader looks at -- the ELF header, the program headers, the notes
whole, and the first page of the executable's first mapping (its ELF header and build-id note);
every other segment keeps its header with no bytes -- and a minidump naming the same executable
and build-id, laid out as LLDB's SaveCore writes one (a stream directory, a module list, the
module's UTF-16 name and its CodeView record)."""
import argparse
import struct

PT_LOAD, PT_NOTE = 1, 4
NT_FILE = 0x46494C45


def notes(blob):
    at = 0
    while at + 12 <= len(blob):
        namesz, descsz, kind = struct.unpack_from("<III", blob, at)
        name_at = at + 12
        desc_at = name_at + ((namesz + 3) & ~3)
        yield kind, blob[desc_at:desc_at + descsz]
        at = desc_at + ((descsz + 3) & ~3)


def trim(core):
    phoff, = struct.unpack_from("<Q", core, 32)
    phnum, = struct.unpack_from("<H", core, 56)
    phdrs = [list(struct.unpack_from("<IIQQQQQQ", core, phoff + 56 * i)) for i in range(phnum)]
    exe_start, exe_path = None, b""
    for p in phdrs:
        if p[0] != PT_NOTE:
            continue
        for kind, desc in notes(core[p[2]:p[2] + p[5]]):
            if kind == NT_FILE and exe_start is None:
                count, = struct.unpack_from("<Q", desc, 0)
                exe_start, = struct.unpack_from("<Q", desc, 16)
                exe_path = desc[16 + 24 * count:].split(b"\0")[0]
    out = bytearray(core[:64])
    body = bytearray()
    data_at = 64 + 56 * phnum
    for p in phdrs:
        keep = b""
        if p[0] == PT_NOTE:
            keep = core[p[2]:p[2] + p[5]]
        elif p[0] == PT_LOAD and p[3] <= exe_start < p[3] + p[5]:
            keep = core[p[2] + exe_start - p[3]:][:4096]
            p[3] = exe_start
        p[2], p[5] = data_at + len(body), len(keep)
        body += keep
    struct.pack_into("<Q", out, 32, 64)
    for p in phdrs:
        out += struct.pack("<IIQQQQQQ", *p)
    return bytes(out + body), exe_path


def build_id(elf_page):
    phoff, = struct.unpack_from("<Q", elf_page, 32)
    phnum, = struct.unpack_from("<H", elf_page, 56)
    for i in range(phnum):
        kind, _, off, _, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", elf_page, phoff + 56 * i)
        if kind == PT_NOTE:
            for nkind, desc in notes(elf_page[off:off + filesz]):
                if nkind == 3:
                    return desc
    return b"\x01\x02\x03\x04"


def minidump(path, bid):
    name = path.decode("utf-8", "replace").encode("utf-16-le")
    cv = b"LEpB" + bid
    module_list_at, name_at = 32 + 12, 32 + 12 + 4 + 108
    cv_at = name_at + 4 + len(name)
    module = bytearray(108)
    struct.pack_into("<I", module, 20, name_at)
    struct.pack_into("<II", module, 76, len(cv), cv_at)
    header = b"MDMP" + struct.pack("<IIIIIQ", 0xA793, 1, 32, 0, 0, 0)
    directory = struct.pack("<III", 4, 4 + 108, module_list_at)
    return (header + directory + struct.pack("<I", 1) + bytes(module) +
            struct.pack("<I", len(name)) + name + cv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("core")
    ap.add_argument("out_dir")
    a = ap.parse_args()
    with open(a.core, "rb") as f:
        core = f.read()
    trimmed, exe = trim(core)
    with open(f"{a.out_dir}/gcore-trimmed.core", "wb") as f:
        f.write(trimmed)
    page = trimmed[-4096:] if len(trimmed) >= 4096 else trimmed
    with open(f"{a.out_dir}/savecore.dmp", "wb") as f:
        f.write(minidump(exe, build_id(page)))


if __name__ == "__main__":
    main()
