//! robfig/cron v3 `spec.go`: the field bit sets and `SpecSchedule.Next`, which walks the wall
//! clock of the schedule's location with Go's `time` rules, so DST gaps and repeats come out as
//! upstream's (a 02:00 New York job does not run on the spring-forward day).

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, Zoned};

/// A field's range and the names it accepts.
pub(super) struct Bounds {
    pub min: u64,
    pub max: u64,
    pub names: &'static [(&'static str, u64)],
}

pub(super) const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
pub(super) const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
pub(super) const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
pub(super) const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
pub(super) const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Set when a field was `*` or `?` without a step above 1.
pub(super) const STAR_BIT: u64 = 1 << 63;

/// `ParseStandard` has no seconds field: upstream fills in its default, second 0.
const SECONDS: u64 = 1;

/// A crontab schedule as bit sets, one bit per allowed value.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SpecSchedule {
    pub minute: u64,
    pub hour: u64,
    pub dom: u64,
    pub month: u64,
    pub dow: u64,
    /// From a `TZ=`/`CRON_TZ=` prefix; `None` is upstream's `time.Local`: the zone of the time
    /// the schedule is asked about.
    pub location: Option<TimeZone>,
}

fn has(bits: u64, value: i8) -> bool {
    // Wall-clock fields are never negative; a failed conversion only means "no bit".
    u32::try_from(value).is_ok_and(|shift| shift < 64 && bits & (1 << shift) != 0)
}

impl SpecSchedule {
    /// Upstream's `Next`: the first activation after `after`, `None` where upstream returns the
    /// zero time (nothing within five years), or where the search leaves jiff's range.
    pub(super) fn next(&self, after: &Zoned) -> Option<Zoned> {
        let loc = self.location.as_ref().unwrap_or(after.time_zone());
        let civil = |t: Timestamp| loc.to_datetime(t);

        // Start at the earliest possible time: the upcoming second.
        let mut t = add(
            truncate(after.timestamp(), SignedDuration::from_secs(1))?,
            1,
        )?;
        // Whether a field has been moved; the first move resets the smaller fields to zero.
        let mut added = false;
        let year_limit = civil(t).year() + 5;

        'wrap: loop {
            if civil(t).year() > year_limit {
                return None;
            }

            while !has(self.month, civil(t).month()) {
                if !added {
                    added = true;
                    let (year, month, _) = ymd(&civil(t));
                    t = go_date(loc, (year, month, 1), Clock::at(0, 0))?;
                }
                t = add_date(loc, t, 1, 0)?;
                if civil(t).month() == 1 {
                    continue 'wrap;
                }
            }

            while !self.day_matches(civil(t)) {
                if !added {
                    added = true;
                    t = go_date(loc, ymd(&civil(t)), Clock::at(0, 0))?;
                }
                t = add_date(loc, t, 0, 1)?;
                // Midnight may not exist (Sao Paulo's DST started at 00:00): upstream moves to
                // the nearest midnight-ish hour, forward from 23, back from 1.
                let hour = i64::from(civil(t).hour());
                if hour != 0 {
                    t = if hour > 12 {
                        add(t, (24 - hour) * 3600)?
                    } else {
                        add(t, -hour * 3600)?
                    };
                }
                if civil(t).day() == 1 {
                    continue 'wrap;
                }
            }

            while !has(self.hour, civil(t).hour()) {
                if !added {
                    added = true;
                    let c = civil(t);
                    t = go_date(loc, ymd(&c), Clock::at(c.hour(), 0))?;
                }
                t = add(t, 3600)?;
                if civil(t).hour() == 0 {
                    continue 'wrap;
                }
            }

            while !has(self.minute, civil(t).minute()) {
                if !added {
                    added = true;
                    t = truncate(t, SignedDuration::from_mins(1))?;
                }
                t = add(t, 60)?;
                if civil(t).minute() == 0 {
                    continue 'wrap;
                }
            }

            while !has(SECONDS, civil(t).second()) {
                if !added {
                    added = true;
                    t = truncate(t, SignedDuration::from_secs(1))?;
                }
                t = add(t, 1)?;
                if civil(t).second() == 0 {
                    continue 'wrap;
                }
            }

            return Some(t.to_zoned(after.time_zone().clone()));
        }
    }

    /// Both day fields must match when either was a star; otherwise either one is enough.
    fn day_matches(&self, c: DateTime) -> bool {
        let dom = has(self.dom, c.day());
        let dow = has(self.dow, c.weekday().to_sunday_zero_offset());
        if self.dom & STAR_BIT != 0 || self.dow & STAR_BIT != 0 {
            dom && dow
        } else {
            dom || dow
        }
    }
}

