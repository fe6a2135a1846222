// The DWARF expression stack machine, for variable locations. It reads target memory only
// through the MemoryReader (DW_OP_deref, pieces in memory) and registers only through the
// FrameState, and gives up with a message on what a debugger would need more context for
// (entry values, TLS, typed stack ops).
#include <algorithm>
#include <cstring>

#include <dwarf.h>

#include "formatters/dwarf/debug_info.h"
#include "formatters/dwarf/dwarf_forms.h"

namespace seam {

namespace {

constexpr unsigned kMaxSteps = 10'000;   // DW_OP_skip/bra can loop
constexpr uint64_t kMaxPiece = 1u << 20; // a piece larger than this is corrupt DWARF

// An expression's bytes: dwarf::Cursor's bounded little-endian and LEB128 reads, plus the
// position arithmetic DW_OP_skip and DW_OP_bra need.
class Cursor {
public:
    explicit Cursor(const std::vector<uint8_t>& e)
        : m_c{e.data(), e.data() + e.size()}, m_begin(e.data()) {}
    bool done() const { return m_c.p >= m_c.end; }
    bool ok() const { return !m_c.bad; }
    size_t pos() const { return size_t(m_c.p - m_begin); }
    bool jump(int64_t delta) {
        int64_t target = int64_t(pos()) + delta;
        if (target < 0 || target > m_c.end - m_begin) {
            m_c.bad = true;
            return false;
        }
        m_c.p = m_begin + target;
        return true;
    }
    uint8_t u8() { return m_c.u8(); }
    uint64_t fixed(int n) { return m_c.fixed(unsigned(n)); }
    int64_t sfixed(int n) {
        uint64_t v = fixed(n);
        if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);
        return int64_t(v);
    }
    uint64_t uleb() { return m_c.uleb(); }
    int64_t sleb() { return m_c.sleb(); }
    const uint8_t* bytes(uint64_t n) {
        if (!m_c.need(n)) return nullptr;
        const uint8_t* p = m_c.p;
        m_c.p += n;
        return p;
    }

private:
    dwarf::Cursor m_c;
    const uint8_t* m_begin;
};

std::vector<std::byte> le_bytes(uint64_t v, uint64_t size) {
    std::vector<std::byte> out(size);
    for (uint64_t i = 0; i < size && i < 8; ++i) out[i] = std::byte(v >> (8 * i));
    return out;
}

uint64_t value_size(const Type* t) {
    const Type* s = strip(t);
    if (t && t->has_size) return t->size;
    if (s && s->has_size) return s->size;
    return 8;
}

/// Where the value computed so far lives, before a DW_OP_piece or the end takes it.
struct Location {
    enum Kind { None, Memory, Register, Stack, Implicit } kind = None;
    unsigned regno = 0;
    std::vector<std::byte> implicit;
};

class Machine {
public:
    Machine(const FrameState& frame, MemoryReader& mem, uint64_t bias,
            const std::vector<uint8_t>* frame_base)
        : m_frame(frame), m_mem(mem), m_bias(bias), m_frame_base(frame_base) {}

    Result<Value> evaluate(const std::vector<uint8_t>& expr, const Type* t) {
        if (expr.empty()) return err("optimised out");
        SEAM_TRY(run(expr));
        uint64_t size = value_size(t);
        if (m_has_pieces) return assembled(t, size);
        if (m_loc.kind == Location::None && !m_stack.empty()) m_loc.kind = Location::Memory;
        switch (m_loc.kind) {
        case Location::Memory:
            return Value::at(t, m_stack.back());
        case Location::None:
            return err("optimised out");
        default: {
            auto bytes = take(size);
            if (!bytes) return bytes.error();
            return Value::held(t, std::move(*bytes));
        }
        }
    }

