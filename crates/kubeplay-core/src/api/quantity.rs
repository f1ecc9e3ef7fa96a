//! Resource quantities (`500m`, `2`, `128Mi`, `1e3`), read as apimachinery's `resource.Quantity` reads them.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// `resource.ErrFormatWrong`.
pub const QUANTITY_FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `resource.ErrNumeric`.
pub const QUANTITY_NUMERIC_ERROR: &str = "unable to parse numeric part of quantity";
/// `resource.ErrSuffix`.
pub const QUANTITY_SUFFIX_ERROR: &str = "unable to parse quantity's suffix";

/// The largest magnitude a parsed quantity keeps, in whole units: `math.MaxInt64`, where
/// apimachinery caps a binary-SI quantity ("8Ei" parses as 2^63-1) and beyond which its `Value`
/// and `MilliValue` overflow. Larger quantities saturate here, so sums of them cannot overflow.
pub const MAX_UNITS: i128 = i64::MAX as i128;

/// How a quantity was written, which its canonical form keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    DecimalExponent,
    BinarySi,
    DecimalSi,
}

/// A quantity as `resource.ParseQuantity` reads it, exactly: `±digits × 10^exponent × 2^binary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub negative: bool,
    /// The significant digits, without leading zeros: empty for zero.
    digits: String,
    /// Exact, where Go's int32 exponent arithmetic would wrap: `1e2147483647` is huge and
    /// `0.001e-2147483648` tiny, not the other way round.
    exponent: i64,
    binary: u32,
    pub format: Format,
}

impl Parsed {
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The magnitude in units of `10^target` (`target` from -9 to 0), rounded up, at most
    /// [`MAX_UNITS`] whole units. A non-zero value never rounds to zero, as the API server
    /// rounds a value finer than a nano up to `1n`.
    pub fn scaled_magnitude(&self, target: i64) -> i128 {
        if self.is_zero() {
            return 0;
        }
        let target = target.clamp(-9, 0);
        let cap = MAX_UNITS * 10i128.pow((-target) as u32);
        // The digits times 2^binary, as decimal digits, most significant first.
        let mut digits: Vec<u8> = self.digits.bytes().map(|b| b - b'0').collect();
        for _ in 0..self.binary {
            let mut carry = 0;
            for digit in digits.iter_mut().rev() {
                let doubled = *digit * 2 + carry;
                *digit = doubled % 10;
                carry = doubled / 10;
            }
            if carry > 0 {
                digits.insert(0, carry);
            }
        }
        // The decimal point falls after `point` digits, in units of 10^target.
        let point = (digits.len() as i64).saturating_add(self.exponent.saturating_sub(target));
        // The cap has at most 28 digits; 38 digits still fit an i128.
        if point > 38 {
            return cap;
        }
        if point <= 0 {
            return 1;
        }
        let point = point as usize;
        let mut whole: i128 = 0;
        for i in 0..point {
            whole = whole * 10 + i128::from(digits.get(i).copied().unwrap_or(0));
        }
        let rest_nonzero = digits.iter().skip(point).any(|digit| *digit != 0);
        (whole + i128::from(rest_nonzero)).min(cap)
    }

    /// `±mantissa × 10^exponent`, when that is the exact value: a decimal quantity of at most
    /// 38 significant digits.
    pub fn decimal(&self) -> Option<(i128, i64)> {
        if self.binary != 0 || self.digits.len() > 38 {
            return None;
        }
        let magnitude: i128 = if self.digits.is_empty() {
            0
        } else {
            self.digits.parse().ok()?
        };
        Some((
            if self.negative { -magnitude } else { magnitude },
            self.exponent,
        ))
    }

    /// The value in units of `10^target`, rounded away from zero, saturating at [`MAX_UNITS`]
    /// whole units.
    pub fn scaled(&self, target: i64) -> i128 {
        let magnitude = self.scaled_magnitude(target);
        if self.negative { -magnitude } else { magnitude }
    }
}

