#pragma once
/// A value the engine formats: a type and where its bytes are.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formatters/core/type.h"

namespace seam {

/// Either in target memory at `address`, or held in `bytes` (a register, DWARF pieces, a value
/// the engine synthesised), or a ready-made Debug leaf (`synthetic`, e.g. `false` for
/// Mutex's `poisoned` field) that has no type at all.
struct Value {
    const Type* type = nullptr;
    std::optional<uint64_t> address;
    std::shared_ptr<const std::vector<std::byte>> bytes;
    uint64_t bytes_offset = 0; ///< where this value starts inside `bytes`
    std::optional<std::string> synthetic;

    static Value at(const Type* t, uint64_t address) {
        Value v;
        v.type = t;
        v.address = address;
        return v;
    }
    static Value held(const Type* t, std::vector<std::byte> data) {
        Value v;
        v.type = t;
        v.bytes = std::make_shared<const std::vector<std::byte>>(std::move(data));
        return v;
    }
    static Value leaf(std::string debug_text) {
        Value v;
        v.synthetic = std::move(debug_text);
        return v;
    }

    /// The same storage seen as another type at `offset` bytes in (a field, an element).
    Value sub(const Type* t, uint64_t offset) const {
        Value v = *this;
        v.type = t;
        v.synthetic.reset();
        if (v.address)
            *v.address += offset;
        else
            v.bytes_offset += offset;
        return v;
    }
};

} // namespace seam
