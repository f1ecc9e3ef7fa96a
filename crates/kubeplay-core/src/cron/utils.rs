//! The schedule arithmetic of Kubernetes' `pkg/controller/cronjob/utils.go`:
//! `mostRecentScheduleTime` and `nextScheduleTimeDuration`, taking plain times where upstream
//! reads them off the CronJob.

use jiff::{Timestamp, Zoned};

use super::Schedule;
use crate::clock::Millis;

/// Upstream's `missedSchedulesType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissedCount {
    None,
    Few,
    /// More than 100: the controller warns `TooManyMissedTimes`.
    Many,
}

/// What `mostRecentScheduleTime` finds between `earliest` and `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct MostRecent {
    /// The most recent activation at or before `now`, if any.
    pub last_missed: Option<Zoned>,
    pub missed_count: MissedCount,
}

/// Upstream's `requeue at next + nextScheduleDelta`, against clock skew.
const NEXT_SCHEDULE_DELTA_NANOS: i128 = 100_000_000;
const SECOND_NANOS: i64 = 1_000_000_000;

/// Upstream's `mostRecentScheduleTime`. `earliest` is what the controller computes from the
/// CronJob: `lastScheduleTime`, else the creation time, raised to `now - startingDeadlineSeconds`
/// when upstream passes `includeStartingDeadlineSeconds`.
///
/// It counts the missed activations roughly, from the gap between the first two after
/// `earliest`, then walks the schedule from just before the estimated last one; a schedule whose
/// first two activations are less than a second apart (none at all, such as `59 23 31 2 *`)
/// is an error.
pub fn most_recent_schedule_time(
    earliest: &Zoned,
    now: &Zoned,
    schedule: &Schedule,
) -> Result<MostRecent, String> {
    let none_missed = |last_missed| MostRecent {
        last_missed,
        missed_count: MissedCount::None,
    };
    // Upstream's Next returns the zero time when it finds nothing, and carries on from it.
    let t1 = schedule.next(earliest).unwrap_or_else(go_zero_time);
    let t2 = schedule.next(&t1).unwrap_or_else(go_zero_time);
    if now.timestamp() < t1.timestamp() {
        return Ok(none_missed(None));
    }
    if now.timestamp() < t2.timestamp() {
        return Ok(none_missed(Some(t1)));
    }

    let between = go_seconds(go_round_second(go_sub(&t2, &t1))) as i64;
    if between < 1 {
        return Err("time difference between two schedules is less than 1 second".into());
    }
    let elapsed = go_seconds(go_sub(now, &t1)) as i64;
    let missed = elapsed / between + 1;

    // One interval before the estimated last activation, so that irregular schedules
    // (`30 6-16/4 * * 1-5`) are walked to their true last one. Go's int64 products wrap.
    let offset = (missed - 2)
        .wrapping_mul(between)
        .wrapping_mul(SECOND_NANOS);
    let potential_earliest = add_nanos(&t1, offset);
    let mut last_missed = None;
    let mut t = schedule.next(&potential_earliest);
    while let Some(next) = t {
        if next.timestamp() > now.timestamp() {
            break;
        }
        t = schedule.next(&next);
        // Upstream records the zero time it gets when the schedule runs out (and then loops on
        // from year 1); that ends as "no most recent time".
        last_missed = t.is_some().then_some(next);
    }

    let missed_count = match missed {
        m if m > 100 => MissedCount::Many,
        m if m > 0 => MissedCount::Few,
        _ => MissedCount::None,
    };
    Ok(MostRecent {
        last_missed,
        missed_count,
    })
}

/// Upstream's `nextScheduleTimeDuration`: how long until the controller should look again, the
/// next activation after the most recent one (or after `earliest`, or `now`) plus 100ms. Here
/// `earliest` leaves out `startingDeadlineSeconds`, as upstream's call does.
///
/// `None` when the schedule has no next activation: upstream computes a hugely negative delay
/// from the zero time and requeues at once, which in a simulation would spin at one instant.
pub fn next_schedule_delay(earliest: &Zoned, now: &Zoned, schedule: &Schedule) -> Option<Millis> {
    let most_recent = match most_recent_schedule_time(earliest, now, schedule) {
        // The schedule is broken, but the controller must look again some time: go from now.
        Err(_) => now,
        Ok(MostRecent {
            last_missed: Some(ref t),
            ..
        }) => return delay_after(t, now, schedule),
        Ok(MostRecent {
            missed_count: MissedCount::None,
            ..
        }) => earliest,
        Ok(_) => now,
    };
    delay_after(most_recent, now, schedule)
}