/// `resource.ParseQuantity`, with its errors.
pub fn parse(text: &str) -> Result<Parsed, &'static str> {
    if text.is_empty() {
        return Err(QUANTITY_FORMAT_ERROR);
    }
    let scanned = scan(text)?;
    let (binary, exponent, format) = interpret(scanned.suffix).ok_or(QUANTITY_SUFFIX_ERROR)?;
    let num = scanned.num.trim_start_matches('0');
    let digits = format!("{num}{}", scanned.denom);
    let exponent = exponent.saturating_sub(scanned.denom.len() as i64);
    // Where the API server takes the arbitrary-precision path (`inf.Dec.SetString`), a number
    // with no digits at all (`.`) does not parse; its fast int64 path reads it as zero.
    let fast_path = match format {
        Format::BinarySi => {
            // Upstream's estimate of the decimal digits a power of two leaves for the number.
            let precision = 15 - (scanned.num.len().max(1) as i64) - i64::from(binary) * 3 / 10 - 1;
            scanned.denom.is_empty() && precision >= 0
        }
        _ => exponent >= -9,
    };
    if !scanned.has_digits && !fast_path {
        return Err(QUANTITY_NUMERIC_ERROR);
    }
    let digits = digits.trim_start_matches('0');
    // Trailing zeros move into the exponent, so that `1` followed by a thousand zeros is small.
    let significant = digits.trim_end_matches('0');
    let exponent = exponent.saturating_add((digits.len() - significant.len()) as i64);
    Ok(Parsed {
        negative: scanned.negative && !significant.is_empty(),
        digits: significant.to_string(),
        exponent,
        binary,
        format,
    })
}

struct Scanned<'a> {
    negative: bool,
    /// The whole part after the sign (leading zeros included).
    num: &'a str,
    denom: &'a str,
    has_digits: bool,
    suffix: &'a str,
}

/// `parseQuantityString`: a sign, digits, a point and digits, then suffix letters, a sign and
/// digits; anything else is `ErrFormatWrong`.
fn scan(text: &str) -> Result<Scanned<'_>, &'static str> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos += 1;
            true
        }
        Some(b'+') => {
            pos += 1;
            false
        }
        _ => false,
    };
    let digits_from = |start: usize| {
        start
            + bytes[start..]
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count()
    };
    let num_end = digits_from(pos);
    let num = &text[pos..num_end];
    pos = num_end;
    let mut denom = "";
    if bytes.get(pos) == Some(&b'.') {
        let denom_end = digits_from(pos + 1);
        denom = &text[pos + 1..denom_end];
        pos = denom_end;
    }
    let suffix_start = pos;
    pos += bytes[pos..]
        .iter()
        .take_while(|byte| b"eEinumkKMGTP".contains(byte))
        .count();
    if matches!(bytes.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    if digits_from(pos) != bytes.len() {
        return Err(QUANTITY_FORMAT_ERROR);
    }
    Ok(Scanned {
        negative,
        num,
        denom,
        has_digits: !num.is_empty() || !denom.is_empty(),
        suffix: &text[suffix_start..],
    })
}

