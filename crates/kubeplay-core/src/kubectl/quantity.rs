//! apimachinery's `resource.Quantity` as kubectl prints it: parsed keeping its format
//! (decimal SI, binary SI or decimal exponent), added as `Quantity.Add` does, and written in
//! canonical form (`Quantity.String`): `1.5Gi` prints `1536Mi`, `0.5` prints `500m`, `2000` `2k`.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalExponent,
    BinarySi,
    DecimalSi,
}

/// A quantity worth `mantissa × 10^scale`, at nano precision at most.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    mantissa: i128,
    scale: i32,
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
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if fraction.contains('.') {
            return None;
        }
        let digits = format!("{whole}{fraction}");
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut scale = -(fraction.len() as i32);
        let format = match suffix {
            "" => Format::DecimalSi,
            _ if suffix.starts_with(['e', 'E']) => {
                scale = scale.checked_add(suffix[1..].parse::<i32>().ok()?)?;
                Format::DecimalExponent
            }
            _ => {
                if let Some((_, exponent)) = DECIMAL_SUFFIXES.iter().find(|(s, _)| *s == suffix) {
                    scale += exponent;
                    Format::DecimalSi
                } else {
                    let power = BINARY_SUFFIXES.iter().skip(1).position(|s| *s == suffix)? + 1;
                    mantissa = mantissa.checked_mul(1i128.checked_shl(10 * power as u32)?)?;
                    Format::BinarySi
                }
            }
        };
        // Values finer than a nano round up (away from zero), as the API server stores them.
        if scale < -9 {
            let divisor = 10i128.checked_pow((-9 - scale) as u32)?;
            mantissa = mantissa.saturating_add(divisor - 1) / divisor;
            scale = -9;
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Quantity {
            mantissa,
            scale,
            format,
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
        self.scale >= 0 || self.mantissa % pow10(-self.scale) == 0
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
            mantissa: self.mantissa.abs(),
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
            exponent += 1;
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
                .find(|(_, e)| *e == exponent)
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

fn pow10(exponent: i32) -> i128 {
    10i128.saturating_pow(exponent.max(0) as u32)
}

fn rescale(mantissa: i128, from: i32, to: i32) -> i128 {
    mantissa.saturating_mul(pow10(from - to))
}

/// `mantissa × 10^scale` in units of `10^target`, rounded up.
fn scaled_value(mantissa: i128, scale: i32, target: i32) -> i128 {
    if scale >= target {
        return rescale(mantissa, scale, target);
    }
    let divisor = pow10(target - scale);
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
