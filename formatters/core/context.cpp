#include "formatters/core/context.h"

#include <algorithm>
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

namespace {

// Regions and cached chunks kept at once: enough for a container, its elements' own buffers
// and a parent or two; the oldest go first.
constexpr size_t kMaxRegions = 32;
constexpr size_t kMaxSmall = 8;
constexpr size_t kMaxBlocks = 8;
constexpr size_t kSmallBlock = 4096;
// Small chunks (a B-tree node, a value's header) are kept apart from the big ones and in larger
// number: a renderer's page of 256 B-tree elements spans some 25 nodes, read by the walk and
// read again by the elements' formatting unless they are all still here. 64 of them hold less
// than 256 KiB.
constexpr size_t kMaxSmallBlocks = 64;
constexpr uint64_t kFirstChunk = 64u << 10;
// A value whose type is at most this big is read whole on its first field read.
constexpr uint64_t kWholeValue = 256;

} // namespace

// Newest blocks first, here and in read_cached: a walk reads mostly from the block it read last.
bool Context::covered(uint64_t begin, uint64_t end) const {
    for (auto b = m_blocks.rbegin(); b != m_blocks.rend(); ++b)
        if (begin >= b->address && end <= b->address + b->bytes.size()) return true;
    return false;
}

void Context::prefetch(uint64_t begin, uint64_t end, bool whole, bool descending) {
    if (end <= begin || covered(begin, end)) return;
    for (auto& r : m_regions)
        if (r.begin == begin && r.end == end) return;
    if (m_regions.size() >= kMaxRegions) m_regions.erase(m_regions.begin());
    Region r;
    r.begin = begin;
    r.end = end;
    r.descending = descending;
    r.next_chunk = whole ? end - begin : kFirstChunk;
    m_regions.push_back(r);
}

std::optional<Context::Resume> Context::resume_point(uint64_t key) const {
    auto it = m_resume.find(key);
    if (it == m_resume.end()) return std::nullopt;
    return it->second;
}

void Context::set_resume_point(uint64_t key, Resume r) {
    if (m_resume.size() > 4096) m_resume.clear();
    m_resume[key] = r;
}

bool Context::read_cached(uint64_t address, std::span<std::byte> out) {
    for (auto b = m_blocks.rbegin(); b != m_blocks.rend(); ++b) {
        if (address < b->address || address - b->address > b->bytes.size() ||
            b->bytes.size() - (address - b->address) < out.size())
            continue;
        std::memcpy(out.data(), b->bytes.data() + (address - b->address), out.size());
        b->used = ++m_clock;
        return true;
    }
    return false;
}

Status Context::read_chunked(Region& r, uint64_t address, std::span<std::byte> out) {
    uint64_t left = m_budget.max_bytes > m_usage.bytes ? m_budget.max_bytes - m_usage.bytes : 0;
    uint64_t chunk = std::min({r.next_chunk, m_read_chunk, left / 4, r.end - r.begin});
    if (chunk <= out.size()) return err("no chunk");
    uint64_t from = r.descending ? std::max(r.begin, address + out.size() - chunk)
                                 : std::min(address, r.end - chunk);
    Block b;
    b.address = from;
    b.bytes.resize(chunk);
    m_usage.bytes += chunk;
    ++m_usage.reads;
    if (auto st = m_mem.read(from, b.bytes); !st) return st;
    r.next_chunk = std::min<uint64_t>(r.next_chunk * 2, 1ull << 62);
    std::memcpy(out.data(), b.bytes.data() + (address - from), out.size());
    b.used = ++m_clock;
    // Small and big blocks are evicted each among their own kind, least recently used first: a
    // small value's block never pushes out a container's chunk (the walk comes back to the chunk
    // after every element: a map of Vecs reads one tiny block per value), and a chunk never
    // pushes out the nodes a page of children points into.
    auto small = [](const Block& x) { return x.bytes.size() < kSmallBlock; };
    const bool is_small = small(b);
    size_t same_kind = 0;
    auto victim = m_blocks.end();
    for (auto it = m_blocks.begin(); it != m_blocks.end(); ++it) {
        if (small(*it) != is_small) continue;
        ++same_kind;
        if (victim == m_blocks.end() || it->used < victim->used) victim = it;
    }
    if (same_kind >= (is_small ? kMaxSmallBlocks : kMaxBlocks)) m_blocks.erase(victim);
    m_blocks.push_back(std::move(b));
    return ok_status();
}

