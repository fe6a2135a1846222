#pragma once
/// Test support for the engine tests that need no compiled fixture: a target memory of byte
/// blocks, and types built by hand the way the DWARF reader builds them from rustc's and gcc's
/// output. Used by the generic Rust/C, pointer, string/sequence and map tests.
#include <cstring>
#include <deque>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/render/render.h"

namespace seam::fake_target {

/// A sparse address space: a read succeeds only inside the one stored block that starts at or
/// below it. Optionally one generated region (element i of an array of `width`-byte integers
/// is i), so that a ten-million-element Vec needs no 40 MB of test memory. Every read is logged
/// in `reads` unless `log_reads` is false (the benchmarks: a log would distort their timings;
/// the Context counts reads there).
class FakeMemory : public MemoryReader {
public:
    bool log_reads = true;

    /// Maps a zeroed block of `size` bytes at `address` and gives it to fill in place.
    std::vector<std::byte>& block(uint64_t address, uint64_t size) {
        auto& b = m_blocks[address];
        b.assign(size, std::byte{0});
        return b;
    }
    /// Maps a block at `address` (replacing one that starts there).
    void put_bytes(uint64_t address, std::vector<std::byte> bytes) {
        m_blocks[address] = std::move(bytes);
    }
    void put(uint64_t address, const std::vector<uint8_t>& bytes) {
        std::vector<std::byte> b(bytes.size());
        std::memcpy(b.data(), bytes.data(), bytes.size());
        put_bytes(address, std::move(b));
    }
    void put_text(uint64_t address, std::string_view s) {
        put_bytes(address,
                  std::vector<std::byte>(reinterpret_cast<const std::byte*>(s.data()),
                                         reinterpret_cast<const std::byte*>(s.data() + s.size())));
    }
    /// Overwrites bytes inside an already mapped block.
    void poke_u64(uint64_t address, uint64_t v) { poke(address, &v, 8); }
    void poke_u16(uint64_t address, uint16_t v) { poke(address, &v, 2); }
    void generate(uint64_t address, uint64_t bytes, unsigned width = 4) {
        m_gen = {address, bytes};
        m_width = width;
    }

    Status read(uint64_t address, std::span<std::byte> out) override {
        if (log_reads) reads.emplace_back(address, out.size());
        if (address >= m_gen.first && address + out.size() <= m_gen.first + m_gen.second) {
            for (size_t i = 0; i < out.size(); ++i) {
                uint64_t off = address - m_gen.first + i;
                out[i] = std::byte((off / m_width) >> (8 * (off % m_width)) & 0xff);
            }
            return ok_status();
        }
        auto it = m_blocks.upper_bound(address);
        if (it == m_blocks.begin()) return err("unmapped {:#x}", address);
        --it;
        if (address + out.size() > it->first + it->second.size())
            return err("unmapped {:#x}", address);
        std::memcpy(out.data(), it->second.data() + (address - it->first), out.size());
        return ok_status();
    }
    std::vector<std::pair<uint64_t, uint64_t>> reads; ///< (address, size) of every read

private:
    void poke(uint64_t address, const void* p, size_t n) {
        auto it = --m_blocks.upper_bound(address);
        std::memcpy(it->second.data() + (address - it->first), p, n);
    }
    std::map<uint64_t, std::vector<std::byte>> m_blocks;
    std::pair<uint64_t, uint64_t> m_gen{0, 0};
    unsigned m_width = 4;
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

