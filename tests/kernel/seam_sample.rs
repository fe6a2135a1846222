// SPDX-License-Identifier: GPL-2.0

//! seam's kernel sample (tests/kernel): kernel-crate values held by one frame while a debugger
//! stops in `seam_stop`. Built in (not a module), so its init runs as an initcall: the stack is
//! `do_one_initcall` (C) calling the module's init (Rust). Before the stop it logs each value's
//! own Debug with `pr_info!`, the oracle the kernel tests compare seam's output with.

use core::hint::black_box;
use core::pin::Pin;
use kernel::c_str;
use kernel::list::{impl_has_list_links, impl_list_arc_safe, impl_list_item};
use kernel::list::{AtomicTracker, List, ListArc, ListLinks, TryNewListArc};
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::sync::{new_mutex, new_spinlock, Arc, Mutex, SpinLock};

module! {
    type: SeamSample,
    name: "seam_sample",
    author: "seam",
    description: "kernel-crate values for a debugger to read",
    license: "GPL",
}

// Read only through its Debug (pr_info!) and by the debugger.
#[allow(dead_code)]
#[derive(Debug)]
struct Config {
    id: u32,
    hits: u64,
}

#[pin_data]
struct Item {
    value: u32,
    #[pin]
    links: ListLinks<0>,
    #[pin]
    tracker: AtomicTracker<0>,
}

impl_has_list_links! {
    impl HasListLinks<0> for Item { self.links }
}
impl_list_arc_safe! {
    impl ListArcSafe<0> for Item { tracked_by tracker: AtomicTracker<0>; }
}
impl_list_item! {
    impl ListItem<0> for Item { using ListLinks; }
}

impl Item {
    fn new(value: u32) -> Result<ListArc<Self>> {
        ListArc::pin_init(
            try_pin_init!(Self {
                value,
                links <- ListLinks::new(),
                tracker <- AtomicTracker::new(),
            }),
            GFP_KERNEL,
        )
    }
}

/// Where the debugger stops: the values live in the caller's frame (frame 1).
#[no_mangle]
#[inline(never)]
pub extern "C" fn seam_stop() {
    black_box(());
}

#[inline(never)]
fn hold_values() -> Result {
    let mut config: Arc<Mutex<Config>> = Arc::pin_init(new_mutex!(Config { id: 7, hits: 3 }), GFP_KERNEL)?;
    let mut shared = config.clone();
    let mut samples: Pin<KBox<SpinLock<KVec<u32>>>> = {
        let mut v = KVec::with_capacity(4, GFP_KERNEL)?;
        for x in [10, 20, 30] {
            v.push(x, GFP_KERNEL)?;
        }
        KBox::pin_init(new_spinlock!(v), GFP_KERNEL)?
    };
    let mut list: List<Item> = List::new();
    for value in [1, 2, 3] {
        list.push_back(Item::new(value)?);
    }
    let mut name: &CStr = c_str!("seam_sample");
    let mut boxed: KBox<u64> = KBox::new(42, GFP_KERNEL)?;
    let mut error: Error = ENOMEM;

    pr_info!("seam: config = {:?}\n", *config.lock());
    pr_info!("seam: samples = {:?}\n", *samples.lock());
    for item in list.iter() {
        pr_info!("seam: list item {}\n", item.value);
    }
    pr_info!("seam: name = {:?}\n", name);
    pr_info!("seam: boxed = {:?}\n", boxed);
    pr_info!("seam: error = {:?}\n", error);

    // Every value escapes to memory, mutably, before the stop and stays alive after it, so that
    // its DWARF location at the stop is a stack slot, as a debugger needs (at opt-level 2 a
    // `&CStr` of a constant is otherwise described as a constant length and an optimised-out
    // pointer).
    black_box((&mut config, &mut shared, &mut samples, &mut list, &mut name, &mut boxed, &mut error));
    seam_stop();
    black_box((&config, &shared, &samples, &list, &name, &boxed, &error));
    Ok(())
}

struct SeamSample;

impl kernel::Module for SeamSample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        hold_values()?;
        Ok(SeamSample)
    }
}
