//! CronJobs: a nightly backup kept to its history limits over a week, a quarter-hourly and a
//! Mondays-only schedule, a five-minute Job every minute under each concurrency policy, a run
//! started by hand, suspend and resume, a time zone, and what the API server refuses. The clock
//! starts on Monday 2026-01-05 at 09:00 UTC.

use serde_json::Value;

use crate::story::{Story, condition, items, text};

fn cron_job(name: &str, schedule: &str, spec: &str, script: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: \"{schedule}\"
{spec}  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            command: [\"sh\", \"-c\", \"{script}\"]
"
    )
}

/// The CronJob's Jobs (its own and those made from it by hand), by name.
fn jobs(story: &Story) -> Vec<Value> {
    let mut jobs = items(&story.json("kubectl get jobs"));
    jobs.sort_by_key(|job| text(job, "/metadata/name"));
    jobs
}

fn names(jobs: &[Value]) -> Vec<String> {
    jobs.iter().map(|job| text(job, "/metadata/name")).collect()
}

fn finished(job: &Value, type_: &str) -> bool {
    condition(job, type_).is_some_and(|condition| text(&condition, "/status") == "True")
}

fn running(jobs: &[Value]) -> Vec<String> {
    names(
        &jobs
            .iter()
            .filter(|job| !finished(job, "Complete") && !finished(job, "Failed"))
            .cloned()
            .collect::<Vec<_>>(),
    )
}

/// The name of the Job for a schedule time: `<cronjob>-<minutes since the epoch>`.
fn job_name(cron_job: &str, time: &str) -> String {
    let seconds = time
        .parse::<jiff::Timestamp>()
        .expect("an RFC 3339 time")
        .as_second();
    format!("{cron_job}-{}", seconds / 60)
}

fn active(cron_job: &Value) -> Vec<String> {
    cron_job
        .pointer("/status/active")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|reference| text(reference, "/name"))
        .collect()
}

/// The CronJob's events with this reason, as `Type Message`, oldest first.
fn events(story: &Story, name: &str, reason: &str) -> Vec<String> {
    let list = story.json(&format!(
        "kubectl get events --field-selector involvedObject.name={name},involvedObject.kind=CronJob,reason={reason}"
    ));
    let mut events: Vec<(String, String)> = items(&list)
        .iter()
        .map(|event| {
            (
                text(event, "/firstTimestamp"),
                format!("{} {}", text(event, "/type"), text(event, "/message")),
            )
        })
        .collect();
    events.sort();
    events.into_iter().map(|(_, event)| event).collect()
}

