// The oracle for render_scalars_test.cpp and render_text_test.cpp: prints, as C++ table rows,
// what Rust's `{:?}` gives for chosen chars, strs, OsStrs, floats and 128-bit integers.
// The tests hold its output as data, so they run without rustc:
//
//   rustc -O tests/engine/render_debug_oracle.rs -o /tmp/render_debug_oracle
//   /tmp/render_debug_oracle chars    # rows {code point, Debug} for render_text_test.cpp
//   /tmp/render_debug_oracle strs     # rows {bytes, Debug of the str}
//   /tmp/render_debug_oracle os       # rows {bytes, Debug of the OsStr} (invalid UTF-8 too)
//   /tmp/render_debug_oracle f64      # rows {bits, Debug} for render_scalars_test.cpp
//   /tmp/render_debug_oracle f32
//   /tmp/render_debug_oracle i128     # rows {signed, lo, hi, Debug}
//   /tmp/render_debug_oracle eras <cps # the Debug of each char (hex code points on stdin), one
//                                      # quoted C++ string a line: built with rustc 1.63, 1.85
//                                      # and today's for render_text_eras_test.cpp
//   /tmp/render_debug_oracle texts     # the Debug of str, OsStr and CStr of a few byte strings
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

// A C++ string literal of any bytes: printable ASCII as is, the rest as 3-digit octal escapes
// (a hex escape would swallow a following hex digit).
fn lit(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for &b in bytes {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'?' => s.push_str("\\?"), // no trigraphs
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\{:03o}", b)),
        }
    }
    s.push_str("\"sv"); // string_view literal: keeps embedded NULs
    s
}

// A deterministic spread of samples (xorshift), so the rows do not change between runs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn chars() {
    let mut cps: Vec<u32> = (0..0x100).collect();
    cps.extend([
        0x300, 0x301, 0x36F, 0x370, 0x378, 0x483, 0x488, 0x5BF, 0x600, 0x61C, 0x6DD, 0x70F, 0x903,
        0x93C, 0x9BE, 0xE31, 0x115F, 0x1160, 0x180E, 0x200A, 0x200B, 0x200C, 0x200D, 0x200E,
        0x200F, 0x2028, 0x2029, 0x202A, 0x202F, 0x205F, 0x2060, 0x2064, 0x206F, 0x20AC, 0x20D0,
        0x3000, 0x3099, 0x3164, 0xA830, 0xD7FF, 0xE000, 0xF8FF, 0xFE0F, 0xFEFF, 0xFFA0, 0xFFF9,
        0xFFFC, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1D165, 0x1D173, 0x1F1E6, 0x1F3FB, 0x1F3FF,
        0x1F468, 0x1F600, 0x1FAF8, 0x20000, 0x2A6DF, 0x2FFFF, 0x30000, 0x3134A, 0xE0001, 0xE0020,
        0xE007F, 0xE0100, 0xE01EF, 0xEFFFF, 0xF0000, 0x10FFFD, 0x10FFFF,
    ]);
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut picked = 0;
    while picked < 160 {
        // Mostly the BMP and the SMP, where the tables are dense.
        let r = rng.next();
        let cp = if r & 3 == 0 { (r >> 8) as u32 % 0x110000 } else { (r >> 8) as u32 % 0x20000 };
        if char::from_u32(cp).is_some() && !cps.contains(&cp) {
            cps.push(cp);
            picked += 1;
        }
    }
    // Two rows a line keeps the test file short.
    for pair in cps.chunks(2) {
        let rows: Vec<String> = pair
            .iter()
            .map(|&cp| format!("{{0x{:X}, {}}},", cp, lit(format!("{:?}", char::from_u32(cp).unwrap()).as_bytes())))
            .collect();
        println!("    {}", rows.join(" "));
    }
}

const STRS: &[&str] = &[
    "", "hello", "it's", "say \"hi\"", "tab\there", "nl\ncr\r", "nul\0", "back\\slash",
    "\u{7f}\u{80}\u{9f}", "e\u{301}", "\u{301}e", "a\u{200d}b", "\u{feff}bom", "h\u{e9}llo",
    "\u{1f600} smile", "\u{1f44d}\u{1f3fd}", "\u{a0}nbsp", "\u{ad}shy", "zero\u{200b}width",
    "\u{2028}\u{2029}", "\u{e000}private", "\u{fffe}\u{ffff}", "\u{10ffff}", "\u{1b}[0m",
    "mixed \u{3b1}\u{3b2}\u{3b3} \u{4e2d}\u{6587} \u{5d0}", "'\"'\"", "\u{d7ff}\u{e000}",
    "combining\u{20dd}\u{20e3}", "\u{e0041}tag", "variation\u{fe0f}",
];

fn strs() {
    for s in STRS {
        println!("    {{{}, {}}},", lit(s.as_bytes()), lit(format!("{:?}", s).as_bytes()));
    }
}