/// The part of `time.Date`'s arguments below the day.
#[derive(Clone, Copy)]
struct Clock {
    hour: i8,
    minute: i8,
    second: i8,
    nanosecond: i32,
}

impl Clock {
    /// `hour:minute:00.000000000`.
    fn at(hour: i8, minute: i8) -> Clock {
        Clock {
            hour,
            minute,
            second: 0,
            nanosecond: 0,
        }
    }

    fn of(c: &DateTime) -> Clock {
        Clock {
            hour: c.hour(),
            minute: c.minute(),
            second: c.second(),
            nanosecond: c.subsec_nanosecond(),
        }
    }
}

fn ymd(c: &DateTime) -> (i64, i64, i64) {
    (c.year().into(), c.month().into(), c.day().into())
}

/// `t.Add(seconds)`.
fn add(t: Timestamp, seconds: i64) -> Option<Timestamp> {
    t.checked_add(SignedDuration::from_secs(seconds)).ok()
}

/// `t.Truncate(unit)`: rounds the instant down, whatever the zone's offset.
pub(super) fn truncate(t: Timestamp, unit: SignedDuration) -> Option<Timestamp> {
    let nanos = t.as_nanosecond();
    Timestamp::from_nanosecond(nanos - nanos.rem_euclid(unit.as_nanos())).ok()
}

/// `t.AddDate(0, months, days)`: the same wall clock that many months and days on, normalised
/// as `time.Date` does.
fn add_date(loc: &TimeZone, t: Timestamp, months: i64, days: i64) -> Option<Timestamp> {
    let c = loc.to_datetime(t);
    go_date(
        loc,
        (
            c.year().into(),
            i64::from(c.month()) + months,
            i64::from(c.day()) + days,
        ),
        Clock::of(&c),
    )
}

/// Go's `time.Date` in `loc`: months and days out of range carry over, and a wall clock that
/// falls in a DST gap or repeat resolves as Go resolves it (the offset in force at the wall
/// clock read as UTC, corrected once), which is not always the earlier or the later offset.
fn go_date(loc: &TimeZone, (year, month, day): (i64, i64, i64), clock: Clock) -> Option<Timestamp> {
    let year = year + (month - 1).div_euclid(12);
    let month = (month - 1).rem_euclid(12) + 1;
    let date = Date::new(i16::try_from(year).ok()?, i8::try_from(month).ok()?, 1)
        .ok()?
        .checked_add(Span::new().try_days(day - 1).ok()?)
        .ok()?;
    let wall = date
        .at(clock.hour, clock.minute, clock.second, clock.nanosecond)
        .to_zoned(TimeZone::UTC)
        .ok()?
        .timestamp();
    let guess = i64::from(loc.to_offset(wall).seconds());
    let utc = add(wall, -guess)?;
    add(wall, -i64::from(loc.to_offset(utc).seconds()))
}

#[cfg(test)]
mod tests {
    use super::super::parse_standard;
    use super::super::testing::{at, utc};
    use jiff::{SignedDuration, Zoned};

    fn next(spec: &str, after: &Zoned) -> Option<String> {
        let schedule = parse_standard(spec).unwrap_or_else(|err| panic!("{spec}: {err}"));
        schedule.next(after).map(|t| t.timestamp().to_string())
    }

