// A chain of thousands of C structs linked by pointers (a kernel's types are such a web): the
// DWARF reader must build it without one nested call per link. The chain is read on a thread
// with a 512 KiB stack, where one call per link (a few KiB each) would overflow long before
// the end, and every link must come out whole: its fields and the struct its `prev` points to.
#include <pthread.h>

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

constexpr int k_links = 3000;

std::string chain_source() {
    std::string src;
    for (int i = 0; i < k_links; ++i)
        src += fmt::format("struct s{0} {{ int a; double b; struct s{1} *prev; }};\n"
                           "int f{0}(struct s{0} *p) {{ return p->a; }}\n",
                           i, i ? i - 1 : 0);
    return src + "int main(void) { return 0; }\n";
}

struct Walk {
    std::string binary;
    std::string failure; ///< "" when every link was whole
};

void* walk_chain(void* arg) {
    auto* w = static_cast<Walk*>(arg);
    auto info = DebugInfo::open(w->binary, 0);
    if (!info) {
        w->failure = "open: " + info.error().message;
        return nullptr;
    }
    const Type* t = (*info)->find_type(fmt::format("s{}", k_links - 1));
    for (int i = k_links - 1; i > 0; --i) {
        if (!t || t->kind != TypeKind::Struct || t->name != fmt::format("s{}", i) ||
            t->fields.size() != 3) {
            w->failure = fmt::format("link s{} is not whole", i);
            return nullptr;
        }
        const Field* prev = find_field(t, "prev");
        if (!prev || !prev->type || prev->type->kind != TypeKind::Pointer) {
            w->failure = fmt::format("s{}.prev is not a pointer", i);
            return nullptr;
        }
        t = prev->type->target;
    }
    if (!t || t->name != "s0" || t->fields.size() != 3) w->failure = "the chain does not end at s0";
    return nullptr;
}

TEST(DeepTypes, ChainOfStructsOnASmallStack) {
    std::string error;
    Walk w;
    w.binary = dwarf_test::build_fixture("chain", "c", chain_source(), "-g -O0", error);
    ASSERT_FALSE(w.binary.empty()) << error;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 512 * 1024);
    pthread_t thread;
    ASSERT_EQ(pthread_create(&thread, &attr, walk_chain, &w), 0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attr);
    EXPECT_EQ(w.failure, "");
}

} // namespace
} // namespace seam
