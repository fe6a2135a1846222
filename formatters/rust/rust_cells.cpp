// Interior mutability: Cell, RefCell and its Ref/RefMut guards, OnceCell, UnsafeCell, and
// MaybeUninit. ManuallyDrop is left to the generic formatter: its Debug is derived
// (`ManuallyDrop { value: MaybeDangling(5) }` in rustc 1.95, `{ value: 5 }` before MaybeDangling).
#include <fmt/format.h>

#include "formatters/rust/families.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam {
namespace {

using rust_std::error_child;
using rust_std::is_path;
using rust_std::named;
using rust_std::single_child;

// Cell<T> { value: UnsafeCell<T> { value: T } }; Debug: `Cell { value: 5 }`.
class CellFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.cell"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "core::cell::Cell");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        Formatted f = named(Shape::Struct, "Cell", *strip(v.type), 1);
        if (auto inner = content(ctx, v)) f.summary = rust_std::nested_summary(ctx, *inner);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return single_child("value", content(ctx, v));
    }

private:
    static Result<Value> content(Context& ctx, const Value& v) {
        return rust_std::unsafe_cell_field(ctx, v, "value");
    }
};

// RefCell<T> { borrow: Cell<isize>, value: UnsafeCell<T> }: the flag counts readers when
// positive and writers (RefMut::map_split makes several) when negative. Debug goes through
// try_borrow(), so a written RefCell prints `RefCell { value: <borrowed> }`.
class RefCellFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.refcell"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && is_path(t, "core::cell::RefCell");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto flag = borrow_flag(ctx, v);
        if (!flag) return error_value(flag.error().message);
        Formatted f = named(Shape::Struct, "RefCell", *strip(v.type), 1);
        f.own.kind = OwnKind::Cell;
        if (*flag == 0)
            f.own.state = "free";
        else if (*flag > 0)
            f.own.state = fmt::format("reading {}", *flag);
        else
            f.own.state = *flag == -1 ? "writing" : fmt::format("writing ({} RefMuts)", -*flag);
        // The debugger can show what Debug cannot: the value under a live RefMut.
        if (!rust_std::in_nested_summary())
            f.summary = rust_std::summary_with_content(ctx, f.own.state, content(ctx, v));
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto flag = borrow_flag(ctx, v);
        if (!flag) return {error_child("value", flag.error())};
        if (*flag < 0) return {Child{"value", Value::leaf("<borrowed>"), std::nullopt}};
        return single_child("value", content(ctx, v));
    }
    // The value under a live RefMut is memory all the same: the ownership graph walks it.
    std::vector<Child> memory_children(Context& ctx, const Value& v, uint64_t start,
                                       uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return single_child("value", content(ctx, v));
    }

private:
    static Result<int64_t> borrow_flag(Context& ctx, const Value& v) {
        auto flag = rust_std::int_field(ctx, v, "borrow");
        if (!flag)
            return err("<error: cannot read the RefCell's borrow flag: {}>", flag.error().message);
        return int64_t(*flag);
    }
    static Result<Value> content(Context& ctx, const Value& v) {
        return rust_std::unsafe_cell_field(ctx, v, "value");
    }
};

// Ref<T> / RefMut<T> { value: NonNull<T>, borrow, .. }: Debug prints the T.
class RefGuardFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.refcell-guard"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               (is_path(t, "core::cell::Ref") || is_path(t, "core::cell::RefMut")) &&
               find_field(&t, "value");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        auto target = pointee(ctx, v);
        if (!target) return error_value(target.error().message);
        bool mut = is_path(*strip(v.type), "core::cell::RefMut");
        Formatted f =
            rust_std::guard_of(v, *target, mut ? OwnKind::BorrowedMut : OwnKind::Borrowed);
        // BorrowRef / BorrowRefMut { borrow: &Cell<BorrowFlag> }: the RefCell's own flag, so
        // the graph ties the guard to the very cell whose bytes hold it.
        if (auto flag = ctx.path(v, {"borrow", "borrow"}))
            if (auto at = rust_std::address_of(ctx, *flag)) f.own.guarded = *at;
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        return single_child("*", pointee(ctx, v));
    }