#[test]
fn a_nightly_backup_keeps_three_successful_and_one_failed_job() {
    let story = Story::new("cronjob-backup", &[]);
    story.apply(&cron_job(
        "backup",
        "0 2 * * *",
        "  concurrencyPolicy: Forbid\n  successfulJobsHistoryLimit: 3\n  failedJobsHistoryLimit: 1\n",
        "echo backing up; sleep 60",
    ));
    // Tuesday 02:00:30, then every night at the same time, for a week.
    story.advance("17h30s");
    let mut succeeded = Vec::new();
    let mut failed = Vec::new();
    let mut kept_before: Vec<String> = Vec::new();
    for night in 6..=12 {
        let date = format!("2026-01-{night:02}");
        let scheduled = format!("{date}T02:00:00Z");
        let cron_job = story.json("kubectl get cronjob backup");
        assert_eq!(text(&cron_job, "/status/lastScheduleTime"), scheduled);
        let name = job_name("backup", &scheduled);
        assert_eq!(active(&cron_job), [name.clone()], "{date}");
        let job = story.json(&format!("kubectl get job {name}"));
        assert_eq!(
            text(
                &job,
                "/metadata/annotations/batch.kubernetes.io~1cronjob-scheduled-timestamp"
            ),
            scheduled
        );
        assert_eq!(text(&job, "/metadata/ownerReferences/0/kind"), "CronJob");
        assert_eq!(text(&job, "/metadata/ownerReferences/0/name"), "backup");
        // Thursday's and Saturday's backups fail.
        if night == 8 || night == 10 {
            let pods = items(&story.json(&format!(
                "kubectl get pods -l batch.kubernetes.io/job-name={name}"
            )));
            let pod = text(&pods[0], "/metadata/name");
            story.ok(&format!("sim pod fail {pod}"));
            failed.push(name);
        } else {
            succeeded.push(name);
        }
        // Two minutes later the backup is over and the history trimmed.
        story.advance("2m");
        let kept = jobs(&story);
        assert!(running(&kept).is_empty(), "{date}: {:?}", running(&kept));
        let finished_as = |type_: &str| {
            names(
                &kept
                    .iter()
                    .filter(|job| finished(job, type_))
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        };
        let from = succeeded.len().saturating_sub(3);
        assert_eq!(finished_as("Complete"), succeeded[from..], "{date}");
        assert_eq!(
            finished_as("Failed"),
            failed.last().cloned().into_iter().collect::<Vec<_>>()
        );
        // Events live an hour: only tonight's deletions are still there.
        let deleted: Vec<String> = kept_before
            .iter()
            .filter(|name| !names(&kept).contains(name))
            .map(|name| format!("Normal Deleted job {name}"))
            .collect();
        assert_eq!(
            events(&story, "backup", "SuccessfulDelete"),
            deleted,
            "{date}"
        );
        kept_before = names(&kept);
        if night < 12 {
            story.advance("23h58m");
        }
    }
    let cron_job = story.json("kubectl get cronjob backup");
    assert!(active(&cron_job).is_empty());
    assert_eq!(
        text(&cron_job, "/status/lastSuccessfulTime"),
        "2026-01-12T02:01:03Z"
    );
    // Thursday's failure went when Saturday's failed, Tuesday's and Wednesday's successes when
    // Sunday's and Monday's succeeded.
    let mut expected = [succeeded[2..].to_vec(), vec![failed[1].clone()]].concat();
    expected.sort();
    assert_eq!(names(&jobs(&story)), expected);
    let table = story.ok("kubectl get cronjobs");
    assert_eq!(
        table,
        "NAME     SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
         backup   0 2 * * *   <none>     False     0        2m30s           6d17h\n"
    );
}

#[test]
fn every_fifteen_minutes() {
    let story = Story::new("cronjob-quarter", &[]);
    story.apply(&cron_job("quarter", "*/15 * * * *", "", "true"));
    story.advance("61m");
    let cron_job = story.json("kubectl get cronjob quarter");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-05T10:00:00Z"
    );
    let created: Vec<String> = ["09:15", "09:30", "09:45", "10:00"]
        .iter()
        .map(|time| {
            format!(
                "Normal Created job {}",
                job_name("quarter", &format!("2026-01-05T{time}:00Z"))
            )
        })
        .collect();
    assert_eq!(events(&story, "quarter", "SuccessfulCreate"), created);
    // Three successful Jobs are kept by default.
    assert_eq!(names(&jobs(&story)).len(), 3);
}

#[test]
fn mondays_only() {
    let story = Story::new("cronjob-monday", &[]);
    story.apply(&cron_job("weekly", "0 9 * * 1", "", "true"));
    // Created at Monday 09:00:00 itself: the first run is next Monday.
    story.advance("6d23h59m");
    assert!(jobs(&story).is_empty());
    assert_eq!(
        text(
            &story.json("kubectl get cronjob weekly"),
            "/status/lastScheduleTime"
        ),
        ""
    );
    story.advance("2m");
    assert_eq!(
        names(&jobs(&story)),
        [job_name("weekly", "2026-01-12T09:00:00Z")]
    );
    story.advance("7d");
    assert_eq!(
        names(&jobs(&story)),
        [
            job_name("weekly", "2026-01-12T09:00:00Z"),
            job_name("weekly", "2026-01-19T09:00:00Z")
        ]
    );
}

/// A five-minute Job every minute, for eight minutes.
fn five_minute_jobs(story: &Story, policy: &str) -> Vec<(String, Vec<String>)> {
    story.apply(&cron_job(
        "slow",
        "* * * * *",
        &format!("  concurrencyPolicy: {policy}\n"),
        "sleep 300",
    ));
    (1..=8)
        .map(|minute| {
            let at = format!("2026-01-05T09:{minute:02}:30Z");
            story.advance("1m");
            let cron_job = story.json("kubectl get cronjob slow");
            (at, active(&cron_job))
        })
        .collect()
}

