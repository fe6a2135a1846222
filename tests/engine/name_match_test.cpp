// Formatters matched by a Rust path must match that type only: not an array, pointer or
// function type whose name the DWARF reader spelled from the path's own. `[BTreeSet<i64>; 2]`
// is named `alloc::collections::btree::set::BTreeSet<i64, alloc::alloc::Global>[2]`, and a
// prefix match once gave it to the B-tree formatter (`<invalid: ...[2] has no field map>`).
#include <functional>
#include <set>

#include <gtest/gtest.h>

#include "formatters/core/formatter.h"
#include "tests/engine/dwarf_test_support.h"

namespace seam {
namespace {

using namespace dwarf_test;

Type named(TypeKind kind, std::string qualified) {
    Type t;
    t.kind = kind;
    t.lang = Lang::Rust;
    t.name = t.qualified = std::move(qualified);
    return t;
}

TEST(NameMatch, HasPathTakesTheWholeNameOnly) {
    const std::string set = "alloc::collections::btree::set::BTreeSet<i64, alloc::alloc::Global>";
    const char* path = "alloc::collections::btree::set::BTreeSet";
    auto t = named(TypeKind::Struct, set);
    EXPECT_TRUE(has_path(&t, path));
    auto bare = named(TypeKind::Struct, "core::time::Duration");
    EXPECT_TRUE(has_path(&bare, "core::time::Duration"));
    // Names the DWARF reader spells for unnamed derived types (dwarf_types.cpp).
    for (const std::string& derived :
         {set + "[2]", set + "[2][3]", set + " *", set + " &", set + " (i32)", set + " (*)(i32)",
          std::string("core::time::Duration[4]"), std::string("core::time::Duration *")}) {
        auto d = named(TypeKind::Array, derived);
        EXPECT_FALSE(has_path(&d, path)) << derived;
        EXPECT_FALSE(has_path(&d, "core::time::Duration")) << derived;
    }
    // A variant struct nested in an enum is not the enum.
    auto some = named(TypeKind::Struct, "core::option::Option<alloc::string::String>::Some");
    EXPECT_FALSE(has_path(&some, "core::option::Option"));
    // Another path sharing the prefix.
    auto deque = named(TypeKind::Struct, "alloc::collections::vec_deque::VecDeque<u8>");
    EXPECT_FALSE(has_path(&deque, "alloc::collections::vec_deque::Vec"));
    // `->` inside the arguments closes nothing; a `>` after the arguments' end does not count.
    auto fnvec = named(TypeKind::Struct, "alloc::vec::Vec<fn(u8) -> u8, alloc::alloc::Global>");
    EXPECT_TRUE(has_path(&fnvec, "alloc::vec::Vec"));
    auto nested = named(TypeKind::Struct, "alloc::vec::Vec<alloc::vec::Vec<u8>>");
    EXPECT_TRUE(has_path(&nested, "alloc::vec::Vec"));
    auto after = named(TypeKind::Struct, "alloc::vec::Vec<u8>::Inner<u8>");
    EXPECT_FALSE(has_path(&after, "alloc::vec::Vec"));
    // No qualified name (a type built by hand): the DW_AT_name is the path.
    Type unqualified;
    unqualified.kind = TypeKind::Struct;
    unqualified.name = "alloc::rc::Rc<u8>";
    EXPECT_TRUE(has_path(&unqualified, "alloc::rc::Rc"));
}

// One struct holding arrays of every family and arrays inside every family, so that all their
// types are in the DWARF of a program rustc builds at test time.
constexpr const char* kSource = R"(
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::ffi::OsString;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::{Arc, Mutex, RwLock};
#[allow(dead_code)]
pub struct Families {
    string: [String; 2], vec: [Vec<u8>; 2], deque: [VecDeque<u8>; 2], list: [LinkedList<u8>; 2],
    heap: [BinaryHeap<u8>; 2], hmap: [HashMap<u8, u8>; 2], hset: [HashSet<u8>; 2],
    bmap: [BTreeMap<u8, u8>; 2], bset: [BTreeSet<i64>; 2], boxed: [Box<u8>; 2],
    box_str: [Box<str>; 2], box_slice: [Box<[u8]>; 2], box_dyn: [Box<dyn std::fmt::Debug>; 2],
    rc: [Rc<u8>; 2], weak: [std::rc::Weak<u8>; 2], arc: [Arc<u8>; 2],
    aweak: [std::sync::Weak<u8>; 2], cell: [Cell<u8>; 2], refcell: [RefCell<u8>; 2],
    mutex: [Mutex<u8>; 2], rwlock: [RwLock<u8>; 2], atomic: [AtomicU32; 2],
    atomic_bool: [AtomicBool; 2], option: [Option<String>; 2], result: [Result<u8, String>; 2],
    tuple: [(u8, String); 2], strs: [&'static str; 2], slices: [&'static [u8]; 2],
    os: [OsString; 2], path: [PathBuf; 2], duration: [std::time::Duration; 2],
    range: [std::ops::Range<u8>; 2], cow: [Cow<'static, str>; 2], refs: [&'static BTreeSet<i64>; 2],
    grid: [[BTreeSet<u8>; 2]; 2],
    in_vec: Vec<[BTreeSet<u8>; 2]>, in_deque: VecDeque<[String; 2]>, in_hmap: HashMap<[u8; 2], [BTreeMap<u8, u8>; 2]>,
    in_hset: HashSet<[u8; 2]>, in_bmap: BTreeMap<[u8; 2], [HashSet<u8>; 2]>, in_bset: BTreeSet<[u8; 2]>,
    in_box: Box<[Vec<u8>; 3]>, in_rc: Rc<[HashMap<u8, u8>; 2]>, in_arc: Arc<[String; 2]>,
    in_cell: Cell<[u8; 2]>, in_refcell: RefCell<[BTreeMap<u8, u8>; 2]>, in_mutex: Mutex<[VecDeque<u8>; 2]>,
    in_rwlock: RwLock<[Option<u8>; 2]>, in_option: Option<[BTreeSet<i64>; 2]>,
    in_result: Result<[String; 2], [u8; 1]>, in_tuple: ([BTreeMap<u8, u8>; 1], [u8; 2]),
    in_list: LinkedList<[u8; 2]>, in_slice: &'static [[String; 2]],
}
fn main() {
    let f: Option<Families> = None;
    println!("{}", f.is_some());
}
)";

TEST(NameMatch, EveryArrayInRustcDwarfGetsTheArrayFormatter) {
    std::string error;
    std::string binary = build_fixture("name_match", "rs", kSource, "-g -C opt-level=0", error);
    ASSERT_FALSE(binary.empty()) << error;
    auto info = DebugInfo::open(binary, 0);
    ASSERT_TRUE(info) << info.error().message;
    const Type* root = (*info)->find_type("name_match::Families");
    ASSERT_TRUE(root);

    // Every type reachable from the struct: fields, variant members, template arguments and
    // targets. Each array must get the array formatter, whatever its element.
    const Registry& registry = builtin_registry();
    std::set<const Type*> seen;
    size_t arrays = 0;
    std::set<std::string> elements_with_a_family; // arrays whose element has a family formatter
    std::function<void(const Type*)> walk = [&](const Type* t) {
        if (!t || !seen.insert(t).second) return;
        if (t->kind == TypeKind::Array) {
            ++arrays;
            const Formatter* f = registry.find(t);
            EXPECT_TRUE(f && f->name() == "rust.array")
                << t->name << " got " << (f ? std::string(f->name()) : "no formatter");
            const Formatter* elem = registry.find(t->target);
            if (elem && elem->name() != "rust.struct" && elem->name() != "rust.scalar")
                elements_with_a_family.insert(std::string(elem->name()));
        }
        for (const auto& field : t->fields) walk(field.type);
        if (t->variant_part)
            for (const auto& v : t->variant_part->variants) walk(v.member.type);
        for (const auto& p : t->template_params) walk(p.type);
        walk(t->target);
    };
    walk(root);
    EXPECT_GE(arrays, 50u);
    // The walk did reach arrays of the families whose matchers are by name.
    for (const char* family :
         {"rust.string", "rust.vec",       "rust.binary_heap", "rust.os_string",   "rust.path_buf",
          "rust.btree",  "rust.hashbrown", "rust.vec_deque",   "rust.linked_list", "rust.rc",
          "rust.weak",   "rust.cell",      "rust.refcell",     "rust.lock",        "rust.atomic",
          "rust.str",    "rust.slice",     "rust.box",         "rust.dyn",         "rust.duration",
          "rust.range",  "rust.cow",       "rust.enum",        "rust.pointer"})
        EXPECT_TRUE(elements_with_a_family.count(family)) << family;
}

} // namespace
} // namespace seam
