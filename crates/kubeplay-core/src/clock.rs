//! Virtual time. The clock only moves when the cluster is advanced, jumping from one timer to the
//! next, so an idle simulated week costs nothing and the same commands always see the same times.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch: the unit of the timer queue.
pub type Millis = i64;

pub const SECOND: Millis = 1000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// The latest instant the virtual clock reaches: 9999-12-30T22:00:00Z, the last whole second
/// of jiff's range (which keeps a civil date in every UTC offset), before the five-digit years
/// RFC 3339 cannot write. Time stops here: nothing due later ever fires.
pub const LATEST: Millis = 253_402_207_200_000;

/// The most one command may move the clock: a year. `sim advance` refuses more, and a
/// `kubectl wait` or `rollout status` with a longer timeout gives up after it.
pub const MAX_ADVANCE: Millis = 365 * DAY;

/// The instant, clamped to jiff's range rather than wrapping to another.
pub fn to_timestamp(millis: Millis) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(if millis < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

pub fn to_millis(timestamp: Timestamp) -> Millis {
    timestamp.as_millisecond()
}

/// Go's `time.Duration.String` for whole milliseconds: `10s`, `1m20s`, `5m0s`, `1h0m0s`, `1.5s`.
pub fn go_duration(millis: Millis) -> String {
    if millis == 0 {
        return "0s".into();
    }
    let sign = if millis < 0 { "-" } else { "" };
    let millis = millis.unsigned_abs();
    if millis < 1000 {
        return format!("{sign}{millis}ms");
    }
    let hours = millis / 3_600_000;
    let minutes = millis / 60_000 % 60;
    let seconds = millis / 1000 % 60;
    let fraction = millis % 1000;
    let seconds = if fraction == 0 {
        format!("{seconds}s")
    } else {
        format!(
            "{seconds}.{}s",
            format!("{fraction:03}").trim_end_matches('0')
        )
    };
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}"),
        (0, minutes) => format!("{sign}{minutes}m{seconds}"),
        (hours, minutes) => format!("{sign}{hours}h{minutes}m{seconds}"),
    }
}

/// Go's `time.ParseDuration`, in nanoseconds, with its error messages:
/// `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, units `ns`, `us` (`µs`, `μs`), `ms`, `s`, `m`, `h`.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_time_quote(text));
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    // Up to 2^63, so that the most negative duration fits.
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        if !(rest.starts_with('.') || rest.as_bytes()[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let mut whole: u64 = 0;
        for byte in rest[..digits].bytes() {
            whole = whole
                .checked_mul(10)
                .map(|w| w + u64::from(byte - b'0'))
                .filter(|&w| w <= LIMIT)
                .ok_or_else(invalid)?;
        }
        rest = &rest[digits..];
        // The fraction keeps the digits that fit and ignores the rest, as Go does.
        let (mut fraction, mut scale, mut fraction_digits) = (0u64, 1f64, 0);
        if let Some(after_point) = rest.strip_prefix('.') {
            fraction_digits = after_point.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for byte in after_point[..fraction_digits].bytes() {
                match fraction.checked_mul(10).map(|f| f + u64::from(byte - b'0')) {
                    Some(f) if !overflow && f <= LIMIT => {
                        fraction = f;
                        scale *= 10.0;
                    }
                    _ => overflow = true,
                }
            }
            rest = &after_point[fraction_digits..];
        }
        if digits == 0 && fraction_digits == 0 {
            return Err(invalid());
        }
        let unit_len = rest
            .bytes()
            .take_while(|b| *b != b'.' && !b.is_ascii_digit())
            .count();
        if unit_len == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                go_time_quote(text)
            ));
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale_nanos: u64 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_time_quote(unit),
                    go_time_quote(text)
                ));
            }
        };
        if whole > LIMIT / scale_nanos {
            return Err(invalid());
        }
        let mut value = whole * scale_nanos;
        if fraction > 0 {
            // Go's float arithmetic, so that the nanoseconds come out as Go's do.
            value += (fraction as f64 * (scale_nanos as f64 / scale)) as u64;
            if value > LIMIT {
                return Err(invalid());
            }
        }
        total = total
            .checked_add(value)
            .filter(|&t| t <= LIMIT)
            .ok_or_else(invalid)?;
    }
    if negative {
        Ok(0i64.wrapping_sub_unsigned(total))
    } else {
        i64::try_from(total).map_err(|_| invalid())
    }
}

