// Cells and locks by address: a guard holds the RefCell whose borrow flag it points at, or the
// lock it points at. A Mutex's data may sit at its offset 0, so a RefCell inside a Mutex can
// start where the Mutex starts: the guard's kind picks which of the two it holds.
#include "formatters/own/own_internal.h"

namespace seam::own {

SiteIndex::SiteIndex(const Graph& g) {
    for (size_t i = 0; i < g.sites.size(); ++i)
        if (g.sites[i].address)
            m_index.add(g.sites[i].address, std::max<uint64_t>(g.sites[i].size, 1), uint32_t(i));
    m_index.seal();
}

const Site* SiteIndex::guarded_by(const Graph& g, const Edge& e) const {
    if (!e.guarded) return nullptr;
    std::string word = pointer_word(e);
    OwnKind want = word == "Ref" || word == "RefMut" ? OwnKind::Cell : OwnKind::Lock;
    auto i = m_index.find(*e.guarded, [&](uint32_t s) { return g.sites[s].kind == want; });
    return i ? &g.sites[*i] : nullptr;
}

const Site* SiteIndex::containing(const Graph& g, uint64_t address) const {
    auto i = m_index.find(address);
    return i ? &g.sites[*i] : nullptr;
}

} // namespace seam::own
