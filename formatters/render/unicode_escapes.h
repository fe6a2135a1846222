#pragma once
/// Internal to the renderers: which code points Rust's Debug escapes as `\u{...}`.
#include <cstdint>

namespace seam {

/// True when `{:?}` of this char (or of a str holding it) prints it as `\u{hex}`: Unicode
/// categories Cc Cf Cs Co Cn Zl Zp Zs (but U+0020) and Grapheme_Extend, as the std of `rustc`
/// (a Type::rustc; 0 for unknown, which gets today's std) decides them: each std escapes the
/// code points its Unicode tables do not know. Also true for the C0 controls that have a short
/// escape (\0 \t \n \r); callers handle those first.
bool rust_debug_escapes(char32_t c, uint32_t rustc = 0);
/// True when some std that seam knows escapes `c` differently from today's.
bool rust_debug_escapes_differ(char32_t c);

} // namespace seam
