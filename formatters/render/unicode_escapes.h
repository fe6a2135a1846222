#pragma once
/// Internal to the renderers: which code points Rust's Debug escapes as `\u{...}`.
namespace seam {

/// True when `{:?}` of this char (or of a str holding it) prints it as `\u{hex}`: Unicode
/// categories Cc Cf Cs Co Cn Zl Zp Zs (but U+0020) and Grapheme_Extend, as the std of the rustc
/// named in unicode_escapes.cpp decides them. Also true for the C0 controls that have a short
/// escape (\0 \t \n \r); callers handle those first.
bool rust_debug_escapes(char32_t c);

} // namespace seam
