#include "plugin/lldb/sb_value_map.h"

#include <lldb/API/SBData.h>
#include <lldb/API/SBDeclaration.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBStream.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBType.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "formatters/core/formatter.h"
#include "plugin/lldb/debug_info_cache.h"
#include "plugin/lldb/frame_values.h"
#include "plugin/lldb/sb_frame_state.h"
#include "plugin/lldb/sb_memory.h"

namespace seam::lldb {

namespace {

struct Renaming {
    std::string_view c;
    std::vector<std::string_view> rust;
};

// How Clang's TypeSystem spells Rust's base types (LLDB 19 maps them by encoding and size).
// Longest C spellings first, so that `unsigned long long` is not read as `unsigned long`.
const std::array<Renaming, 16>& renamings() {
    static const std::array<Renaming, 16> table = {{
        {"unsigned long long", {"u64", "usize"}},
        {"unsigned __int128", {"u128"}},
        {"unsigned long", {"u64", "usize"}},
        {"unsigned short", {"u16"}},
        {"unsigned char", {"u8"}},
        {"unsigned int", {"u32"}},
        {"signed char", {"i8"}},
        {"long long", {"i64", "isize"}},
        {"__int128", {"i128"}},
        {"char32_t", {"char"}},
        {"double", {"f64"}},
        {"float", {"f32"}},
        {"short", {"i16"}},
        {"long", {"i64", "isize"}},
        {"char", {"i8", "u8"}},
        {"int", {"i32"}},
    }};
    return table;
}

bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One piece of the name: literal text, or a C base type (optionally followed by ` *`) with
// its Rust alternatives.
struct Piece {
    std::string literal;
    std::vector<std::string> choices;
};

std::vector<Piece> split(const std::string& name) {
    std::vector<Piece> pieces;
    std::string literal;
    size_t i = 0;
    while (i < name.size()) {
        const Renaming* hit = nullptr;
        if (i == 0 || !ident_char(name[i - 1]))
            for (const auto& r : renamings()) {
                size_t end = i + r.c.size();
                if (name.compare(i, r.c.size(), r.c) == 0 &&
                    (end == name.size() || !ident_char(name[end]))) {
                    hit = &r;
                    break;
                }
            }
        if (!hit) {
            literal += name[i++];
            continue;
        }
        i += hit->c.size();
        Piece p;
        // `T *` stands for &T, &mut T, *const T or *mut T: LLDB shows all four the same.
        bool pointer = name.compare(i, 2, " *") == 0;
        if (pointer) i += 2;
        for (auto rust : hit->rust) {
            if (!pointer) {
                p.choices.emplace_back(rust);
                continue;
            }
            for (auto prefix : {"&", "*const ", "*mut ", "&mut "})
                p.choices.push_back(std::string(prefix) + std::string(rust));
        }
        pieces.push_back({std::move(literal), {}});
        literal.clear();
        pieces.push_back(std::move(p));
    }
    pieces.push_back({std::move(literal), {}});
    return pieces;
}

const DebugInfo* debug_info_for(::lldb::SBModule module, ::lldb::SBTarget target) {
    if (!module.IsValid()) return nullptr;
    auto info = DebugInfoCache::shared().get(module, target);
    return info ? *info : nullptr;
}

// The modules whose DWARF may describe the value's type: the frame's, the one holding the
// value, then the executable (where Rust's std types live, std being linked statically).
std::vector<const DebugInfo*> candidate_infos(::lldb::SBValue& v) {
    std::vector<const DebugInfo*> out;
    auto add = [&](const DebugInfo* info) {
        if (info && std::find(out.begin(), out.end(), info) == out.end()) out.push_back(info);
    };
    ::lldb::SBTarget target = v.GetTarget();
    ::lldb::SBFrame frame = v.GetFrame();
    if (frame.IsValid()) add(debug_info_for(frame.GetModule(), target));
    ::lldb::addr_t address = v.GetLoadAddress();
    if (address != LLDB_INVALID_ADDRESS) {
        auto info = DebugInfoCache::shared().at_address(target, address);
        if (info) add(*info);
    }
    if (target.IsValid() && target.GetNumModules() > 0)
        add(debug_info_for(target.GetModuleAtIndex(0), target));
    return out;
}

Result<std::vector<std::byte>> value_bytes(::lldb::SBValue& v) {
    ::lldb::SBData data = v.GetData();
    size_t size = data.GetByteSize();
    if (size == 0) return err("LLDB has no bytes for the value");
    std::vector<std::byte> out(size);
    ::lldb::SBError error;
    if (data.ReadRawData(error, 0, out.data(), size) != size || error.Fail())
        return err("cannot read the value's bytes from LLDB");
    return out;
}

bool is_identifier(std::string_view path) {
    return !path.empty() && std::all_of(path.begin(), path.end(), ident_char) &&
           !(path.front() >= '0' && path.front() <= '9');
}

// A root variable of the frame that seam cannot locate: at -O2 rustc may keep a location for
// some pieces of a value only (a &str's length, not its data_ptr), and LLDB then zero-fills
// the rest. Mapping it by its type name would read LLDB's zeros as the value (`<error: cannot
// read 38 bytes at 0x0>`), so the frame's own error is the value, as `seam print` says it. Only
// where the DWARF variable is the one LLDB holds: the same declaration line and size (an outer
// variable that an inner one shadows has the same expression path).
std::optional<MappedValue> unlocatable_root(::lldb::SBValue& v, const FrameScope& scope,
                                            const std::string& path, const Error& error) {
    // A scope whose inline depth is not trusted looks its variables up LLDB's way: let those
    // go by name, as before.
    if (scope.filtered || !is_identifier(path)) return std::nullopt;
    auto vars = scope.info->variables_at(scope.lookup_pc, scope.inline_depth);
    if (!vars) return std::nullopt;
    auto it = std::find_if(vars->begin(), vars->end(),
                           [&](const Variable& var) { return var.name == path; });
    if (it == vars->end()) return std::nullopt;
    uint32_t line = v.GetDeclaration().GetLine();
    if (line != 0 && it->decl_line != 0 && line != it->decl_line) return std::nullopt;
    const Type* t = strip(it->type);
    if (!t || !t->has_size || t->size != v.GetByteSize()) return std::nullopt;
    // For a bare name, resolve_path fails only where the variable is missing or cannot be
    // located; it is here, so its error is the location's.
    MappedValue out(Value::leaf("<error: " + error.message + ">"), scope.info, true);
    out.error = error.message;
    return out;
}

// 1. The value is a frame variable, or fields below one: resolve the same expression path
// through the DWARF and accept it only where it lands on LLDB's address with LLDB's size.
std::optional<MappedValue> map_by_frame(::lldb::SBValue& v, const Budget& budget) {
    ::lldb::SBFrame frame = v.GetFrame();
    if (!frame.IsValid()) return std::nullopt;
    ::lldb::SBStream stream;
    if (!v.GetExpressionPath(stream)) return std::nullopt;
    std::string path(stream.GetData() ? stream.GetData() : "");
    // LLDB's paths through Rust enums name its own `$variants$` members, which the DWARF
    // does not have: those go the type-name way.
    if (path.empty() || path.find('$') != std::string::npos) return std::nullopt;
    auto scope = frame_scope(frame, DebugInfoCache::shared());
    if (!scope) return std::nullopt;
    SBMemoryReader mem(v.GetProcess(), v.GetTarget());
    Context ctx(mem, scope->info, builtin_registry(), budget);
    auto value = resolve_path(*scope, ctx, mem, path);
    if (!value) return unlocatable_root(v, *scope, path, value.error());
    const Type* t = strip(value->type);
    if (!t || !t->has_size || t->size != v.GetByteSize()) return std::nullopt;
    ::lldb::addr_t address = v.GetLoadAddress();
    if (address != LLDB_INVALID_ADDRESS && value->address && *value->address != address)
        return std::nullopt;
    return MappedValue(std::move(*value), scope->info, true);
}

// Whether LLDB's type and a DWARF type of the same size also agree on their template
// arguments' sizes: a name alone is ambiguous where Clang's renaming meets a Rust name
// (`Vec<char>` to LLDB is Vec<i8>: Rust's 4-byte `char` would be `char32_t`).
bool template_sizes_agree(::lldb::SBType lldb_type, const Type* t) {
    const Type* s = strip(t);
    if (!s || !lldb_type.IsValid()) return true;
    uint32_t n = lldb_type.GetNumberOfTemplateArguments();
    if (n == 0 || n != s->template_params.size()) return true;
    for (uint32_t i = 0; i < n; ++i) {
        ::lldb::SBType arg = lldb_type.GetTemplateArgumentType(i);
        const Type* dwarf_arg = strip(template_arg(s, i));
        if (!arg.IsValid() || !dwarf_arg || !dwarf_arg->has_size) continue;
        if (arg.GetByteSize() != dwarf_arg->size) return false;
    }
    return true;
}

// 2. By name, where nothing better is known (an expression result, a value in memory).
Result<MappedValue> map_by_name(::lldb::SBValue& v) {
    const char* raw = v.GetTypeName();
    if (!raw || !*raw) return err("the value has no type name");
    uint64_t size = v.GetByteSize();
    const Type* found = nullptr;
    const DebugInfo* found_in = nullptr;
    auto names = rust_name_candidates(raw);
    for (const DebugInfo* info : candidate_infos(v)) {
        for (const auto& name : names) {
            const Type* t = info->find_type(name);
            const Type* s = strip(t);
            if (!s) continue;
            if (s->has_size && s->size == size && template_sizes_agree(v.GetType(), t)) {
                found = t;
                found_in = info;
                break;
            }
            if (!found) found = t, found_in = info; // a size mismatch: keep looking
        }
        if (found && strip(found)->has_size && strip(found)->size == size) break;
    }
    if (!found) return err("no DWARF type named {}", raw);
    MappedValue out;
    out.info = found_in;
    ::lldb::addr_t address = v.GetLoadAddress();
    if (address != LLDB_INVALID_ADDRESS) {
        out.value = Value::at(found, address);
    } else {
        auto bytes = value_bytes(v);
        if (!bytes) return bytes.error();
        out.value = Value::held(found, std::move(*bytes));
    }
    return out;
}

// Children seam created, so that a child maps back by the type it already holds (DESIGN.md).
// Keyed by where the child lives and LLDB's name for its type: the same address may hold a
// struct and its first field, told apart by the type. Cleared when it grows past a bound (a
// forgotten entry costs a name look-up, never a wrong value).
struct CreatedValues {
    std::mutex mutex;
    std::map<std::pair<uint64_t, std::string>, MappedValue> by_address;
    std::unordered_map<uint64_t, MappedValue> by_id;
    std::pair<uint32_t, uint32_t> stop{}; ///< the process (unique ID) and stop they belong to
};

CreatedValues& created() {
    static CreatedValues c;
    return c;
}

constexpr size_t k_created_bound = 200'000;

// Where a value seam created is remembered: by its address and LLDB's type name, or (a value
// held in bytes) by its ID. LLDB hands a summary the synthetic view or the value under it, and
// a child created under a parent that prefers synthetic values reports the view's ID: both
// IDs are looked up. Read from LLDB before the lock is taken: making the synthetic view may
// run seam's own provider, which maps values too.
struct CreatedKey {
    ::lldb::addr_t address = LLDB_INVALID_ADDRESS;
    std::string type_name;
    std::array<uint64_t, 2> ids{};
};

CreatedKey created_key(::lldb::SBValue& v) {
    CreatedKey k;
    k.address = v.GetLoadAddress();
    if (k.address != LLDB_INVALID_ADDRESS) {
        const char* name = v.GetTypeName();
        k.type_name = name ? name : "";
        return k;
    }
    ::lldb::SBValue synthetic = v.GetSyntheticValue();
    k.ids = {v.GetID(), synthetic.IsValid() ? synthetic.GetID() : v.GetID()};
    return k;
}

const MappedValue* lookup(CreatedValues& c, const CreatedKey& k) {
    if (k.address != LLDB_INVALID_ADDRESS) {
        auto it = c.by_address.find({k.address, k.type_name});
        return it == c.by_address.end() ? nullptr : &it->second;
    }
    for (uint64_t id : k.ids) {
        auto it = c.by_id.find(id);
        if (it != c.by_id.end()) return &it->second;
    }
    return nullptr;
}

// Entries hold for the stop that made them only. At -O2 a later stop's frame (or the next
// process: LLDB turns ASLR off) puts another local in the same stack slot, and LLDB's name for its
// type may be the same for another Rust type (`Rc<unsigned char>` is Rc<u8> and Rc<str>): an
// Rc<str> once showed a stale Rc<u8>'s `→ 100`. Checked when a value is mapped, which a provider
// does to its parent before it creates (and remembers) children, so a stop's own entries are never
// the ones dropped. Expression stops do not count: the frames, and where seam's children live, are
// unchanged.
void forget_other_stops(CreatedValues& c, ::lldb::SBValue& v) {
    ::lldb::SBProcess process = v.GetProcess();
    std::pair<uint32_t, uint32_t> stop{process.IsValid() ? process.GetUniqueID() : 0,
                                       process.IsValid() ? process.GetStopID() : 0};
    if (stop == c.stop) return;
    c.stop = stop;
    c.by_address.clear();
    c.by_id.clear();
}

std::optional<MappedValue> find_created(::lldb::SBValue& v) {
    CreatedKey key = created_key(v);
    CreatedValues& c = created();
    std::lock_guard lock(c.mutex);
    forget_other_stops(c, v);
    if (const MappedValue* m = lookup(c, key)) return *m;
    return std::nullopt;
}

} // namespace

void remember_created(uint64_t load_address, const std::string& lldb_type_name,
                      const MappedValue& mapped) {
    CreatedValues& c = created();
    std::lock_guard lock(c.mutex);
    if (c.by_address.size() >= k_created_bound) c.by_address.clear();
    c.by_address.insert_or_assign({load_address, lldb_type_name}, mapped);
}

void remember_created_id(uint64_t value_id, const MappedValue& mapped) {
    CreatedValues& c = created();
    std::lock_guard lock(c.mutex);
    if (c.by_id.size() >= k_created_bound) c.by_id.clear();
    c.by_id.insert_or_assign(value_id, mapped);
}

bool created_by_seam(::lldb::SBValue value) {
    if (!value.IsValid()) return false;
    CreatedKey key = created_key(value);
    CreatedValues& c = created();
    std::lock_guard lock(c.mutex);
    forget_other_stops(c, value);
    return lookup(c, key) != nullptr;
}

std::vector<std::string> rust_name_candidates(const std::string& lldb_name, size_t limit) {
    std::vector<std::string> out{lldb_name};
    // Clang spells nested generics C++03's way, `NonNull<Lock<u32, B> >`; rustc's DWARF never
    // has `> >`. Unmapped, such a value (a Box's pointer field) had no summary at all: an empty
    // `__0 =` line in `frame variable`.
    std::string name = lldb_name;
    for (size_t pos; (pos = name.find("> >")) != std::string::npos;) name.replace(pos, 3, ">>");
    if (name != lldb_name) out.push_back(name);
    std::vector<std::string> partial{""};
    for (const auto& piece : split(name)) {
        if (piece.choices.empty()) {
            for (auto& p : partial) p += piece.literal;
            continue;
        }
        std::vector<std::string> next;
        for (const auto& p : partial)
            for (const auto& c : piece.choices)
                if (next.size() < limit) next.push_back(p + c);
        partial = std::move(next);
    }
    for (auto& p : partial)
        if (out.size() < limit && p != lldb_name && p != name) out.push_back(std::move(p));
    return out;
}

Result<MappedValue> map_sb_value(::lldb::SBValue value, const Budget& budget) {
    if (!value.IsValid()) return err("invalid value");
    if (auto mine = find_created(value)) return std::move(*mine);
    if (auto by_frame = map_by_frame(value, budget)) return std::move(*by_frame);
    return map_by_name(value);
}

} // namespace seam::lldb
