// SPDX-License-Identifier: GPL-2.0

//! seam's panicking kernel sample (tests/kernel): a Rust panic in a built-in module's init, but
//! only when the boot command line asks for it (`seam_panic.trigger=literal` or
//! `seam_panic.trigger=index`), so that every other boot of the same kernel runs to the end.
//! The kernel's panic handler (`rust_begin_unwind`) prints the panic with `pr_emerg!`, the oracle
//! the kernel tests compare seam's message and location with, and calls the C helper
//! `rust_helper_BUG`, where the debugger stops.

use core::hint::black_box;
use kernel::prelude::*;
use kernel::c_str;
use kernel::str::CStr;

module! {
    type: SeamPanic,
    name: "seam_panic",
    author: "seam",
    description: "a Rust panic for a debugger to attribute",
    license: "GPL",
}

/// The value of `seam_panic.trigger=` on the boot command line, if any.
fn trigger() -> Option<&'static [u8]> {
    // SAFETY: start_kernel set saved_command_line, a NUL-terminated string, before any initcall
    // ran, and never frees it.
    let line = unsafe { CStr::from_char_ptr(kernel::bindings::saved_command_line) }.as_bytes();
    let key = b"seam_panic.trigger=";
    let at = line.windows(key.len()).position(|w| w == key)? + key.len();
    let value = &line[at..];
    Some(&value[..value.iter().position(|&c| c == b' ').unwrap_or(value.len())])
}

#[inline(never)]
fn check_slot(slots: &KVec<u32>, index: usize) -> u32 {
    // Out of bounds: core's panic_bounds_check formats the message from the index and the length.
    slots[index]
}

/// An argument type seam has no formatter of its own for: its derived Debug is read from its
/// DWARF.
#[allow(dead_code)]
#[derive(Debug)]
struct Slot {
    index: usize,
    owner: &'static str,
}

#[inline(never)]
fn panic_now(how: &[u8]) -> Result {
    match how {
        b"literal" => panic!("seam_panic: the sample was told to panic"),
        b"args" => {
            let slot = black_box(Slot { index: 5, owner: "seam" });
            let name: &CStr = black_box(c_str!("seam_panic"));
            let err = black_box(ENOMEM);
            panic!("seam_panic: {} gave up {:?} with {:?} ({} bytes)", name, slot, err, black_box(64u32));
        }
        b"index" => {
            let mut slots = KVec::with_capacity(3, GFP_KERNEL)?;
            for x in [1, 2, 3] {
                slots.push(x, GFP_KERNEL)?;
            }
            pr_info!("seam_panic: slot {}\n", check_slot(&slots, black_box(5)));
            Ok(())
        }
        _ => Ok(()),
    }
}

struct SeamPanic;

impl kernel::Module for SeamPanic {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        if let Some(how) = trigger() {
            panic_now(how)?;
        }
        Ok(SeamPanic)
    }
}
