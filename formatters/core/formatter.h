#pragma once
/// A formatter matches types and formats their values; the registry picks one per type.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formatters/core/formatted.h"
#include "formatters/core/result.h"

namespace seam {

class Context;

/// One heap allocation of a node-based collection (a LinkedList's node, a B-tree's leaf or
/// internal node). Debug shows such a collection as one value and its fact names one address,
/// but memory holds one allocation per node: the ownership graph makes a node of each, owned as
/// the collection owns it, with the elements' own pointers leading out of the node that holds
/// them.
struct Part {
    uint64_t address = 0;
    uint64_t size = 0;     ///< bytes of the node, from its DWARF type
    std::string type_name; ///< `Node<Box<u64>>`, `InternalNode<u32, Rc<Item>>`
    /// The part that owns this one, by its position among the parts handed over (always an
    /// earlier one); none: the collection itself owns it.
    std::optional<uint64_t> owner;
    /// Where the owning pointer is, in field-path form: from the collection (`root`, `[3]` for
    /// the list's node 3, which the list owns through its head, tail and links), or in the
    /// owner part (`edges[2]`).
    std::string path;
    std::string note; ///< for the node's fact: `LinkedList node 3`, `B-tree leaf, height 0`
    /// The values the node holds, each with its field path in the node (`element`,
    /// `vals[2]`, `data.keys[0]`).
    std::vector<std::pair<std::string, Value>> contents;
};

/// Receives the parts of a node-based collection in order, owners first.
class PartSink {
public:
    virtual ~PartSink() = default;
    /// False: take no more (a limit of the caller was reached).
    virtual bool part(Part&& p) = 0;
};

class Formatter {
public:
    virtual ~Formatter() = default;
    /// A stable name such as "rust.vec", shown by `seam print --tree` and in JSON.
    virtual std::string_view name() const = 0;
    /// `t` has typedefs and qualifiers stripped.
    virtual bool matches(const Type& t) const = 0;
    /// Never throws: failures become `error_value(...)`. Must set `count` and, where children
    /// exist, leave them to `children()`: a 10-million-element Vec is never read whole here.
    virtual Formatted format(Context& ctx, const Value& v) const = 0;
    /// Children `start .. start+count` (clamped to the formatted count). A child that cannot be
    /// read is a Child whose value is `Value::leaf("<error: ...>")`.
    virtual std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                        uint64_t count) const {
        (void)ctx, (void)v, (void)start, (void)count;
        return {};
    }
    /// Children as memory holds them, for walks over ownership rather than Debug: what Debug
    /// hides behind a live borrow or a held lock (`RefCell { value: <borrowed> }`,
    /// `data: "<locked>"`) is still memory whose pointers the ownership graph must follow.
    /// Same contract as children(); the default is children().
    virtual std::vector<Child> memory_children(Context& ctx, const Value& v, uint64_t start,
                                               uint64_t count) const {
        return children(ctx, v, start, count);
    }
    /// Whether this formatter's values carry a cell's or a lock's state (OwnKind::Cell/Lock)
    /// that their type's fields do not show: a C lock keeps its state in a plain integer, with
    /// no pointer or UnsafeCell for a walk over ownership to notice.
    virtual bool reads_state() const { return false; }
    /// Whether parts() describes this formatter's values (node-based collections).
    virtual bool has_parts() const { return false; }
    /// Hands every allocation of a node-based collection to `sink`, owners before what they
    /// own, within the Context's budget: each node read once, a node met twice (a cycle) or
    /// more nodes than the collection claims end the walk. Fails with the marked error that
    /// ended it (`<invalid: cycle: ...>`, `<budget: ...>`); the parts given before it stand.
    virtual Status parts(Context& ctx, const Value& v, PartSink& sink) const {
        (void)ctx, (void)v, (void)sink;
        return ok_status();
    }
};

/// First match in registration order wins; register specific families before generic ones.
class Registry {
public:
    Registry();
    void add(std::unique_ptr<Formatter> f) { m_formatters.push_back(std::move(f)); }
    /// The formatter for `t` (stripped), or null when none matches.
    const Formatter* find(const Type* t) const;
    const std::vector<std::unique_ptr<Formatter>>& all() const { return m_formatters; }

private:
    std::vector<std::unique_ptr<Formatter>> m_formatters;
    uint64_t m_serial; ///< never 0, never reused: the key of the memo kept on each Type
};

/// Makes every registry look again for each type's formatter: what matches a type changed
/// (a recipe was loaded). Types keep the formatter found for them until then.
void invalidate_formatter_memos();

/// The formatter `registry` would pick for `t` if `self` did not match it: a formatter that adds
/// to another's work (a recipe) formats through it.
const Formatter* next_formatter(const Registry& registry, const Formatter* self, const Type& t);

/// The registry with every built-in family (formatters/rust, formatters/c) registered.
const Registry& builtin_registry();

/// Only the language-level formatters (C values; Rust scalars, structs, enums by their variant
/// parts, references and pointers), none of std's families nor recipes: a value as its fields
/// lie in memory (`Vec { buf: RawVec { inner: … }, len: 3 }`), the `[raw]` view a formatted
/// value always offers beside its summary.
const Registry& raw_registry();

} // namespace seam
