#include "formatters/core/context.h"

#include <atomic>
#include <cstring>

namespace seam {

const char* own_kind_name(OwnKind k) {
    switch (k) {
    case OwnKind::Inline:
        return "inline";
    case OwnKind::Owned:
        return "owned";
    case OwnKind::Shared:
        return "shared";
    case OwnKind::Borrowed:
        return "borrowed";
    case OwnKind::BorrowedMut:
        return "borrowed-mut";
    case OwnKind::Cell:
        return "cell";
    case OwnKind::Lock:
        return "lock";
    case OwnKind::Raw:
        return "raw";
    case OwnKind::C:
        return "c";
    case OwnKind::Crossing:
        return "crossing";
    }
    return "inline";
}

Context::Context(MemoryReader& mem, const TypeIndex* types, const Registry& registry, Budget budget)
    : m_mem(mem), m_types(types), m_registry(registry), m_budget(budget) {}

Status Context::read(uint64_t address, std::span<std::byte> out) {
    if (m_usage.bytes + out.size() > m_budget.max_bytes)
        return err("<budget: reading {} more bytes exceeds the {}-byte limit>", out.size(),
                   m_budget.max_bytes);
    m_usage.bytes += out.size();
    ++m_usage.reads;
    return m_mem.read(address, out);
}

Status Context::read_bytes(const Value& v, uint64_t offset, std::span<std::byte> out) {
    if (v.address) return read(*v.address + offset, out);
    if (!v.bytes) return err("value has no storage");
    uint64_t start = v.bytes_offset + offset;
    if (start + out.size() > v.bytes->size())
        return err("read of {} bytes at offset {} is past the {}-byte value", out.size(), start,
                   v.bytes->size());
    std::memcpy(out.data(), v.bytes->data() + start, out.size());
    return ok_status();
}

Result<uint64_t> Context::read_uint(const Value& v, uint64_t offset, size_t size) {
    if (size == 0 || size > 8) return err("cannot read a {}-byte integer", size);
    std::byte buf[8] = {};
    SEAM_TRY(read_bytes(v, offset, std::span<std::byte>(buf, size)));
    uint64_t r = 0;
    for (size_t i = 0; i < size; ++i) r |= uint64_t(std::to_integer<uint8_t>(buf[i])) << (8 * i);
    return r;
}

Result<Value> Context::field(const Value& v, std::string_view name) {
    const Type* t = strip(v.type);
    const Field* f = find_field(t, name);
    if (!f) return err("{} has no field {}", t ? t->name : std::string("<no type>"), name);
    return v.sub(f->type, f->offset);
}

Result<Value> Context::path(const Value& v, std::initializer_list<std::string_view> names) {
    Value cur = v;
    for (auto n : names) {
        auto next = field(cur, n);
        if (!next) return next.error();
        cur = std::move(*next);
    }
    return cur;
}

Result<uint64_t> Context::uint_at(const Value& v, std::initializer_list<std::string_view> names) {
    auto f = path(v, names);
    if (!f) return f.error();
    const Type* t = strip(f->type);
    if (!t || !t->has_size) return err("field has no size");
    return read_uint(*f, 0, t->size);
}

bool Context::take_elements(uint64_t n) {
    if (m_usage.elements + n > m_budget.max_elements) return false;
    m_usage.elements += n;
    return true;
}

Formatted Context::format(const Value& v) {
    if (v.synthetic) return leaf(*v.synthetic);
    if (m_depth >= m_budget.max_depth)
        return error_value(fmt::format("<budget: nesting deeper than {}>", m_budget.max_depth));
    DepthGuard guard(*this);
    const Type* t = strip(v.type);
    if (!t) return error_value("<error: value has no type>");
    const Formatter* f = m_registry.find(t);
    if (!f) return error_value(fmt::format("<error: no formatter for {}>", t->name));
    Formatted out = f->format(*this, v);
    out.formatter = f;
    out.value = v;
    return out;
}

std::vector<Child> Context::children(const Formatted& f, uint64_t start, uint64_t count) {
    if (!f.formatter || start >= f.count) return {};
    count = std::min(count, f.count - start);
    DepthGuard guard(*this);
    return f.formatter->children(*this, f.value, start, count);
}

Registry::Registry() {
    static std::atomic<uint64_t> next{1};
    m_serial = next++;
}

const Formatter* Registry::find(const Type* t) const {
    t = strip(t);
    if (!t) return nullptr;
    if (t->memo_registry == m_serial) return static_cast<const Formatter*>(t->memo_formatter);
    const Formatter* found = nullptr;
    for (const auto& f : m_formatters)
        if (f->matches(*t)) {
            found = f.get();
            break;
        }
    t->memo_registry = m_serial;
    t->memo_formatter = found;
    return found;
}

} // namespace seam
