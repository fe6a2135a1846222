// The oracle of float_text_test.cpp: a seeded stream of f64 or f32 values, one line each,
// `BITS DEBUG DISPLAY` (bits in hex, then what this rustc's `{:?}` and `{}` print).
//
//   float_text_oracle f64|f32 SEED COUNT
//
// The build compiles it with the configured rustc (std only, nothing past Rust 1.63). The
// stream mixes random bit patterns (every exponent, subnormals, NaN payloads) with the values
// where shortest-digit printers disagree: exact ties between the two closest shortest
// candidates, powers of two (whose lower neighbour is closer than the upper), powers of ten,
// the edges of Debug's decimal range, integers and short decimals.
use std::io::Write;

struct Rng(u64);
impl Rng {
    // splitmix64: every seed gives a full-period, well-mixed stream.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

// What differs between the two types, as bit patterns and integers.
trait Float: Copy + std::fmt::Debug + std::fmt::Display + std::str::FromStr {
    const FRACTION_BITS: u32;
    const EXP_BIAS: i64;
    const MAX_DIGITS: u32; // shortest digits never exceed this (17, 9)
    const MAX_TIE_POWER: i64; // ties exist only for 2^j with -MAX_TIE_POWER <= j <= -2
    fn from_u64_bits(b: u64) -> Self;
    fn to_u64_bits(self) -> u64;
    fn from_u64(m: u64) -> Self;
    fn mul(self, o: Self) -> Self;
    fn neg(self) -> Self;
}

// One impl per type; the bodies differ only in the type and its constants.
macro_rules! impl_float {
    ($t:ty, $bits:ty, $fraction:expr, $bias:expr, $digits:expr, $tie:expr) => {
        impl Float for $t {
            const FRACTION_BITS: u32 = $fraction;
            const EXP_BIAS: i64 = $bias;
            const MAX_DIGITS: u32 = $digits;
            const MAX_TIE_POWER: i64 = $tie;
            fn from_u64_bits(b: u64) -> Self {
                <$t>::from_bits(b as $bits)
            }
            fn to_u64_bits(self) -> u64 {
                self.to_bits() as u64
            }
            fn from_u64(m: u64) -> Self {
                m as $t
            }
            fn mul(self, o: Self) -> Self {
                self * o
            }
            fn neg(self) -> Self {
                -self
            }
        }
    };
}
impl_float!(f64, u64, 52, 1023, 17, 25);
impl_float!(f32, u32, 23, 127, 9, 14);

fn total_bits<F: Float>() -> u32 {
    if F::FRACTION_BITS == 52 {
        64
    } else {
        32
    }
}

fn power_of_two<F: Float>(e: i64) -> F {
    F::from_u64_bits(((F::EXP_BIAS + e) as u64) << F::FRACTION_BITS)
}

// |v| = odd * 2^j lies exactly halfway between two neighbours of the shortest length when their
// last digit sits at 10^(j+1) and the interval that reads back as v reaches them: its half-width,
// half an ulp, must be at least half of 10^(j+1), so v >= 2^FRACTION_BITS * 10^(j+1). With at
// most MAX_DIGITS digits the midpoint odd * 5^-j stays below 10^(MAX_DIGITS+1).
fn tie<F: Float>(rng: &mut Rng) -> F {
    loop {
        let j = rng.range(-F::MAX_TIE_POWER, -2);
        let p = 5u128.pow((-j) as u32);
        let lo = ((1u128 << F::FRACTION_BITS) * 10 + p - 1) / p;
        let hi = (1u128 << (F::FRACTION_BITS + 1)).min(10u128.pow(F::MAX_DIGITS + 1) / p);
        if lo >= hi {
            continue;
        }
        let mut m = lo + (rng.next() as u128) % (hi - lo);
        m |= 1;
        if m >= hi {
            m -= 2;
        }
        if m < lo {
            continue;
        }
        return F::from_u64(m as u64).mul(power_of_two::<F>(j));
    }
}

fn step<F: Float>(v: F, by: i64) -> F {
    let b = v.to_u64_bits() as i64 + by;
    F::from_u64_bits(b.max(0) as u64)
}

fn parse<F: Float>(s: &str) -> F {
    match s.parse::<F>() {
        Ok(v) => v,
        Err(_) => panic!("unparsable {}", s),
    }
}

fn value<F: Float>(rng: &mut Rng) -> F {
    let bits = total_bits::<F>();
    let mask = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let exp_max = (1i64 << (bits - 1 - F::FRACTION_BITS)) - 1; // all-ones exponent: inf/NaN
    let v: F = match rng.below(16) {
        0..=5 => F::from_u64_bits(rng.next() & mask),
        6..=8 => tie::<F>(rng),
        9 => {
            let e = rng.range(1 - F::EXP_BIAS, F::EXP_BIAS);
            step(power_of_two::<F>(e), rng.range(-2, 2))
        }
        10 => {
            let k = rng.range(-(F::EXP_BIAS * 3 / 10 + 15), F::EXP_BIAS * 3 / 10 + 2);
            step(parse::<F>(&format!("1e{}", k)), rng.range(-2, 2))
        }
        11 => F::from_u64_bits(rng.next() & ((1u64 << F::FRACTION_BITS) - 1)), // subnormal
        12 => {
            let edge = if rng.below(2) == 0 { "1e-4" } else { "1e16" };
            step(parse::<F>(edge), rng.range(-3, 3))
        }
        13 => {
            let m = rng.next() >> rng.below(64);
            F::from_u64(m)
        }
        14 => {
            let digits = rng.next() % 10u64.pow(1 + rng.below(F::MAX_DIGITS as u64) as u32);
            parse::<F>(&format!("{}e{}", digits, rng.range(-12, 4)))
        }
        _ => {
            let specials = [
                0u64,
                (exp_max as u64) << F::FRACTION_BITS,                 // inf
                ((exp_max as u64) << F::FRACTION_BITS) | 1,           // NaN, smallest payload
                ((exp_max as u64) << F::FRACTION_BITS) | (rng.next() & ((1u64 << F::FRACTION_BITS) - 1)) | 1,
                1,                                                     // smallest subnormal
                1u64 << F::FRACTION_BITS,                              // smallest normal
                (((exp_max - 1) as u64) << F::FRACTION_BITS) | ((1u64 << F::FRACTION_BITS) - 1), // MAX
            ];
            F::from_u64_bits(specials[rng.below(specials.len() as u64) as usize])
        }
    };
    if rng.below(2) == 0 {
        v.neg()
    } else {
        v
    }
}

fn stream<F: Float>(seed: u64, count: u64) {
    let mut rng = Rng(seed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    for _ in 0..count {
        let v = value::<F>(&mut rng);
        // A reader that stops early (a failed test) ends the stream, not a panic.
        if writeln!(out, "{:x} {:?} {}", v.to_u64_bits(), v, v).is_err() {
            return;
        }
    }
    let _ = out.flush();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: {} f64|f32 SEED COUNT", args[0]);
        std::process::exit(2);
    }
    let seed: u64 = args[2].parse().expect("SEED");
    let count: u64 = args[3].parse().expect("COUNT");
    match args[1].as_str() {
        "f64" => stream::<f64>(seed, count),
        "f32" => stream::<f32>(seed, count),
        _ => {
            eprintln!("unknown type {}", args[1]);
            std::process::exit(2);
        }
    }
}
