// The kernel crate's family: registered before the std families, whose paths never overlap.
#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/families.h"

namespace seam {

void register_kernel(Registry& r) {
    r.add(kernel::make_arc_formatter());
    r.add(kernel::make_arc_borrow_formatter());
    r.add(kernel::make_aref_formatter());
    r.add(kernel::make_box_formatter());
    r.add(kernel::make_vec_formatter());
    r.add(kernel::make_cstr_formatter());
    r.add(kernel::make_cstring_formatter());
    r.add(kernel::make_error_formatter());
    r.add(kernel::make_opaque_formatter());
    r.add(kernel::make_scope_guard_formatter());
    r.add(kernel::make_lock_formatter());
    r.add(kernel::make_guard_formatter());
    r.add(kernel::make_list_formatter());
    r.add(kernel::make_device_formatter());
    r.add(kernel::make_c_lock_formatter());
    r.add(kernel::make_c_task_formatter());
}

} // namespace seam
