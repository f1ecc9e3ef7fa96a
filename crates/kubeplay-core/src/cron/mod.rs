//! CronJob schedules as Kubernetes reads them: github.com/robfig/cron v3.0.1 `ParseStandard`
//! and `Schedule.Next`, and Go's `time.LoadLocation`.
//!
//! Hand-written rather than taken from a crate: no Rust cron crate has this dialect (five fields,
//! `?`, the star bit behind the day-of-month/day-of-week rule, `@every`, `TZ=` prefixes), its
//! error messages, which `kubectl` shows word for word, or its `Next`, which walks the wall clock
//! with Go's rules for DST gaps and repeats. The files follow upstream's: `parser.rs`, `spec.rs`,
//! `constantdelay.rs`; `utils.rs` has the schedule arithmetic of the CronJob controller's
//! `utils.go`. Time zones come from jiff's bundled IANA database, the same natively and in wasm.

mod constantdelay;
mod parser;
mod spec;
mod utils;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Zoned};

pub use parser::parse_standard;
pub use utils::{MissedCount, MostRecent, most_recent_schedule_time, next_schedule_delay};

/// A parsed schedule: crontab fields, or `@every`.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule(Kind);

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Spec(spec::SpecSchedule),
    /// Whole seconds, at least one.
    Every(SignedDuration),
}

impl Schedule {
    /// robfig `Schedule.Next`: the first activation strictly after `after`. The crontab fields
    /// are read in the schedule's own location if it had a `TZ=` prefix, else in `after`'s zone;
    /// the result is in `after`'s zone, as upstream returns it. `None` when there is none within
    /// five years (upstream's zero time).
    pub fn next(&self, after: &Zoned) -> Option<Zoned> {
        match &self.0 {
            Kind::Spec(spec) => spec.next(after),
            Kind::Every(delay) => constantdelay::next(*delay, after),
        }
    }
}

/// The next `n` activations after `after` (for the UI: "when are the next N runs"); fewer when
/// the schedule runs out within five years of the last one.
pub fn next_times(schedule: &Schedule, after: &Zoned, n: usize) -> Vec<Zoned> {
    std::iter::successors(schedule.next(after), |t| schedule.next(t))
        .take(n)
        .collect()
}

/// Go's `time.LoadLocation` as the kube-controller-manager runs it: `""` and `"UTC"` are UTC, and
/// so is `"Local"`, the controller manager's own zone, which is UTC in kubeplay (CronJob
/// validation rejects `""` and `"Local"` before this is asked). Names are case-sensitive, as on
/// a Linux file system.
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(TimeZone::UTC);
    }
    // No IANA name holds "..", or begins with a slash; Go refuses them before looking.
    if name.contains("..") || name.starts_with(['/', '\\']) {
        return Err("time: invalid location name".into());
    }
    // jiff looks names up without regard to case and answers with the database's spelling.
    match jiff::tz::db().get(name) {
        Ok(tz) if tz.iana_name() == Some(name) => Ok(tz),
        _ => Err(format!("unknown time zone {name}")),
    }
}

/// Times as the ported upstream tests write them.
#[cfg(test)]
pub(super) mod testing {
    use jiff::Zoned;
    use jiff::civil::DateTime;
    use jiff::tz::TimeZone;

    /// `value` in `zone`: an instant with its offset (`2012-03-11T00:00:00-05:00`), or a wall
    /// clock (`2012-07-09T15:00`) read in `zone`.
    pub fn at(value: &str, zone: &str) -> Zoned {
        let tz = if zone == "UTC" {
            TimeZone::UTC
        } else {
            TimeZone::get(zone).unwrap()
        };
        match value.parse::<jiff::Timestamp>() {
            Ok(ts) => ts.to_zoned(tz),
            Err(_) => value.parse::<DateTime>().unwrap().to_zoned(tz).unwrap(),
        }
    }

    /// A UTC wall clock.
    pub fn utc(value: &str) -> Zoned {
        at(value, "UTC")
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{at, utc};
    use super::*;

    #[test]
    fn load_location_follows_go() {
        assert_eq!(load_location(""), Ok(TimeZone::UTC));
        assert_eq!(load_location("UTC"), Ok(TimeZone::UTC));
        assert_eq!(load_location("Local"), Ok(TimeZone::UTC));
        let rome = load_location("Europe/Rome").unwrap();
        assert_eq!(rome.iana_name(), Some("Europe/Rome"));
        // A backward link is a zone of its own name, as in Go's database.
        assert_eq!(
            load_location("US/Eastern").unwrap().iana_name(),
            Some("US/Eastern")
        );
        assert_eq!(
            load_location("Mars/Olympus"),
            Err("unknown time zone Mars/Olympus".into())
        );
        // Names are looked up as files are on Linux: by exact case.
        assert_eq!(
            load_location("europe/rome"),
            Err("unknown time zone europe/rome".into())
        );
        assert_eq!(load_location("utc"), Err("unknown time zone utc".into()));
        assert_eq!(
            load_location("../etc/passwd"),
            Err("time: invalid location name".into())
        );
        assert_eq!(
            load_location("/etc/localtime"),
            Err("time: invalid location name".into())
        );
    }

    #[test]
    fn the_bundled_database_knows_dst() {
        let ny = at("2026-07-01T12:00", "America/New_York");
        assert_eq!(ny.offset().seconds(), -4 * 3600);
        let ny = at("2026-01-01T12:00", "America/New_York");
        assert_eq!(ny.offset().seconds(), -5 * 3600);
    }

    #[test]
    fn next_times_lists_the_coming_runs() {
        let schedule = parse_standard("*/20 9 * * mon-fri").unwrap();
        // 2026-01-09 is a Friday.
        let runs: Vec<String> = next_times(&schedule, &utc("2026-01-09T09:30"), 4)
            .iter()
            .map(|t| t.timestamp().to_string())
            .collect();
        assert_eq!(
            runs,
            [
                "2026-01-09T09:40:00Z",
                "2026-01-12T09:00:00Z",
                "2026-01-12T09:20:00Z",
                "2026-01-12T09:40:00Z"
            ]
        );
        let never = parse_standard("0 0 30 2 *").unwrap();
        assert!(next_times(&never, &utc("2026-01-09T09:30"), 3).is_empty());
        let every = parse_standard("@every 90m").unwrap();
        assert_eq!(
            next_times(&every, &utc("2026-01-09T09:30:15.5"), 2)
                .iter()
                .map(|t| t.timestamp().to_string())
                .collect::<Vec<_>>(),
            ["2026-01-09T11:00:15Z", "2026-01-09T12:30:15Z"]
        );
    }

    #[test]
    fn next_answers_in_the_zone_it_was_asked_in() {
        let schedule = parse_standard("TZ=Asia/Tokyo 0 9 * * *").unwrap();
        let next = schedule.next(&utc("2026-01-05T09:00")).unwrap();
        assert_eq!(next.time_zone(), &TimeZone::UTC);
        assert_eq!(next.timestamp().to_string(), "2026-01-06T00:00:00Z");
    }
}
