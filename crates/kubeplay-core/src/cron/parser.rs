//! robfig/cron v3 `parser.go` as `ParseStandard` configures it: the fields Minute, Hour, Dom,
//! Month and Dow, descriptors allowed, seconds fixed at 0.

use jiff::SignedDuration;

use crate::api::field::go_quote;

use super::spec::{Bounds, DOM, DOW, HOURS, MINUTES, MONTHS, STAR_BIT, SpecSchedule};
use super::{Kind, Schedule, constantdelay, load_location};

/// robfig's `ParseStandard`.
pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let (location, spec) = match spec
        .strip_prefix("TZ=")
        .or_else(|| spec.strip_prefix("CRON_TZ="))
    {
        Some(rest) => {
            // Upstream slices up to the first space without checking there is one, and panics
            // when there is none; the panic's message stands in for the error it never returns.
            let Some(space) = rest.find(' ') else {
                return Err("runtime error: slice bounds out of range [:-1]".into());
            };
            let name = &rest[..space];
            let location = match name {
                // time.Local: the schedule follows the zone of the time it is asked about.
                "Local" => None,
                _ => Some(
                    load_location(name)
                        .map_err(|err| format!("provided bad location {name}: {err}"))?,
                ),
            };
            (location, rest[space..].trim())
        }
        None => (None, spec),
    };

    if spec.starts_with('@') {
        return parse_descriptor(spec, location);
    }

    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    Ok(Schedule(Kind::Spec(SpecSchedule {
        minute: get_field(fields[0], &MINUTES)?,
        hour: get_field(fields[1], &HOURS)?,
        dom: get_field(fields[2], &DOM)?,
        month: get_field(fields[3], &MONTHS)?,
        dow: get_field(fields[4], &DOW)?,
        location,
    })))
}

/// The bits of a comma-separated list of ranges; empty items are skipped, as `strings.FieldsFunc`
/// does, so a field of only commas matches nothing.
fn get_field(field: &str, bounds: &Bounds) -> Result<u64, String> {
    field
        .split(',')
        .filter(|expr| !expr.is_empty())
        .try_fold(0, |bits, expr| Ok(bits | get_range(expr, bounds)?))
}

/// `number | number "-" number [ "/" number ]`, or `*` / `?` with an optional step.
fn get_range(expr: &str, bounds: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single_digit = low_and_high.len() == 1;

    let (start, mut end, mut extra) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        // Whatever follows a star's hyphen is ignored upstream: `*-5` is `*`.
        (bounds.min, bounds.max, STAR_BIT)
    } else {
        let start = parse_int_or_name(low_and_high[0], bounds.names)?;
        let end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], bounds.names)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        (start, end, 0)
    };

    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            // "N/step" means "N-max/step".
            if single_digit {
                end = bounds.max;
            }
            // Only an unstepped star counts as a star for the day-of-month/day-of-week rule.
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };

    if start < bounds.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            bounds.min
        ));
    }
    if end > bounds.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            bounds.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(get_bits(start, end, step) | extra)
}

fn parse_int_or_name(expr: &str, names: &[(&str, u64)]) -> Result<u64, String> {
    let lower = expr.to_lowercase();
    match names.iter().find(|(name, _)| *name == lower) {
        Some(&(_, value)) => Ok(value),
        None => must_parse_int(expr),
    }
}

fn must_parse_int(expr: &str) -> Result<u64, String> {
    let num = atoi(expr).map_err(|err| format!("failed to parse int from {expr}: {err}"))?;
    u64::try_from(num).map_err(|_| format!("negative number ({num}) not allowed: {expr}"))
}

/// Go's `strconv.Atoi` on 64-bit, with its error text: an optional sign, then ASCII digits.
fn atoi(text: &str) -> Result<i64, String> {
    let error = |what: &str| format!("strconv.Atoi: parsing {}: {what}", go_quote(text));
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(error("invalid syntax"));
    }
    // Like Go's ParseUint: a u64 overflow is reported at once, before the rest is looked at;
    // the signed range is checked after.
    let mut magnitude: u64 = 0;
    for byte in digits.bytes() {
        if !byte.is_ascii_digit() {
            return Err(error("invalid syntax"));
        }
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(byte - b'0')))
            .ok_or_else(|| error("value out of range"))?;
    }
    match (negative, magnitude) {
        (false, m) if m < 1 << 63 => Ok(m as i64),
        (true, m) if m <= 1 << 63 => Ok(0i64.wrapping_sub_unsigned(m)),
        _ => Err(error("value out of range")),
    }
}

/// The bits `min..=max` stepping by `step`.
pub(super) fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    let mut bits = 0;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
    }
    bits
}