    /// upstream's `TestActivation`: whether `spec` fires at `time` (UTC).
    #[test]
    fn activation() {
        let cases = [
            // Every fifteen minutes.
            ("2012-07-09T15:00", "0/15 * * * *", true),
            ("2012-07-09T15:45", "0/15 * * * *", true),
            ("2012-07-09T15:40", "0/15 * * * *", false),
            // Every fifteen minutes, starting at 5 minutes.
            ("2012-07-09T15:05", "5/15 * * * *", true),
            ("2012-07-09T15:20", "5/15 * * * *", true),
            ("2012-07-09T15:50", "5/15 * * * *", true),
            // Named months.
            ("2012-07-15T15:00", "0/15 * * Jul *", true),
            ("2012-07-15T15:00", "0/15 * * Jun *", false),
            // Everything set.
            ("2012-07-15T08:30", "30 08 ? Jul Sun", true),
            ("2012-07-15T08:30", "30 08 15 Jul ?", true),
            ("2012-07-16T08:30", "30 08 ? Jul Sun", false),
            ("2012-07-16T08:30", "30 08 15 Jul ?", false),
            // Predefined schedules.
            ("2012-07-09T15:00", "@hourly", true),
            ("2012-07-09T15:04", "@hourly", false),
            ("2012-07-09T15:00", "@daily", false),
            ("2012-07-09T00:00", "@daily", true),
            ("2012-07-09T00:00", "@weekly", false),
            ("2012-07-08T00:00", "@weekly", true),
            ("2012-07-08T01:00", "@weekly", false),
            ("2012-07-08T00:00", "@monthly", false),
            ("2012-07-01T00:00", "@monthly", true),
            ("2012-01-01T00:00", "@yearly", true),
            ("2012-02-01T00:00", "@annually", false),
            ("2012-07-09T00:00", "@midnight", true),
            // Both days restricted: either one matching is enough.
            ("2012-07-15T00:00", "* * 1,15 * Sun", true),
            ("2012-06-15T00:00", "* * 1,15 * Sun", true),
            ("2012-08-01T00:00", "* * 1,15 * Sun", true),
            ("2012-07-15T00:00", "* * */10 * Sun", true),
            // One of them a star: both must match.
            ("2012-07-15T00:00", "* * * * Mon", false),
            ("2012-07-09T00:00", "* * 1,15 * *", false),
            ("2012-07-15T00:00", "* * 1,15 * *", true),
            ("2012-07-15T00:00", "* * */2 * Sun", true),
        ];
        for (time, spec, fires) in cases {
            let instant = utc(time);
            let before = instant.checked_sub(SignedDuration::from_secs(1)).unwrap();
            let fired = next(spec, &before) == Some(instant.timestamp().to_string());
            assert_eq!(fired, fires, "{spec} at {time}");
        }
    }