    /// A type named `name`, qualified `qualified` (the name when empty).
    Type& make(TypeKind kind, std::string name, uint64_t size, std::string qualified = "") {
        Type& t = m_types.emplace_back();
        t.kind = kind;
        t.lang = m_lang;
        t.qualified = qualified.empty() ? name : std::move(qualified);
        t.name = std::move(name);
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
    /// Named as the DWARF reader names an unnamed array, after its element
    /// (`alloc::string::String[2]`): a formatter must not take it for the element's type.
    const Type* array(const Type* elem, std::vector<std::optional<uint64_t>> dims) {
        uint64_t n = 1;
        std::string name = elem->qualified;
        for (auto d : dims) {
            n *= d.value_or(0);
            name += d ? "[" + std::to_string(*d) + "]" : "[]";
        }
        Type& t = make(TypeKind::Array, name, n * elem->size);
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
    static void add(Type& t, std::string name, const Type* type, uint64_t offset) {
        t.fields.push_back(field(std::move(name), type, offset));
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
    // Never freed: a later test's type must not reuse an address an earlier one has seen. Held
    // by a static list, so that they stay reachable (LeakSanitizer, tests/sanitize/run.sh).
    static std::deque<Type>& kept_types() {
        static std::deque<std::deque<Type>> all;
        return all.emplace_back();
    }
    std::deque<Type>& m_types = kept_types();
};

/// Rust's primitive types as rustc names them, on top of the builder.
struct RustTypes : Types {
    RustTypes() : Types(Lang::Rust) {}
    const Type* u8 = base("u8", Encoding::Unsigned, 1);
    const Type* u16 = base("u16", Encoding::Unsigned, 2);
    const Type* u32 = base("u32", Encoding::Unsigned, 4);
    const Type* i32 = base("i32", Encoding::Signed, 4);
    const Type* u64 = base("u64", Encoding::Unsigned, 8);
    const Type* usize = base("usize", Encoding::Unsigned, 8);
    const Type* isize = base("isize", Encoding::Signed, 8);
    const Type* u128 = base("u128", Encoding::Unsigned, 16);
    const Type* i128 = base("i128", Encoding::Signed, 16);
    const Type* boolean = base("bool", Encoding::Bool, 1);
    const Type* ch = base("char", Encoding::Utf, 4);
    const Type* f64 = base("f64", Encoding::Float, 8);
    const Type* unit = base("()", Encoding::Unsigned, 0);

    /// NonNull<T> { pointer: *const T }, named as `NonNull<T>` with no path.
    const Type* non_null(const Type* target) {
        const Type* p = pointer("*const " + target->name, target);
        return &record(TypeKind::Struct, "NonNull<" + target->name + ">", 8,
                       {field("pointer", p, 0)});
    }
};

/// rustc 1.95's Vec<T> and String over the primitives, laid out as the DWARF reader builds
/// them: RawVec<T> is a type-erased RawVecInner with the capacity first.
struct RustStdTypes : RustTypes {
    Type* raw_vec(const Type* elem) {
        Type* nn = &make(TypeKind::Struct, "NonNull<u8>", 8, "core::ptr::non_null::NonNull<u8>");
        add(*nn, "pointer", pointer("*const u8", u8), 0);
        Type* unique = &make(TypeKind::Struct, "Unique<u8>", 8, "core::ptr::unique::Unique<u8>");
        add(*unique, "pointer", nn, 0);
        Type* cap =
            &make(TypeKind::Struct, "UsizeNoHighBit", 8, "core::num::niche_types::UsizeNoHighBit");
        add(*cap, "__0", usize, 0);
        Type* inner = &make(TypeKind::Struct, "RawVecInner<alloc::alloc::Global>", 16,
                            "alloc::raw_vec::RawVecInner<alloc::alloc::Global>");
        add(*inner, "ptr", unique, 8);
        add(*inner, "cap", cap, 0);
        Type* rv = &make(TypeKind::Struct, "RawVec<" + elem->name + ", alloc::alloc::Global>", 16,
                         "alloc::raw_vec::RawVec<" + elem->name + ", alloc::alloc::Global>");
        rv->template_params.push_back({"T", elem});
        add(*rv, "inner", inner, 0);
        return rv;
    }
    const Type* vec(const Type* elem) {
        std::string n = "Vec<" + elem->name + ", alloc::alloc::Global>";
        Type* v = &make(TypeKind::Struct, n, 24, "alloc::vec::" + n);
        v->template_params.push_back({"T", elem});
        add(*v, "buf", raw_vec(elem), 0);
        add(*v, "len", usize, 16);
        return v;
    }
    const Type* string() {
        Type* s = &make(TypeKind::Struct, "String", 24, "alloc::string::String");
        add(*s, "vec", vec(u8), 0);
        return s;
    }
};

/// The header of a Vec (or String) at `at` as rustc 1.95 lays it out: cap, ptr, len.
inline void vec_header(FakeMemory& mem, uint64_t at, uint64_t ptr, uint64_t len, uint64_t cap) {
    mem.put(at, cat({le(cap, 8), le(ptr, 8), le(len, 8)}));
}

/// Memory, registry and both Debug renderings of a value.
struct Env {
    FakeMemory mem;
    std::string debug(const Value& v, bool pretty = false) {
        Context ctx(mem, nullptr, builtin_registry());
        return render_debug(ctx, v, pretty);
    }
    Formatted format(const Value& v) {
        Context ctx(mem, nullptr, builtin_registry());
        return ctx.format(v);
    }
};

} // namespace seam::fake_target