/// `suffixHandler.interpret`: the power of two, the power of ten and the format a suffix means.
fn interpret(suffix: &str) -> Option<(u32, i64, Format)> {
    let decimal = |exponent| Some((0, exponent, Format::DecimalSi));
    let binary = |power| Some((power, 0, Format::BinarySi));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => {
            // strconv.ParseInt(suffix[1:], 10, 64).
            let exponent: i64 = suffix[1..].parse().ok()?;
            Some((0, exponent, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// The quantity in thousandths of its unit, rounded up (`MilliValue`): `500m` → 500, `2` → 2000.
pub fn parse_milli(text: &str) -> Result<i128, String> {
    Ok(parse(text.trim())?.scaled(-3))
}

/// The quantity in whole units, rounded up (`Value`): `128Mi` → 134217728, `500m` → 1.
pub fn parse_value(text: &str) -> Result<i128, String> {
    let milli = parse_milli(text)?;
    Ok(if milli >= 0 {
        (milli + 999) / 1000
    } else {
        milli / 1000
    })
}

pub fn milli_of(quantity: &Quantity) -> i128 {
    parse_milli(&quantity.0).unwrap_or(0)
}

pub fn value_of(quantity: &Quantity) -> i128 {
    parse_value(&quantity.0).unwrap_or(0)
}

/// CPU for display in milli-cores, as `kubectl describe node` shows it: `250m`, `2`.
pub fn format_cpu_milli(milli: i128) -> String {
    if milli % 1000 == 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// Memory for display, in the largest binary unit that divides it: `128Mi`, `16Gi`.
pub fn format_memory_bytes(bytes: i128) -> String {
    for (suffix, size) in [
        ("Ei", 1i128 << 60),
        ("Pi", 1 << 50),
        ("Ti", 1 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if bytes != 0 && bytes % size == 0 {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory() {
        assert_eq!(parse_milli("500m"), Ok(500));
        assert_eq!(parse_milli("2"), Ok(2000));
        assert_eq!(parse_milli("0.5"), Ok(500));
        assert_eq!(parse_milli("1.5k"), Ok(1_500_000));
        assert_eq!(parse_value("128Mi"), Ok(128 * 1024 * 1024));
        assert_eq!(parse_value("1G"), Ok(1_000_000_000));
        assert_eq!(parse_value("1e3"), Ok(1000));
        assert_eq!(parse_value("500m"), Ok(1));
        assert_eq!(parse_milli("100n"), Ok(1));
        assert!(parse_milli("12x").is_err());
        assert!(parse_milli("").is_err());
        assert!(parse_milli("1.2.3").is_err());
    }

    #[test]
    fn extreme_exponents_saturate_or_round_up_to_a_nano() {
        let max_milli = MAX_UNITS * 1000;
        // Finer than a nano: the API server rounds a non-zero value up to 1n.
        assert_eq!(parse_milli("1e-308"), Ok(1));
        assert_eq!(parse_milli("0.001e-2147483648"), Ok(1));
        assert_eq!(parse_milli("1e-9223372036854775808"), Ok(1));
        assert_eq!(parse_milli("-1e-308"), Ok(-1));
        assert_eq!(
            parse(&format!("0.{}1", "0".repeat(1000)))
                .unwrap()
                .scaled(-9),
            1
        );
        // Past int64: saturated, as apimachinery caps a binary-SI quantity.
        assert_eq!(parse_value("1e2147483647"), Ok(MAX_UNITS));
        assert_eq!(parse_milli("1e2147483647"), Ok(max_milli));
        assert_eq!(parse_milli("-1e2147483647"), Ok(-max_milli));
        assert_eq!(parse_value("1e9223372036854775807"), Ok(MAX_UNITS));
        assert_eq!(
            parse_value(&format!("1{}", "0".repeat(1000))),
            Ok(MAX_UNITS)
        );
        assert_eq!(parse_value("8Ei"), Ok(MAX_UNITS));
        assert_eq!(parse_value("7Ei"), Ok(7 << 60));
        assert_eq!(parse_value("1.5Gi"), Ok(3 << 29));
        // Within range, exact.
        assert_eq!(parse_value("9223372036854775807"), Ok(MAX_UNITS));
        assert_eq!(parse_milli("1e15"), Ok(1_000_000_000_000_000_000));
        assert_eq!(parse_milli("0.9n"), Ok(1));
        assert_eq!(
            parse(&format!("1{}e-1000", "0".repeat(1000)))
                .unwrap()
                .scaled(0),
            1
        );
    }

    #[test]
    fn malformed_quantities_get_the_api_servers_errors() {
        for text in [
            "", "12x", "1.2.3", "1e5e5", "abc", "1 Gi", "1KiB", "1e-+5", "1\u{663}",
        ] {
            assert_eq!(parse(text), Err(QUANTITY_FORMAT_ERROR), "{text:?}");
        }
        for text in [
            "1e",
            "1i",
            "1ki",
            "1Mi5",
            "1e+",
            "1-5",
            "--1",
            "1e9223372036854775808",
        ] {
            assert_eq!(parse(text), Err(QUANTITY_SUFFIX_ERROR), "{text:?}");
        }
        // No digits: the int64 fast path reads zero, the arbitrary-precision path refuses.
        for text in [".e-10", "+.e-10", ".Pi", ".Ei"] {
            assert_eq!(parse(text), Err(QUANTITY_NUMERIC_ERROR), "{text:?}");
        }
        for text in [".", "-", "+", "0.", ".Ki", "-0", "000"] {
            assert_eq!(parse_milli(text), Ok(0), "{text:?}");
        }
        assert_eq!(parse_milli("1.e3"), Ok(1_000_000));
        assert_eq!(parse_milli("+1E3"), Ok(1_000_000));
        assert_eq!(parse_milli("1E"), Ok(1_000_000_000_000_000_000_000));
    }

    #[test]
    fn formats_for_describe() {
        assert_eq!(format_cpu_milli(250), "250m");
        assert_eq!(format_cpu_milli(4000), "4");
        assert_eq!(format_memory_bytes(16 << 30), "16Gi");
        assert_eq!(format_memory_bytes(200 << 20), "200Mi");
        assert_eq!(format_memory_bytes(0), "0");
    }
}
