//! A seed for fuzz_dwarf: the std types the formatters know, instantiated in one small object
//! (a fixture program with std linked in is megabytes, and so is an object that calls std's
//! generic code: mutating either would be slow).
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

pub enum Shape {
    Circle { r: f64 },
    Rect(u32, u32),
    Empty,
}

pub struct Holder {
    pub name: String,
    pub items: Vec<u64>,
    pub map: HashMap<u32, String>,
    pub tree: BTreeMap<i64, Option<Box<Shape>>>,
    pub queue: VecDeque<char>,
    pub shared: Rc<RefCell<Vec<u8>>>,
    pub sync: Arc<Mutex<Result<u16, String>>>,
    pub dynamic: Box<dyn Fn(u8) -> u8>,
}

/// Takes the types by reference and calls nothing generic: their DWARF without std's code.
#[no_mangle]
pub fn touch(h: &Holder, s: &Shape) -> (*const Holder, *const Shape) {
    (h, s)
}
