//! apimachinery's `resource.Quantity` as kubectl prints it: parsed keeping its format
//! (decimal SI, binary SI or decimal exponent), added as `Quantity.Add` does, and written in
//! canonical form (`Quantity.String`): `1.5Gi` prints `1536Mi`, `0.5` prints `500m`, `2000` `2k`.

use std::cmp::Ordering;

use crate::api::quantity::{self as api_quantity, Format};

/// A quantity worth `mantissa × 10^scale`, at nano precision at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    mantissa: i128,
    scale: i64,
    format: Format,
}

const DECIMAL_SUFFIXES: [(&str, i32); 9] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

const BINARY_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

impl Default for Quantity {
    /// The zero value, which prints `0` and takes the format of what is added to it.
    fn default() -> Quantity {
        Quantity {
            mantissa: 0,
            scale: 0,
            format: Format::DecimalSi,
        }
    }
}

impl Quantity {
    /// `resource.ParseQuantity`; None for text the API server would have rejected.
    pub fn parse(text: &str) -> Option<Quantity> {
        let parsed = api_quantity::parse(text).ok()?;
        // A value finer than a nano rounds up (away from zero), as the API server stores it; a
        // binary multiple or a value of more digits than a mantissa holds is kept in nanos.
        let (mantissa, scale) = match parsed.decimal() {
            Some((mantissa, exponent)) if exponent >= -9 => (mantissa, exponent),
            _ => (parsed.scaled(-9), -9),
        };
        Some(Quantity {
            mantissa,
            scale,
            format: parsed.format,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// `Quantity.Add`: the sum keeps this quantity's format, unless this one is zero.
    pub fn add(&mut self, other: &Quantity) {
        if self.is_zero() {
            self.format = other.format;
        }
        let scale = self.scale.min(other.scale);
        self.mantissa = rescale(self.mantissa, self.scale, scale).saturating_add(rescale(
            other.mantissa,
            other.scale,
            scale,
        ));
        self.scale = scale;
    }

    /// `MilliValue`: thousandths, rounded up.
    pub fn milli_value(&self) -> i128 {
        scaled_value(self.mantissa, self.scale, -3)
    }

    /// `Value`: whole units, rounded up.
    pub fn value(&self) -> i128 {
        scaled_value(self.mantissa, self.scale, 0)
    }

    fn is_integer(&self) -> bool {
        self.scale >= 0 || self.mantissa % pow10(self.scale.saturating_neg()) == 0
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> Ordering {
        let scale = self.scale.min(other.scale);
        rescale(self.mantissa, self.scale, scale).cmp(&rescale(other.mantissa, other.scale, scale))
    }
}

impl std::fmt::Display for Quantity {
    /// `Quantity.String` (`CanonicalizeBytes`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let magnitude = Quantity {
            mantissa: self.mantissa.saturating_abs(),
            ..self.clone()
        };
        let below_1024 = magnitude
            < Quantity {
                mantissa: 1024,
                scale: 0,
                format: self.format,
            };
        // Binary suffixes only for whole values of 1024 or more; the rest print in decimal.
        if self.format == Format::BinarySi && !below_1024 && self.is_integer() {
            let mut amount = self.value();
            let mut power = 0;
            while amount % 1024 == 0 && power + 1 < BINARY_SUFFIXES.len() {
                amount /= 1024;
                power += 1;
            }
            return write!(f, "{amount}{}", BINARY_SUFFIXES[power]);
        }
        let (mut amount, mut exponent) = (self.mantissa, self.scale);
        while amount % 10 == 0 {
            amount /= 10;
            exponent = exponent.saturating_add(1);
        }
        match exponent % 3 {
            1 | -2 => {
                amount = amount.saturating_mul(10);
                exponent -= 1;
            }
            2 | -1 => {
                amount = amount.saturating_mul(100);
                exponent -= 2;
            }
            _ => {}
        }
        let suffix = match (self.format, exponent) {
            (_, 0) => String::new(),
            (Format::DecimalExponent, exponent) => format!("e{exponent}"),
            (_, exponent) => DECIMAL_SUFFIXES
                .iter()
                .find(|(_, e)| i64::from(*e) == exponent)
                .map(|(s, _)| s.to_string())
                .unwrap_or_default(),
        };
        write!(f, "{amount}{suffix}")
    }
}

/// A quantity's text in canonical form, or the text itself when it does not parse.
pub fn canonical(text: &str) -> String {
    match Quantity::parse(text) {
        Some(quantity) => quantity.to_string(),
        None => text.to_string(),
    }
}

fn pow10(exponent: i64) -> i128 {
    10i128.saturating_pow(u32::try_from(exponent.max(0)).unwrap_or(u32::MAX))
}

fn rescale(mantissa: i128, from: i64, to: i64) -> i128 {
    mantissa.saturating_mul(pow10(from.saturating_sub(to)))
}

/// `mantissa × 10^scale` in units of `10^target`, rounded up.
fn scaled_value(mantissa: i128, scale: i64, target: i64) -> i128 {
    if scale >= target {
        return rescale(mantissa, scale, target);
    }
    let divisor = pow10(target.saturating_sub(scale));
    let quotient = mantissa / divisor;
    if mantissa % divisor > 0 {
        quotient + 1
    } else {
        quotient
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_canonical_forms() {
        let cases = [
            ("0", "0"),
            ("100m", "100m"),
            ("0.5", "500m"),
            ("1500m", "1500m"),
            ("2000", "2k"),
            ("1500", "1500"),
            ("4", "4"),
            ("16Gi", "16Gi"),
            ("1.5Gi", "1536Mi"),
            ("2048Ki", "2Mi"),
            ("1000Mi", "1000Mi"),
            ("512", "512"),
            ("100Gi", "100Gi"),
            ("1e3", "1e3"),
            ("129e6", "129e6"),
            ("128974848", "128974848"),
            ("1.5", "1500m"),
            ("0.1", "100m"),
            ("1M", "1M"),
            ("110", "110"),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical(input), expected, "{input}");
        }
    }

    #[test]
    fn extreme_quantities_print_without_overflow() {
        let cases = [
            // Rounded up to a nano, in the format they were written in.
            ("1e-308", "1e-9"),
            ("0.001e-2147483648", "1e-9"),
            ("-1e-308", "-1e-9"),
            ("0.0000000001", "1n"),
            // The exponent a multiple of three, as `AsCanonicalBytes` makes it.
            ("1e2147483647", "10e2147483646"),
            ("8Ei", "9223372036854775807"),
            ("7Ei", "7Ei"),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical(input), expected, "{input}");
        }
        for input in [
            "10e2147483647",
            "1e9223372036854775807",
            "-1e9223372036854775807",
        ] {
            let quantity = Quantity::parse(input).unwrap();
            let _ = quantity.to_string();
            let _ = (quantity.value(), quantity.milli_value());
            let mut sum = quantity.clone();
            sum.add(&Quantity::parse("1n").unwrap());
            sum.add(&quantity);
            let _ = (sum.to_string(), sum.cmp(&quantity));
        }
        assert!(Quantity::parse("1e2147483647") > Quantity::parse("8Ei"));
        assert_eq!(Quantity::parse("12x"), None);
    }

    #[test]
    fn adds_keeping_the_first_format() {
        let mut total = Quantity::default();
        total.add(&Quantity::parse("128Mi").unwrap());
        total.add(&Quantity::parse("64Mi").unwrap());
        assert_eq!(total.to_string(), "192Mi");
        let mut cpu = Quantity::parse("100m").unwrap();
        cpu.add(&Quantity::parse("1").unwrap());
        assert_eq!(cpu.to_string(), "1100m");
        assert_eq!(cpu.milli_value(), 1100);
        assert_eq!(Quantity::parse("1.5").unwrap().value(), 2);
    }
}
