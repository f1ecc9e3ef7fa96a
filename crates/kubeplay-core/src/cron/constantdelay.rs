//! robfig/cron v3 `constantdelay.go`: `@every <duration>`.

use jiff::{SignedDuration, Zoned};

use super::spec::truncate;

/// Upstream's `Every`: at least a second, and whole seconds.
pub(super) fn every(duration: SignedDuration) -> SignedDuration {
    let duration = duration.max(SignedDuration::from_secs(1));
    SignedDuration::from_secs(duration.as_secs())
}

/// `ConstantDelaySchedule.Next`: `after` plus the delay, on a whole second.
pub(super) fn next(delay: SignedDuration, after: &Zoned) -> Option<Zoned> {
    let start = truncate(after.timestamp(), SignedDuration::from_secs(1))?;
    let next = start.checked_add(delay).ok()?;
    Some(next.to_zoned(after.time_zone().clone()))
}

#[cfg(test)]
mod tests {
    use crate::cron::parse_standard;
    use crate::cron::testing::utc;

    /// upstream's `TestConstantDelayNext`, through `@every`.
    #[test]
    fn next_is_the_delay_on_a_whole_second() {
        let cases = [
            ("2012-07-09T14:45", "15m50ns", "2012-07-09T15:00:00Z"),
            ("2012-07-09T14:59", "15m", "2012-07-09T15:14:00Z"),
            ("2012-07-09T14:59:59", "15m", "2012-07-09T15:14:59Z"),
            // Wrap around hours.
            ("2012-07-09T15:45", "35m", "2012-07-09T16:20:00Z"),
            // Wrap around days.
            ("2012-07-09T23:46", "14m", "2012-07-10T00:00:00Z"),
            ("2012-07-09T23:45", "35m", "2012-07-10T00:20:00Z"),
            ("2012-07-09T23:35:51", "44m24s", "2012-07-10T00:20:15Z"),
            ("2012-07-09T23:35:51", "25h44m24s", "2012-07-11T01:20:15Z"),
            // Wrap around months.
            ("2012-07-09T23:35", "2184h25m", "2012-10-09T00:00:00Z"),
            // Wrap around minute, hour, day, month and year.
            ("2012-12-31T23:59:45", "15s", "2013-01-01T00:00:00Z"),
            // Round up to 1 second if the duration is less.
            ("2012-07-09T14:45:00", "15ms", "2012-07-09T14:45:01Z"),
            // Round to the second when calculating the next time.
            ("2012-07-09T14:45:00.005", "15m", "2012-07-09T15:00:00Z"),
            // Round to the second for both.
            ("2012-07-09T14:45:00.005", "15m50ns", "2012-07-09T15:00:00Z"),
        ];
        for (time, delay, expected) in cases {
            let schedule = parse_standard(&format!("@every {delay}")).unwrap();
            let next = schedule.next(&utc(time)).map(|t| t.timestamp().to_string());
            assert_eq!(
                next.as_deref(),
                Some(expected),
                "@every {delay} after {time}"
            );
        }
    }

    /// Before 1970 the fraction of a second is still cut towards the past, as Go's is.
    #[test]
    fn before_the_epoch() {
        let schedule = parse_standard("@every 1s").unwrap();
        let next = schedule.next(&utc("1969-12-31T23:59:58.5")).unwrap();
        assert_eq!(next.timestamp().to_string(), "1969-12-31T23:59:59Z");
    }
}
