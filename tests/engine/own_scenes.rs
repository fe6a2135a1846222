use std::cell::{Ref, RefCell, RefMut};
use std::collections::{BTreeMap, BTreeSet, LinkedList};
use std::ffi::c_void;
use std::io::Read;
use std::mem::ManuallyDrop;
use std::rc::{Rc, Weak};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

pub struct Payload { pub id: u64, pub data: [u8; 8] }
pub struct Node { pub id: u32, pub next: RefCell<Option<Rc<Node>>>, pub prev: RefCell<Option<Weak<Node>>> }
pub struct ListNode { pub val: u64, pub next: Option<Box<ListNode>> }

pub struct CycleScene { pub a: Rc<Node> }
pub struct WeakScene { pub a: Rc<Node> }
pub struct DoubleScene { pub a: Box<Payload>, pub b: ManuallyDrop<Box<Payload>> }
pub struct ConflictScene { pub cell: Rc<RefCell<Payload>>, pub w: Option<RefMut<'static, Payload>>, pub r: Option<&'static Payload> }
pub struct ReaderScene { pub cell: Rc<RefCell<Payload>>, pub g: Option<Ref<'static, Payload>>, pub r: Option<&'static Payload> }
pub struct LockScene { pub m: Arc<Mutex<Vec<Box<u32>>>>, pub g: Option<MutexGuard<'static, Vec<Box<u32>>>> }
pub struct ReadLockScene { pub l: Arc<RwLock<u32>>, pub r1: Option<RwLockReadGuard<'static, u32>>, pub r2: Option<RwLockReadGuard<'static, u32>> }
pub struct SharedScene { pub a: Rc<Payload>, pub b: Rc<Payload>, pub more: Vec<Rc<Payload>>, pub big: Vec<u64> }
pub struct ListScene { pub head: Option<Box<ListNode>> }
pub struct CrossScene { pub raw: *mut Payload, pub raw2: *mut Payload, pub arc: Arc<Payload> }
pub struct CollectionScene { pub list: LinkedList<Box<u64>>, pub map: BTreeMap<u32, Rc<Payload>>, pub set: BTreeSet<Box<u32>> }
pub struct CorruptCollections { pub looped: ManuallyDrop<LinkedList<u64>>, pub short: ManuallyDrop<LinkedList<u64>>, pub tree: ManuallyDrop<BTreeMap<u64, u64>> }
pub trait Speak { fn speak(&self) -> u32; }
pub struct Speaker { pub inner: Box<u32> }
impl Speak for Speaker { fn speak(&self) -> u32 { *self.inner } }
pub struct DynScene { pub d: Box<dyn Speak> }
pub struct ForgottenScene { pub m: Arc<Mutex<u32>>, pub c: Rc<RefCell<u32>> }

// bindings' view of own_scenes.c's serio_holder: a serio and the device in its middle.
#[repr(C)]
pub struct SerioHolder { pub serio: *const u8, pub dev: *const u8, pub counters: *const u8 }
extern "C" {
    static c_serio_holder: SerioHolder;
    fn serio_keep();
    static c_holder: u8;
    fn holder_keep(payload: *mut c_void, shared: *const c_void);
    fn holder_chain(payload: *mut c_void);
}

// The allocations made (tests/fixtures/counting_alloc.rs, built in by own_graph_test.cpp).
mod counting_alloc;
use counting_alloc::counted;
// Prints how many allocations (and bytes) `f` made, as `NAME.allocations` and `NAME.bytes`.
fn count<R>(name: &str, f: impl FnOnce() -> R) -> R {
    let before = counted();
    let r = f();
    let after = counted();
    println!("{}.allocations {:#x}", name, after.0 - before.0);
    println!("{}.bytes {:#x}", name, after.1 - before.1);
    r
}
// The word of `*value` equal to `from` becomes `to` (exactly one must match).
fn patch<T>(value: &mut T, from: usize, to: usize) {
    let words = unsafe {
        std::slice::from_raw_parts_mut(value as *mut T as *mut usize, std::mem::size_of::<T>() / 8)
    };
    let at: Vec<usize> = (0..words.len()).filter(|&i| words[i] == from).collect();
    assert_eq!(at.len(), 1, "{:#x} is not exactly one word", from);
    words[at[0]] = to;
}
// A LinkedList's head and tail nodes: the header words (other than `len`) whose node holds the
// front and back elements, found by value (node fields are in rustc's order, not the source's).
fn ends<T>(list: &LinkedList<T>) -> (usize, usize) {
    let words = unsafe { std::slice::from_raw_parts(list as *const _ as *const usize, 3) };
    let node = std::mem::size_of::<T>() + 16;
    let holder = |element: usize| {
        *words.iter().find(|&&w| w != list.len() && w <= element && element < w + node).unwrap()
    };
    (holder(list.front().unwrap() as *const T as usize), holder(list.back().unwrap() as *const T as usize))
}

fn node(id: u32) -> Rc<Node> {
    Rc::new(Node { id, next: RefCell::new(None), prev: RefCell::new(None) })
}
fn leak_cell(cell: &Rc<RefCell<Payload>>) -> &'static RefCell<Payload> {
    unsafe { &*Rc::as_ptr(cell) }
}
fn addr<T: ?Sized>(name: &str, p: *const T) {
    println!("{} {:#x}", name, p as *const u8 as usize);
}

