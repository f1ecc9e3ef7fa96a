//! How Go writes values, where kubectl's output shows Go's formatting through: numbers as
//! `strconv.FormatFloat` and `encoding/json` write them, and JSON strings as `encoding/json`
//! escapes them (HTML characters included).

use serde_json::Number;

/// A JSON number as Go holds it after decoding into an unstructured object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GoNumber {
    Int(i64),
    Uint(u64),
    Float(f64),
}

impl GoNumber {
    /// Go's unstructured decoding keeps a number an integer when its JSON text is one.
    pub fn of(number: &Number) -> GoNumber {
        if let Some(int) = number.as_i64() {
            GoNumber::Int(int)
        } else if let Some(uint) = number.as_u64() {
            GoNumber::Uint(uint)
        } else {
            let float = number.as_f64().unwrap_or(0.0);
            // encoding/json writes 1.0 as `1`, which decodes back as an integer when it fits.
            if float.fract() == 0.0
                && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&float)
            {
                GoNumber::Int(float as i64)
            } else {
                GoNumber::Float(float)
            }
        }
    }

    /// `fmt.Sprint` of the number (`%v`).
    pub fn to_text(self) -> String {
        match self {
            GoNumber::Int(int) => int.to_string(),
            GoNumber::Uint(uint) => uint.to_string(),
            GoNumber::Float(float) => format_float_g(float),
        }
    }

    /// The number as `encoding/json` writes it.
    pub fn to_json(self) -> String {
        match self {
            GoNumber::Int(int) => int.to_string(),
            GoNumber::Uint(uint) => uint.to_string(),
            GoNumber::Float(float) => format_json_float(float),
        }
    }
}

/// The shortest decimal digits of `value` (no sign) and its exponent `e` such that
/// `value = d.ddd × 10^e`.
fn shortest_digits(value: f64) -> (String, i32) {
    let text = format!("{:e}", value.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    (mantissa.replace('.', ""), exponent.parse().unwrap_or(0))
}

/// `d.ddde±X`: Go's `%e` layout, the exponent written with at least `exponent_digits` digits.
fn exponent_form(negative: bool, digits: &str, exponent: i32, exponent_digits: usize) -> String {
    let sign = if negative { "-" } else { "" };
    let (first, rest) = digits.split_at(1);
    let fraction = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let exponent_sign = if exponent < 0 { '-' } else { '+' };
    format!(
        "{sign}{first}{fraction}e{exponent_sign}{:0exponent_digits$}",
        exponent.unsigned_abs()
    )
}

/// `d.ddd` positional layout of the shortest digits.
fn positional_form(negative: bool, digits: &str, exponent: i32) -> String {
    let sign = if negative { "-" } else { "" };
    let point = exponent + 1;
    if point <= 0 {
        let zeros = "0".repeat((-point) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = point as usize;
    if point >= digits.len() {
        let zeros = "0".repeat(point - digits.len());
        return format!("{sign}{digits}{zeros}");
    }
    let (whole, fraction) = digits.split_at(point);
    format!("{sign}{whole}.{fraction}")
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which `fmt` and go-yaml use for floats.
pub fn format_float_g(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let (digits, exponent) = shortest_digits(value);
    // With the shortest digits, Go switches to %e below 1e-4 and from 1e6 (precision 6).
    if !(-4..6).contains(&exponent) {
        return exponent_form(value < 0.0, &digits, exponent, 2);
    }
    positional_form(value < 0.0, &digits, exponent)
}

/// `encoding/json`'s float encoding: positional, or `1e+21` / `1e-7` outside [1e-6, 1e21).
pub fn format_json_float(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-6..1e21).contains(&magnitude) {
        // encoding/json trims Go's `e-07` to `e-7`.
        let (digits, exponent) = shortest_digits(value);
        return exponent_form(value < 0.0, &digits, exponent, 1);
    }
    if value == 0.0 {
        return "0".into();
    }
    let (digits, exponent) = shortest_digits(value);
    positional_form(value < 0.0, &digits, exponent)
}

/// Appends `text` as a JSON string the way `encoding/json` escapes it: `<`, `>`, `&`, U+2028 and
/// U+2029 as `\u` escapes, control characters as short escapes or `\u00XX`.
pub fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `strconv.Quote` (`%q`): a double-quoted Go string literal.
pub(crate) use crate::api::field::go_quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_floats_like_go() {
        assert_eq!(format_float_g(0.5), "0.5");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(123456789.0), "1.23456789e+08");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.5), "-2.5");
        assert_eq!(format_json_float(0.5), "0.5");
        assert_eq!(format_json_float(1e21), "1e+21");
        assert_eq!(format_json_float(1.5e-7), "1.5e-7");
        assert_eq!(format_json_float(123456789.0), "123456789");
    }

    #[test]
    fn escapes_json_strings_like_go() {
        let mut out = String::new();
        push_json_string(&mut out, "a<b>&\"c\"\n\u{1}");
        assert_eq!(out, r#""a\u003cb\u003e\u0026\"c\"\n\u0001""#);
    }
}