fn delay_after(most_recent: &Zoned, now: &Zoned, schedule: &Schedule) -> Option<Millis> {
    let next = schedule.next(most_recent)?;
    let nanos = next.timestamp().as_nanosecond() + NEXT_SCHEDULE_DELTA_NANOS
        - now.timestamp().as_nanosecond();
    // Rounded up, so the requeue is never before the instant upstream asks for.
    Millis::try_from(nanos.div_euclid(1_000_000) + i128::from(nanos.rem_euclid(1_000_000) != 0))
        .ok()
}

/// Go's zero `time.Time`: 0001-01-01T00:00:00Z.
fn go_zero_time() -> Zoned {
    Timestamp::from_second(-62_135_596_800)
        .unwrap_or(Timestamp::MIN)
        .to_zoned(jiff::tz::TimeZone::UTC)
}

/// Go's `t.Sub(u)`: nanoseconds, saturated to a `time.Duration`.
fn go_sub(t: &Zoned, u: &Zoned) -> i64 {
    let nanos = t.timestamp().as_nanosecond() - u.timestamp().as_nanosecond();
    nanos.clamp(i64::MIN.into(), i64::MAX.into()) as i64
}

/// Go's `d.Round(time.Second)`: halves away from zero, saturated.
fn go_round_second(d: i64) -> i64 {
    let r = d % SECOND_NANOS;
    let half = |r: i64| r.unsigned_abs() * 2 < SECOND_NANOS.unsigned_abs();
    if d < 0 {
        if half(r) {
            d - r
        } else {
            d.checked_sub(SECOND_NANOS + r).unwrap_or(i64::MIN)
        }
    } else if half(r) {
        d - r
    } else {
        d.checked_add(SECOND_NANOS - r).unwrap_or(i64::MAX)
    }
}

/// Go's `d.Seconds()`.
fn go_seconds(d: i64) -> f64 {
    (d / SECOND_NANOS) as f64 + (d % SECOND_NANOS) as f64 / 1e9
}

