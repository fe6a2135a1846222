#pragma once
/// Errors as values. C++20 has no std::expected and bookworm ships no tl::expected, so seam
/// carries its own: a Result<T> holds a T or an Error, never throws, and is what every
/// function reachable from a debugger callback returns.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace seam {

struct Error {
    std::string message;
};

/// Builds an Error with fmt-style formatting: `return err("no field {}", name);`
template <typename... Args> Error err(fmt::format_string<Args...> f, Args&&... args) {
    return Error{fmt::format(f, std::forward<Args>(args)...)};
}

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error e) : m_v(std::in_place_index<1>, std::move(e)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & {
        assert(ok());
        return std::get<0>(m_v);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_v);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_v));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_v);
    }
    T value_or(T fallback) const { return ok() ? std::get<0>(m_v) : std::move(fallback); }

private:
    std::variant<T, Error> m_v;
};

/// Success-or-error with no value.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
    return Unit{};
}

} // namespace seam

/// Early return of the error of a Result-returning expression.
#define SEAM_TRY(expr)                                                                             \
    do {                                                                                           \
        auto seam_try_result_ = (expr);                                                            \
        if (!seam_try_result_) return seam_try_result_.error();                                    \
    } while (0)
