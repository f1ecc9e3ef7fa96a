//! Typed flag values as pflag parses them, with its errors: a value that does not parse stops
//! the command before it does anything, as cobra refuses the command line
//! (`invalid argument "abc" for "--timeout" flag: time: invalid duration "abc"`).

use super::args::Args;
use super::gofmt::go_quote;
use crate::clock::{self, Millis};

/// pflag's `invalid argument %q for %q flag: %v`, as kubectl prints it.
fn invalid_argument(text: &str, name: &str, error: &str) -> String {
    format!(
        "error: invalid argument {} for \"--{name}\" flag: {error}",
        go_quote(text)
    )
}

/// A `time.Duration` flag (`DurationVar`: `time.ParseDuration`), in milliseconds, rounded down
/// (so a negative duration stays negative). Every value given is checked, as pflag sets each.
pub fn duration(args: &Args, name: &str) -> Result<Option<Millis>, String> {
    let mut value = None;
    for text in args.values(name) {
        let nanos =
            clock::parse_go_duration(text).map_err(|error| invalid_argument(text, name, &error))?;
        value = Some(nanos.div_euclid(1_000_000));
    }
    Ok(value)
}

/// An `int` or `int64` flag (`strconv.ParseInt(s, 0, 64)`).
pub fn int(args: &Args, name: &str) -> Result<Option<i64>, String> {
    let mut value = None;
    for text in args.values(name) {
        value = Some(parse_int(text).map_err(|error| invalid_argument(text, name, &error))?);
    }
    Ok(value)
}

/// `strconv.ParseInt(text, 0, 64)` with its errors: an optional sign, then decimal, `0x` hex,
/// `0o` or `0` octal or `0b` binary digits, `_` allowed between digits.
pub fn parse_int(text: &str) -> Result<i64, String> {
    let error = |what: &str| format!("strconv.ParseInt: parsing {}: {what}", go_quote(text));
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if unsigned.is_empty() {
        return Err(error("invalid syntax"));
    }
    let bytes = unsigned.as_bytes();
    let (base, digits): (u64, &[u8]) = match bytes {
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'b') => (2, &bytes[2..]),
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'o') => (8, &bytes[2..]),
        [b'0', prefix, _, ..] if prefix.eq_ignore_ascii_case(&b'x') => (16, &bytes[2..]),
        [b'0', ..] => (8, &bytes[1..]),
        _ => (10, bytes),
    };
    let mut magnitude: u64 = 0;
    let mut underscores = false;
    for &byte in digits {
        let digit = match byte {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(byte - b'0'),
            b'a'..=b'z' | b'A'..=b'Z' => u64::from(byte.to_ascii_lowercase() - b'a') + 10,
            _ => return Err(error("invalid syntax")),
        };
        if digit >= base {
            return Err(error("invalid syntax"));
        }
        magnitude = magnitude
            .checked_mul(base)
            .and_then(|m| m.checked_add(digit))
            .ok_or_else(|| error("value out of range"))?;
    }
    if underscores && !underscores_ok(unsigned) {
        return Err(error("invalid syntax"));
    }
    match (negative, magnitude) {
        (false, m) if m < 1 << 63 => Ok(m as i64),
        (true, m) if m <= 1 << 63 => Ok(0i64.wrapping_sub_unsigned(m)),
        _ => Err(error("value out of range")),
    }
}

/// strconv's `underscoreOK`: each `_` between digits (or after the base prefix).
fn underscores_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut i, mut saw, mut hex) = (0, b'^', false);
    if bytes.len() >= 2
        && bytes[0] == b'0'
        && matches!(bytes[1].to_ascii_lowercase(), b'b' | b'o' | b'x')
    {
        i = 2;
        saw = b'0';
        hex = bytes[1].eq_ignore_ascii_case(&b'x');
    }
    for &byte in &bytes[i..] {
        if byte.is_ascii_digit() || (hex && byte.is_ascii_hexdigit()) {
            saw = b'0';
            continue;
        }
        if byte == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Args {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        Args::parse(&words).unwrap()
    }

    #[test]
    fn durations_are_go_durations_with_pflags_error() {
        assert_eq!(
            duration(&args("wait --timeout=90s"), "timeout"),
            Ok(Some(90_000))
        );
        assert_eq!(
            duration(&args("wait --timeout=-1s"), "timeout"),
            Ok(Some(-1000))
        );
        assert_eq!(
            duration(&args("wait --timeout=1500us"), "timeout"),
            Ok(Some(1))
        );
        assert_eq!(duration(&args("wait"), "timeout"), Ok(None));
        assert_eq!(
            duration(&args("delete job pi --timeout=abc"), "timeout"),
            Err(
                "error: invalid argument \"abc\" for \"--timeout\" flag: time: invalid duration \"abc\""
                    .to_string()
            )
        );
        assert_eq!(
            duration(&args("wait --timeout=30"), "timeout"),
            Err(
                "error: invalid argument \"30\" for \"--timeout\" flag: time: missing unit in duration \"30\""
                    .to_string()
            )
        );
        // The first bad value stops the command, even when a good one follows.
        assert!(duration(&args("wait --timeout=x --timeout=5s"), "timeout").is_err());
        // Near the 64-bit limit: parsed, or refused as Go refuses it, never overflowing.
        assert_eq!(
            duration(&args("wait --timeout=2562047h"), "timeout"),
            Ok(Some(2_562_047 * 3_600_000))
        );
        assert!(duration(&args("wait --timeout=2562048h"), "timeout").is_err());
        assert_eq!(
            duration(&args("wait --timeout=-9223372036854775808ns"), "timeout"),
            Ok(Some(i64::MIN.div_euclid(1_000_000)))
        );
    }

    #[test]
    fn ints_parse_as_strconv_parse_int_base_0() {
        for (text, value) in [
            ("30", 30),
            ("-1", -1),
            ("+7", 7),
            ("0", 0),
            ("010", 8),
            ("0x1F", 31),
            ("0o17", 15),
            ("0b101", 5),
            ("1_000", 1000),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ] {
            assert_eq!(parse_int(text), Ok(value), "{text}");
        }
        for (text, what) in [
            ("abc", "invalid syntax"),
            ("", "invalid syntax"),
            ("-", "invalid syntax"),
            ("1.5", "invalid syntax"),
            ("08", "invalid syntax"),
            ("0x", "invalid syntax"),
            ("_1", "invalid syntax"),
            ("1__0", "invalid syntax"),
            ("9223372036854775808", "value out of range"),
            ("-9223372036854775809", "value out of range"),
            ("99999999999999999999", "value out of range"),
        ] {
            assert_eq!(
                parse_int(text),
                Err(format!(
                    "strconv.ParseInt: parsing {}: {what}",
                    go_quote(text)
                )),
                "{text}"
            );
        }
        assert_eq!(
            int(&args("delete pod web --grace-period=abc"), "grace-period"),
            Err(
                "error: invalid argument \"abc\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
                    .to_string()
            )
        );
    }
}