    /// DW_AT_frame_base: a register location means the register's value (rustc: DW_OP_reg7);
    /// anything else the computed address (gcc: DW_OP_call_frame_cfa).
    Result<uint64_t> frame_base_value(const std::vector<uint8_t>& expr) {
        SEAM_TRY(run(expr));
        if (m_loc.kind == Location::Register) return reg(m_loc.regno);
        if (m_stack.empty()) return err("empty frame base");
        return m_stack.back();
    }

private:
    /// The value the pieces make. LLVM describes a value split over registers piece by piece
    /// and leaves out the pieces it lost (an empty piece, or none past the last): rustc -O2
    /// keeps a `&CStr`'s pointer on the stack and drops its length. Missing padding is fine
    /// (zeros); a missing field fails the whole value, naming the field, rather than handing
    /// the formatters bytes that are not the value's.
    Result<Value> assembled(const Type* t, uint64_t size) {
        if (m_pieces.size() < size && size <= kMaxPiece) {
            note_missing(m_pieces.size(), size);
            m_pieces.resize(size);
        }
        if (!m_missing.empty()) {
            auto lost = lost_part(t);
            if (lost) return err("part of the value is optimised out ({})", *lost);
        }
        return Value::held(t, std::move(m_pieces));
    }

    void note_missing(uint64_t from, uint64_t to) {
        if (!m_missing.empty() && m_missing.back().second == from)
            m_missing.back().second = to;
        else
            m_missing.emplace_back(from, to);
    }

    /// What the missing byte ranges take from a value of type `t`: the fields they overlap,
    /// "bytes A..B" where the type has no fields to name, or nothing when only padding is lost.
    std::optional<std::string> lost_part(const Type* t) const {
        auto overlaps = [&](uint64_t lo, uint64_t hi) {
            return std::any_of(m_missing.begin(), m_missing.end(),
                               [&](const auto& m) { return lo < m.second && m.first < hi; });
        };
        const Type* s = strip(t);
        bool plain =
            s && (s->kind == TypeKind::Struct || s->kind == TypeKind::Union) && !s->variant_part;
        if (!plain) {
            const auto& m = m_missing.front();
            return fmt::format("bytes {}..{}", m.first, m.second);
        }
        std::string names;
        for (const Field& f : s->fields) {
            const Type* ft = strip(f.type);
            uint64_t len = f.bit_size ? (f.bit_offset + f.bit_size + 7) / 8
                                      : (ft && ft->has_size ? ft->size : 0);
            if (len == 0 || !overlaps(f.offset, f.offset + len)) continue;
            if (!names.empty()) names += ", ";
            names += "field `" + (f.name.empty() ? std::string("<anonymous>") : f.name) + "`";
        }
        if (names.empty()) return std::nullopt;
        return names;
    }

    Result<uint64_t> reg(unsigned regno) {
        if (auto v = m_frame.reg(regno)) return *v;
        if (auto b = m_frame.reg_bytes(regno); b && !b->empty()) {
            uint64_t v = 0;
            std::memcpy(&v, b->data(), std::min<size_t>(8, b->size()));
            return v;
        }
        return err("register {} is not available in this frame", regno);
    }

    Result<std::vector<std::byte>> reg_bytes(unsigned regno, uint64_t size) {
        // General registers (0-16) are 8 bytes; vector registers come as raw bytes.
        if (regno > 16) {
            if (auto b = m_frame.reg_bytes(regno)) {
                b->resize(size);
                return std::move(*b);
            }
        }
        auto v = reg(regno);
        if (!v) return v.error();
        return le_bytes(*v, size);
    }

    /// The bytes of the current location (for a piece of `size`, or the whole value).
    Result<std::vector<std::byte>> take(uint64_t size) {
        switch (m_loc.kind) {
        case Location::Register:
            return reg_bytes(m_loc.regno, size);
        case Location::Stack:
            if (m_stack.empty()) return err("DW_OP_stack_value on an empty stack");
            return le_bytes(m_stack.back(), size);
        case Location::Implicit: {
            auto b = m_loc.implicit;
            b.resize(size);
            return b;
        }
        case Location::Memory:
        case Location::None: {
            if (m_stack.empty()) return err("part of the value is optimised out");
            std::vector<std::byte> b(size);
            SEAM_TRY(m_mem.read(m_stack.back(), b));
            return b;
        }
        }
        return err("bad location");
    }

