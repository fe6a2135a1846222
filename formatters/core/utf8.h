#pragma once
/// UTF-8 as Rust's strings hold it: encoding a char, and counting and cutting by chars (a
/// continuation byte does not start one), which is how Rust's widths and precisions and LLDB's
/// summary lengths count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace seam::utf8 {

/// Appends the code point `cp` (a Rust char: at most 0x10FFFF) encoded.
void append(std::string& out, uint32_t cp);
/// `cp` encoded.
std::string of(uint32_t cp);
/// The chars in `s`.
size_t char_count(std::string_view s);
/// The first `chars` chars of `s` (all of it when it holds no more).
std::string_view first_chars(std::string_view s, size_t chars);

} // namespace seam::utf8
