"""seam's synthetic children for LLDB. Forwarding only: every method calls the extern "C"
seam_* functions of libseam.so through ctypes, passing SBValue addresses (`int(v.this)`)."""
import ctypes
import sys

import lldb

_lib = None

# Before every call into Python from C++ (each get_child_at_index a client asks for), LLDB 19
# "enters a session": it runs `run_one_line(dict, 'lldb.debugger_unique_id = N; lldb.debugger
# = ...; lldb.frame = ...')`, and embedded_interpreter.run_one_line compiles that text anew each
# time through code.InteractiveConsole: two compile() calls, most of ~200 us per child. The same
# few texts come back every time, so they are compiled once and run in the same dictionary;
# anything else (the `script` command, a failing statement) goes to LLDB's own function.
_SESSION_PREFIX = "lldb.debugger_unique_id = "


def _cached_run_one_line(original):
    compiled = {}

    def run_one_line(local_dict, input_string):
        if not (isinstance(input_string, str) and input_string.startswith(_SESSION_PREFIX)):
            return original(local_dict, input_string)
        code = compiled.get(input_string)
        if code is None:
            if len(compiled) > 64:
                compiled.clear()
            code = compile(input_string + "\n", "<input>", "single")
            compiled[input_string] = code
        try:
            exec(code, local_dict)
        except BaseException:
            # Assignments only: running them again the original way reports the error as LLDB
            # would.
            return original(local_dict, input_string)
        return None

    run_one_line.seam_original = original
    return run_one_line


def _speed_up_sessions():
    main = sys.modules.get("__main__")
    original = getattr(main, "run_one_line", None)
    if original is None or hasattr(original, "seam_original"):
        return
    main.run_one_line = _cached_run_one_line(original)


def bind(path):
    """Called by the plugin once it has imported this module: `path` is libseam.so itself."""
    global _lib
    lib = ctypes.CDLL(path)
    p, u32, u64, i = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int
    for name, args, res in (
        ("seam_open", [], u64),
        ("seam_close", [u64], None),
        ("seam_num_children", [u64, p, u32], u32),
        ("seam_child_at", [u64, p, u32, p], i),
        ("seam_child_index", [u64, p, ctypes.c_char_p], i),
        ("seam_update", [u64], i),
        ("seam_has_children", [u64, p], i),
        ("seam_is_rust_enum", [p], i),
    ):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, res
    _lib = lib
    _speed_up_sessions()


def is_rust_enum(sbtype, internal_dict):
    return _lib is not None and bool(_lib.seam_is_rust_enum(int(sbtype.this)))


class SeamChildren:
    """One per value LLDB shows; `handle` names its state in libseam.so for this stop."""

    def __init__(self, valobj, internal_dict):
        self.valobj = valobj
        self.this = int(valobj.this)
        self.handle = _lib.seam_open()

    def __del__(self):
        if _lib is not None:
            _lib.seam_close(self.handle)

    def num_children(self, max_count=0xFFFFFFFF):
        return _lib.seam_num_children(self.handle, self.this, min(max_count, 0xFFFFFFFF))

    def get_child_index(self, name):
        return _lib.seam_child_index(self.handle, self.this, name.encode())

    def get_child_at_index(self, index):
        child = lldb.SBValue()
        if index < 0 or not _lib.seam_child_at(self.handle, self.this, index, int(child.this)):
            return None
        return child

    def update(self):
        # False: the children may have changed, LLDB must not reuse the ones it cached.
        return bool(_lib.seam_update(self.handle))

    def has_children(self):
        return bool(_lib.seam_has_children(self.handle, self.this))
