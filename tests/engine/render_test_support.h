#pragma once
/// Test support for the renderer tests: a formatter over synthetic trees. Each node is a Type
/// of its own that the formatter maps to a ready Formatted shape and its children; leaves are
/// `Value::leaf` texts, which Context::format hands back as they are.
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formatters/core/context.h"

namespace seam::render_test {

struct Node {
    Shape shape = Shape::Leaf;
    std::string text;
    std::vector<Child> children;
    uint64_t generated = 0; ///< when set: this many children, child i is the leaf `i`
    bool non_exhaustive = false;
    Ownership own;
    std::string type_name;
    std::string summary;
};

class Forest : public Formatter {
public:
    std::string_view name() const override { return "test.forest"; }
    bool matches(const Type& t) const override { return m_nodes.count(&t) != 0; }

    Formatted format(Context&, const Value& v) const override {
        const Node& n = m_nodes.at(v.type);
        Formatted f;
        f.shape = n.shape;
        f.text = n.text;
        f.count = n.generated ? n.generated : n.children.size();
        f.non_exhaustive = n.non_exhaustive;
        f.own = n.own;
        f.type_name = n.type_name;
        f.summary = n.summary;
        return f;
    }

    std::vector<Child> children(Context&, const Value& v, uint64_t start,
                                uint64_t count) const override {
        const Node& n = m_nodes.at(v.type);
        requests.emplace_back(start, count);
        std::vector<Child> out;
        for (uint64_t i = start; i < start + count; ++i) {
            if (n.generated)
                out.push_back({"", Value::leaf(std::to_string(i)), std::nullopt});
            else if (i < n.children.size())
                out.push_back(n.children[i]);
        }
        if (short_pages && !out.empty()) out.pop_back();
        return out;
    }

    Value add(Node n) {
        Type& t = m_types.emplace_back();
        t.kind = TypeKind::Struct;
        t.name = n.type_name.empty() ? "node" : n.type_name;
        m_nodes.emplace(&t, std::move(n));
        return Value::at(&t, 0x1000 * m_types.size());
    }
    /// Makes the node's children point back at itself (a cycle through `label`).
    void close_cycle(const Value& v) { m_nodes.at(v.type).children[0].value = v; }

    mutable std::vector<std::pair<uint64_t, uint64_t>> requests; ///< (start, count) per call
    bool short_pages = false; ///< give one child fewer than asked, like a failing formatter

private:
    std::deque<Type> m_types;
    std::unordered_map<const Type*, Node> m_nodes;
};

/// Synthetic values hold no target memory; any read is a bug in the renderer.
class NoMemory : public MemoryReader {
public:
    Status read(uint64_t address, std::span<std::byte>) override {
        return err("test read at 0x{:x}", address);
    }
};

struct Env {
    NoMemory mem;
    Registry registry;
    Forest* forest;

    Env() {
        auto f = std::make_unique<Forest>();
        forest = f.get();
        registry.add(std::move(f));
    }
    Context context(Budget b = {}) { return Context(mem, nullptr, registry, b); }

    static Value leaf(std::string text) { return Value::leaf(std::move(text)); }
    Value error(std::string text) { return forest->add({Shape::Error, std::move(text)}); }
    Value structure(std::string name, std::vector<std::pair<std::string, Value>> fields,
                    bool non_exhaustive = false) {
        Node n{Shape::Struct, std::move(name)};
        for (auto& [label, v] : fields) n.children.push_back({label, v, std::nullopt});
        n.non_exhaustive = non_exhaustive;
        return forest->add(std::move(n));
    }
    Value tuple(std::string name, std::vector<Value> items) {
        return sequence(Shape::Tuple, std::move(name), std::move(items));
    }
    Value list(std::vector<Value> items) { return sequence(Shape::List, "", std::move(items)); }
    Value set(std::vector<Value> items) { return sequence(Shape::Set, "", std::move(items)); }
    Value map(std::vector<std::pair<Value, Value>> entries) {
        Node n{Shape::Map};
        for (auto& [k, v] : entries) n.children.push_back({"", k, v});
        return forest->add(std::move(n));
    }
    Value transparent(Value inner) {
        Node n{Shape::Transparent};
        n.children.push_back({"", std::move(inner), std::nullopt});
        return forest->add(std::move(n));
    }
    Value generated(Shape shape, uint64_t count) {
        Node n{shape};
        n.generated = count;
        return forest->add(std::move(n));
    }
    Value with(Node n) { return forest->add(std::move(n)); }

private:
    Value sequence(Shape shape, std::string name, std::vector<Value> items) {
        Node n{shape, std::move(name)};
        for (size_t i = 0; i < items.size(); ++i)
            n.children.push_back({"[" + std::to_string(i) + "]", items[i], std::nullopt});
        return forest->add(std::move(n));
    }
};

} // namespace seam::render_test
