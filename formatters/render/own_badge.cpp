// The short ownership badge a value carries in a variables view.
#include <fmt/format.h>

#include "formatters/render/render.h"

namespace seam {

std::string ownership_badge(const Ownership& o) {
    switch (o.kind) {
    case OwnKind::Inline:
        return "";
    case OwnKind::Owned:
        return "owned";
    case OwnKind::Shared:
        // A Weak keeps nothing alive: saying `shared` of it would send the reader looking for
        // an owner that is not there.
        if (o.weak_ref) return "weak";
        if (o.strong && o.weak) return fmt::format("shared {}/{}", *o.strong, *o.weak);
        if (o.strong) return fmt::format("shared {}", *o.strong);
        return "shared";
    case OwnKind::Borrowed:
        return "borrowed";
    case OwnKind::BorrowedMut:
        return "borrowed mut";
    case OwnKind::Cell:
        return o.state.empty() ? "cell" : "cell " + o.state;
    case OwnKind::Lock: {
        // `locked`, `unlocked`, `contended` read on their own; an RwLock's `reading 2` does not.
        std::string s = o.state.empty()                                         ? "lock"
                        : o.state.ends_with("locked") || o.state == "contended" ? o.state
                                                                                : "lock " + o.state;
        return o.poisoned ? s + " poisoned" : s;
    }
    case OwnKind::Raw:
        return "raw";
    case OwnKind::C:
        return "C";
    case OwnKind::Crossing:
        return "crossing";
    }
    return "";
}

} // namespace seam
