#include "plugin/lldb/frame_values.h"

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBDeclaration.h>
#include <lldb/API/SBFunction.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>
#include <lldb/API/SBValue.h>
#include <lldb/API/SBValueList.h>

#include <algorithm>
#include <charconv>

#include "formatters/core/rust_names.h"
#include "formatters/render/render.h"
#include "plugin/lldb/sb_frame_state.h"

namespace seam::lldb {

namespace {

enum class StepKind { Field, Index, Key, Arrow };

struct Step {
    StepKind kind;
    std::string name;   ///< Field / Arrow; Key: the text between the brackets (`"alpha"`)
    uint64_t index = 0; ///< Index
};

struct ParsedPath {
    unsigned derefs = 0; ///< leading `*`s, applied after every step (C and Rust precedence)
    std::string root;
    std::vector<Step> steps;
};

bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

std::optional<uint64_t> parse_index(std::string_view s) {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return n;
}

Result<std::vector<Step>> parse_steps(std::string_view s) {
    std::vector<Step> steps;
    size_t i = 0;
    auto ident = [&](std::string_view what) -> Result<std::string> {
        size_t start = i;
        while (i < s.size() && is_ident_char(s[i])) ++i;
        if (i == start) return err("expected a {} at '{}'", what, s.substr(start));
        return std::string(s.substr(start, i - start));
    };
    while (i < s.size()) {
        if (s[i] == '.') {
            ++i;
            auto name = ident("field name");
            if (!name) return name.error();
            steps.push_back({StepKind::Field, std::move(*name)});
        } else if (s.substr(i, 2) == "->") {
            i += 2;
            auto name = ident("field name");
            if (!name) return name.error();
            steps.push_back({StepKind::Arrow, std::move(*name)});
        } else if (s[i] == '[') {
            // A quoted key may hold `]` (`map["a]b"]`): its closing quote comes first.
            size_t from = i + 1;
            if (from < s.size() && s[from] == '"') {
                ++from;
                while (from < s.size() && s[from] != '"') from += s[from] == '\\' ? 2 : 1;
            }
            size_t close = s.find(']', std::min(from, s.size()));
            if (close == std::string_view::npos) return err("missing ']' in '{}'", s);
            std::string_view inside = s.substr(i + 1, close - i - 1);
            if (inside.empty()) return err("'[]' names no index or key in '{}'", s);
            if (auto n = parse_index(inside))
                steps.push_back({StepKind::Index, {}, *n});
            else
                steps.push_back({StepKind::Key, std::string(inside)});
            i = close + 1;
        } else {
            return err("unexpected '{}' in path", s.substr(i));
        }
    }
    return steps;
}

Result<ParsedPath> parse_path(std::string_view path) {
    ParsedPath out;
    while (!path.empty() && path.front() == ' ') path.remove_prefix(1);
    while (!path.empty() && path.back() == ' ') path.remove_suffix(1);
    while (!path.empty() && path.front() == '*') {
        ++out.derefs;
        path.remove_prefix(1);
    }
    size_t end = 0;
    while (end < path.size() && is_ident_char(path[end])) ++end;
    if (end == 0) return err("expected a variable name in '{}'", path);
    out.root = std::string(path.substr(0, end));
    auto steps = parse_steps(path.substr(end));
    if (!steps) return steps.error();
    out.steps = std::move(*steps);
    return out;
}

std::string type_name(const Type* t) {
    t = strip(t);
    if (!t) return "<no type>";
    return t->qualified.empty() ? t->name : t->qualified;
}

Result<Value> deref_pointer(Context& ctx, const Value& v, const Type* t) {
    const Type* target = t->target;
    if (!target || strip(target)->kind == TypeKind::Void)
        return err("cannot dereference {}: it points to no type", type_name(t));
    auto address = ctx.read_uint(v, 0, t->has_size && t->size <= 8 ? t->size : 8);
    if (!address) return address.error();
    if (*address == 0) return err("cannot dereference a null {}", type_name(t));
    return Value::at(target, *address);
}

// Children of `f`, `v` formatted, scanned in pages: a Vec of a million elements is searched
// for a label without formatting it whole.
Result<Value> formatted_child(Context& ctx, const Value& v, const Formatted& f,
                              std::string_view label, std::optional<uint64_t> index) {
    if (f.shape == Shape::Error) return err("{}", f.text);
    if (index && *index >= f.count && f.count > 0)
        return err("index {} is out of range: {} has {} children", *index, type_name(v.type),
                   f.count);
    if (index && (f.shape != Shape::Struct || label.empty())) {
        auto kids = ctx.children(f, *index, 1);
        if (kids.empty()) return err("{} has no child {}", type_name(v.type), *index);
        return kids.front().value;
    }
    constexpr uint64_t page = 256;
    for (uint64_t start = 0; start < f.count && start < ctx.budget().max_children; start += page) {
        for (auto& c : ctx.children(f, start, page))
            if (c.label == label) return c.value;
    }
    if (index && f.count > *index) {
        auto kids = ctx.children(f, *index, 1);
        if (!kids.empty()) return kids.front().value;
    }
    return err("{} has no field '{}'", type_name(v.type), label);
}

Result<Value> field_step(Context& ctx, Value v, const std::string& name, unsigned depth = 0) {
    const Type* t = strip(v.type);
    // `.` through a reference or Box, as Rust auto-derefs (and C's `->` lands here too).
    if (t && t->kind == TypeKind::Pointer) {
        auto d = deref_pointer(ctx, v, t);
        if (!d) return d.error();
        v = std::move(*d);
        t = strip(v.type);
    }
    auto index = parse_index(name);
    if (t && (t->kind == TypeKind::Struct || t->kind == TypeKind::Union)) {
        // Rust names tuple and tuple-struct fields `__0`, `__1` in DWARF.
        const Field* f = find_field(t, index ? "__" + name : name);
        if (!f) f = find_field(t, name);
        if (f) return v.sub(f->type, f->offset);
    }
    const Formatted f = ctx.format(v);
    auto child = formatted_child(ctx, v, f, name, index);
    if (child || depth >= 8) return child;
    // `.` through an Rc, Arc or Box as Rust auto-derefs (`node.name` for an Rc<Node>): their
    // formatters show the pointee as the one child `*`. Bounded: a chain of smart pointers is
    // short, and a corrupt one must not loop.
    if (f.shape == Shape::Transparent && f.count >= 1) {
        auto kids = ctx.children(f, 0, 1);
        if (!kids.empty() && kids.front().label == "*")
            if (auto inner = field_step(ctx, kids.front().value, name, depth + 1)) return inner;
    }
    return child;
}

// `map[k]` is the value of the entry whose key prints as `k`, as Rust's `map[&k]` means and as
// LLDB names a map's children (`[k]`, map_key_text): an index into a map is a key, never a
// position. `f` is `v` formatted; not a map: nothing.
std::optional<Result<Value>> map_entry(Context& ctx, const Value& v, const Formatted& f,
                                       std::string_view key) {
    if (f.shape != Shape::Map) return std::nullopt;
    constexpr uint64_t page = 256;
    const uint64_t searched = std::min(f.count, ctx.budget().max_children);
    // lldb's command line drops the quotes of `m["k"]` unless the whole path is quoted: a
    // string key also matches without them, where no key prints as the bare text.
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::optional<Value> unquoted_match;
    for (uint64_t start = 0; start < searched; start += page)
        for (const Child& c : ctx.children(f, start, std::min(page, searched - start))) {
            const std::string text = map_key_text(ctx, c.value);
            const Value& entry = c.map_value ? *c.map_value : c.value;
            if (text == key) return entry;
            if (text == quoted && !unquoted_match) unquoted_match = entry;
        }
    if (unquoted_match) return *unquoted_match;
    if (searched < f.count)
        return err("no key {} among the first {} of {}'s {} entries", key, searched,
                   type_name(v.type), f.count);
    return err("{} has no key {} ({} entries)", type_name(v.type), key, f.count);
}

Result<Value> index_step(Context& ctx, const Value& v, uint64_t n) {
    const Type* t = strip(v.type);
    bool flat_array = t && t->kind == TypeKind::Array && t->dims.size() == 1;
    if (flat_array || (t && t->kind == TypeKind::Pointer)) {
        const Type* elem = strip(t->target);
        if (!elem || !elem->has_size) return err("{} has elements of unknown size", type_name(t));
        if (t->kind == TypeKind::Array) {
            if (t->dims[0] && n >= *t->dims[0])
                return err("index {} is out of range: {} has {} elements", n, type_name(t),
                           *t->dims[0]);
            return v.sub(t->target, n * elem->size);
        }
        auto base = deref_pointer(ctx, v, t);
        if (!base) return base.error();
        return Value::at(t->target, *base->address + n * elem->size);
    }
    const Formatted f = ctx.format(v);
    if (auto entry = map_entry(ctx, v, f, std::to_string(n))) return std::move(*entry);
    return formatted_child(ctx, v, f, "", n);
}

Result<Value> deref_step(Context& ctx, const Value& v) {
    const Type* t = strip(v.type);
    if (t && t->kind == TypeKind::Pointer) return deref_pointer(ctx, v, t);
    // A fat pointer to a DST (`&str`, `&[T]`, the kernel's `&CStr`): the pointee has no value
    // without the length the pointer holds, and `{:?}` of `*p` is `{:?}` of `p`.
    if (t && t->kind == TypeKind::Struct && find_field(t, "data_ptr") && find_field(t, "length"))
        return v;
    Formatted f = ctx.format(v);
    if (f.shape == Shape::Transparent && f.count >= 1) {
        auto kids = ctx.children(f, 0, 1);
        if (!kids.empty()) return kids.front().value;
    }
    return err("cannot dereference {}", type_name(v.type));
}

// The variables of `scope` in DebugInfo::variables_at order (inner scopes first).
Result<std::vector<Variable>> scope_variables(const FrameScope& scope) {
    if (!scope.filtered) return scope.info->variables_at(scope.lookup_pc, scope.inline_depth);
    // The depth is not to be trusted here: take every function level at the PC, keep what LLDB
    // places in this frame (name and declaration line), and let an inner name shadow an outer.
    std::vector<Variable> kept;
    for (unsigned depth = 0;; ++depth) {
        auto vars = scope.info->variables_at(scope.lookup_pc, depth);
        if (!vars) {
            if (depth == 0) return vars.error();
            break;
        }
        for (auto& v : *vars) {
            bool own = std::any_of(
                scope.own_variables.begin(), scope.own_variables.end(), [&](const auto& o) {
                    return o.first == v.name &&
                           (o.second == 0 || v.decl_line == 0 || o.second == v.decl_line);
                });
            bool shadowed = std::any_of(kept.begin(), kept.end(),
                                        [&](const Variable& k) { return k.name == v.name; });
            if (own && !shadowed) kept.push_back(std::move(v));
        }
    }
    return kept;
}

} // namespace

Result<FrameScope> frame_scope(::lldb::SBFrame frame, DebugInfoCache& cache) {
    if (!frame.IsValid()) return err("no frame selected");
    FrameScope scope;
    scope.frame = frame;
    scope.index = frame.GetFrameID();
    // The physical frame stopped *at* its PC when it is the youngest or when a signal
    // interrupted it (its callee is the kernel's signal trampoline, glibc's __restore_rt);
    // otherwise it is at a return address, which may already lie in the next scope or past
    // the end of the function. Inlined frames live in their caller's physical frame, where
    // LLDB reports the inlined block's start as the caller's PC: the scope look-up takes the
    // physical frame's own PC for all of them.
    ::lldb::SBThread thread = frame.GetThread();
    uint32_t physical = scope.index;
    while (physical > 0 && thread.GetFrameAtIndex(physical - 1).IsInlined()) --physical;
    bool at_call = false;
    if (physical > 0) {
        const char* callee = thread.GetFrameAtIndex(physical - 1).GetFunctionName();
        at_call = !callee || std::string_view(callee) != "__restore_rt";
    }
    uint64_t pc = thread.GetFrameAtIndex(physical).GetPC();
    scope.lookup_pc = at_call && pc > 0 ? pc - 1 : pc;
    scope.inline_depth = scope.index - physical;
    const char* fn = frame.GetDisplayFunctionName();
    // LLDB's Rust names end with the symbol hash (`probe::main::hfb8e6e0dabe54ac5`).
    scope.function = clean_rust_name(fn ? fn : "??");
    auto info = cache.get(frame.GetModule(), frame.GetThread().GetProcess().GetTarget());
    if (!info)
        return err("no debug info for frame {}: {}", describe_frame(scope), info.error().message);
    scope.info = *info;
    // LLDB builds its inlined frames from the same DW_TAG_inlined_subroutine DIEs, so the
    // counts agree; where they do not (a DIE one of the readers skips), fall back to keeping
    // the variables LLDB itself places in this frame.
    uint32_t outermost = physical;
    while (thread.GetFrameAtIndex(outermost).IsInlined() && outermost + 1 < thread.GetNumFrames())
        ++outermost;
    unsigned lldb_functions = outermost - physical + 1;
    unsigned dwarf_functions = scope.info->function_depth_at(scope.lookup_pc);
    if (dwarf_functions > 0 && lldb_functions != dwarf_functions) {
        scope.filtered = true;
        // Not only those in scope: LLDB counts a variable whose location list misses the PC
        // (or a zero-sized one with no location) as out of scope, and seam still shows it.
        ::lldb::SBValueList vars = frame.GetVariables(true, true, false, false);
        for (uint32_t i = 0; i < vars.GetSize(); ++i) {
            ::lldb::SBValue v = vars.GetValueAtIndex(i);
            const char* name = v.GetName();
            if (name) scope.own_variables.emplace_back(name, v.GetDeclaration().GetLine());
        }
    }
    auto fi = scope.filtered && scope.index != physical
                  ? std::nullopt
                  : scope.info->function_info_at(scope.lookup_pc, scope.inline_depth);
    if (fi) {
        if (!fi->qualified.empty())
            scope.function = fi->qualified;
        else if (!fi->name.empty())
            scope.function = fi->name;
    }
    return scope;
}

std::string describe_frame(const FrameScope& scope) {
    return fmt::format("#{} ({})", scope.index, scope.function);
}

Result<std::vector<NamedValue>> frame_variables(const FrameScope& scope, MemoryReader& mem) {
    auto vars = scope_variables(scope);
    if (!vars) return vars.error();
    std::vector<const Variable*> order;
    for (const auto& v : *vars) order.push_back(&v);
    std::stable_sort(order.begin(), order.end(), [](const Variable* a, const Variable* b) {
        if (a->is_parameter != b->is_parameter) return a->is_parameter;
        return a->decl_line < b->decl_line;
    });
    SBFrameState state(scope.frame);
    std::vector<NamedValue> out;
    for (const Variable* var : order) {
        NamedValue nv{var->name, {}, var->is_parameter};
        auto located = scope.info->locate(*var, scope.lookup_pc, state, mem);
        nv.value = located ? std::move(*located)
                           : Value::leaf(fmt::format("<error: {}>", located.error().message));
        out.push_back(std::move(nv));
    }
    return out;
}

Result<std::vector<Variable>> frame_parameters(const FrameScope& scope) {
    Result<std::vector<Variable>> vars = err("no parameters");
    ::lldb::SBFunction function = scope.frame.GetFunction();
    uint64_t entry = LLDB_INVALID_ADDRESS;
    if (!scope.frame.IsInlined() && !scope.filtered && function.IsValid())
        entry = function.GetStartAddress().GetLoadAddress(
            scope.frame.GetThread().GetProcess().GetTarget());
    // At the entry, the function itself is the outermost function scope (a callee inlined at
    // the very first instruction sits inside it).
    unsigned depth = entry != LLDB_INVALID_ADDRESS ? scope.info->function_depth_at(entry) : 0;
    if (depth > 0)
        vars = scope.info->variables_at(entry, depth - 1);
    else
        vars = scope_variables(scope);
    if (!vars) return vars.error();
    std::vector<Variable> out;
    for (Variable& v : *vars)
        if (v.is_parameter) out.push_back(std::move(v));
    return out;
}

std::string map_key_text(Context& ctx, const Value& key) {
    return render_summary(ctx, ctx.format(key), k_map_key_width);
}

Result<Value> resolve_steps(Context& ctx, Value root, std::string_view root_name,
                            std::string_view steps_text) {
    std::string text = std::string(root_name) + std::string(steps_text);
    auto parsed = parse_path(text);
    if (!parsed) return parsed.error();
    Value cur = std::move(root);
    for (const auto& step : parsed->steps) {
        Result<Value> next = err("bad step");
        switch (step.kind) {
        case StepKind::Field:
            next = field_step(ctx, cur, step.name);
            break;
        case StepKind::Arrow: {
            auto d = deref_step(ctx, cur);
            next = d ? field_step(ctx, *d, step.name) : d;
            break;
        }
        case StepKind::Index:
            next = index_step(ctx, cur, step.index);
            break;
        case StepKind::Key:
            if (auto entry = map_entry(ctx, cur, ctx.format(cur), step.name))
                next = std::move(*entry);
            else
                next = err("'{}' is not an index, and {} is not a map", step.name,
                           type_name(cur.type));
            break;
        }
        if (!next) return next.error();
        cur = std::move(*next);
    }
    for (unsigned i = 0; i < parsed->derefs; ++i) {
        auto next = deref_step(ctx, cur);
        if (!next) return next.error();
        cur = std::move(*next);
    }
    return cur;
}

Result<Value> resolve_path(const FrameScope& scope, Context& ctx, MemoryReader& mem,
                           std::string_view path) {
    auto parsed = parse_path(path);
    if (!parsed) return parsed.error();
    auto vars = scope_variables(scope);
    if (!vars) return vars.error();
    // variables_at lists inner scopes first, so the first match is the visible one.
    auto it = std::find_if(vars->begin(), vars->end(),
                           [&](const Variable& v) { return v.name == parsed->root; });
    if (it == vars->end())
        return err("no variable named '{}' in frame {}", parsed->root, describe_frame(scope));
    SBFrameState state(scope.frame);
    auto root = scope.info->locate(*it, scope.lookup_pc, state, mem);
    if (!root)
        return err("cannot locate '{}' in frame {}: {}", parsed->root, describe_frame(scope),
                   root.error().message);
    // Re-parse the remainder so leading `*`s apply after the steps.
    std::string_view rest = path;
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '*')) rest.remove_prefix(1);
    rest.remove_prefix(parsed->root.size());
    auto value = resolve_steps(ctx, std::move(*root), parsed->root, rest);
    if (!value) return value.error();
    Value cur = std::move(*value);
    for (unsigned i = 0; i < parsed->derefs; ++i) {
        auto next = deref_step(ctx, cur);
        if (!next) return next.error();
        cur = std::move(*next);
    }
    return cur;
}

} // namespace seam::lldb
