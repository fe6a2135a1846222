// C pointers: `char *` as the C string it points to, function pointers as the address and the
// function, other data pointers as the address with the pointee as the one child.
#include <fmt/format.h>

#include "formatters/c/c_parts.h"

namespace seam::c_values {
namespace {

enum class PointerKind { CString, Function, Data, Opaque };

PointerKind classify(const Type& t) {
    const Type* target = strip(t.target);
    if (!target || target->kind == TypeKind::Void) return PointerKind::Opaque;
    if (target->kind == TypeKind::Function) return PointerKind::Function;
    if (is_char_type(t.target)) return PointerKind::CString;
    // An incomplete struct (`struct file *` without the definition) has nothing to show.
    if (target->declaration) return PointerKind::Opaque;
    return PointerKind::Data;
}

class PointerFormatter final : public Formatter {
public:
    std::string_view name() const override { return "c.pointer"; }
    bool matches(const Type& t) const override { return t.kind == TypeKind::Pointer && is_c(t); }

    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        size_t size = t.has_size && t.size && t.size <= 8 ? t.size : 8;
        auto addr = ctx.read_uint(v, 0, size);
        if (!addr) return error_value(fmt::format("<error: {}>", addr.error().message));
        Formatted f;
        f.type_name = c_type_name(v.type);
        f.own.kind = OwnKind::C;
        f.own.address = *addr;
        f.text = fmt::format("{:#x}", *addr);
        if (*addr == 0) return f;
        switch (classify(t)) {
        case PointerKind::CString: {
            auto s = read_c_string(ctx, *addr, ctx.budget().max_string);
            if (!s) return error_value(fmt::format("<error: {}>", s.error().message));
            f.text = c_string_text(*s);
            f.summary = f.text;
            f.own.length = s->bytes.size();
            return f;
        }
        case PointerKind::Function: {
            std::string fn = ctx.types() ? ctx.types()->function_at(*addr) : std::string();
            if (!fn.empty()) f.text += fmt::format(" <{}>", fn);
            f.own.note = "code";
            return f;
        }
        case PointerKind::Data:
            if (t.is_reference) {
                f.shape = Shape::Transparent;
                f.text.clear();
            }
            f.count = 1;
            return f;
        case PointerKind::Opaque:
            return f;
        }
        return f;
    }

    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Type& t = *strip(v.type);
        if (start != 0 || count == 0 || classify(t) != PointerKind::Data) return {};
        size_t size = t.has_size && t.size && t.size <= 8 ? t.size : 8;
        auto addr = ctx.read_uint(v, 0, size);
        if (!addr)
            return {make_child("*", Value::leaf(fmt::format("<error: {}>", addr.error().message)))};
        return {make_child("*", Value::at(t.target, *addr))};
    }
};

} // namespace

std::unique_ptr<Formatter> make_pointer_formatter() {
    return std::make_unique<PointerFormatter>();
}

} // namespace seam::c_values
