//! Times as kubectl shows them: ages (apimachinery `duration.HumanDuration`) and the RFC 1123
//! timestamps of `kubectl describe`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};

use crate::apiserver::ApiServer;
use crate::clock::{self, Millis};

/// apimachinery `duration.HumanDuration`: about two significant figures, `45s`, `2m5s`, `12m`,
/// `3h4m`, `12h`, `2d3h`, `25d`, `2y3d`; `<invalid>` for times more than a second in the future.
pub fn human_duration(millis: i64) -> String {
    // Go's int(d.Seconds()) truncates toward zero, as Rust's integer division does.
    let seconds = millis / 1000;
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = millis / 60_000;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = millis / 3_600_000;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{h}h", hours / 24);
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        if days == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{days}d", hours / 24 / 365);
    }
    format!("{}y", hours / 24 / 365)
}

/// The printers' `translateTimestampSince`: how long ago `time` was, `<unknown>` when unset.
pub fn age(api: &ApiServer, time: Option<&Time>) -> String {
    since(api.now(), time)
}

/// `translateTimestampSince` against an explicit now.
pub fn since(now: Millis, time: Option<&Time>) -> String {
    match time {
        Some(time) => human_duration(now - clock::to_millis(time.0)),
        None => "<unknown>".into(),
    }
}

/// `translateMicroTimestampSince`.
pub fn since_micro(now: Millis, time: Option<&MicroTime>) -> String {
    match time {
        Some(time) => human_duration(now - clock::to_millis(time.0)),
        None => "<unknown>".into(),
    }
}

/// Go's `time.RFC1123Z` (`Mon, 02 Jan 2006 15:04:05 -0700`), as `kubectl describe` prints times.
/// kubectl uses the local zone of its machine; kubeplay's is UTC.
pub fn rfc1123z(time: &Time) -> String {
    jiff::fmt::strtime::format(
        "%a, %d %b %Y %H:%M:%S %z",
        &time.0.to_zoned(jiff::tz::TimeZone::UTC),
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;

    #[test]
    fn follows_human_duration() {
        let cases = [
            (-2 * S, "<invalid>"),
            (-1500, "0s"),
            (0, "0s"),
            (45 * S, "45s"),
            (119 * S, "119s"),
            (2 * M, "2m"),
            (2 * M + 5 * S, "2m5s"),
            (9 * M + 59 * S, "9m59s"),
            (12 * M + 30 * S, "12m"),
            (179 * M, "179m"),
            (3 * H + 4 * M, "3h4m"),
            (5 * H, "5h"),
            (12 * H + 30 * M, "12h"),
            (47 * H, "47h"),
            (2 * D + 3 * H, "2d3h"),
            (3 * D, "3d"),
            (25 * D + 5 * H, "25d"),
            (729 * D, "729d"),
            (2 * 365 * D + 3 * D, "2y3d"),
            (3 * 365 * D, "3y"),
            (9 * 365 * D + 40 * D, "9y"),
        ];
        for (millis, expected) in cases {
            assert_eq!(human_duration(millis), expected, "{millis} ms");
        }
    }

    #[test]
    fn formats_rfc1123z() {
        let time = Time("2026-01-05T09:00:07Z".parse().unwrap());
        assert_eq!(rfc1123z(&time), "Mon, 05 Jan 2026 09:00:07 +0000");
    }
}