fn main() {
    // An Rc cycle through RefCell<Option<Rc<_>>>: a -> b -> a.
    let a = node(1);
    let b = node(2);
    *a.next.borrow_mut() = Some(b.clone());
    *b.next.borrow_mut() = Some(a.clone());
    addr("cycle.a", Rc::as_ptr(&a));
    addr("cycle.b", Rc::as_ptr(&b));
    drop(b);
    let cycle = CycleScene { a };
    addr("cycle", &cycle);

    // Its twin: the back edge is Weak.
    let a = node(1);
    let b = node(2);
    *a.next.borrow_mut() = Some(b.clone());
    *b.prev.borrow_mut() = Some(Rc::downgrade(&a));
    addr("weak.a", Rc::as_ptr(&a));
    addr("weak.b", Rc::as_ptr(&b));
    drop(b);
    let weak = WeakScene { a };
    addr("weak", &weak);

    // Two Boxes from one from_raw.
    let raw = Box::into_raw(Box::new(Payload { id: 3, data: [3; 8] }));
    let double = DoubleScene { a: unsafe { Box::from_raw(raw) }, b: ManuallyDrop::new(unsafe { Box::from_raw(raw) }) };
    addr("double.box", raw);
    addr("double", &double);

    // A live RefMut while a & to the value is taken through a raw pointer.
    let cell = Rc::new(RefCell::new(Payload { id: 4, data: [4; 8] }));
    let w = leak_cell(&cell).borrow_mut();
    let r = unsafe { &*leak_cell(&cell).as_ptr() };
    addr("conflict.cell", Rc::as_ptr(&cell));
    let conflict = ConflictScene { cell, w: Some(w), r: Some(r) };
    addr("conflict", &conflict);

    // Its twin: a Ref and a & through it.
    let cell = Rc::new(RefCell::new(Payload { id: 5, data: [5; 8] }));
    let g = leak_cell(&cell).borrow();
    let r: &'static Payload = unsafe { &*(&*g as *const Payload) };
    let reader = ReaderScene { cell, g: Some(g), r: Some(r) };
    addr("reader", &reader);

    // A held MutexGuard, and its twin with the guard dropped.
    let m = Arc::new(Mutex::new(vec![Box::new(1u32), Box::new(2u32)]));
    let mref: &'static Mutex<Vec<Box<u32>>> = unsafe { &*Arc::as_ptr(&m) };
    addr("lock.mutex", Arc::as_ptr(&m));
    let lock = LockScene { m, g: Some(mref.lock().unwrap()) };
    addr("lock", &lock);
    let unlocked = LockScene { m: Arc::new(Mutex::new(vec![Box::new(3u32)])), g: None };
    addr("unlocked", &unlocked);

    // An RwLock read twice: its read guards hold the lock's inner lock, inside the RwLock.
    let l = Arc::new(RwLock::new(10u32));
    let lref: &'static RwLock<u32> = unsafe { &*Arc::as_ptr(&l) };
    addr("rwlock.lock", Arc::as_ptr(&l));
    let rwlock = ReadLockScene { l, r1: Some(lref.read().unwrap()), r2: Some(lref.read().unwrap()) };
    addr("rwlock", &rwlock);

    // One allocation shared five times, and a million u64 that hold no pointer.
    let p = Rc::new(Payload { id: 6, data: [6; 8] });
    let shared = SharedScene { a: p.clone(), b: p.clone(), more: vec![p.clone(), p.clone(), p], big: vec![7; 1_000_000] };
    addr("shared.payload", Rc::as_ptr(&shared.a));
    addr("shared", &shared);

    // A linked list of 1000 Boxes.
    let mut head: Option<Box<ListNode>> = None;
    for i in 0..1000 {
        head = Some(Box::new(ListNode { val: 999 - i, next: head }));
    }
    let list = ListScene { head };
    addr("list", &list);

    // C keeps a Box::into_raw and a leaked Arc clone.
    let raw = Box::into_raw(Box::new(Payload { id: 8, data: [8; 8] }));
    let arc = Arc::new(Payload { id: 9, data: [9; 8] });
    unsafe { holder_keep(raw as *mut c_void, Arc::into_raw(arc.clone()) as *const c_void) };
    // And a heap struct of C's, reached through c_holder.chain, keeps another.
    let raw2 = Box::into_raw(Box::new(Payload { id: 10, data: [10; 8] }));
    unsafe { holder_chain(raw2 as *mut c_void) };
    let cross = CrossScene { raw, raw2, arc };
    addr("cross.raw2", cross.raw2);
    addr("cross.raw", cross.raw);
    addr("cross.arc", Arc::as_ptr(&cross.arc));
    addr("cross", &cross);
    addr("c_holder", unsafe { &c_holder as *const u8 });

    // A lock and a RefCell whose guards were forgotten: held, with no guard anywhere.
    let fm = Arc::new(Mutex::new(11u32));
    std::mem::forget(fm.lock().unwrap());
    let fc = Rc::new(RefCell::new(12u32));
    std::mem::forget(fc.borrow_mut());
    addr("forgotten.mutex", Arc::as_ptr(&fm));
    addr("forgotten.cell", Rc::as_ptr(&fc));
    let forgotten = ForgottenScene { m: fm, c: fc };
    addr("forgotten", &forgotten);

    // A held kernel mutex met twice, through a C struct and a pointer into its middle.
    unsafe {
        serio_keep();
        addr("c_serio_holder", &c_serio_holder);
        addr("serio.dev", c_serio_holder.dev);
        addr("serio.counters", c_serio_holder.counters);
    }

    // A Box<dyn Trait> whose concrete value owns a Box of its own.
    let dynamic = DynScene { d: Box::new(Speaker { inner: Box::new(13) }) };
    addr("dyn", &dynamic);
    std::hint::black_box(dynamic.d.speak());

    // Node-based collections: a LinkedList of Boxes, a BTreeMap of Rcs tall enough to have an
    // internal node, a BTreeSet of Boxes. The values are made first: the counts are the nodes'.
    let boxes: Vec<Box<u64>> = (0..5u64).map(|i| Box::new(100 + i)).collect();
    let linked: LinkedList<Box<u64>> = count("collections.list", || boxes.into_iter().collect());
    let rcs: Vec<Rc<Payload>> = (0..30u64).map(|i| Rc::new(Payload { id: i, data: [0; 8] })).collect();
    let mut map = BTreeMap::new();
    count("collections.map", || for (k, v) in rcs.into_iter().enumerate() { map.insert(k as u32, v); });
    let members: Vec<Box<u32>> = (0..40u32).map(Box::new).collect();
    let mut set = BTreeSet::new();
    count("collections.set", || for m in members.into_iter() { set.insert(m); });
    let collections = CollectionScene { list: linked, map, set };
    addr("collections", &collections);

    // The same collections corrupted (never dropped): a list of 20,000 nodes whose tail links
    // back to its head and whose len says 2^40, a list of 3 whose len says 2^40, and a tree
    // whose root's last edge leads back to the root.
    let mut looped: ManuallyDrop<LinkedList<u64>> = ManuallyDrop::new((0..20_000u64).collect());
    let (head, tail) = ends(&looped);
    patch(unsafe { &mut *(tail as *mut [usize; 3]) }, 0, head);
    patch(&mut *looped, 20_000, 1 << 40);
    let mut short: ManuallyDrop<LinkedList<u64>> = ManuallyDrop::new((0..3u64).collect());
    patch(&mut *short, 3, 1 << 40);
    let tree: ManuallyDrop<BTreeMap<u64, u64>> = ManuallyDrop::new((0..20u64).map(|k| (k, k)).collect());
    // The root is the header word that is neither the height (1) nor the length (20); its edges
    // are the words of it that point at a node holding the root (a child's `parent`).
    let header = unsafe { std::slice::from_raw_parts(&*tree as *const _ as *const usize, 3) };
    let root = *header.iter().find(|&&w| w != 1 && w != 20).unwrap();
    let internal_words = (8 + 2 + 2 + 11 * 8 * 2 + 4 + 12 * 8) / 8; // InternalNode<u64, u64>
    let words = unsafe { std::slice::from_raw_parts_mut(root as *mut usize, internal_words) };
    let child = |w: usize| {
        w != root && w % 8 == 0 && w.abs_diff(root) < 1 << 20
            && unsafe { std::slice::from_raw_parts(w as *const usize, 23) }.contains(&root)
    };
    let last_edge = (0..internal_words).filter(|&i| child(words[i])).last().unwrap();
    words[last_edge] = root;
    let corrupt = CorruptCollections { looped, short, tree };
    addr("corrupt", &corrupt);

    println!("ready");
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    std::hint::black_box((&cycle, &weak, &double, &conflict, &reader, &lock, &unlocked, &rwlock, &shared, &list, &cross, &forgotten, &dynamic, &collections, &corrupt));
}