    /// upstream's `TestNext` (basic and wrap), in UTC, its seconds field dropped: `ParseStandard`
    /// always fires on second 0.
    #[test]
    fn next_wraps_every_field() {
        let cases = [
            ("2012-07-09T14:45", "0/15 * * * *", "2012-07-09T15:00:00Z"),
            ("2012-07-09T14:59", "0/15 * * * *", "2012-07-09T15:00:00Z"),
            (
                "2012-07-09T14:59:59",
                "0/15 * * * *",
                "2012-07-09T15:00:00Z",
            ),
            // Wrap around hours.
            (
                "2012-07-09T15:45",
                "20-35/15 * * * *",
                "2012-07-09T16:20:00Z",
            ),
            // Wrap around days.
            ("2012-07-09T23:46", "*/15 * * * *", "2012-07-10T00:00:00Z"),
            (
                "2012-07-09T23:45",
                "20-35/15 * * * *",
                "2012-07-10T00:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 * * * *",
                "2012-07-10T00:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 1/2 * * *",
                "2012-07-10T01:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 10-12 * * *",
                "2012-07-10T10:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 1/2 */2 * *",
                "2012-07-11T01:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 * 9-20 * *",
                "2012-07-10T00:20:00Z",
            ),
            (
                "2012-07-09T23:35:51",
                "20-35/15 * 9-20 Jul *",
                "2012-07-10T00:20:00Z",
            ),
            // Wrap around months.
            (
                "2012-07-09T23:35",
                "0 0 9 Apr-Oct ?",
                "2012-08-09T00:00:00Z",
            ),
            (
                "2012-07-09T23:35",
                "0 0 */5 Apr,Aug,Oct Mon",
                "2012-08-01T00:00:00Z",
            ),
            (
                "2012-07-09T23:35",
                "0 0 */5 Oct Mon",
                "2012-10-01T00:00:00Z",
            ),
            // Wrap around years.
            ("2012-07-09T23:35", "0 0 * Feb Mon", "2013-02-04T00:00:00Z"),
            (
                "2012-07-09T23:35",
                "0 0 * Feb Mon/2",
                "2013-02-01T00:00:00Z",
            ),
            // Wrap around minute, hour, day, month and year.
            ("2012-12-31T23:59:45", "* * * * *", "2013-01-01T00:00:00Z"),
            // Leap year.
            ("2012-07-09T23:35", "0 0 29 Feb ?", "2016-02-29T00:00:00Z"),
        ];
        for (time, spec, expected) in cases {
            assert_eq!(
                next(spec, &utc(time)).as_deref(),
                Some(expected),
                "{spec} after {time}"
            );
        }
    }

    /// upstream's unsatisfiable cases: nothing within five years is the zero time, `None` here.
    #[test]
    fn next_gives_up_after_five_years() {
        for spec in ["0 0 30 Feb ?", "0 0 31 Apr ?", "59 23 31 2 *"] {
            assert_eq!(next(spec, &utc("2012-07-09T23:35")), None, "{spec}");
        }
        // Feb 29 skips 2100: from 2096-03 the next is 2104, more than five years on.
        assert_eq!(next("0 0 29 2 *", &utc("2096-03-01T00:00")), None);
        assert_eq!(
            next("0 0 29 2 *", &utc("2095-03-01T00:00")).as_deref(),
            Some("2096-02-29T00:00:00Z")
        );
        // The end of jiff's calendar is an end too, not a panic.
        assert_eq!(next("0 0 1 1 *", &utc("9999-06-01T00:00")), None);
        assert_eq!(next("@every 1h", &utc("9999-12-30T21:30")), None);
    }

    /// upstream's spring-forward cases: New York skips 02:00-03:00 on 2012-03-11.
    #[test]
    fn spring_forward_in_new_york() {
        let hourly = "TZ=America/New_York 0 * * * ?";
        let cron_hourly = "CRON_TZ=America/New_York 0 * * * ?";
        let one_am = "TZ=America/New_York 0 1 * * ?";
        let cases = [
            (
                "2012-03-11T00:00:00-05:00",
                "TZ=America/New_York 30 2 11 Mar ?",
                "2013-03-11T02:30:00-04:00",
            ),
            (
                "2012-03-11T00:00:00-05:00",
                hourly,
                "2012-03-11T01:00:00-05:00",
            ),
            (
                "2012-03-11T01:00:00-05:00",
                hourly,
                "2012-03-11T03:00:00-04:00",
            ),
            (
                "2012-03-11T03:00:00-04:00",
                hourly,
                "2012-03-11T04:00:00-04:00",
            ),
            (
                "2012-03-11T04:00:00-04:00",
                hourly,
                "2012-03-11T05:00:00-04:00",
            ),
            (
                "2012-03-11T00:00:00-05:00",
                cron_hourly,
                "2012-03-11T01:00:00-05:00",
            ),
            (
                "2012-03-11T01:00:00-05:00",
                cron_hourly,
                "2012-03-11T03:00:00-04:00",
            ),
            (
                "2012-03-11T03:00:00-04:00",
                cron_hourly,
                "2012-03-11T04:00:00-04:00",
            ),
            (
                "2012-03-11T04:00:00-04:00",
                cron_hourly,
                "2012-03-11T05:00:00-04:00",
            ),
            (
                "2012-03-11T00:00:00-05:00",
                one_am,
                "2012-03-11T01:00:00-05:00",
            ),
            (
                "2012-03-11T01:00:00-05:00",
                one_am,
                "2012-03-12T01:00:00-04:00",
            ),
            // The 02:00 job does not run on the spring-forward day.
            (
                "2012-03-11T00:00:00-05:00",
                "TZ=America/New_York 0 2 * * ?",
                "2012-03-12T02:00:00-04:00",
            ),
        ];
        assert_instants(&cases, "UTC");
    }

