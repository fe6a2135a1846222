// The ownership badge a variables view shows beside each value, one per kind of fact.
#include <gtest/gtest.h>

#include "formatters/render/render.h"

namespace seam {
namespace {

Ownership fact(OwnKind kind) {
    Ownership o;
    o.kind = kind;
    return o;
}

TEST(OwnBadge, EveryKind) {
    EXPECT_EQ(ownership_badge(fact(OwnKind::Inline)), "");
    EXPECT_EQ(ownership_badge(fact(OwnKind::Owned)), "owned");
    Ownership rc = fact(OwnKind::Shared);
    rc.strong = 2;
    rc.weak = 1;
    EXPECT_EQ(ownership_badge(rc), "shared 2/1");
    rc.weak.reset();
    EXPECT_EQ(ownership_badge(rc), "shared 2");
    Ownership weak = fact(OwnKind::Shared);
    weak.weak_ref = true;
    weak.strong = 1;
    EXPECT_EQ(ownership_badge(weak), "weak");
    EXPECT_EQ(ownership_badge(fact(OwnKind::Borrowed)), "borrowed");
    EXPECT_EQ(ownership_badge(fact(OwnKind::BorrowedMut)), "borrowed mut");
    Ownership cell = fact(OwnKind::Cell);
    cell.state = "reading 2";
    EXPECT_EQ(ownership_badge(cell), "cell reading 2");
    Ownership lock = fact(OwnKind::Lock);
    lock.state = "locked";
    EXPECT_EQ(ownership_badge(lock), "locked");
    lock.state = "unlocked";
    lock.poisoned = true;
    EXPECT_EQ(ownership_badge(lock), "unlocked poisoned");
    lock.state = "reading 3";
    lock.poisoned = false;
    EXPECT_EQ(ownership_badge(lock), "lock reading 3");
    lock.state = "contended";
    EXPECT_EQ(ownership_badge(lock), "contended");
    EXPECT_EQ(ownership_badge(fact(OwnKind::Raw)), "raw");
    EXPECT_EQ(ownership_badge(fact(OwnKind::C)), "C");
    EXPECT_EQ(ownership_badge(fact(OwnKind::Crossing)), "crossing");
}

} // namespace
} // namespace seam
