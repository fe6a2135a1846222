// The renderers over fuzzed value trees and reports: Debug (`{:?}`, `{:#?}`), the LLDB-style
// tree, the value JSON and the one-line summary over a forest of formatted nodes the input
// describes (shapes, texts, ownership facts, children that may share nodes or loop back, counts
// far past the children there are), the scalar Debug texts over fuzzed bytes, and the report
// renderers (text, Markdown, JSON as seam-report prints it) over a report whose strings and
// frames come from the input.
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "formatters/core/context.h"
#include "formatters/render/json_text.h"
#include "formatters/render/render.h"
#include "formatters/report/report.h"

namespace {

using namespace seam;

/// Nodes of a value tree, each a Type of its own that the formatter maps to its Formatted and
/// children. Children name nodes by index, so a tree can share nodes and hold cycles.
class Forest : public Formatter {
public:
    struct Node {
        Formatted f;
        std::vector<std::pair<std::string, size_t>> children; ///< label, node
        bool map = false;
    };

    std::string_view name() const override { return "fuzz.forest"; }
    bool matches(const Type& t) const override { return m_index.count(&t) != 0; }
    Formatted format(Context&, const Value& v) const override {
        Formatted f = node(v).f;
        f.formatter = this;
        f.value = v;
        return f;
    }
    std::vector<Child> children(Context&, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Node& n = node(v);
        std::vector<Child> out;
        for (uint64_t i = start; i < start + count && i < n.children.size(); ++i) {
            const auto& [label, target] = n.children[i];
            Child c{label, value_of(target), std::nullopt};
            if (n.map) c.map_value = value_of((target + 1) % m_types.size());
            out.push_back(std::move(c));
        }
        return out;
    }