    /// upstream's fall-back cases with the zone in the schedule: 01:00-02:00 happens twice on
    /// 2012-11-04, and an hourly or 01:00 job runs in both.
    #[test]
    fn fall_back_in_new_york() {
        let hourly = "TZ=America/New_York 0 * * * ?";
        let one_am = "TZ=America/New_York 0 1 * * ?";
        let two_am = "TZ=America/New_York 0 2 * * ?";
        let three_am = "TZ=America/New_York 0 3 * * ?";
        let cases = [
            (
                "2012-11-04T00:00:00-04:00",
                "TZ=America/New_York 30 2 04 Nov ?",
                "2012-11-04T02:30:00-05:00",
            ),
            (
                "2012-11-04T01:45:00-04:00",
                "TZ=America/New_York 30 1 04 Nov ?",
                "2012-11-04T01:30:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                hourly,
                "2012-11-04T01:00:00-04:00",
            ),
            (
                "2012-11-04T01:00:00-04:00",
                hourly,
                "2012-11-04T01:00:00-05:00",
            ),
            (
                "2012-11-04T01:00:00-05:00",
                hourly,
                "2012-11-04T02:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                one_am,
                "2012-11-04T01:00:00-04:00",
            ),
            (
                "2012-11-04T01:00:00-04:00",
                one_am,
                "2012-11-04T01:00:00-05:00",
            ),
            (
                "2012-11-04T01:00:00-05:00",
                one_am,
                "2012-11-05T01:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                two_am,
                "2012-11-04T02:00:00-05:00",
            ),
            (
                "2012-11-04T02:00:00-05:00",
                two_am,
                "2012-11-05T02:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                three_am,
                "2012-11-04T03:00:00-05:00",
            ),
            (
                "2012-11-04T03:00:00-05:00",
                three_am,
                "2012-11-05T03:00:00-05:00",
            ),
        ];
        assert_instants(&cases, "UTC");
    }

    /// upstream's fall-back cases with the zone in the time asked about: a schedule without a
    /// zone follows it.
    #[test]
    fn fall_back_in_the_zone_of_the_input() {
        let cases = [
            (
                "2012-11-04T00:00:00-04:00",
                "0 * * * ?",
                "2012-11-04T01:00:00-04:00",
            ),
            (
                "2012-11-04T01:00:00-04:00",
                "0 * * * ?",
                "2012-11-04T01:00:00-05:00",
            ),
            (
                "2012-11-04T01:00:00-05:00",
                "0 * * * ?",
                "2012-11-04T02:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                "0 1 * * ?",
                "2012-11-04T01:00:00-04:00",
            ),
            (
                "2012-11-04T01:00:00-04:00",
                "0 1 * * ?",
                "2012-11-04T01:00:00-05:00",
            ),
            (
                "2012-11-04T01:00:00-05:00",
                "0 1 * * ?",
                "2012-11-05T01:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                "0 2 * * ?",
                "2012-11-04T02:00:00-05:00",
            ),
            (
                "2012-11-04T02:00:00-05:00",
                "0 2 * * ?",
                "2012-11-05T02:00:00-05:00",
            ),
            (
                "2012-11-04T00:00:00-04:00",
                "0 3 * * ?",
                "2012-11-04T03:00:00-05:00",
            ),
            (
                "2012-11-04T03:00:00-05:00",
                "0 3 * * ?",
                "2012-11-05T03:00:00-05:00",
            ),
            // upstream's edge case: a monthly job across the fall-back.
            (
                "2012-11-04T00:00:00-04:00",
                "0 3 3 * ?",
                "2012-12-03T03:00:00-05:00",
            ),
        ];
        assert_instants(&cases, "America/New_York");
    }

