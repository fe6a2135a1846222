// SPDX-License-Identifier: GPL-2.0

//! seam's kernel sample (tests/kernel): kernel-crate values held by one frame while a debugger
//! stops in `seam_stop`. Built in (not a module), so its init runs as an initcall: the stack is
//! `do_one_initcall` (C) calling the module's init (Rust). Before the stop it logs each value's
//! own Debug with `pr_info!`, the oracle the kernel tests compare seam's output with.

use core::hint::black_box;
use core::pin::Pin;
use kernel::c_str;
use kernel::device::Device;
use kernel::list::{impl_has_list_links, impl_list_arc_safe, impl_list_item};
use kernel::list::{AtomicTracker, List, ListArc, ListLinks, TryNewListArc};
use kernel::prelude::*;
use kernel::str::CStr;
use kernel::sync::{new_mutex, new_spinlock, Arc, Mutex, SpinLock};
use kernel::types::ARef;

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

#[allow(dead_code)] // a trait object behind the kernel's Arc and KBox; `area` is never called
trait Shape: core::fmt::Debug {
    fn area(&self) -> u32;
}
#[allow(dead_code)]
#[derive(Debug)]
struct Square {
    side: u32,
}
impl Shape for Square {
    fn area(&self) -> u32 {
        self.side * self.side
    }
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

#[allow(improper_ctypes)] // `device` holds bindgen's empty structs (mod_arch_specific)
extern "C" {
    /// drivers/base/platform.c's root device, registered before any initcall, never freed.
    static mut platform_bus: kernel::bindings::device;
}

/// The platform bus's root device as the kernel crate sees a C device (6.12: no typestate); its
/// name (the kobject's, once registered) is logged, the oracle.
#[inline(never)]
fn platform_device() -> &'static Device {
    // The address of a static, not a reference to it: safe (an `unsafe` fails CONFIG_WERROR).
    let raw = core::ptr::addr_of_mut!(platform_bus);
    // SAFETY: a registered device has its kobject's name.
    pr_info!("seam: bus = {:?}\n", unsafe { CStr::from_char_ptr((*raw).kobj.name) });
    // SAFETY: platform_bus lives as long as the kernel.
    unsafe { Device::as_ref(raw) }
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
    let mut bus: &Device = platform_device();
    // One more reference to the bus device, counted in its kobject: the C object's own graph
    // (its parent, its kset's list of every device) is not the ARef's.
    let mut bus_ref: ARef<Device> = bus.into();
    // Unsized values behind fat pointers, as the kernel's CoerceUnsized impls make them.
    let mut arc_slice: Arc<[u32]> = Arc::new([4u32, 5, 6], GFP_KERNEL)?;
    let mut arc_dyn: Arc<dyn Shape> = Arc::new(Square { side: 3 }, GFP_KERNEL)?;
    // 6.12's KBox has no CoerceUnsized: through its raw pointer, which coerces.
    let mut box_slice: KBox<[u16]> = {
        let sized: KBox<[u16; 2]> = KBox::new([7, 8], GFP_KERNEL)?;
        let raw: *mut [u16] = KBox::<[u16; 2]>::into_raw(sized);
        // SAFETY: the pointer into_raw gave, now to the unsized value.
        unsafe { KBox::from_raw(raw) }
    };
    let mut box_dyn: KBox<dyn Shape> = {
        let sized: KBox<Square> = KBox::new(Square { side: 4 }, GFP_KERNEL)?;
        let raw: *mut dyn Shape = KBox::<Square>::into_raw(sized);
        // SAFETY: as above.
        unsafe { KBox::from_raw(raw) }
    };

    pr_info!("seam: config = {:?}\n", *config.lock());
    pr_info!("seam: samples = {:?}\n", *samples.lock());
    for item in list.iter() {
        pr_info!("seam: list item {}\n", item.value);
    }
    pr_info!("seam: name = {:?}\n", name);
    pr_info!("seam: boxed = {:?}\n", boxed);
    pr_info!("seam: error = {:?}\n", error);
    pr_info!("seam: arc_slice = {:?}\n", arc_slice);
    pr_info!("seam: arc_dyn = {:?}\n", arc_dyn);
    pr_info!("seam: box_slice = {:?}\n", box_slice);
    pr_info!("seam: box_dyn = {:?}\n", box_dyn);

    // Every value escapes to memory, mutably, before the stop and stays alive after it, so that
    // its DWARF location at the stop is a stack slot, as a debugger needs (at opt-level 2 a
    // `&CStr` of a constant is otherwise described as a constant length and an optimised-out
    // pointer).
    black_box((&mut config, &mut shared, &mut samples, &mut list, &mut name, &mut boxed, &mut error));
    black_box(&mut bus);
    black_box((&mut bus_ref, &mut arc_slice, &mut arc_dyn, &mut box_slice, &mut box_dyn));
    seam_stop();
    black_box((&config, &shared, &samples, &list, &name, &boxed, &error, &bus));
    black_box((&bus_ref, &arc_slice, &arc_dyn, &box_slice, &box_dyn));
    Ok(())
}

struct SeamSample;

impl kernel::Module for SeamSample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        hold_values()?;
        Ok(SeamSample)
    }
}