    Result<uint64_t> pop() {
        if (m_stack.empty()) return err("DWARF expression stack underflow");
        uint64_t v = m_stack.back();
        m_stack.pop_back();
        return v;
    }

    Status binary(uint8_t op) {
        auto b = pop();
        if (!b) return b.error();
        auto a = pop();
        if (!a) return a.error();
        uint64_t x = *a, y = *b, r = 0;
        auto sx = int64_t(x), sy = int64_t(y);
        switch (op) {
        case DW_OP_plus:
            r = x + y;
            break;
        case DW_OP_minus:
            r = x - y;
            break;
        case DW_OP_mul:
            r = x * y;
            break;
        case DW_OP_and:
            r = x & y;
            break;
        case DW_OP_or:
            r = x | y;
            break;
        case DW_OP_xor:
            r = x ^ y;
            break;
        case DW_OP_shl:
            r = y >= 64 ? 0 : x << y;
            break;
        case DW_OP_shr:
            r = y >= 64 ? 0 : x >> y;
            break;
        case DW_OP_shra:
            r = uint64_t(y >= 64 ? (sx < 0 ? -1 : 0) : sx >> y);
            break;
        case DW_OP_div:
            if (y == 0) return err("DW_OP_div by zero");
            r = uint64_t(sx / sy);
            break;
        case DW_OP_mod:
            if (y == 0) return err("DW_OP_mod by zero");
            r = x % y;
            break;
        case DW_OP_eq:
            r = sx == sy;
            break;
        case DW_OP_ne:
            r = sx != sy;
            break;
        case DW_OP_lt:
            r = sx < sy;
            break;
        case DW_OP_gt:
            r = sx > sy;
            break;
        case DW_OP_le:
            r = sx <= sy;
            break;
        case DW_OP_ge:
            r = sx >= sy;
            break;
        default:
            return err("bad binary op {:#x}", op);
        }
        m_stack.push_back(r);
        return ok_status();
    }

    /// DW_OP_piece is bit_piece(8 * size, 0). Bits are appended after those already
    /// assembled, least significant first (little-endian target).
    Status bit_piece(uint64_t nbits, uint64_t offset) {
        if (nbits > kMaxPiece * 8 || offset > kMaxPiece * 8)
            return err("DW_OP_piece of {} bits", nbits);
        if (m_loc.kind == Location::None && m_stack.empty()) {
            // An empty location: this piece is optimised out.
            note_missing(m_bits / 8, (m_bits + nbits + 7) / 8);
            m_pieces.resize((m_bits + nbits + 7) / 8);
            m_bits += nbits;
            m_has_pieces = true;
            return ok_status();
        }
        auto src = take((offset + nbits + 7) / 8);
        if (!src) return src.error();
        m_pieces.resize((m_bits + nbits + 7) / 8);
        if (offset % 8 == 0 && m_bits % 8 == 0 && nbits % 8 == 0) {
            std::copy_n(src->begin() + offset / 8, nbits / 8, m_pieces.begin() + m_bits / 8);
        } else {
            for (uint64_t i = 0; i < nbits; ++i) {
                uint64_t from = offset + i, to = m_bits + i;
                auto bit = (std::to_integer<unsigned>((*src)[from / 8]) >> (from % 8)) & 1u;
                if (bit) m_pieces[to / 8] |= std::byte(1u << (to % 8));
            }
        }
        m_bits += nbits;
        m_has_pieces = true;
        m_loc = Location{};
        m_stack.clear();
        return ok_status();
    }