    /// upstream's issue 157: Sao Paulo's DST began at midnight, so that midnight did not exist.
    #[test]
    fn a_missing_midnight_in_sao_paulo() {
        let cases = [
            (
                "2018-10-17T05:00:00-04:00",
                "TZ=America/Sao_Paulo 0 9 10 * ?",
                "2018-11-10T06:00:00-05:00",
            ),
            (
                "2018-02-14T05:00:00-05:00",
                "TZ=America/Sao_Paulo 0 9 22 * ?",
                "2018-02-22T07:00:00-05:00",
            ),
        ];
        assert_instants(&cases, "UTC");
    }

    /// upstream's `TestNextWithTz`: a fixed offset is a zone like any other.
    #[test]
    fn a_fixed_offset_input() {
        let kolkata = jiff::tz::TimeZone::fixed(jiff::tz::Offset::from_seconds(19_800).unwrap());
        let cases = [
            (
                "2016-01-03T13:09:03+05:30",
                "14 14 * * *",
                "2016-01-03T14:14:00+05:30",
            ),
            (
                "2016-01-03T04:09:03+05:30",
                "14 14 * * ?",
                "2016-01-03T14:14:00+05:30",
            ),
            (
                "2016-01-03T14:09:03+05:30",
                "14 14 * * *",
                "2016-01-03T14:14:00+05:30",
            ),
            (
                "2016-01-03T14:00:00+05:30",
                "14 14 * * ?",
                "2016-01-03T14:14:00+05:30",
            ),
        ];
        for (time, spec, expected) in cases {
            let ts: jiff::Timestamp = time.parse().unwrap();
            let after = ts.to_zoned(kolkata.clone());
            let expected: jiff::Timestamp = expected.parse().unwrap();
            assert_eq!(
                next(spec, &after),
                Some(expected.to_string()),
                "{spec} after {time}"
            );
        }
    }

    /// Go's `time.Date` resolves a wall clock in a gap by the offset before it for zones west of
    /// UTC and the one after it east of UTC; `Next` only meets that through `AddDate`.
    #[test]
    fn go_date_in_gaps_follows_go() {
        use super::{Clock, go_date};
        let ny = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
        let in_gap = |tz| {
            go_date(tz, (2012, 3, 11), Clock::at(2, 30))
                .unwrap()
                .to_string()
        };
        assert_eq!(in_gap(&ny), "2012-03-11T06:30:00Z");
        let berlin_gap = go_date(&berlin, (2012, 3, 25), Clock::at(2, 30)).unwrap();
        assert_eq!(berlin_gap.to_string(), "2012-03-25T01:30:00Z");
        // Months and days carry over: January 32nd, the 13th month.
        let utc = jiff::tz::TimeZone::UTC;
        let carried = go_date(&utc, (2012, 13, 32), Clock::at(0, 0)).unwrap();
        assert_eq!(carried.to_string(), "2013-02-01T00:00:00Z");
    }

    fn assert_instants(cases: &[(&str, &str, &str)], zone: &str) {
        for (time, spec, expected) in cases {
            let expected: jiff::Timestamp = expected.parse().unwrap();
            assert_eq!(
                next(spec, &at(time, zone)),
                Some(expected.to_string()),
                "{spec} after {time}"
            );
        }
    }
}