Status Context::read(uint64_t address, std::span<std::byte> out) {
    if (out.empty()) return ok_status();
    if (read_cached(address, out)) return ok_status();
    // The container's own ranges first (a key inside a table's buckets comes from the buckets'
    // chunk), then the small values; a chunk that cannot be read leaves the read asked for.
    for (auto* list : {&m_regions, &m_small}) {
        for (auto r = list->rbegin(); r != list->rend(); ++r) {
            if (address < r->begin || address >= r->end || r->end - address < out.size()) continue;
            if (read_chunked(*r, address, out)) return ok_status();
            break;
        }
    }
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

void Context::note_allocation(const Formatted& f) {
    if (!m_count_allocations) return;
    if (f.own.address == 0 || !f.own.size || *f.own.size == 0) return;
    if (f.own.kind != OwnKind::Owned && f.own.kind != OwnKind::Shared) return;
    if (m_allocations.size() < 10'000'000) m_allocations.insert(f.own.address);
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
    // A declared struct, or a pointer to one, is shown as its definition (TypeIndex::complete).
    if (m_types) {
        m_types->complete(t);
        if (t->kind == TypeKind::Pointer) m_types->complete(strip(t->target));
    }
    const Formatter* f = m_registry.find(t);
    if (!f) return error_value(fmt::format("<error: no formatter for {}>", t->name));
    // A small value in memory is read whole on its first field read: a Vec's ptr, cap and len
    // are one read, not three.
    if (v.address && t->has_size && t->size > 0 && t->size <= kWholeValue &&
        !covered(*v.address, *v.address + t->size)) {
        // In a ring of its own: values formatted one after another must not push out the
        // ranges a container declared.
        if (m_small.size() >= kMaxSmall) m_small.erase(m_small.begin());
        m_small.push_back(Region{*v.address, *v.address + t->size, false, t->size});
    }
    // A struct, union or array whose own memory cannot be read at all (a core that left it out,
    // a pointer into nothing) is one marked error, not one per field or element. Its first byte
    // decides: a small value's read is the whole-value read its formatter makes anyway.
    if (v.address && !v.bytes && t->has_size && t->size > 0 &&
        (t->kind == TypeKind::Struct || t->kind == TypeKind::Union || t->kind == TypeKind::Array)) {
        std::byte first{};
        Status readable = read(*v.address, std::span<std::byte>(&first, 1));
        if (!readable)
            return error_value(fmt::format("<error: {} bytes at {:#x} unreadable: {}>", t->size,
                                           *v.address, readable.error().message));
    }
    Formatted out = f->format(*this, v);
    note_allocation(out);
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

std::vector<Child> Context::memory_children(const Formatted& f, uint64_t start, uint64_t count) {
    if (!f.formatter || start >= f.count) return {};
    count = std::min(count, f.count - start);
    DepthGuard guard(*this);
    return f.formatter->memory_children(*this, f.value, start, count);
}

Registry::Registry() {
    static std::atomic<uint64_t> next{1};
    m_serial = next++;
}

namespace {
// Bumped by invalidate_formatter_memos(); part of every memo's key.
std::atomic<uint64_t> g_memo_generation{0};
} // namespace

void invalidate_formatter_memos() {
    ++g_memo_generation;
}

const Formatter* next_formatter(const Registry& registry, const Formatter* self, const Type& t) {
    bool after = false;
    for (const auto& f : registry.all()) {
        if (after && f->matches(t)) return f.get();
        if (f.get() == self) after = true;
    }
    return nullptr;
}

const Formatter* Registry::find(const Type* t) const {
    t = strip(t);
    if (!t) return nullptr;
    // Serials are small and generations few: one word keys both.
    const uint64_t key = m_serial | (g_memo_generation.load(std::memory_order_relaxed) << 32);
    if (t->memo_registry == key) return static_cast<const Formatter*>(t->memo_formatter);
    const Formatter* found = nullptr;
    for (const auto& f : m_formatters)
        if (f->matches(*t)) {
            found = f.get();
            break;
        }
    t->memo_registry = key;
    t->memo_formatter = found;
    return found;
}

} // namespace seam