    Status deref(uint64_t size) {
        auto addr = pop();
        if (!addr) return addr.error();
        if (size == 0 || size > 8) return err("DW_OP_deref_size {}", size);
        std::vector<std::byte> b(size);
        SEAM_TRY(m_mem.read(*addr, b));
        uint64_t v = 0;
        std::memcpy(&v, b.data(), size);
        m_stack.push_back(v);
        return ok_status();
    }

    Status run(const std::vector<uint8_t>& expr) {
        Cursor c(expr);
        for (unsigned steps = 0; !c.done(); ++steps) {
            if (steps > kMaxSteps) return err("DWARF expression does not terminate");
            uint8_t op = c.u8();
            SEAM_TRY(step(op, c));
            if (!c.ok()) return err("truncated DWARF expression (op {:#x})", op);
        }
        return ok_status();
    }

    Status step(uint8_t op, Cursor& c) {
        if (op >= DW_OP_lit0 && op <= DW_OP_lit31) return push(op - DW_OP_lit0);
        if (op >= DW_OP_reg0 && op <= DW_OP_reg31) return set_register(op - DW_OP_reg0);
        if (op >= DW_OP_breg0 && op <= DW_OP_breg31)
            return push_register(op - DW_OP_breg0, c.sleb());
        switch (op) {
        case DW_OP_addr:
            return push(c.fixed(8) + m_bias);
        case DW_OP_const1u:
            return push(c.fixed(1));
        case DW_OP_const1s:
            return push(uint64_t(c.sfixed(1)));
        case DW_OP_const2u:
            return push(c.fixed(2));
        case DW_OP_const2s:
            return push(uint64_t(c.sfixed(2)));
        case DW_OP_const4u:
            return push(c.fixed(4));
        case DW_OP_const4s:
            return push(uint64_t(c.sfixed(4)));
        case DW_OP_const8u:
        case DW_OP_const8s:
            return push(c.fixed(8));
        case DW_OP_constu:
            return push(c.uleb());
        case DW_OP_consts:
            return push(uint64_t(c.sleb()));
        case DW_OP_regx:
            return set_register(unsigned(c.uleb()));
        case DW_OP_bregx: {
            auto regno = unsigned(c.uleb());
            return push_register(regno, c.sleb());
        }
        case DW_OP_fbreg: {
            int64_t off = c.sleb();
            if (!m_frame_base || m_frame_base->empty())
                return err("DW_OP_fbreg without a frame base");
            Machine sub(m_frame, m_mem, m_bias, nullptr);
            auto base = sub.frame_base_value(*m_frame_base);
            if (!base) return base.error();
            return push(*base + uint64_t(off));
        }
        case DW_OP_call_frame_cfa: {
            auto cfa = m_frame.cfa();
            if (!cfa) return err("the frame's CFA is not known");
            return push(*cfa);
        }
        case DW_OP_dup: {
            if (m_stack.empty()) return err("DW_OP_dup on an empty stack");
            return push(m_stack.back());
        }
        case DW_OP_drop:
            return pop().ok() ? ok_status() : Status(err("DW_OP_drop on an empty stack"));
        case DW_OP_over:
        case DW_OP_pick: {
            uint64_t idx = op == DW_OP_over ? 1 : c.fixed(1);
            if (idx >= m_stack.size()) return err("DW_OP_pick {} beyond the stack", idx);
            return push(m_stack[m_stack.size() - 1 - idx]);
        }
        case DW_OP_swap:
            if (m_stack.size() < 2) return err("DW_OP_swap needs two values");
            std::swap(m_stack[m_stack.size() - 1], m_stack[m_stack.size() - 2]);
            return ok_status();
        case DW_OP_rot:
            if (m_stack.size() < 3) return err("DW_OP_rot needs three values");
            std::rotate(m_stack.end() - 3, m_stack.end() - 1, m_stack.end());
            return ok_status();
        case DW_OP_deref:
            return deref(8);
        case DW_OP_deref_size:
            return deref(c.fixed(1));
        case DW_OP_plus_uconst: {
            auto v = pop();
            if (!v) return v.error();
            return push(*v + c.uleb());
        }
        case DW_OP_neg:
        case DW_OP_not:
        case DW_OP_abs: {
            auto v = pop();
            if (!v) return v.error();
            auto s = int64_t(*v);
            return push(op == DW_OP_neg   ? uint64_t(-s)
                        : op == DW_OP_not ? ~*v
                                          : uint64_t(s < 0 ? -s : s));
        }
        case DW_OP_plus:
        case DW_OP_minus:
        case DW_OP_mul:
        case DW_OP_div:
        case DW_OP_mod:
        case DW_OP_and:
        case DW_OP_or:
        case DW_OP_xor:
        case DW_OP_shl:
        case DW_OP_shr:
        case DW_OP_shra:
        case DW_OP_eq:
        case DW_OP_ne:
        case DW_OP_lt:
        case DW_OP_gt:
        case DW_OP_le:
        case DW_OP_ge:
            return binary(op);
        case DW_OP_skip:
            c.jump(c.sfixed(2));
            return ok_status();
        case DW_OP_bra: {
            int64_t delta = c.sfixed(2);
            auto v = pop();
            if (!v) return v.error();
            if (*v != 0) c.jump(delta);
            return ok_status();
        }
        case DW_OP_nop:
            return ok_status();
        case DW_OP_stack_value:
            m_loc.kind = Location::Stack;
            return ok_status();
        case DW_OP_implicit_value: {
            uint64_t len = c.uleb();
            const uint8_t* p = c.bytes(len);
            if (!p) return err("truncated DW_OP_implicit_value");
            m_loc.kind = Location::Implicit;
            m_loc.implicit.assign(reinterpret_cast<const std::byte*>(p),
                                  reinterpret_cast<const std::byte*>(p + len));
            return ok_status();
        }
        case DW_OP_piece:
            return bit_piece(c.uleb() * 8, 0);
        case DW_OP_bit_piece: {
            uint64_t nbits = c.uleb();
            return bit_piece(nbits, c.uleb());
        }
        case DW_OP_entry_value:
        case DW_OP_GNU_entry_value:
            // The value the register held on entry: only the caller's frame could tell.
            return err("optimised out (entry value)");
        case DW_OP_implicit_pointer:
        case DW_OP_GNU_implicit_pointer:
            return err("optimised out (implicit pointer)");
        case DW_OP_form_tls_address:
        case DW_OP_GNU_push_tls_address:
            return err("thread-local variable: needs the debugger's TLS lookup");
        default:
            return err("unsupported DWARF op {:#x}", op);
        }
    }