fn minute_job(minute: u32) -> String {
    job_name("slow", &format!("2026-01-05T09:{minute:02}:00Z"))
}

#[test]
fn allow_lets_runs_pile_up() {
    let story = Story::new("cronjob-allow", &[]);
    story.advance("30s");
    let seen = five_minute_jobs(&story, "Allow");
    // 09:01 to 09:05 all run at 09:05:30; each lasts 5 minutes and 2 seconds, so five overlap.
    assert_eq!(seen[4].1, (1..=5).map(minute_job).collect::<Vec<_>>());
    assert_eq!(seen[7].1, (4..=8).map(minute_job).collect::<Vec<_>>());
    assert!(events(&story, "slow", "JobAlreadyActive").is_empty());
}

#[test]
fn forbid_skips_runs_while_one_is_active() {
    let story = Story::new("cronjob-forbid", &[]);
    story.advance("30s");
    let seen = five_minute_jobs(&story, "Forbid");
    for (at, active) in &seen[..5] {
        assert_eq!(active, &[minute_job(1)], "{at}");
    }
    // The 09:01 run ends at 09:06:02; the missed 09:06 run starts then, late, as there is no
    // starting deadline.
    assert_eq!(seen[5].1, [minute_job(6)]);
    assert_eq!(seen[7].1, [minute_job(6)]);
    let skipped = events(&story, "slow", "JobAlreadyActive");
    assert_eq!(
        skipped,
        [
            "Normal Not starting job because prior execution is running and concurrency policy is Forbid"
        ]
    );
    let list = story.json(
        "kubectl get events --field-selector involvedObject.name=slow,reason=JobAlreadyActive",
    );
    // One event folded over the skipped runs at 09:02 to 09:08 but the late 09:06.
    assert_eq!(items(&list)[0].pointer("/count"), Some(&Value::from(7)));
    let job = story.json(&format!("kubectl get job {}", minute_job(6)));
    assert_eq!(
        text(&job, "/metadata/creationTimestamp"),
        "2026-01-05T09:06:03Z"
    );
    let cron_job = story.json("kubectl get cronjob slow");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-05T09:06:00Z"
    );
}

#[test]
fn replace_deletes_the_running_job_and_starts_the_new_one() {
    let story = Story::new("cronjob-replace", &[]);
    story.advance("30s");
    let seen = five_minute_jobs(&story, "Replace");
    for (minute, (at, active)) in (1..).zip(&seen) {
        assert_eq!(active, &[minute_job(minute)], "{at}");
    }
    let deleted = events(&story, "slow", "SuccessfulDelete");
    assert_eq!(
        deleted,
        (1..=7)
            .map(|minute| format!("Normal Deleted job {}", minute_job(minute)))
            .collect::<Vec<_>>()
    );
    assert_eq!(names(&jobs(&story)), [minute_job(8)]);
}

#[test]
fn a_manual_run_from_the_cron_job() {
    let story = Story::new("cronjob-manual", &[]);
    story.apply(&cron_job("report", "0 0 * * *", "", "echo report; sleep 5"));
    assert_eq!(
        story.ok("kubectl create job manual --from=cronjob/report"),
        "job.batch/manual created\n"
    );
    let cron_job = story.json("kubectl get cronjob report");
    let job = story.json("kubectl get job manual");
    assert_eq!(
        text(
            &job,
            "/metadata/annotations/cronjob.kubernetes.io~1instantiate"
        ),
        "manual"
    );
    assert_eq!(
        job.pointer("/metadata/ownerReferences"),
        Some(&serde_json::json!([{
            "apiVersion": "batch/v1", "kind": "CronJob", "name": "report",
            "uid": text(&cron_job, "/metadata/uid"), "controller": true
        }]))
    );
    assert_eq!(text(&job, "/spec/backoffLimit"), "0");
    // The controller did not create it: a warning, and it stays out of the active list.
    assert!(active(&cron_job).is_empty());
    assert_eq!(
        events(&story, "report", "UnexpectedJob"),
        ["Warning Saw a job that the controller did not create or forgot: manual"]
    );
    story.advance("30s");
    assert!(finished(&story.json("kubectl get job manual"), "Complete"));
    assert_eq!(
        text(
            &story.json("kubectl get cronjob report"),
            "/status/lastSuccessfulTime"
        ),
        "2026-01-05T09:00:08Z"
    );
    let missing = story.run("kubectl create job again --from=cronjob/nightly");
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): cronjobs.batch \"nightly\" not found\n"
    );
}