private:
    // The guarded value. A guard mapped to a slice or str (Ref::map) holds a fat NonNull; the
    // program's `&[T]`/`&str` type of the same layout then prints it.
    static Result<Value> pointee(Context& ctx, const Value& v) {
        auto nonnull = ctx.field(v, "value");
        if (!nonnull) return nonnull.error();
        if (const Type* target = rust_std::pointee_of(*nonnull)) {
            auto addr = rust_std::address_of(ctx, *nonnull);
            if (!addr) return addr.error();
            return Value::at(target, *addr);
        }
        auto fat = ctx.field(*nonnull, "pointer");
        if (!fat) return fat.error();
        std::string_view n = strip(fat->type)->name;
        for (std::string_view raw : {"*const ", "*mut "}) {
            if (!n.starts_with(raw) || !ctx.types()) continue;
            const Type* ref = ctx.types()->find_type(fmt::format("&{}", n.substr(raw.size())));
            if (ref) return fat->sub(ref, 0);
        }
        return err("<error: no reference type to show {}>", n);
    }
};

// OnceCell<T> { inner: UnsafeCell<Option<T>> }: `OnceCell(5)`, `OnceCell(<uninit>)`;
// LazyCell<T, F> { state: UnsafeCell<State<T, F>> } with State Uninit(F) / Init(T) / Poisoned:
// `LazyCell("lazy")`, `LazyCell(<uninit>)` (poisoned too).
Result<Value> once_cell_content(Context& ctx, const Value& v) {
    bool lazy = find_field(strip(v.type), "state") != nullptr;
    auto state = rust_std::unsafe_cell_field(ctx, v, lazy ? "state" : "inner");
    if (!state) return state.error();
    auto variant = rust_layout::active_variant(ctx, *state);
    if (!variant) return variant.error();
    const Field& m = (*variant)->member;
    if (m.name != (lazy ? "Init" : "Some")) return Value::leaf("<uninit>");
    auto set = state->sub(m.type, m.offset);
    auto inner = ctx.field(set, "__0");
    if (!inner) return inner.error();
    return *inner;
}

// UnsafeCell<T> and SyncUnsafeCell<T> print `UnsafeCell { .. }`; the summary shows the value.
class UnsafeCellFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.unsafecell"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct &&
               (is_path(t, "core::cell::UnsafeCell") || is_path(t, "core::cell::SyncUnsafeCell"));
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        Formatted f = named(Shape::Struct, std::string(bare_name(t.name)), t, 0);
        f.non_exhaustive = true;
        if (auto inner = rust_std::unsafe_cell_value(ctx, v)) {
            std::string shown = rust_std::nested_summary(ctx, *inner);
            if (!shown.empty()) f.summary = fmt::format("{} {{ {} }}", f.text, shown);
        }
        return f;
    }
};

// MaybeUninit<T> prints `MaybeUninit<T>` with T as std::any::type_name spells it. Its Debug
// printed the whole type_name (`core::mem::maybe_uninit::MaybeUninit<u32>`) until rustc 1.85
// trimmed the path (rust-lang/rust#133282); which one is chosen by the unit's rustc version.
class MaybeUninitFormatter final : public Formatter {
public:
    std::string_view name() const override { return "rust.maybeuninit"; }
    bool matches(const Type& t) const override {
        return (t.kind == TypeKind::Union || t.kind == TypeKind::Struct) &&
               is_path(t, "core::mem::maybe_uninit::MaybeUninit");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        std::string full = rust_std::type_name_of(&t);
        auto lt = full.find('<');
        std::string arg = lt == std::string::npos || full.back() != '>'
                              ? std::string("?")
                              : full.substr(lt + 1, full.size() - lt - 2);
        std::string_view path = rustc_at_least(&t, 1, 85) ? "" : "core::mem::maybe_uninit::";
        Formatted f = leaf(fmt::format("{}MaybeUninit<{}>", path, arg));
        f.type_name = rust_layout::display_name(&t);
        f.own.note = "contents may be uninitialised";
        // What it holds is never dropped by it; whether it holds anything, only the program knows.
        if (!rust_std::in_nested_summary())
            f.summary = f.text + " (may be uninitialised; never dropped)";
        return f;
    }
};

} // namespace

void register_rust_cells(Registry& r) {
    r.add(std::make_unique<CellFormatter>());
    r.add(std::make_unique<RefCellFormatter>());
    r.add(std::make_unique<RefGuardFormatter>());
    r.add(rust_std::make_once_formatter(
        "rust.oncecell", {"core::cell::once::OnceCell", "core::cell::lazy::LazyCell"},
        once_cell_content));
    r.add(std::make_unique<UnsafeCellFormatter>());
    r.add(std::make_unique<MaybeUninitFormatter>());
}

} // namespace seam