    Status push(uint64_t v) {
        if (m_stack.size() > 1024) return err("DWARF expression stack overflow");
        m_stack.push_back(v);
        return ok_status();
    }
    Status set_register(unsigned regno) {
        m_loc.kind = Location::Register;
        m_loc.regno = regno;
        return ok_status();
    }
    Status push_register(unsigned regno, int64_t offset) {
        auto v = reg(regno);
        if (!v) return v.error();
        return push(*v + uint64_t(offset));
    }

    const FrameState& m_frame;
    MemoryReader& m_mem;
    uint64_t m_bias;
    const std::vector<uint8_t>* m_frame_base;
    std::vector<uint64_t> m_stack;
    Location m_loc;
    std::vector<std::byte> m_pieces;
    bool m_has_pieces = false;
    uint64_t m_bits = 0;                                  ///< bits assembled in m_pieces
    std::vector<std::pair<uint64_t, uint64_t>> m_missing; ///< [from, to) bytes no piece gave
};

} // namespace

Result<Value> evaluate_location(const std::vector<uint8_t>& expr,
                                const std::vector<uint8_t>* frame_base, const Type* t,
                                const FrameState& frame, MemoryReader& mem, uint64_t load_bias) {
    return Machine(frame, mem, load_bias, frame_base).evaluate(expr, t);
}

} // namespace seam