    void build(FuzzedDataProvider& in) {
        size_t count = in.ConsumeIntegralInRange<size_t>(1, 24);
        m_nodes.resize(count);
        for (size_t i = 0; i < count; ++i) {
            Type& t = m_types.emplace_back();
            t.kind = TypeKind::Struct;
            t.name = "node" + std::to_string(i);
            m_index[&t] = i;
        }
        for (Node& n : m_nodes) {
            n.f.shape = Shape(in.ConsumeIntegralInRange<int>(0, int(Shape::Error)));
            n.f.text = in.ConsumeRandomLengthString(24);
            if (in.ConsumeBool()) n.f.pretty_text = in.ConsumeRandomLengthString(24);
            if (in.ConsumeBool()) n.f.summary = in.ConsumeRandomLengthString(24);
            n.f.type_name = in.ConsumeRandomLengthString(16);
            n.f.non_exhaustive = in.ConsumeBool();
            n.map = n.f.shape == Shape::Map;
            Ownership& o = n.f.own;
            o.kind = OwnKind(in.ConsumeIntegralInRange<int>(0, int(OwnKind::Crossing)));
            o.address = in.ConsumeIntegral<uint64_t>();
            if (in.ConsumeBool()) o.size = in.ConsumeIntegral<uint64_t>();
            if (in.ConsumeBool()) o.length = in.ConsumeIntegral<uint64_t>();
            if (in.ConsumeBool()) o.capacity = in.ConsumeIntegral<uint64_t>();
            if (in.ConsumeBool()) o.strong = in.ConsumeIntegral<int64_t>();
            if (in.ConsumeBool()) o.weak = in.ConsumeIntegral<int64_t>();
            o.state = in.ConsumeRandomLengthString(12);
            o.poisoned = in.ConsumeBool();
            o.note = in.ConsumeRandomLengthString(12);
            size_t kids = in.ConsumeIntegralInRange<size_t>(0, 6);
            for (size_t k = 0; k < kids; ++k)
                n.children.emplace_back(in.ConsumeRandomLengthString(8),
                                        in.ConsumeIntegralInRange<size_t>(0, count - 1));
            // The count a formatter claims may be past the children it gives (a short page).
            n.f.count = in.ConsumeBool() ? n.children.size() : in.ConsumeIntegral<uint32_t>();
        }
    }
    Value value_of(size_t i) const { return Value::at(&m_types[i], 0x1000 * (i + 1)); }

private:
    const Node& node(const Value& v) const { return m_nodes[m_index.at(v.type)]; }
    std::deque<Type> m_types;
    std::vector<Node> m_nodes;
    std::unordered_map<const Type*, size_t> m_index;
};

class NoMemory : public MemoryReader {
public:
    Status read(uint64_t address, std::span<std::byte>) override {
        return err("no memory at {:#x}", address);
    }
};

void scalars(FuzzedDataProvider& in) {
    uint32_t rustc = in.ConsumeBool() ? 0 : rustc_version(1, in.ConsumeIntegralInRange(60, 99));
    std::string bytes = in.ConsumeRandomLengthString(64);
    debug_str(bytes, rustc);
    debug_os_str(bytes, rustc);
    debug_c_str(bytes, rustc);
    is_valid_utf8(bytes);
    debug_char(in.ConsumeIntegral<uint32_t>(), rustc);
    double d = in.ConsumeFloatingPoint<double>();
    float f = in.ConsumeFloatingPoint<float>();
    debug_f64(d), display_f64(d), debug_f32(f), display_f32(f);
    debug_i128(in.ConsumeBool(), in.ConsumeIntegral<uint64_t>(), in.ConsumeIntegral<uint64_t>());
}

void trees(FuzzedDataProvider& in) {
    Forest* forest = new Forest;
    Registry registry;
    registry.add(std::unique_ptr<Formatter>(forest));
    forest->build(in);
    NoMemory mem;
    Budget budget;
    budget.max_depth = in.ConsumeIntegralInRange<unsigned>(1, 64);
    budget.max_children = in.ConsumeIntegralInRange<uint64_t>(1, 1000);
    // Up to 20,000: every element of a DAG's fan-out costs a JSON object with its Debug text,
    // ~13 µs under ASan; 100,000 made 1.3 s units that only measured the budget being spent.
    budget.max_elements = in.ConsumeIntegralInRange<uint64_t>(1, 20'000);
    Value root = forest->value_of(0);
    SummaryLimits limits;
    {
        Context ctx(mem, nullptr, registry, budget);
        render_debug(ctx, root, false);
    }
    {
        Context ctx(mem, nullptr, registry, budget);
        render_debug(ctx, root, true);
    }
    {
        Context ctx(mem, nullptr, registry, budget);
        render_tree(ctx, root, "v", in.ConsumeIntegralInRange<unsigned>(0, 8), limits);
    }
    {
        Context ctx(mem, nullptr, registry, budget);
        json_text(render_json(ctx, root, "v", in.ConsumeIntegralInRange<unsigned>(0, 8), limits));
    }
    Context ctx(mem, nullptr, registry, budget);
    render_summary(ctx, ctx.format(root), in.ConsumeIntegralInRange<size_t>(0, 200));
}

bt::RawFrame frame(FuzzedDataProvider& in, uint32_t index) {
    static const char* const k_names[] = {"core::panicking::panic_fmt",
                                          "std::panicking::begin_panic",
                                          "abort",
                                          "raise",
                                          "app::main",
                                          "<alloc::vec::Vec<T> as core::ops::Drop>::drop",
                                          "c_function",
                                          "_ZN3app4main17h0123456789abcdefE",
                                          "__rust_try",
                                          "main"};
    bt::RawFrame f;
    f.index = index;
    f.pc = in.ConsumeIntegral<uint64_t>();
    f.function = in.ConsumeBool() ? std::string(in.PickValueInArray(k_names))
                                  : in.ConsumeRandomLengthString(48);
    f.symbol = in.ConsumeBool() ? f.function : in.ConsumeRandomLengthString(48);
    f.module = in.ConsumeRandomLengthString(16);
    f.dwarf_lang = Lang(in.ConsumeIntegralInRange<int>(0, int(Lang::Rust)));
    f.file = in.ConsumeRandomLengthString(16);
    f.line = in.ConsumeIntegral<uint32_t>();
    f.inlined = in.ConsumeBool();
    if (in.ConsumeBool())
        f.arguments = std::vector<bt::Argument>{
            {in.ConsumeRandomLengthString(8), in.ConsumeRandomLengthString(16)}};
    f.found_by = bt::FoundBy(in.ConsumeIntegralInRange<int>(0, int(bt::FoundBy::TailCall)));
    return f;
}

void reports(FuzzedDataProvider& in) {
    report::Report r;
    r.core = in.ConsumeRandomLengthString(16);
    r.executable = in.ConsumeRandomLengthString(16);
    r.build_id = in.ConsumeRandomLengthString(16);
    r.stop_reason = in.ConsumeRandomLengthString(16);
    r.verdict.kind = in.ConsumeRandomLengthString(16);
    r.verdict.headline = in.ConsumeRandomLengthString(32);
    if (in.ConsumeBool()) r.verdict.panic_message = in.ConsumeRandomLengthString(32);
    if (in.ConsumeBool()) r.verdict.panic_location = in.ConsumeRandomLengthString(16);
    r.full_names = in.ConsumeBool();
    bt::RawThread t;
    t.name = in.ConsumeRandomLengthString(16);
    t.stop_reason = in.ConsumeRandomLengthString(16);
    t.unwind_note = in.ConsumeRandomLengthString(16);
    uint32_t frames = in.ConsumeIntegralInRange<uint32_t>(0, 12);
    for (uint32_t i = 0; i < frames; ++i) t.frames.push_back(frame(in, i));
    r.crashing = bt::classify(std::move(t));
    r.signature = report::signature_of(*r.crashing);
    report::ThreadLine other;
    other.name = in.ConsumeRandomLengthString(16);
    other.top = in.ConsumeRandomLengthString(16);
    r.other_threads.push_back(other);
    report::FrameLocals locals;
    locals.function = in.ConsumeRandomLengthString(16);
    locals.locals.push_back({in.ConsumeRandomLengthString(8), in.ConsumeBool(),
                             in.ConsumeRandomLengthString(8), in.ConsumeRandomLengthString(16),
                             in.ConsumeRandomLengthString(8), in.ConsumeRandomLengthString(16),
                             nullptr});
    r.locals.push_back(locals);
    r.warnings.push_back(in.ConsumeRandomLengthString(16));
    report::render_text(r);
    report::render_markdown(r);
    bt::render_text(*r.crashing, {.full = in.ConsumeBool()});
    // As seam-report prints them.
    nlohmann::json j = report::to_json(r);
    json_text(j, 2);
    json_text(bt::render_json({*r.crashing}));
    report::BatchEntry ok{r.core, true, "", j, report::brief_of(j)};
    report::BatchEntry failed{in.ConsumeRandomLengthString(16), false,
                              in.ConsumeRandomLengthString(16)};
    ok.seen = in.ConsumeRandomLengthString(24);
    std::vector<report::BatchEntry> batch{ok, failed, ok};
    report::render_batch_text(batch);
    report::render_batch_markdown(batch);
    json_text(report::batch_to_json(batch), 2);
    // Records as `seam-report group` reads them from shards' files, and the groups they make.
    for (size_t i = 0, n = batch.size(); i < n; ++i)
        if (auto back = report::entry_of_record(report::record_to_json(batch[i])))
            batch.push_back(*back);
    json_text(report::groups_to_json(batch), 2);
    // A report read back from JSON that is not seam's (the workers' wire format), and a record
    // line that is not one.
    nlohmann::json foreign =
        nlohmann::json::parse(in.ConsumeRemainingBytesAsString(), nullptr, false);
    report::brief_of(foreign);
    if (auto entry = report::entry_of_record(foreign)) report::render_groups_text({*entry});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider in(data, size);
    switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0:
        scalars(in);
        break;
    case 1:
        trees(in);
        break;
    default:
        reports(in);
        break;
    }
    return 0;
}
