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

/// The earliest next scheduled time of any CronJob that is not suspended, with that CronJob's name.
pub fn next_cron_run(cluster: &kubeplay_core::Cluster) -> Option<(Millis, String)> {
    use k8s_openapi::api::batch::v1::CronJob;
    cluster
        .api()
        .table::<CronJob>()
        .iter()
        .filter_map(|cron_job| {
            let namespace = cron_job.metadata.namespace.as_deref().unwrap_or("default");
            let name = cron_job.metadata.name.as_deref()?;
            let next = cluster.cron_job_next_runs(namespace, name, 1).ok()?;
            let at = clock::to_millis(next.first()?.timestamp());
            Some((at, name.to_string()))
        })
        .min()
}

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

    #[test]
    fn the_next_cron_job_run_is_the_earliest_of_those_not_suspended() {
        let mut cluster = kubeplay_core::Cluster::default_cluster();
        assert_eq!(next_cron_run(&cluster), None);
        for (name, schedule, suspend) in [
            ("hourly", "0 * * * *", false),
            ("soon", "*/5 * * * *", true),
            ("nightly", "0 3 * * *", false),
        ] {
            let manifest = format!(
                "
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: '{schedule}'
  suspend: {suspend}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
"
            );
            let output = cluster.exec("kubectl apply -f -", &manifest);
            assert_eq!(output.exit_code, 0, "{}", output.stderr);
        }
        let now = cluster.now();
        let next = next_cron_run(&cluster);
        assert_eq!(next, Some((now + 3_600_000, "hourly".to_string())));
        let line = advance_line(now, now + 3_600_000);
        assert_eq!(line, "sim advance 1h0m0s");
        assert_eq!(cluster.exec(&line, "").exit_code, 0);
        assert_eq!(cluster.now(), now + 3_600_000);
    }
}
