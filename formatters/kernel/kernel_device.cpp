// kernel::device::Device: the kernel's C `struct device`, behind an Opaque. 6.12 has
// `Device(Opaque<bindings::device>)`; from 6.16 it carries a typestate,
// `Device<Ctx: DeviceContext = Normal>(Opaque<bindings::device>, PhantomData<Ctx>)`, Ctx one of
// `Normal`, `Core`, `CoreInternal`, `Bound`: what a driver may do with the device where it holds
// the reference (only a `Device<Bound>` is known to have a driver bound). The typestate is a
// zero-sized type parameter, in the DWARF as the type's template argument and nowhere in memory.
// seam shows the device's name as dev_name() gives it (`init_name` until the device is added,
// then its kobject's name) and the typestate: `"sample0" (Bound)`, as its text (the kernel gives
// Device no Debug). Like Opaque, a wrapper over a C object (`crossing`); its child is the C
// struct.
#include <fmt/format.h>

#include <array>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/render/render.h"
#include "formatters/rust/rust_layout.h"
#include "formatters/rust/rust_std_support.h"

namespace seam::kernel {
namespace {

constexpr uint64_t kMaxName = 256;

// The C struct device inside: the Opaque's value, C's own type where the DWARF has it.
Result<Value> c_device(Context& ctx, const Value& v) {
    auto opaque = ctx.field(v, "__0");
    if (!opaque) return opaque.error();
    Value inner = see_through(*opaque);
    inner.type = c_twin(ctx, inner.type);
    return inner;
}

// The C string a `char *` member points at, read up to its NUL; "" when the pointer is null.
Result<std::string> c_string_member(Context& ctx, const Value& object, const Field& member) {
    auto p = ctx.read_uint(object, member.offset, 8);
    if (!p) return p.error();
    if (*p == 0) return std::string();
    std::string text;
    for (uint64_t at = *p; text.size() < kMaxName; at += 16) {
        std::array<std::byte, 16> chunk{};
        if (auto st = ctx.read_bytes(Value::at(nullptr, at), 0, chunk); !st) {
            if (!text.empty() || at != *p) break; // the string ends near its mapping's end
            return st.error();
        }
        for (std::byte b : chunk) {
            if (b == std::byte{0}) return text;
            text.push_back(static_cast<char>(b));
        }
    }
    return err("a device name at {:#x} longer than {} bytes", *p, kMaxName);
}

// dev_name(): init_name while set, else the kobject's name.
Result<std::string> device_name(Context& ctx, const Value& dev) {
    const Type* t = strip(dev.type);
    if (const Field* init = t ? find_field(t, "init_name") : nullptr) {
        auto name = c_string_member(ctx, dev, *init);
        if (!name || !name->empty()) return name;
    }
    const Field* kobj = t ? find_field(t, "kobj") : nullptr;
    const Field* name = kobj ? find_field(strip(kobj->type), "name") : nullptr;
    if (!name) return std::string();
    return c_string_member(ctx, dev.sub(kobj->type, kobj->offset), *name);
}

// The typestate's own name (`Bound`), or "" for 6.12's Device, which has none.
std::string typestate(const Type& t) {
    const Type* ctx_type = template_arg(&t, 0);
    return ctx_type ? std::string(bare_name(strip(ctx_type)->name)) : "";
}

class DeviceFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.device"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::device::Device");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        const Type& t = *strip(v.type);
        auto dev = c_device(ctx, v);
        if (!dev) return error_value(fmt::format("<error: {}>", dev.error().message));
        // No Debug to follow: the line a reader wants is the name and the typestate, also where
        // the device is shown through a reference (`&Device<Bound>`), so it is the value's text.
        Formatted f;
        f.count = 1;
        f.type_name = rust_layout::display_name(&t);
        f.own.kind = OwnKind::Crossing;
        f.own.address = v.address.value_or(0);
        const Type* c = strip(dev->type);
        f.own.note = c ? c->name : "";
        auto name = device_name(ctx, *dev);
        std::string state = typestate(t);
        if (!name) return error_value(fmt::format("<error: {}>", name.error().message));
        f.text = debug_str(*name);
        if (!state.empty()) f.text += fmt::format(" ({})", state);
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto dev = c_device(ctx, v);
        if (!dev) return {rust_std::error_child("*", dev.error())};
        return {Child{"*", *dev, std::nullopt}};
    }
};

} // namespace

std::unique_ptr<Formatter> make_device_formatter() {
    return std::make_unique<DeviceFormatter>();
}

} // namespace seam::kernel
