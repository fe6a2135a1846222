#include "formatters/rust/rust_std_support.h"

#include <fmt/format.h>

#include "formatters/render/render.h"
#include "formatters/rust/rust_layout.h"

namespace seam::rust_std {
namespace {

// Set while a summary is rendered for another summary (see nested_summary()). One formatting
// request runs on one thread, so a thread-local depth is the request's own.
thread_local int t_summary_nesting = 0;

struct NestingGuard {
    NestingGuard() { ++t_summary_nesting; }
    ~NestingGuard() { --t_summary_nesting; }
};

} // namespace

bool is_path(const Type& t, std::string_view path) {
    return has_path(&t, path);
}

Result<uint64_t> address_of(Context& ctx, const Value& v) {
    Value cur = v;
    // NonNull<T> { pointer: *const T }, Unique<T> { pointer: NonNull<T>, _marker }: newtypes
    // whose first sized field leads to the pointer.
    for (int depth = 0; depth < 6; ++depth) {
        const Type* t = strip(cur.type);
        if (!t) return err("value has no type");
        if (t->kind == TypeKind::Pointer)
            return ctx.read_uint(cur, 0, t->has_size && t->size ? t->size : 8);
        if (t->kind != TypeKind::Struct) return err("{} is not a pointer", t->name);
        if (find_field(t, "data_ptr")) return ctx.uint_at(cur, {"data_ptr"});
        const Field* f = field_or_only(t, "pointer");
        if (!f) return err("{} holds no pointer", t->name);
        cur = cur.sub(f->type, f->offset);
    }
    return err("pointer newtypes nested too deep");
}

const Type* pointee_of(const Value& v) {
    const Type* t = strip(v.type);
    for (int depth = 0; depth < 6 && t; ++depth) {
        if (t->kind == TypeKind::Pointer) return t->target;
        if (t->kind != TypeKind::Struct || find_field(t, "data_ptr")) return nullptr;
        const Field* f = field_or_only(t, "pointer");
        if (!f) return nullptr;
        t = strip(f->type);
    }
    return nullptr;
}

namespace {

// The fat pointer struct ({data_ptr, length}) inside `v`, found through NonNull-like newtypes.
const Type* fat_slice_pointer(const Value& v) {
    const Type* t = strip(v.type);
    for (int depth = 0; depth < 6 && t && t->kind == TypeKind::Struct; ++depth) {
        if (find_field(t, "data_ptr")) return t;
        const Field* f = field_or_only(t, "pointer");
        if (!f) return nullptr;
        t = strip(f->type);
    }
    return nullptr;
}

// `*const str`, `*const RcInner<str>`: text, not a slice of u8.
bool points_at_text(const Type& fat) {
    std::string_view n = fat.name;
    return n.ends_with(" str") || n.find("<str>") != std::string_view::npos;
}

const Type* data_target(const Type& fat) {
    const Type* p = strip(find_field(&fat, "data_ptr")->type);
    return p && p->kind == TypeKind::Pointer ? p->target : nullptr;
}

} // namespace

const Type* slice_data_target(const Value& v) {
    const Type* fat = fat_slice_pointer(v);
    return fat && !points_at_text(*fat) ? data_target(*fat) : nullptr;
}

const Type* str_data_target(const Value& v) {
    const Type* fat = fat_slice_pointer(v);
    return fat && points_at_text(*fat) ? data_target(*fat) : nullptr;
}

Formatted transparent(const Value& child_of) {
    Formatted f;
    f.shape = Shape::Transparent;
    f.count = 1;
    f.value = child_of;
    return f;
}

Formatted named(Shape shape, std::string text, const Type& t, uint64_t count) {
    Formatted f;
    f.shape = shape;
    f.text = std::move(text);
    f.type_name = rust_layout::display_name(&t);
    f.count = count;
    return f;
}

Formatted guard_of(const Value& guard, const Value& target, OwnKind kind) {
    Formatted f = transparent(guard);
    f.type_name = rust_layout::display_name(strip(guard.type));
    f.own.kind = kind;
    if (target.address) f.own.address = *target.address;
    return f;
}

Child error_child(std::string label, const Error& e) {
    return Child{std::move(label), Value::leaf(rust_layout::marker(e)), std::nullopt};
}

std::vector<Child> single_child(std::string label, const Result<Value>& content) {
    if (!content) return {error_child(std::move(label), content.error())};
    return {Child{std::move(label), *content, std::nullopt}};
}

std::string nested_summary(Context& ctx, const Value& v, size_t max_chars) {
    if (t_summary_nesting > 0) return "";
    NestingGuard guard;
    Formatted f = ctx.format(v);
    // The value's compact Debug text, not its own summary (`len=2 cap=2` says less than
    // `[1.5, 2.25]` after an arrow).
    f.summary.clear();
    return render_summary(ctx, f, max_chars);
}

std::string nested_summary(Context& ctx, const Formatted& f, size_t max_chars) {
    if (t_summary_nesting > 0) return "";
    NestingGuard guard;
    Formatted copy = f;
    copy.summary.clear();
    return render_summary(ctx, copy, max_chars);
}

bool in_nested_summary() {
    return t_summary_nesting > 0;
}

NoSummaries::NoSummaries() {
    ++t_summary_nesting;
}
NoSummaries::~NoSummaries() {
    --t_summary_nesting;
}

std::string type_name_of(const Type* t) {
    t = strip(t);
    if (!t) return "?";
    return rust_layout::without_default_args(std::string(rust_layout::match_name(*t)));
}

const Field* field_or_only(const Type* t, std::string_view name) {
    if (!t) return nullptr;
    if (const Field* f = find_field(t, name)) return f;
    const Field* only = nullptr;
    for (const auto& f : t->fields) {
        const Type* ft = strip(f.type);
        if (!ft || !ft->has_size || ft->size == 0) continue;
        if (only) return nullptr;
        only = &f;
    }
    return only;
}

Result<uint64_t> int_field(Context& ctx, const Value& v, std::string_view name) {
    auto f = ctx.field(v, name);
    if (!f) return f.error();
    return rust_layout::scalar(ctx, *f);
}

Result<Value> unsafe_cell_value(Context& ctx, const Value& cell) {
    const Type* t = strip(cell.type);
    if (!t || !(is_path(*t, "core::cell::UnsafeCell") || is_path(*t, "core::cell::SyncUnsafeCell")))
        return err("{} is not an UnsafeCell", t ? t->name : std::string("<no type>"));
    return ctx.field(cell, "value");
}

Result<Value> unsafe_cell_field(Context& ctx, const Value& v, std::string_view name) {
    auto cell = ctx.field(v, name);
    if (!cell) return cell.error();
    return unsafe_cell_value(ctx, *cell);
}

std::string summary_with_content(Context& ctx, std::string head, const Result<Value>& content) {
    if (content) {
        std::string shown = nested_summary(ctx, *content);
        if (!shown.empty()) head += " " + shown;
    }
    return head;
}

Result<Value> manually_drop_value(Context& ctx, const Value& v) {
    Value cur = v;
    for (int depth = 0; depth < 3; ++depth) {
        const Type* t = strip(cur.type);
        if (!t) break;
        const char* next = is_path(*t, "core::mem::manually_drop::ManuallyDrop")     ? "value"
                           : is_path(*t, "core::mem::maybe_dangling::MaybeDangling") ? "__0"
                                                                                     : nullptr;
        if (!next) break;
        auto inner = ctx.field(cur, next);
        if (!inner) return inner.error();
        cur = *inner;
    }
    return cur;
}

// The futex Once of rustc 1.8x-1.95 (`state_and_queued`) is complete at state 0, bit 2 flagging
// waiters; the futex Once before it (`state`) was complete at 4; the queue Once of other
// platforms (`state_and_queue`) at 3 in its low bits.
Result<bool> once_complete(Context& ctx, const Value& once) {
    auto inner = ctx.field(once, "inner");
    if (!inner) return inner.error();
    const Type* t = strip(inner->type);
    struct Layout {
        const char* field;
        uint64_t mask;
        uint64_t complete;
    };
    for (const Layout& l : {Layout{"state_and_queued", 3, 0}, Layout{"state", ~0ull, 4},
                            Layout{"state_and_queue", 3, 3}}) {
        if (!find_field(t, l.field)) continue;
        auto s = int_field(ctx, *inner, l.field);
        if (!s) return s.error();
        return (*s & l.mask) == l.complete;
    }
    return err("<error: unknown Once layout {}>", t ? t->name : "?");
}

namespace {

class OnceFormatter final : public Formatter {
public:
    OnceFormatter(std::string_view name, std::vector<std::string_view> paths, OnceContent content)
        : m_name(name), m_paths(std::move(paths)), m_content(content) {}
    std::string_view name() const override { return m_name; }
    bool matches(const Type& t) const override {
        if (t.kind != TypeKind::Struct) return false;
        for (std::string_view p : m_paths)
            if (is_path(t, p)) return true;
        return false;
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto value = m_content(ctx, v);
        if (!value) return error_value(value.error().message);
        const Type& t = *strip(v.type);
        Formatted f = named(Shape::Tuple, std::string(bare_name(t.name)), t, 1);
        if (value->synthetic) f.own.state = "uninit";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return single_child("0", m_content(ctx, v));
    }

private:
    std::string_view m_name;
    std::vector<std::string_view> m_paths;
    OnceContent m_content;
};

} // namespace

std::unique_ptr<Formatter> make_once_formatter(std::string_view name,
                                               std::vector<std::string_view> paths,
                                               OnceContent content) {
    return std::make_unique<OnceFormatter>(name, std::move(paths), content);
}

} // namespace seam::rust_std
