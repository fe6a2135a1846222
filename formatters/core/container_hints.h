#pragma once
/// What the DWARF cannot say about C's intrusive containers: which struct a `struct list_head`
/// links (container_of). The kernel's `LIST_HEAD(devices)` and `struct bus { struct list_head
/// children; }` carry no element type; the user names it, with `seam print --container` or a
/// recipe (issue 14), and every front end (frame variable, lldb-dap, seam commands) then walks
/// the list as a list of its containing structs.
///
/// Process-wide and thread-safe: hints are read on every formatting request and written when a
/// user loads one, from whichever thread the debugger runs commands on.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formatters/core/context.h"
#include "formatters/core/result.h"
#include "formatters/core/type.h"

namespace seam {

/// `owner.field` holds the head of a list of `element` structs linked through `element.link`.
/// An empty `owner` names a variable rather than a struct member (a static `LIST_HEAD(x)`).
struct ListHint {
    std::string owner;
    std::string field;
    std::string element;
    std::string link;
};

/// A kernel list head by its tag (`struct list_head`, `struct hlist_head`), typedefs stripped:
/// what a list hint or `--container` can turn into a list.
bool is_list_head(const Type* t);

/// Parses `element.link` (as `--container` takes it): `child.sibling`, `struct child.sibling`.
Result<std::pair<std::string, std::string>> parse_type_field(std::string_view text);

class ContainerHints {
public:
    static ContainerHints& global();

    /// Adds or replaces the hint for `owner.field`.
    void add_list(ListHint hint);
    void clear();
    std::optional<ListHint> list_for(std::string_view owner, std::string_view field) const;
    std::vector<ListHint> lists() const;
};

/// The type seam formats a list head with once its element is known: the head's own type
/// (`struct list_head`, `struct hlist_head`) seen as a list of `element` linked by the member
/// `link`. Made once per (head, element, link) and kept for the process, so that the registry's
/// per-type memo and LLDB's values can hold on to it. Null when `link` is not a member of
/// `element`.
const Type* list_view_type(const Type* head, const Type* element, std::string_view link);

/// For a type made by list_view_type: the element type and the link member's offset in it.
struct ListView {
    const Type* element = nullptr;
    uint64_t link_offset = 0;
    std::string link;
};
std::optional<ListView> list_view_of(const Type& t);

/// `v` seen through `TYPE.FIELD` (`seam print --container`, `seam own --container`): a list head
/// held in place (`bus->children`, `*head`) becomes the list of TYPE linked by FIELD; a pointer
/// to a FIELD member (or another value in place) becomes the TYPE that embeds it (container_of).
/// The member's type must be the type pointed at, or a Rust generic wrapper holding it (a
/// wrapper crate's `Opaque<struct foo>` member, found inside at its own offset): a wrong guess
/// is an error, not a struct read at a wrong address.
Result<Value> container_value(Context& ctx, const Value& v, std::string_view type_field);

} // namespace seam