/// Go's `t.Add(d)`, kept within jiff's range.
fn add_nanos(t: &Zoned, nanos: i64) -> Zoned {
    let sum = t.timestamp().as_nanosecond() + i128::from(nanos);
    let timestamp = Timestamp::from_nanosecond(sum).unwrap_or(if sum < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    timestamp.to_zoned(t.time_zone().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cron::parse_standard;
    use crate::cron::testing::utc;
    use jiff::SignedDuration;

    /// upstream's `topOfTheHour` plus a duration: 2016-05-19T10:00:00Z (a Thursday).
    fn top_of_the_hour(plus: SignedDuration) -> Zoned {
        utc("2016-05-19T10:00").checked_add(plus).unwrap()
    }

    fn mins(m: i64) -> SignedDuration {
        SignedDuration::from_mins(m)
    }

    fn hours(h: i64) -> SignedDuration {
        SignedDuration::from_hours(h)
    }

    fn most_recent(spec: &str, earliest: &Zoned, now: &Zoned) -> Result<MostRecent, String> {
        most_recent_schedule_time(earliest, now, &parse_standard(spec).unwrap())
    }

    fn found(last: Option<Zoned>, missed_count: MissedCount) -> Result<MostRecent, String> {
        Ok(MostRecent {
            last_missed: last,
            missed_count,
        })
    }

    /// upstream's `TestMostRecentScheduleTime`; `earliest` is what upstream reads off the
    /// CronJob (the last schedule time, else the creation time, raised to now minus the
    /// starting deadline where the case includes it).
    #[test]
    fn most_recent_schedule_times() {
        let top = top_of_the_hour(SignedDuration::ZERO);
        let half_past = top_of_the_hour(mins(30));
        let cases = [
            (
                "now before next schedule",
                "0 * * * *",
                top.clone(),
                top_of_the_hour(SignedDuration::from_secs(30)),
                found(None, MissedCount::None),
            ),
            (
                "now just after next schedule",
                "0 * * * *",
                top.clone(),
                top_of_the_hour(mins(61)),
                found(Some(top_of_the_hour(mins(60))), MissedCount::None),
            ),
            (
                "missed 5 schedules",
                "0 * * * *",
                top_of_the_hour(SignedDuration::from_secs(10)),
                top_of_the_hour(mins(301)),
                found(Some(top_of_the_hour(mins(300))), MissedCount::Few),
            ),
            (
                "complex schedule",
                "30 6-16/4 * * 1-5",
                half_past.clone(),
                top_of_the_hour(hours(24) + mins(31)),
                found(
                    Some(top_of_the_hour(hours(24) + mins(30))),
                    MissedCount::Few,
                ),
            ),
            (
                // The rough count overshoots past the weekday's last run: nothing is found.
                "another complex schedule",
                "30 10,11,12 * * 1-5",
                half_past.clone(),
                top_of_the_hour(hours(30) + mins(30)),
                found(None, MissedCount::Few),
            ),
            (
                "complex schedule with longer diff between executions",
                "30 6-16/4 * * 1-5",
                half_past.clone(),
                top_of_the_hour(hours(96) + mins(31)),
                found(
                    Some(top_of_the_hour(hours(96) + mins(30))),
                    MissedCount::Few,
                ),
            ),
            (
                "complex schedule with shorter diff between executions",
                "30 6-16/4 * * 1-5",
                top.clone(),
                top_of_the_hour(hours(24) + mins(31)),
                found(
                    Some(top_of_the_hour(hours(24) + mins(30))),
                    MissedCount::Few,
                ),
            ),
            (
                "@every schedule",
                "@every 1h",
                top_of_the_hour(mins(1)),
                top_of_the_hour(hours(7 * 24)),
                found(
                    Some(top_of_the_hour(hours(6 * 24 + 23) + mins(1))),
                    MissedCount::Many,
                ),
            ),
            (
                "rogue cronjob",
                "59 23 31 2 *",
                top_of_the_hour(SignedDuration::from_secs(10)),
                top_of_the_hour(hours(1)),
                Err("time difference between two schedules is less than 1 second".into()),
            ),
            (
                "earliestTime being CreationTimestamp and LastScheduleTime",
                "0 * * * *",
                top.clone(),
                top_of_the_hour(SignedDuration::from_secs(30)),
                found(None, MissedCount::None),
            ),
            (
                "earliestTime being LastScheduleTime",
                "*/5 * * * *",
                half_past.clone(),
                top_of_the_hour(mins(31)),
                found(None, MissedCount::None),
            ),
            (
                "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)",
                "*/5 * * * *",
                top_of_the_hour(mins(31)),
                top_of_the_hour(mins(32)),
                found(None, MissedCount::None),
            ),
        ];
        for (name, spec, earliest, now, expected) in cases {
            assert_eq!(most_recent(spec, &earliest, &now), expected, "{name}");
        }
    }

    /// upstream's `TestNextScheduleTime`, schedule hourly on the hour: T1 and T2 are two runs.
    #[test]
    fn next_schedule_time_cases() {
        let t1 = top_of_the_hour(SignedDuration::ZERO);
        let t2 = top_of_the_hour(hours(1));
        let hourly = "0 * * * ?";
        let last = |earliest: &Zoned, now: &Zoned| {
            most_recent(hourly, earliest, now).map(|found| found.last_missed)
        };
        let before_t1 = t1.checked_sub(mins(10)).unwrap();
        // No known start time, and none needed yet.
        assert_eq!(
            last(&before_t1, &t1.checked_sub(mins(7)).unwrap()),
            Ok(None)
        );
        // No known start time, and one needed.
        let just_after = t1.checked_add(SignedDuration::from_secs(2)).unwrap();
        assert_eq!(last(&before_t1, &just_after), Ok(Some(t1.clone())));
        // Known last schedule time, no start needed.
        assert_eq!(last(&t1, &t1.checked_add(mins(2)).unwrap()), Ok(None));
        // Known last schedule time, a start needed.
        let after_t2 = t2.checked_add(mins(5)).unwrap();
        assert_eq!(last(&t1, &after_t2), Ok(Some(t2.clone())));
        // Two starts needed: the most recent is the one.
        let an_hour_before = t1.checked_sub(hours(1)).unwrap();
        assert_eq!(last(&an_hour_before, &after_t2), Ok(Some(t2.clone())));
        // Far behind, with no deadline and with a short one.
        let far = t2.checked_add(hours(240)).unwrap();
        assert_eq!(
            last(&an_hour_before, &far),
            Ok(Some(top_of_the_hour(hours(241))))
        );
        let deadline = far.checked_sub(hours(2)).unwrap();
        assert_eq!(last(&deadline, &far), Ok(Some(far.clone())));
        // The error of an impossible schedule comes through.
        let rogue = most_recent(
            "59 23 31 2 *",
            &t1.checked_add(SignedDuration::from_secs(10)).unwrap(),
            &t2,
        );
        assert!(rogue.is_err());
    }

    /// upstream's `TestNextScheduleTimeDuration`.
    #[test]
    fn next_schedule_delays() {
        let top = top_of_the_hour(SignedDuration::ZERO);
        let half_past = top_of_the_hour(mins(30));
        let millis = |d: SignedDuration| d.as_millis() as Millis + 100;
        let cases = [
            (
                "complex schedule skipping weekend",
                "30 6-16/4 * * 1-5",
                half_past.clone(),
                top_of_the_hour(hours(24) + mins(31)),
                millis(hours(3) + mins(59)),
            ),
            (
                "another complex schedule skipping weekend",
                "30 10,11,12 * * 1-5",
                half_past.clone(),
                top_of_the_hour(hours(30) + mins(30)),
                millis(hours(66)),
            ),
            (
                "once a week cronjob, missed two runs",
                "0 12 * * 4",
                top_of_the_hour(hours(2)),
                top_of_the_hour(hours(19 * 24 + 1) + mins(30)),
                millis(hours(48) + mins(30)),
            ),
            (
                "no previous run of a cronjob",
                "0 12 * * 5",
                top.clone(),
                top_of_the_hour(hours(6)),
                millis(hours(20)),
            ),
        ];
        for (name, spec, earliest, now, expected) in cases {
            let schedule = parse_standard(spec).unwrap();
            assert_eq!(
                next_schedule_delay(&earliest, &now, &schedule),
                Some(expected),
                "{name}"
            );
        }
        // A schedule with no next run has no delay; upstream's would be hugely negative.
        let never = parse_standard("59 23 31 2 *").unwrap();
        assert_eq!(next_schedule_delay(&top, &half_past, &never), None);
        // Sub-millisecond instants round the delay up.
        let hourly = parse_standard("0 * * * *").unwrap();
        let now = top.checked_add(SignedDuration::from_nanos(1)).unwrap();
        assert_eq!(next_schedule_delay(&top, &now, &hourly), Some(3_600_100));
    }

    /// Go's `Duration.Round(time.Second)` and `Seconds`, which the rough count relies on.
    #[test]
    fn go_duration_arithmetic() {
        assert_eq!(go_round_second(1_499_999_999), 1_000_000_000);
        assert_eq!(go_round_second(1_500_000_000), 2_000_000_000);
        assert_eq!(go_round_second(-1_500_000_000), -2_000_000_000);
        assert_eq!(go_round_second(-1_499_999_999), -1_000_000_000);
        assert_eq!(go_round_second(i64::MAX), i64::MAX);
        assert_eq!(go_round_second(i64::MIN), i64::MIN);
        assert_eq!(go_seconds(-2_500_000_000), -2.5);
        let zero = go_zero_time();
        assert_eq!(zero.timestamp().to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(go_sub(&utc("2026-01-01T00:00"), &zero), i64::MAX);
        assert_eq!(go_sub(&zero, &utc("2026-01-01T00:00")), i64::MIN);
    }
}