/// The `time` package's own quoting: non-ASCII and control bytes as `\xNN`.
fn go_time_quote(text: &str) -> String {
    let mut quoted = String::from("\"");
    for byte in text.bytes() {
        match byte {
            b'"' | b'\\' => {
                quoted.push('\\');
                quoted.push(char::from(byte));
            }
            b' '..=0x7f => quoted.push(char::from(byte)),
            _ => quoted.push_str(&format!("\\x{byte:02x}")),
        }
    }
    quoted.push('"');
    quoted
}

/// The components that own timers; a fired timer puts its key back on that component's work queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Component {
    Scheduler,
    Kubelet,
    NodeLifecycle,
    TaintEviction,
    PodGc,
    GarbageCollector,
    Namespace,
    EventTtl,
    DaemonSet,
    Job,
    CronJob,
    TtlAfterFinished,
}

/// Every pending timer in the cluster, in one queue ordered by due time, then by insertion.
/// Like upstream's delaying queue, a key waiting for one component keeps only its earliest time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SavedTimers", from = "SavedTimers")]
pub struct Timers {
    due: BTreeSet<(Millis, u64, Component, String)>,
    waiting: BTreeMap<(Component, String), (Millis, u64)>,
    sequence: u64,
}

/// Timers as the state file keeps them: a list in firing order.
#[derive(Serialize, Deserialize)]
struct SavedTimers {
    sequence: u64,
    due: Vec<(Millis, u64, Component, String)>,
}

impl From<Timers> for SavedTimers {
    fn from(timers: Timers) -> SavedTimers {
        SavedTimers {
            sequence: timers.sequence,
            due: timers.due.into_iter().collect(),
        }
    }
}

impl From<SavedTimers> for Timers {
    fn from(saved: SavedTimers) -> Timers {
        let mut timers = Timers {
            sequence: saved.sequence,
            ..Timers::default()
        };
        for (at, sequence, component, key) in saved.due {
            timers
                .waiting
                .insert((component, key.clone()), (at, sequence));
            timers.due.insert((at, sequence, component, key));
        }
        timers
    }
}

impl Timers {
    pub fn add(&mut self, at: Millis, component: Component, key: String) {
        if let Some(&(existing, sequence)) = self.waiting.get(&(component, key.clone())) {
            if existing <= at {
                return;
            }
            self.due
                .remove(&(existing, sequence, component, key.clone()));
        }
        self.sequence += 1;
        self.due.insert((at, self.sequence, component, key.clone()));
        self.waiting.insert((component, key), (at, self.sequence));
    }

    pub fn next_due(&self) -> Option<Millis> {
        self.due.first().map(|(at, ..)| *at)
    }

