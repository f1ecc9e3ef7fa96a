//! What the clock and the time controls show: the virtual date and time, the speeds, and the
//! command lines behind "step" and "skip to the next CronJob run".

use kubeplay_core::clock::{self, Millis};

/// The virtual clock as the header shows it, in UTC like the cluster's timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockView {
    /// `Sun 22 Nov 2026`.
    pub date: String,
    /// `02:00:15`.
    pub time: String,
    /// RFC 3339, for `<time datetime>`: `2026-11-22T02:00:15Z`.
    pub datetime: String,
}

impl ClockView {
    pub fn at(now: Millis) -> ClockView {
        // Whole seconds: the clock never shows a second that has not fully passed.
        let timestamp = clock::to_timestamp(now.div_euclid(1000) * 1000);
        ClockView {
            date: timestamp.strftime("%a %-d %b %Y").to_string(),
            time: timestamp.strftime("%H:%M:%S").to_string(),
            datetime: timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// The whole line, as a screen reader and a title read it.
    pub fn text(&self) -> String {
        format!("{} {} UTC", self.date, self.time)
    }
}

/// The speed's label on its button.
pub fn speed_label(speed: u32) -> String {
    format!("{speed}x")
}

/// What a speed means, in words.
pub fn speed_title(speed: u32) -> String {
    let passes = match speed {
        1 => return "Real time".into(),
        60 => "a minute passes".into(),
        3600 => "an hour passes".into(),
        speed if speed % 60 == 0 => format!("{} minutes pass", speed / 60),
        speed => format!("{speed} seconds pass"),
    };
    format!("{speed}x: {passes} in the cluster each second")
}

pub const STEP_LINE: &str = "sim step";

/// `sim advance` to exactly `next`: the line behind "skip to the next CronJob run".
pub fn advance_line(now: Millis, next: Millis) -> String {
    format!("sim advance {}", clock::go_duration((next - now).max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-22T02:00:15Z.
    const SUNDAY: Millis = 1_795_312_815_000;

    #[test]
    fn the_clock_reads_like_a_date_and_never_rounds_up() {
        let clock = ClockView::at(SUNDAY + 999);
        assert_eq!(clock.date, "Sun 22 Nov 2026");
        assert_eq!(clock.time, "02:00:15");
        assert_eq!(clock.datetime, "2026-11-22T02:00:15Z");
        assert_eq!(clock.text(), "Sun 22 Nov 2026 02:00:15 UTC");
        assert_eq!(
            ClockView::at(SUNDAY + 6 * 86_400_000).date,
            "Sat 28 Nov 2026"
        );
    }

    #[test]
    fn speeds_say_how_much_cluster_time_passes() {
        assert_eq!(speed_label(600), "600x");
        assert_eq!(speed_title(1), "Real time");
        assert_eq!(
            speed_title(10),
            "10x: 10 seconds pass in the cluster each second"
        );
        assert_eq!(
            speed_title(60),
            "60x: a minute passes in the cluster each second"
        );
        assert_eq!(
            speed_title(600),
            "600x: 10 minutes pass in the cluster each second"
        );
        assert_eq!(
            speed_title(3600),
            "3600x: an hour passes in the cluster each second"
        );
    }

    #[test]
    fn skipping_advances_exactly_to_the_next_run() {
        assert_eq!(advance_line(SUNDAY, SUNDAY + 45_000), "sim advance 45s");
        assert_eq!(
            advance_line(SUNDAY + 250, SUNDAY + 3_600_000),
            "sim advance 59m59.75s"
        );
        let line = advance_line(SUNDAY + 250, SUNDAY + 3_600_000);
        let duration = line.trim_start_matches("sim advance ");
        assert_eq!(
            kubeplay_core::kubectl::parse_duration(duration),
            Ok(3_599_750)
        );
    }
}