/// Every value of a field, plus the star bit.
fn all(bounds: &Bounds) -> u64 {
    get_bits(bounds.min, bounds.max, 1) | STAR_BIT
}

fn parse_descriptor(
    descriptor: &str,
    location: Option<jiff::tz::TimeZone>,
) -> Result<Schedule, String> {
    let first = |bounds: &Bounds| 1 << bounds.min;
    let spec = |minute, hour, dom, month, dow| {
        Ok(Schedule(Kind::Spec(SpecSchedule {
            minute,
            hour,
            dom,
            month,
            dow,
            location: location.clone(),
        })))
    };
    match descriptor {
        "@yearly" | "@annually" => spec(
            first(&MINUTES),
            first(&HOURS),
            first(&DOM),
            first(&MONTHS),
            all(&DOW),
        ),
        "@monthly" => spec(
            first(&MINUTES),
            first(&HOURS),
            first(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        "@weekly" => spec(
            first(&MINUTES),
            first(&HOURS),
            all(&DOM),
            all(&MONTHS),
            first(&DOW),
        ),
        "@daily" | "@midnight" => spec(
            first(&MINUTES),
            first(&HOURS),
            all(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        "@hourly" => spec(
            first(&MINUTES),
            all(&HOURS),
            all(&DOM),
            all(&MONTHS),
            all(&DOW),
        ),
        _ => match descriptor.strip_prefix("@every ") {
            Some(duration) => {
                let nanos = crate::clock::parse_go_duration(duration)
                    .map_err(|err| format!("failed to parse duration {descriptor}: {err}"))?;
                Ok(Schedule(Kind::Every(constantdelay::every(
                    SignedDuration::from_nanos(nanos),
                ))))
            }
            None => Err(format!("unrecognized descriptor: {descriptor}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cron::testing::utc;

    fn bounds(min: u64, max: u64) -> Bounds {
        Bounds {
            min,
            max,
            names: &[],
        }
    }

    fn spec(minute: u64, hour: u64, dom: u64, month: u64, dow: u64) -> Schedule {
        Schedule(Kind::Spec(SpecSchedule {
            minute,
            hour,
            dom,
            month,
            dow,
            location: None,
        }))
    }

    fn with_location(schedule: Schedule, zone: &str) -> Schedule {
        match schedule.0 {
            Kind::Spec(spec) => Schedule(Kind::Spec(SpecSchedule {
                location: Some(load_location(zone).unwrap()),
                ..spec
            })),
            every => Schedule(every),
        }
    }

    fn every5min() -> Schedule {
        spec(1 << 5, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW))
    }

    fn midnight() -> Schedule {
        spec(1, 1, all(&DOM), all(&MONTHS), all(&DOW))
    }

    fn every(seconds: i64) -> Schedule {
        Schedule(Kind::Every(SignedDuration::from_secs(seconds)))
    }

    /// upstream's `TestRange`, with its error cases worded in full.
    #[test]
    fn ranges() {
        let ok = [
            ("5", 0, 7, 1 << 5),
            ("0", 0, 7, 1 << 0),
            ("7", 0, 7, 1 << 7),
            ("5-5", 0, 7, 1 << 5),
            ("5-6", 0, 7, 1 << 5 | 1 << 6),
            ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7),
            ("5-6/2", 0, 7, 1 << 5),
            ("5-7/2", 0, 7, 1 << 5 | 1 << 7),
            ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7),
            ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT),
            ("*/1", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT),
            // A stepped star is not a star.
            ("*/2", 1, 3, 1 << 1 | 1 << 3),
            ("?", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT),
            ("2/2", 0, 7, 1 << 2 | 1 << 4 | 1 << 6),
            ("*-5", 0, 7, 0xff | STAR_BIT),
            ("+3", 0, 7, 1 << 3),
        ];
        for (expr, min, max, expected) in ok {
            assert_eq!(get_range(expr, &bounds(min, max)), Ok(expected), "{expr}");
        }
        let errors = [
            ("5--5", 0, 0, "too many hyphens: 5--5"),
            (
                "jan-x",
                0,
                0,
                "failed to parse int from jan: strconv.Atoi: parsing \"jan\": invalid syntax",
            ),
            (
                "2-x",
                1,
                5,
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("*/-12", 0, 0, "negative number (-12) not allowed: -12"),
            ("*//2", 0, 0, "too many slashes: *//2"),
            ("1", 3, 5, "beginning of range (1) below minimum (3): 1"),
            ("6", 3, 5, "end of range (6) above maximum (5): 6"),
            (
                "5-3",
                3,
                5,
                "beginning of range (5) beyond end of range (3): 5-3",
            ),
            (
                "*/0",
                0,
                0,
                "step of range should be a positive number: */0",
            ),
            (
                "-1",
                0,
                5,
                "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax",
            ),
            (
                "*/",
                0,
                5,
                "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax",
            ),
            (
                "99999999999999999999",
                0,
                5,
                "failed to parse int from 99999999999999999999: \
                 strconv.Atoi: parsing \"99999999999999999999\": value out of range",
            ),
            (
                "9223372036854775808",
                0,
                5,
                "failed to parse int from 9223372036854775808: \
                 strconv.Atoi: parsing \"9223372036854775808\": value out of range",
            ),
            (
                "9223372036854775807",
                0,
                5,
                "end of range (9223372036854775807) above maximum (5): 9223372036854775807",
            ),
            // An overflow is reported before a bad character further on, as Go does.
            (
                "99999999999999999999x",
                0,
                5,
                "failed to parse int from 99999999999999999999x: \
                 strconv.Atoi: parsing \"99999999999999999999x\": value out of range",
            ),
            (
                "9999999999999999999x",
                0,
                5,
                "failed to parse int from 9999999999999999999x: \
                 strconv.Atoi: parsing \"9999999999999999999x\": invalid syntax",
            ),
            (
                "1\"\u{1}",
                0,
                5,
                "failed to parse int from 1\"\u{1}: \
                 strconv.Atoi: parsing \"1\\\"\\x01\": invalid syntax",
            ),
        ];
        for (expr, min, max, expected) in errors {
            assert_eq!(
                get_range(expr, &bounds(min, max)),
                Err(expected.to_string()),
                "{expr}"
            );
        }
    }

    /// upstream's `TestField`.
    #[test]
    fn fields() {
        let cases = [
            ("5", 1, 7, 1 << 5),
            ("5,6", 1, 7, 1 << 5 | 1 << 6),
            ("5,6,7", 1, 7, 1 << 5 | 1 << 6 | 1 << 7),
            ("1,5-7/2,3", 1, 7, 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
            // Empty items are skipped; a field of commas matches nothing.
            (",5,,6,", 1, 7, 1 << 5 | 1 << 6),
            (",", 1, 7, 0),
        ];
        for (expr, min, max, expected) in cases {
            assert_eq!(get_field(expr, &bounds(min, max)), Ok(expected), "{expr}");
        }
    }

    /// upstream's `TestBits`.
    #[test]
    fn bits() {
        let all_bits = [
            (&MINUTES, 0xfff_ffff_ffff_ffff),
            (&HOURS, 0xff_ffff),
            (&DOM, 0xffff_fffe),
            (&MONTHS, 0x1ffe),
            (&DOW, 0x7f),
        ];
        for (bounds, expected) in all_bits {
            assert_eq!(all(bounds), expected | STAR_BIT);
        }
        let cases = [
            (0, 0, 1, 0x1),
            (1, 1, 1, 0x2),
            (1, 5, 2, 0x2a),
            (1, 4, 2, 0xa),
        ];
        for (min, max, step, expected) in cases {
            assert_eq!(get_bits(min, max, step), expected, "{min}-{max}/{step}");
        }
        // A step past the end is one value, and a huge one does not overflow.
        assert_eq!(get_bits(3, 59, u64::MAX), 1 << 3);
    }

    /// upstream's `TestParseSchedule` and `TestStandardSpecSchedule`, for `ParseStandard`.
    #[test]
    fn parses_schedules() {
        let cases = [
            ("5 * * * *", every5min()),
            ("CRON_TZ=UTC  5 * * * *", with_location(every5min(), "UTC")),
            (
                "CRON_TZ=Asia/Tokyo 5 * * * *",
                with_location(every5min(), "Asia/Tokyo"),
            ),
            ("@every 5m", every(300)),
            ("@midnight", midnight()),
            ("TZ=UTC  @midnight", with_location(midnight(), "UTC")),
            (
                "TZ=Asia/Tokyo @midnight",
                with_location(midnight(), "Asia/Tokyo"),
            ),
            ("TZ=Local @midnight", midnight()),
            ("@yearly", spec(1, 1, 1 << 1, 1 << 1, all(&DOW))),
            ("@annually", spec(1, 1, 1 << 1, 1 << 1, all(&DOW))),
            ("@monthly", spec(1, 1, 1 << 1, all(&MONTHS), all(&DOW))),
            ("@weekly", spec(1, 1, all(&DOM), all(&MONTHS), 1)),
            ("@daily", midnight()),
            (
                "@hourly",
                spec(1, all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
            ),
            (
                "* 5 * * *",
                spec(all(&MINUTES), 1 << 5, all(&DOM), all(&MONTHS), all(&DOW)),
            ),
            (
                "0 0 * JAN-mar MON-fri",
                spec(1, 1, all(&DOM), 0b1110, 0b11_1110),
            ),
            ("\t0 0\n* * *  ", midnight()),
        ];
        for (expr, expected) in cases {
            assert_eq!(parse_standard(expr), Ok(expected), "{expr}");
        }
    }

    /// upstream's `TestParseScheduleErrors` and `TestErrors`, and the messages CronJob validation
    /// shows.
    #[test]
    fn parse_errors_read_like_upstream() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            (
                "* * * * * *",
                "expected exactly 5 fields, found 6: [* * * * * *]",
            ),
            (" @daily", "expected exactly 5 fields, found 1: [@daily]"),
            (
                "5 j * * *",
                "failed to parse int from j: strconv.Atoi: parsing \"j\": invalid syntax",
            ),
            ("xyz", "expected exactly 5 fields, found 1: [xyz]"),
            ("60 0 * * *", "end of range (60) above maximum (59): 60"),
            ("0 24 * * *", "end of range (24) above maximum (23): 24"),
            ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
            ("0 0 * 13 *", "end of range (13) above maximum (12): 13"),
            ("* * * * 7", "end of range (7) above maximum (6): 7"),
            (
                "0 0 * * XYZ",
                "failed to parse int from XYZ: strconv.Atoi: parsing \"XYZ\": invalid syntax",
            ),
            (
                "0 0 L * *",
                "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax",
            ),
            (
                "0 0 * * 5#3",
                "failed to parse int from 5#3: strconv.Atoi: parsing \"5#3\": invalid syntax",
            ),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("1/2/3 * * * *", "too many slashes: 1/2/3"),
            ("*/-1 * * * *", "negative number (-1) not allowed: -1"),
            (
                "5-3 * * * *",
                "beginning of range (5) beyond end of range (3): 5-3",
            ),
            // upstream's `TestSlash0NoHang`.
            (
                "TZ=America/New_York 15/0 * * * *",
                "step of range should be a positive number: 15/0",
            ),
            ("@foo", "unrecognized descriptor: @foo"),
            ("@every", "unrecognized descriptor: @every"),
            ("@Daily", "unrecognized descriptor: @Daily"),
            (
                "@every Xm",
                "failed to parse duration @every Xm: time: invalid duration \"Xm\"",
            ),
            (
                "@every ",
                "failed to parse duration @every : time: invalid duration \"\"",
            ),
            (
                "@every 5",
                "failed to parse duration @every 5: time: missing unit in duration \"5\"",
            ),
            (
                "@every 1d",
                "failed to parse duration @every 1d: time: unknown unit \"d\" in duration \"1d\"",
            ),
            (
                "@every 1h ",
                "failed to parse duration @every 1h : \
                 time: unknown unit \"h \" in duration \"1h \"",
            ),
            (
                "TZ=Foo/Bar * * * * *",
                "provided bad location Foo/Bar: unknown time zone Foo/Bar",
            ),
            (
                "CRON_TZ=../x * * * * *",
                "provided bad location ../x: time: invalid location name",
            ),
            ("TZ=UTC", "runtime error: slice bounds out of range [:-1]"),
            ("TZ=UTC ", "expected exactly 5 fields, found 0: []"),
            // Only a space ends the zone: the tab is part of its name.
            (
                "TZ=UTC\t* * * * *",
                "provided bad location UTC\t*: unknown time zone UTC\t*",
            ),
        ];
        for (expr, expected) in cases {
            assert_eq!(parse_standard(expr), Err(expected.to_string()), "{expr:?}");
        }
    }

    /// `@every` truncates to whole seconds and runs at least once a second.
    #[test]
    fn every_durations() {
        let cases = [
            ("@every 1h30m", 5400),
            ("@every 1.5s", 1),
            ("@every 500ms", 1),
            ("@every 0", 1),
            ("@every -5m", 1),
            ("@every 90s", 90),
            ("@every 2h0m59.999s", 7259),
        ];
        for (expr, seconds) in cases {
            assert_eq!(parse_standard(expr), Ok(every(seconds)), "{expr}");
        }
        let tz_every = parse_standard("TZ=Asia/Tokyo @every 1h").unwrap();
        let next = tz_every.next(&utc("2026-01-05T09:00:00.25")).unwrap();
        assert_eq!(next.timestamp().to_string(), "2026-01-05T10:00:00Z");
    }
}