#[test]
fn suspend_and_resume() {
    let story = Story::new("cronjob-suspend", &[]);
    story.apply(&cron_job("tick", "* * * * *", "", "true"));
    story.advance("2m30s");
    assert_eq!(
        story.ok("kubectl patch cronjob tick -p '{\"spec\":{\"suspend\":true}}'"),
        "cronjob.batch/tick patched\n"
    );
    story.advance("5m");
    let cron_job = story.json("kubectl get cronjob tick");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-05T09:02:00Z"
    );
    assert!(story.ok("kubectl get cronjobs").contains("True"));
    // Resuming runs the most recent missed time at once (no starting deadline), only that one.
    story.ok("kubectl patch cronjob tick --type=merge -p '{\"spec\":{\"suspend\":false}}'");
    let cron_job = story.json("kubectl get cronjob tick");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-05T09:07:00Z"
    );
    assert_eq!(
        events(&story, "tick", "SuccessfulCreate").len(),
        3,
        "09:01, 09:02 and the missed 09:07"
    );
}

#[test]
fn a_time_zone_shifts_the_schedule() {
    let story = Story::new("cronjob-tokyo", &[]);
    story.apply(&cron_job(
        "morning",
        "0 9 * * *",
        "  timeZone: Asia/Tokyo\n",
        "true",
    ));
    // 09:00 in Tokyo is midnight UTC.
    story.advance("15h1m");
    let cron_job = story.json("kubectl get cronjob morning");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-06T00:00:00Z"
    );
    let job = story.json(&format!(
        "kubectl get job {}",
        job_name("morning", "2026-01-06T00:00:00Z")
    ));
    assert_eq!(
        text(
            &job,
            "/metadata/annotations/batch.kubernetes.io~1cronjob-scheduled-timestamp"
        ),
        "2026-01-06T09:00:00+09:00"
    );
    assert_eq!(
        story.ok("kubectl get cronjobs -o wide"),
        "NAME      SCHEDULE    TIMEZONE     SUSPEND   ACTIVE   LAST SCHEDULE   AGE   CONTAINERS   IMAGES         SELECTOR\n\
         morning   0 9 * * *   Asia/Tokyo   False     0        60s             15h   main         busybox:1.36   <none>\n"
    );
}

#[test]
fn the_api_server_refuses_what_the_controller_could_not_run() {
    let story = Story::new("cronjob-invalid", &[]);
    let refused = |name: &str, schedule: &str, spec: &str| {
        let ran = story.run_with(
            "kubectl apply -f -",
            &cron_job(name, schedule, spec, "true"),
        );
        assert_eq!(ran.code, 1, "{name} was accepted");
        ran.stderr
    };
    assert_eq!(
        refused("few", "* * * *", ""),
        "The CronJob \"few\" is invalid: spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]\n"
    );
    assert_eq!(
        refused("zoned", "TZ=UTC 0 * * * *", ""),
        "The CronJob \"zoned\" is invalid: spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead\n"
    );
    assert_eq!(
        refused("mars", "0 * * * *", "  timeZone: Mars/Olympus\n"),
        "The CronJob \"mars\" is invalid: spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus\n"
    );
    assert_eq!(
        refused("policy", "0 * * * *", "  concurrencyPolicy: Sometimes\n"),
        "The CronJob \"policy\" is invalid: spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"\n"
    );
    assert_eq!(
        refused("limits", "0 * * * *", "  successfulJobsHistoryLimit: -1\n"),
        "The CronJob \"limits\" is invalid: spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0\n"
    );
    let long = "a".repeat(53);
    assert_eq!(
        refused(&long, "0 * * * *", ""),
        format!(
            "The CronJob \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 52 characters\n"
        )
    );
}
