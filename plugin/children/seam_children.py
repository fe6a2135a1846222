"""seam's synthetic children for LLDB. Forwarding only: every method calls the extern "C"
seam_* functions of libseam.so through ctypes, passing SBValue addresses (`int(v.this)`)."""
import ctypes

import lldb

_lib = None


def bind(path):
    """Called by the plugin once it has imported this module: `path` is libseam.so itself."""
    global _lib
    lib = ctypes.CDLL(path)
    p, u32, i = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int
    for name, args, res in (
        ("seam_num_children", [p, u32], u32),
        ("seam_child_at", [p, u32, p], i),
        ("seam_child_index", [p, ctypes.c_char_p], i),
        ("seam_update", [p], i),
        ("seam_has_children", [p], i),
        ("seam_is_rust_enum", [p], i),
    ):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, res
    _lib = lib


def is_rust_enum(sbtype, internal_dict):
    return _lib is not None and bool(_lib.seam_is_rust_enum(int(sbtype.this)))


class SeamChildren:
    def __init__(self, valobj, internal_dict):
        self.valobj = valobj

    def num_children(self, max_count=0xFFFFFFFF):
        return _lib.seam_num_children(int(self.valobj.this), min(max_count, 0xFFFFFFFF))

    def get_child_index(self, name):
        return _lib.seam_child_index(int(self.valobj.this), name.encode())

    def get_child_at_index(self, index):
        child = lldb.SBValue()
        if index < 0 or not _lib.seam_child_at(int(self.valobj.this), index, int(child.this)):
            return None
        return child

    def update(self):
        return bool(_lib.seam_update(int(self.valobj.this)))

    def has_children(self):
        return bool(_lib.seam_has_children(int(self.valobj.this)))
