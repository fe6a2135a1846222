#pragma once
/// Test support for the generic Rust and C formatter tests: types built by hand the way the
/// DWARF reader builds them from rustc's and gcc's output, and a target memory of byte blocks.
#include <cstring>
#include <deque>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/render/render.h"

namespace seam::generic_test {

class BlockMemory : public MemoryReader {
public:
    Status read(uint64_t address, std::span<std::byte> out) override {
        for (const auto& [start, bytes] : m_blocks)
            if (address >= start && address + out.size() <= start + bytes.size()) {
                std::memcpy(out.data(), bytes.data() + (address - start), out.size());
                return ok_status();
            }
        return err("unmapped 0x{:x}", address);
    }
    void put(uint64_t address, std::vector<uint8_t> bytes) {
        std::vector<std::byte> b(bytes.size());
        std::memcpy(b.data(), bytes.data(), bytes.size());
        m_blocks[address] = std::move(b);
    }

private:
    std::map<uint64_t, std::vector<std::byte>> m_blocks;
};

/// Little-endian bytes of `x`, `n` long.
inline std::vector<uint8_t> le(uint64_t x, size_t n) {
    std::vector<uint8_t> out(n);
    for (size_t i = 0; i < n && i < 8; ++i) out[i] = uint8_t(x >> (8 * i));
    return out;
}
inline std::vector<uint8_t> cat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

class Types {
public:
    explicit Types(Lang lang) : m_lang(lang) {}

    Type& make(TypeKind kind, std::string name, uint64_t size) {
        Type& t = m_types.emplace_back();
        t.kind = kind;
        t.lang = m_lang;
        t.name = t.qualified = std::move(name);
        t.size = size;
        t.has_size = true;
        t.id = m_types.size();
        return t;
    }
    const Type* base(std::string name, Encoding e, uint64_t size) {
        Type& t = make(TypeKind::Base, std::move(name), size);
        t.encoding = e;
        return &t;
    }
    const Type* pointer(std::string name, const Type* target) {
        Type& t = make(TypeKind::Pointer, std::move(name), 8);
        t.target = target;
        return &t;
    }
    const Type* array(const Type* elem, std::vector<std::optional<uint64_t>> dims) {
        uint64_t n = 1;
        for (auto d : dims) n *= d.value_or(0);
        Type& t = make(TypeKind::Array, "", n * elem->size);
        t.target = elem;
        t.dims = std::move(dims);
        return &t;
    }
    static Field field(std::string name, const Type* type, uint64_t offset) {
        Field f;
        f.name = std::move(name);
        f.type = type;
        f.offset = offset;
        return f;
    }
    Type& record(TypeKind kind, std::string name, uint64_t size, std::vector<Field> fields) {
        Type& t = make(kind, std::move(name), size);
        t.fields = std::move(fields);
        return t;
    }
    /// A Rust variant struct: the type of one variant's member.
    Variant variant(std::string name, uint64_t size, std::vector<Field> fields,
                    std::vector<uint64_t> discr, bool is_default = false) {
        Variant v;
        for (auto d : discr) v.discr_values.push_back(Int128{d, 0});
        v.is_default = is_default;
        v.member.name = name;
        v.member.type = &record(TypeKind::Struct, name, size, std::move(fields));
        return v;
    }

private:
    Lang m_lang;
    // Never freed: the registry caches formatters by `const Type*`, and a later test's type
    // must not reuse an address it has seen.
    std::deque<Type>& m_types = *new std::deque<Type>;
};

/// Memory, registry and both Debug renderings of a value.
struct Env {
    BlockMemory mem;
    std::string debug(const Value& v, bool pretty = false) {
        Context ctx(mem, nullptr, builtin_registry());
        return render_debug(ctx, v, pretty);
    }
    Formatted format(const Value& v) {
        Context ctx(mem, nullptr, builtin_registry());
        return ctx.format(v);
    }
};

} // namespace seam::generic_test
