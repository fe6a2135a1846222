// kernel::error::Error: a negative errno, `Error(c_int)` to 6.12.18 and `Error(NonZeroI32)` from
// 6.13 (and 6.12.19's backport). Its Debug is the errno's name as the kernel's errname()
// (lib/errname.c) gives it, as a field-less tuple (`EINVAL`), or `Error(N)` with N positive for
// a code errname() does not know. The names are the kernel's: asm-generic/errno-base.h,
// asm-generic/errno.h (x86 and arm64 use them) and the kernel-internal codes of linux/errno.h.
#include <array>

#include <fmt/format.h>

#include "formatters/kernel/kernel_parts.h"
#include "formatters/rust/rust_layout.h"

namespace seam::kernel {
namespace {

// 1..133; "" where the number is an alias's only (41 EWOULDBLOCK = EAGAIN, 58 EDEADLOCK =
// EDEADLK: errname() gives the first name).
constexpr std::array<std::string_view, 134> kGeneric = {
    "",
    "EPERM",
    "ENOENT",
    "ESRCH",
    "EINTR",
    "EIO",
    "ENXIO",
    "E2BIG",
    "ENOEXEC",
    "EBADF",
    "ECHILD",
    "EAGAIN",
    "ENOMEM",
    "EACCES",
    "EFAULT",
    "ENOTBLK",
    "EBUSY",
    "EEXIST",
    "EXDEV",
    "ENODEV",
    "ENOTDIR",
    "EISDIR",
    "EINVAL",
    "ENFILE",
    "EMFILE",
    "ENOTTY",
    "ETXTBSY",
    "EFBIG",
    "ENOSPC",
    "ESPIPE",
    "EROFS",
    "EMLINK",
    "EPIPE",
    "EDOM",
    "ERANGE",
    "EDEADLK",
    "ENAMETOOLONG",
    "ENOLCK",
    "ENOSYS",
    "ENOTEMPTY",
    "ELOOP",
    "",
    "ENOMSG",
    "EIDRM",
    "ECHRNG",
    "EL2NSYNC",
    "EL3HLT",
    "EL3RST",
    "ELNRNG",
    "EUNATCH",
    "ENOCSI",
    "EL2HLT",
    "EBADE",
    "EBADR",
    "EXFULL",
    "ENOANO",
    "EBADRQC",
    "EBADSLT",
    "",
    "EBFONT",
    "ENOSTR",
    "ENODATA",
    "ETIME",
    "ENOSR",
    "ENONET",
    "ENOPKG",
    "EREMOTE",
    "ENOLINK",
    "EADV",
    "ESRMNT",
    "ECOMM",
    "EPROTO",
    "EMULTIHOP",
    "EDOTDOT",
    "EBADMSG",
    "EOVERFLOW",
    "ENOTUNIQ",
    "EBADFD",
    "EREMCHG",
    "ELIBACC",
    "ELIBBAD",
    "ELIBSCN",
    "ELIBMAX",
    "ELIBEXEC",
    "EILSEQ",
    "ERESTART",
    "ESTRPIPE",
    "EUSERS",
    "ENOTSOCK",
    "EDESTADDRREQ",
    "EMSGSIZE",
    "EPROTOTYPE",
    "ENOPROTOOPT",
    "EPROTONOSUPPORT",
    "ESOCKTNOSUPPORT",
    "EOPNOTSUPP",
    "EPFNOSUPPORT",
    "EAFNOSUPPORT",
    "EADDRINUSE",
    "EADDRNOTAVAIL",
    "ENETDOWN",
    "ENETUNREACH",
    "ENETRESET",
    "ECONNABORTED",
    "ECONNRESET",
    "ENOBUFS",
    "EISCONN",
    "ENOTCONN",
    "ESHUTDOWN",
    "ETOOMANYREFS",
    "ETIMEDOUT",
    "ECONNREFUSED",
    "EHOSTDOWN",
    "EHOSTUNREACH",
    "EALREADY",
    "EINPROGRESS",
    "ESTALE",
    "EUCLEAN",
    "ENOTNAM",
    "ENAVAIL",
    "EISNAM",
    "EREMOTEIO",
    "EDQUOT",
    "ENOMEDIUM",
    "EMEDIUMTYPE",
    "ECANCELED",
    "ENOKEY",
    "EKEYEXPIRED",
    "EKEYREVOKED",
    "EKEYREJECTED",
    "EOWNERDEAD",
    "ENOTRECOVERABLE",
    "ERFKILL",
    "EHWPOISON",
};

// 512..531: never seen by user space.
constexpr std::array<std::string_view, 20> kInternal = {
    "ERESTARTSYS",
    "ERESTARTNOINTR",
    "ERESTARTNOHAND",
    "ENOIOCTLCMD",
    "ERESTART_RESTARTBLOCK",
    "EPROBE_DEFER",
    "EOPENSTALE",
    "ENOPARAM",
    "",
    "EBADHANDLE",
    "ENOTSYNC",
    "EBADCOOKIE",
    "ENOTSUPP",
    "ETOOSMALL",
    "ESERVERFAULT",
    "EBADTYPE",
    "EJUKEBOX",
    "EIOCBQUEUED",
    "ERECALLCONFLICT",
    "ENOGRACE",
};

class ErrorFormatter final : public Formatter {
public:
    std::string_view name() const override { return "kernel.error"; }
    bool matches(const Type& t) const override {
        return t.kind == TypeKind::Struct && has_path(&t, "kernel::error::Error");
    }
    Formatted format(Context& ctx, const Value& v) const override {
        // `__0` is a c_int or a NonZeroI32 (`NonZero<i32>` { __0: i32 }): the integer inside.
        auto raw = rust_layout::scalar(ctx, v);
        if (!raw) return error_value(fmt::format("<error: {}>", raw.error().message));
        int64_t code = int32_t(uint32_t(*raw));
        Formatted f;
        std::string_view name = errno_name(-code);
        if (!name.empty()) {
            f = leaf(std::string(name));
            f.summary = fmt::format("{} ({})", name, code);
        } else {
            // Debug prints -code as a tuple field: `Error(4000)`, and `Error(\n    4000,\n)`.
            f.shape = Shape::Tuple;
            f.text = "Error";
            f.count = 1;
            f.value = v;
            f.summary = std::to_string(code);
        }
        // The invariant is -MAX_ERRNO (4095) <= code < 0; anything else is not an errno.
        if (code >= 0 || code < -4095)
            f.summary = fmt::format("<invalid: {} is not an errno>", code);
        f.type_name = "Error";
        return f;
    }
    std::vector<Child> children(Context& ctx, const Value& v, uint64_t start,
                                uint64_t count) const override {
        if (start != 0 || count == 0) return {};
        auto raw = rust_layout::scalar(ctx, v);
        if (!raw) return {Child{"0", Value::leaf(rust_layout::marker(raw.error())), std::nullopt}};
        return {Child{"0", Value::leaf(std::to_string(-int64_t(int32_t(uint32_t(*raw))))),
                      std::nullopt}};
    }
};

} // namespace

std::string_view errno_name(int64_t n) {
    if (n > 0 && n < int64_t(kGeneric.size())) return kGeneric[n];
    if (n >= 512 && n < 512 + int64_t(kInternal.size())) return kInternal[n - 512];
    return "";
}

std::unique_ptr<Formatter> make_error_formatter() {
    return std::make_unique<ErrorFormatter>();
}

} // namespace seam::kernel
