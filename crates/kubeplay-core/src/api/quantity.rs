//! Resource quantities (`500m`, `2`, `128Mi`, `1e3`), read as apimachinery's `resource.Quantity` reads them.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

pub const QUANTITY_FORMAT_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// The quantity in thousandths of its unit, rounded up (`MilliValue`): `500m` → 500, `2` → 2000.
pub fn parse_milli(text: &str) -> Result<i128, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let (negative, digits) = match number.as_bytes().first() {
        Some(b'-') => (true, &number[1..]),
        Some(b'+') => (false, &number[1..]),
        _ => (false, number),
    };
    if digits.is_empty()
        || digits.matches('.').count() > 1
        || !digits.chars().any(|c| c.is_ascii_digit())
    {
        return Err(QUANTITY_FORMAT_ERROR.to_string());
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return Err(QUANTITY_FORMAT_ERROR.to_string());
    }
    // value = mantissa / 10^scale, scaled by the suffix's multiplier.
    let mantissa: i128 = format!("{whole}{fraction}")
        .parse()
        .map_err(|_| QUANTITY_FORMAT_ERROR.to_string())?;
    let scale = fraction.len() as i32;
    let (multiplier_numerator, decimal_exponent): (i128, i32) = match suffix {
        "" => (1, 0),
        "n" => (1, -9),
        "u" => (1, -6),
        "m" => (1, -3),
        "k" => (1, 3),
        "M" => (1, 6),
        "G" => (1, 9),
        "T" => (1, 12),
        "P" => (1, 15),
        "E" => (1, 18),
        "Ki" => (1 << 10, 0),
        "Mi" => (1 << 20, 0),
        "Gi" => (1 << 30, 0),
        "Ti" => (1 << 40, 0),
        "Pi" => (1 << 50, 0),
        "Ei" => (1 << 60, 0),
        exponent if exponent.starts_with(['e', 'E']) => {
            let value: i32 = exponent[1..]
                .parse()
                .map_err(|_| QUANTITY_FORMAT_ERROR.to_string())?;
            (1, value)
        }
        _ => return Err(QUANTITY_FORMAT_ERROR.to_string()),
    };
    // milli = mantissa * numerator * 10^(decimal_exponent + 3 - scale), rounded up.
    let exponent = decimal_exponent + 3 - scale;
    let base = mantissa
        .checked_mul(multiplier_numerator)
        .ok_or_else(|| QUANTITY_FORMAT_ERROR.to_string())?;
    let milli = if exponent >= 0 {
        base.checked_mul(
            10i128
                .checked_pow(exponent as u32)
                .ok_or_else(|| QUANTITY_FORMAT_ERROR.to_string())?,
        )
        .ok_or_else(|| QUANTITY_FORMAT_ERROR.to_string())?
    } else {
        let divisor = 10i128.checked_pow((-exponent) as u32).unwrap_or(i128::MAX);
        (base + divisor - 1) / divisor
    };
    Ok(if negative { -milli } else { milli })
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
    fn formats_for_describe() {
        assert_eq!(format_cpu_milli(250), "250m");
        assert_eq!(format_cpu_milli(4000), "4");
        assert_eq!(format_memory_bytes(16 << 30), "16Gi");
        assert_eq!(format_memory_bytes(200 << 20), "200Mi");
        assert_eq!(format_memory_bytes(0), "0");
    }
}