fn os() {
    let cases: &[&[u8]] = &[
        b"plain", b"it's \"q\"", b"a\xffb", b"\x80", b"\xe2\x82c\xe2\x82\xac", b"e\xcc\x81\t\x00",
        b"\xf0\x9f\x98", b"\xf0\x9f\x98\x80", b"\xed\xa0\x80", b"\xc0\x80", b"\xc1\xbf", b"\xf4\x90\x80\x80",
        b"\xf5", b"\xfe\xff", b"ok\xe0\xa0", b"\xe0\x80\x80", b"\xc3\xa9\xc3", b"/tmp/x\xfay",
    ];
    for b in cases {
        println!("    {{{}, {}}},", lit(b), lit(format!("{:?}", OsStr::from_bytes(b)).as_bytes()));
    }
}

fn f64s() {
    let mut v: Vec<f64> = vec![
        0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 100.0, 1.5, 123456.789, 1.0 / 3.0, 2.0 / 3.0,
        1e15, 9999999999999998.0, 1e16, 1.5e16, 1e17, 1e21, 1e22, 1e23, 1e100, 1.5e300,
        f64::MAX, -f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e-4, 1.0001e-4, 9.999999999999999e-5,
        1e-5, 2.5e-5, -1.5e-5, 1e-7, 0.001, 0.01, 12345678901234567890.0, 4294967296.0,
        9007199254740992.0, 9007199254740993.0, 3.141592653589793, 2.718281828459045,
        f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-310,
    ];
    let mut rng = Rng(0xD1B54A32D192ED03);
    for _ in 0..80 {
        let x = f64::from_bits(rng.next());
        if x.is_finite() {
            v.push(x);
        }
    }
    for _ in 0..40 {
        // Everyday magnitudes, where the decimal/scientific switch and digit counts vary.
        let r = rng.next();
        let x = (r >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((r % 40) as i32 - 20);
        v.push(x);
    }
    for x in v {
        println!("    {{0x{:016X}ull, \"{:?}\"sv}},", x.to_bits(), x);
    }
}

fn f32s() {
    let mut v: Vec<f32> = vec![
        0.0, -0.0, 1.0, 0.1, 0.3, 100.0, 1.0 / 3.0, 16777216.0, 16777217.0, 1e15, 1e16, 1.5e16,
        9.999999e15, 1e-4, 9.9999e-5, 1e-5, f32::MAX, f32::MIN_POSITIVE, 1e-45, 3.4028235e38,
        1e-40, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 0.2, 7.0e-4,
    ];
    let mut rng = Rng(0x2545F4914F6CDD1D);
    for _ in 0..60 {
        let x = f32::from_bits(rng.next() as u32);
        if x.is_finite() {
            v.push(x);
        }
    }
    for x in v {
        println!("    {{0x{:08X}u, \"{:?}\"sv}},", x.to_bits(), x);
    }
}

fn i128s() {
    let signed: &[i128] = &[0, 1, -1, 42, -42, i64::MAX as i128 + 1, i64::MIN as i128 - 1,
        i128::MAX, i128::MIN, i128::MIN + 1, -170141183460469231731687303715884105727,
        12345678901234567890123456789];
    let unsigned: &[u128] = &[0, 1, u64::MAX as u128, u64::MAX as u128 + 1, u128::MAX,
        1u128 << 127, 98765432109876543210987654321];
    for &x in signed {
        let u = x as u128;
        println!("    {{true, 0x{:X}ull, 0x{:X}ull, \"{:?}\"sv}},", u as u64, (u >> 64) as u64, x);
    }
    for &u in unsigned {
        println!("    {{false, 0x{:X}ull, 0x{:X}ull, \"{:?}\"sv}},", u as u64, (u >> 64) as u64, u);
    }
}

fn eras() {
    use std::io::BufRead;
    for line in std::io::stdin().lock().lines() {
        let cp = u32::from_str_radix(line.unwrap().trim(), 16).unwrap();
        println!("{}", lit(format!("{:?}", char::from_u32(cp).unwrap()).as_bytes()));
    }
}

// Bytes whose Debug changed between std versions: quotes, NUL, controls, a grapheme extender
// after a space, bytes outside UTF-8, and a code point only newer Unicode assigns (U+31350).
const TEXTS: &[&[u8]] = &[
    b"it's \"q\"",
    b"h\xc3\xa9'\"\\\n\t\x7f\x01\xff~\xe6\x97 \xcc\x81",
    b"nul\0 \xf0\xb1\x8d\x90 \xe2\x80\x8b",
];

fn texts() {
    for &t in TEXTS {
        let s = std::str::from_utf8(t).ok().map(|s| format!("{:?}", s)).unwrap_or_default();
        let os = format!("{:?}", OsStr::from_bytes(t));
        let mut nul = t.to_vec();
        nul.push(0);
        // Up to the first NUL, as C reads it (CStr::from_bytes_until_nul is newer than 1.63).
        let c = unsafe { std::ffi::CStr::from_ptr(nul.as_ptr() as *const std::os::raw::c_char) };
        let c = format!("{:?}", c);
        println!("{{{}, {}, {}, {}}},", lit(t), lit(s.as_bytes()), lit(os.as_bytes()),
                 lit(c.as_bytes()));
    }
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("eras") => eras(),
        Some("texts") => texts(),
        Some("chars") => chars(),
        Some("strs") => strs(),
        Some("os") => os(),
        Some("f64") => f64s(),
        Some("f32") => f32s(),
        Some("i128") => i128s(),
        _ => eprintln!("usage: render_debug_oracle chars|strs|os|f64|f32|i128|eras|texts"),
    }
}