    /// Takes the earliest timer due at or before `now`.
    pub fn pop_due(&mut self, now: Millis) -> Option<(Component, String)> {
        let first = self.due.first()?;
        if first.0 > now {
            return None;
        }
        let (_, _, component, key) = self.due.pop_first()?;
        self.waiting.remove(&(component, key.clone()));
        Some((component, key))
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// When `component`'s timer for `key` is due, if one is waiting.
    pub fn due_at(&self, component: Component, key: &str) -> Option<Millis> {
        self.waiting
            .get(&(component, key.to_string()))
            .map(|(at, _)| *at)
    }

    /// The pending timers of one component, earliest first.
    pub fn pending(&self, component: Component) -> impl Iterator<Item = (Millis, &str)> {
        self.due
            .iter()
            .filter(move |(_, _, owner, _)| *owner == component)
            .map(|(at, _, _, key)| (*at, key.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_earliest_time_per_key() {
        let mut timers = Timers::default();
        timers.add(5000, Component::Job, "default/pi".into());
        timers.add(9000, Component::Job, "default/pi".into());
        timers.add(2000, Component::Job, "default/pi".into());
        timers.add(3000, Component::CronJob, "default/pi".into());
        assert_eq!(timers.len(), 2);
        assert_eq!(timers.next_due(), Some(2000));
        assert_eq!(timers.pop_due(1999), None);
        assert_eq!(
            timers.pop_due(4000),
            Some((Component::Job, "default/pi".into()))
        );
        assert_eq!(
            timers.pop_due(4000),
            Some((Component::CronJob, "default/pi".into()))
        );
        assert!(timers.is_empty());
    }

    #[test]
    fn the_latest_instant_is_the_last_whole_second_jiff_holds() {
        assert_eq!(
            to_timestamp(LATEST).to_string(),
            "9999-12-30T22:00:00Z",
            "{}",
            Timestamp::MAX
        );
        assert!(LATEST <= Timestamp::MAX.as_millisecond());
        assert!(LATEST + SECOND > Timestamp::MAX.as_millisecond());
        // Out of range saturates; it never wraps to the epoch.
        assert_eq!(to_timestamp(Millis::MAX), Timestamp::MAX);
        assert_eq!(to_timestamp(Millis::MIN), Timestamp::MIN);
    }

    #[test]
    fn formats_go_durations() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(250), "250ms");
    }

    #[test]
    fn parses_go_durations() {
        let ok = [
            ("0", 0),
            ("-0", 0),
            ("15m", 900_000_000_000),
            ("168h", 604_800_000_000_000),
            ("1h30m", 5_400_000_000_000),
            ("1.5h", 5_400_000_000_000),
            ("300ms", 300_000_000),
            ("-2s", -2_000_000_000),
            ("+5s", 5_000_000_000),
            ("1us", 1_000),
            ("1\u{b5}s", 1_000),
            ("1\u{3bc}s", 1_000),
            ("7ns", 7),
            (".5s", 500_000_000),
            ("1.s", 1_000_000_000),
            ("0.1000000000000000000001s", 100_000_000),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
        ];
        for (text, nanos) in ok {
            assert_eq!(parse_go_duration(text), Ok(nanos), "{text}");
        }
        let errors = [
            ("", "time: invalid duration \"\""),
            ("-", "time: invalid duration \"-\""),
            ("abc", "time: invalid duration \"abc\""),
            ("10", "time: missing unit in duration \"10\""),
            ("5x", "time: unknown unit \"x\" in duration \"5x\""),
            ("1..5s", "time: missing unit in duration \"1..5s\""),
            (".s", "time: invalid duration \".s\""),
            ("\u{663}s", "time: invalid duration \"\\xd9\\xa3s\""),
            (
                "5\u{b5}x",
                "time: unknown unit \"\\xc2\\xb5x\" in duration \"5\\xc2\\xb5x\"",
            ),
            (
                "9223372036854775808ns",
                "time: invalid duration \"9223372036854775808ns\"",
            ),
            ("3000000h", "time: invalid duration \"3000000h\""),
            ("2562047h48m", "time: invalid duration \"2562047h48m\""),
        ];
        for (text, message) in errors {
            assert_eq!(parse_go_duration(text), Err(message.to_string()), "{text}");
        }
    }

    #[test]
    fn equal_times_fire_in_insertion_order() {
        let mut timers = Timers::default();
        timers.add(1000, Component::Kubelet, "b".into());
        timers.add(1000, Component::Kubelet, "a".into());
        assert_eq!(timers.pop_due(1000), Some((Component::Kubelet, "b".into())));
        assert_eq!(timers.pop_due(1000), Some((Component::Kubelet, "a".into())));
    }
}
