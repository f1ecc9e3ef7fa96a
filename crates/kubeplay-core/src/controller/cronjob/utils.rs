//! Helpers of the CronJob controller (`utils.go`): the active list, the most recent missed
//! schedule time and when to look again, the Job made from the template, and the order in
//! which finished Jobs are cleaned up.

use std::cmp::Ordering;

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, CronJobStatus, Job};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION;
use crate::api::field::go_quote;
use crate::api::{ApiObject, meta};
use crate::clock::{self, Millis};
use crate::controller::job::job_controller::finished_condition;
use crate::cron::{self, MissedCount, Schedule};

static EMPTY_SPEC: std::sync::LazyLock<CronJobSpec> = std::sync::LazyLock::new(Default::default);
static EMPTY_STATUS: std::sync::LazyLock<CronJobStatus> =
    std::sync::LazyLock::new(Default::default);

pub(super) fn spec(cron_job: &CronJob) -> &CronJobSpec {
    cron_job.spec.as_ref().unwrap_or(&EMPTY_SPEC)
}

pub(super) fn status(cron_job: &CronJob) -> &CronJobStatus {
    cron_job.status.as_ref().unwrap_or(&EMPTY_STATUS)
}

/// A virtual instant in the controller's local zone, which in kubeplay is UTC.
pub(super) fn zoned(now: Millis) -> Zoned {
    clock::to_timestamp(now).to_zoned(TimeZone::UTC)
}

/// `inActiveList`: a Job of this uid is in `status.active`.
pub fn in_active_list(cron_job: &CronJob, uid: &str) -> bool {
    status(cron_job)
        .active
        .iter()
        .flatten()
        .any(|reference| reference.uid.as_deref() == Some(uid))
}

/// `inActiveListByName`: a Job of this namespace and name is in `status.active`.
pub fn in_active_list_by_name(cron_job: &CronJob, namespace: &str, name: &str) -> bool {
    status(cron_job).active.iter().flatten().any(|reference| {
        reference.name.as_deref() == Some(name) && reference.namespace.as_deref() == Some(namespace)
    })
}

/// `deleteFromActiveList`. An empty list is left out, as the API's `omitempty` leaves it.
pub fn delete_from_active_list(cron_job: &mut CronJob, uid: &str) {
    let Some(active) = cron_job.status.as_mut().and_then(|s| s.active.as_mut()) else {
        return;
    };
    active.retain(|reference| reference.uid.as_deref() != Some(uid));
    if active.is_empty() {
        cron_job.status.get_or_insert_with(Default::default).active = None;
    }
}

/// `getFinishedStatus`: Complete or Failed, whichever condition is True first.
pub fn get_finished_status(job: &Job) -> Option<&str> {
    finished_condition(job).map(|condition| condition.type_.as_str())
}

/// `IsJobSucceeded`: the Complete condition is True.
pub(super) fn is_job_succeeded(job: &Job) -> bool {
    job.status
        .iter()
        .flat_map(|status| status.conditions.iter().flatten())
        .any(|condition| condition.type_ == "Complete" && condition.status == "True")
}

/// The point after which schedule times count as missed: lastScheduleTime, else the CronJob's
/// creation, raised to `now − startingDeadlineSeconds` when asked to and later.
pub(super) fn earliest_time(cron_job: &CronJob, now: Millis, include_deadline: bool) -> Zoned {
    let known = status(cron_job)
        .last_schedule_time
        .as_ref()
        .or(cron_job.metadata.creation_timestamp.as_ref())
        .map_or(Timestamp::UNIX_EPOCH, |time| time.0);
    let mut earliest = clock::to_millis(known);
    if include_deadline && let Some(deadline) = spec(cron_job).starting_deadline_seconds {
        earliest = earliest.max(now.saturating_sub(deadline.saturating_mul(1000)));
    }
    zoned(earliest)
}

/// `nextScheduleTimeDuration`: how long until the controller should look again, the next
/// schedule time plus 100 ms; None when the schedule has no next time within five years.
pub fn next_schedule_time_duration(
    cron_job: &CronJob,
    now: Millis,
    schedule: &Schedule,
) -> Option<Millis> {
    cron::next_schedule_delay(&earliest_time(cron_job, now, false), &zoned(now), schedule)
}

/// What `nextScheduleTime` found: the most recent unmet schedule time, and whether more than
/// a hundred were missed (the controller warns, and still starts this one).
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledTime {
    pub time: Zoned,
    pub too_many_missed: bool,
}

/// `nextScheduleTime`: the most recent schedule time after `earliest_time` (deadline included)
/// that is not after now, if any.
pub fn next_schedule_time(
    cron_job: &CronJob,
    now: Millis,
    schedule: &Schedule,
) -> Result<Option<ScheduledTime>, String> {
    let now_zoned = zoned(now);
    let earliest = earliest_time(cron_job, now, true);
    let recent = cron::most_recent_schedule_time(&earliest, &now_zoned, schedule)?;
    Ok(recent
        .last_missed
        .filter(|time| *time <= now_zoned)
        .map(|time| ScheduledTime {
            time,
            too_many_missed: recent.missed_count == MissedCount::Many,
        }))
}

/// `formatSchedule`: the schedule as the parser takes it, `TZ=<timeZone> <schedule>` when the
/// CronJob names a time zone that exists. A schedule with its own `TZ` is taken as it is.
pub fn format_schedule(cron_job: &CronJob) -> String {
    let spec = spec(cron_job);
    match &spec.time_zone {
        Some(zone) if !spec.schedule.contains("TZ") && cron::load_location(zone).is_ok() => {
            format!("TZ={zone} {}", spec.schedule)
        }
        _ => spec.schedule.clone(),
    }
}

/// The zone a CronJob's times are shown in: its timeZone, else the controller's (UTC).
pub(super) fn time_zone(cron_job: &CronJob) -> Result<TimeZone, String> {
    match &spec(cron_job).time_zone {
        Some(zone) => cron::load_location(zone),
        None => Ok(TimeZone::UTC),
    }
}

/// `getJobName`: `<cronjob>-<minutes since the epoch>`, the same for the same schedule time, so
/// the controller never creates one run twice.
pub fn get_job_name(cron_job: &CronJob, scheduled: &Zoned) -> String {
    format!(
        "{}-{}",
        cron_job.name(),
        scheduled.timestamp().as_second().div_euclid(60)
    )
}

/// Go's `time.RFC3339`: whole seconds, `Z` for a zero offset, else `±hh:mm`.
fn go_rfc3339(time: &Zoned) -> String {
    let format = if time.offset().seconds() == 0 {
        "%Y-%m-%dT%H:%M:%SZ"
    } else {
        "%Y-%m-%dT%H:%M:%S%:z"
    };
    time.strftime(format).to_string()
}

/// `getJobFromTemplate2`: the template's labels, its annotations plus the scheduled time in the
/// CronJob's zone, its spec, and a controller reference to the CronJob.
pub fn get_job_from_template2(cron_job: &CronJob, scheduled: &Zoned) -> Result<Job, String> {
    let template = &spec(cron_job).job_template;
    let template_meta = template.metadata.clone().unwrap_or_default();
    let mut annotations = template_meta.annotations.unwrap_or_default();
    let scheduled_in_zone = scheduled.with_time_zone(time_zone(cron_job)?);
    annotations.insert(
        CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION.into(),
        go_rfc3339(&scheduled_in_zone),
    );
    Ok(Job {
        metadata: ObjectMeta {
            name: Some(get_job_name(cron_job, scheduled)),
            namespace: Some(cron_job.namespace().to_string()),
            labels: template_meta.labels.filter(|labels| !labels.is_empty()),
            annotations: Some(annotations),
            owner_references: Some(vec![meta::new_controller_ref(cron_job)]),
            ..ObjectMeta::default()
        },
        spec: template.spec.clone(),
        status: None,
    })
}

/// `byJobStartTime`: by `status.startTime`, Jobs not started last, then by name.
pub fn by_job_start_time(a: &Job, b: &Job) -> Ordering {
    let start = |job: &Job| {
        job.status
            .as_ref()
            .and_then(|status| status.start_time.as_ref())
            .map(|time| time.0)
    };
    match (start(a), start(b)) {
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (x, y) if x == y => a.name().cmp(b.name()),
        (x, y) => x.cmp(&y),
    }
}

/// The next `n` times a CronJob will run after `now`, in its own time zone: none while it is
/// suspended; an error, worded as the controller's event, when its zone or schedule is invalid.
pub fn next_schedule_times(
    cron_job: &CronJob,
    now: Millis,
    n: usize,
) -> Result<Vec<Zoned>, String> {
    let spec = spec(cron_job);
    if spec.suspend == Some(true) {
        return Ok(Vec::new());
    }
    let zone = time_zone(cron_job).map_err(|error| {
        format!(
            "invalid timeZone: {}: {error}",
            go_quote(spec.time_zone.as_deref().unwrap_or_default())
        )
    })?;
    let schedule = cron::parse_standard(&format_schedule(cron_job)).map_err(|error| {
        format!(
            "unparseable schedule: {} : {error}",
            go_quote(&spec.schedule)
        )
    })?;
    Ok(cron::next_times(&schedule, &zoned(now), n)
        .into_iter()
        .map(|time| time.with_time_zone(zone.clone()))
        .collect())
}

#[cfg(test)]
mod tests {
    //! The cases of upstream's `utils_test.go` that take a CronJob or a Job; the schedule
    //! arithmetic alone is `crate::cron`'s to test.

    use k8s_openapi::api::batch::v1::JobStatus;
    use k8s_openapi::api::core::v1::ObjectReference;

    use super::super::testing::*;
    use super::*;
    use crate::apiserver::batch_validation::job_with_conditions;
    use crate::clock::{HOUR, MINUTE, SECOND};

    fn with_schedule(schedule: &str, created: Millis, last: Option<Millis>) -> CronJob {
        let mut cron_job = cron_job();
        cron_job.metadata.creation_timestamp = Some(time(created));
        cron_job.spec.get_or_insert_with(Default::default).schedule = schedule.into();
        cron_job.status = Some(CronJobStatus {
            last_schedule_time: last.map(time),
            ..CronJobStatus::default()
        });
        cron_job
    }

    fn parse(schedule: &str) -> Schedule {
        cron::parse_standard(schedule).expect("a valid schedule")
    }

    fn job(name: &str, started: Option<Millis>) -> Job {
        Job {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..ObjectMeta::default()
            },
            status: Some(JobStatus {
                start_time: started.map(time),
                ..JobStatus::default()
            }),
            ..Job::default()
        }
    }

    #[test]
    fn jobs_sort_by_start_time_then_name() {
        let now = at("2018-01-01T02:03:04Z");
        let later = at("2019-01-01T02:03:04Z");
        let sorted = |jobs: &mut Vec<Job>| {
            jobs.sort_by(by_job_start_time);
            jobs.iter()
                .map(|job| {
                    format!(
                        "{}{}",
                        job.name(),
                        job.status
                            .as_ref()
                            .and_then(|s| s.start_time.as_ref())
                            .map_or("-", |_| "+")
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            sorted(&mut vec![job("b", None), job("a", None)]),
            ["a-", "b-"]
        );
        assert_eq!(
            sorted(&mut vec![job("a", None), job("b", Some(now))]),
            ["b+", "a-"]
        );
        assert_eq!(
            sorted(&mut vec![job("a", Some(now)), job("b", None)]),
            ["a+", "b-"]
        );
        assert_eq!(
            sorted(&mut vec![job("b", Some(now)), job("a", Some(now))]),
            ["a+", "b+"]
        );
        assert_eq!(
            sorted(&mut vec![job("a", Some(later)), job("b", Some(now))]),
            ["b+", "a+"]
        );
    }

    #[test]
    fn the_active_list_by_uid_and_by_name() {
        let mut cron_job = cron_job();
        let reference = |name: &str, uid: &str| ObjectReference {
            name: Some(name.into()),
            namespace: Some("snazzycats".into()),
            uid: Some(uid.into()),
            ..ObjectReference::default()
        };
        cron_job.status = Some(CronJobStatus {
            active: Some(vec![reference("a", "1"), reference("b", "2")]),
            ..CronJobStatus::default()
        });
        assert!(in_active_list(&cron_job, "1"));
        assert!(!in_active_list(&cron_job, "3"));
        assert!(in_active_list_by_name(&cron_job, "snazzycats", "b"));
        assert!(!in_active_list_by_name(&cron_job, "default", "b"));
        delete_from_active_list(&mut cron_job, "1");
        assert_eq!(status(&cron_job).active, Some(vec![reference("b", "2")]));
        delete_from_active_list(&mut cron_job, "2");
        assert_eq!(status(&cron_job).active, None);
    }

    #[test]
    fn finished_status_is_the_first_true_terminal_condition() {
        let with = job_with_conditions;
        assert_eq!(get_finished_status(&with(&[])), None);
        assert_eq!(get_finished_status(&with(&[("Complete", "False")])), None);
        assert_eq!(
            get_finished_status(&with(&[
                ("SuccessCriteriaMet", "True"),
                ("Complete", "True")
            ])),
            Some("Complete")
        );
        assert_eq!(
            get_finished_status(&with(&[("FailureTarget", "True"), ("Failed", "True")])),
            Some("Failed")
        );
        assert!(is_job_succeeded(&with(&[("Complete", "True")])));
        assert!(!is_job_succeeded(&with(&[
            ("Complete", "False"),
            ("Failed", "True")
        ])));
    }

    /// `TestMostRecentScheduleTime`'s cases on the earliest time: lastScheduleTime over the
    /// creation, raised by startingDeadlineSeconds only when asked.
    #[test]
    fn earliest_time_is_the_last_schedule_or_the_deadline() {
        let half_past = top_of_the_hour() + 30 * MINUTE;
        let mut cron_job = with_schedule("*/5 * * * *", top_of_the_hour(), Some(half_past));
        let now = top_of_the_hour() + 32 * MINUTE;
        let millis = |time: Zoned| clock::to_millis(time.timestamp());
        assert_eq!(millis(earliest_time(&cron_job, now, true)), half_past);
        cron_job
            .spec
            .as_mut()
            .expect("a spec")
            .starting_deadline_seconds = Some(60);
        assert_eq!(millis(earliest_time(&cron_job, now, false)), half_past);
        assert_eq!(
            millis(earliest_time(&cron_job, now, true)),
            half_past + MINUTE
        );
        cron_job.status = None;
        assert_eq!(
            millis(earliest_time(&cron_job, now, false)),
            top_of_the_hour()
        );
    }

    /// `TestNextScheduleTime`.
    #[test]
    fn next_schedule_time_is_the_most_recent_unmet_time() {
        let t1 = top_of_the_hour();
        let t2 = t1 + HOUR;
        let hourly = parse(ON_THE_HOUR);
        let scheduled = |cron_job: &CronJob, now: Millis, schedule: &Schedule| {
            next_schedule_time(cron_job, now, schedule)
                .map(|found| found.map(|found| clock::to_millis(found.time.timestamp())))
        };
        // No start time known, none needed yet; then one needed.
        let cron_job = with_schedule(ON_THE_HOUR, t1 - 10 * MINUTE, None);
        assert_eq!(scheduled(&cron_job, t1 - 7 * MINUTE, &hourly), Ok(None));
        assert_eq!(scheduled(&cron_job, t1 + 2 * SECOND, &hourly), Ok(Some(t1)));
        // A known lastScheduleTime: none needed, then one, then the most recent of two.
        let cron_job = with_schedule(ON_THE_HOUR, t1 - 10 * MINUTE, Some(t1));
        assert_eq!(scheduled(&cron_job, t1 + 2 * MINUTE, &hourly), Ok(None));
        assert_eq!(scheduled(&cron_job, t2 + 5 * MINUTE, &hourly), Ok(Some(t2)));
        let mut cron_job = with_schedule(ON_THE_HOUR, t1 - 2 * HOUR, Some(t1 - HOUR));
        assert_eq!(scheduled(&cron_job, t2 + 5 * MINUTE, &hourly), Ok(Some(t2)));
        // Far behind, with and without a deadline: still the most recent, with a warning.
        let far = t2 + 10 * 24 * HOUR;
        let found = next_schedule_time(&cron_job, far, &hourly).expect("a time");
        assert_eq!(
            found.map(|found| (
                clock::to_millis(found.time.timestamp()),
                found.too_many_missed
            )),
            Some((far, true))
        );
        cron_job
            .spec
            .as_mut()
            .expect("a spec")
            .starting_deadline_seconds = Some(2 * 60 * 60);
        let found = next_schedule_time(&cron_job, far, &hourly).expect("a time");
        assert_eq!(
            found.map(|found| (
                clock::to_millis(found.time.timestamp()),
                found.too_many_missed
            )),
            Some((far, false))
        );
        // A schedule that never comes is an error.
        let cron_job = with_schedule(ON_THE_HOUR, t1 + 10 * SECOND, None);
        assert!(next_schedule_time(&cron_job, t2, &parse("59 23 31 2 *")).is_err());
    }

    /// `TestNextScheduleTimeDuration`.
    #[test]
    fn next_schedule_time_duration_skips_to_the_next_time() {
        let top = top_of_the_hour();
        for (schedule, last, now, expected) in [
            (
                "30 6-16/4 * * 1-5",
                Some(top + 30 * MINUTE),
                top + 24 * HOUR + 31 * MINUTE,
                3 * HOUR + 59 * MINUTE,
            ),
            (
                "30 10,11,12 * * 1-5",
                Some(top + 30 * MINUTE),
                top + 30 * HOUR + 30 * MINUTE,
                66 * HOUR,
            ),
            (
                "0 12 * * 4",
                Some(top + 2 * HOUR),
                top + 19 * 24 * HOUR + HOUR + 30 * MINUTE,
                48 * HOUR + 30 * MINUTE,
            ),
            ("0 12 * * 5", None, top + 6 * HOUR, 20 * HOUR),
        ] {
            let cron_job = with_schedule(schedule, top, last);
            assert_eq!(
                next_schedule_time_duration(&cron_job, now, &parse(schedule)),
                Some(expected + DELTA),
                "{schedule}"
            );
        }
    }

    /// `TestGetJobFromTemplate2`: the template's labels and annotations, and the scheduled time
    /// in the CronJob's time zone.
    #[test]
    fn job_from_template_carries_the_scheduled_time() {
        let mut cron_job = cron_job();
        let scheduled = zoned(top_of_the_hour());
        for (zone, annotations, expected) in [
            (Some("UTC"), 1, "2016-05-19T10:00:00Z"),
            (None, 1, "2016-05-19T10:00:00Z"),
            (Some("Europe/Rome"), 2, "2016-05-19T12:00:00+02:00"),
        ] {
            let spec = cron_job.spec.as_mut().expect("a spec");
            spec.time_zone = zone.map(str::to_string);
            let template_meta = spec
                .job_template
                .metadata
                .get_or_insert_with(Default::default);
            template_meta.annotations = Some(
                [("x", "y"), ("z", "x")][..annotations]
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            );
            let job = get_job_from_template2(&cron_job, &scheduled).expect("a Job");
            assert_eq!(job.name(), "mycronjob-24394200");
            assert_eq!(job.metadata.labels.as_ref().map(|l| l.len()), Some(1));
            let annotations_of_job = job.metadata.annotations.clone().unwrap_or_default();
            assert_eq!(annotations_of_job.len(), annotations + 1);
            assert_eq!(
                annotations_of_job
                    .get(CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION)
                    .map(String::as_str),
                Some(expected)
            );
            let owner = meta::controller_of(&job.metadata).expect("a controller");
            assert_eq!(
                (
                    owner.kind.as_str(),
                    owner.uid.as_str(),
                    owner.block_owner_deletion
                ),
                ("CronJob", "1a2b3c", Some(true))
            );
        }
    }

    #[test]
    fn next_schedule_times_for_the_ui() {
        let mut cron_job = with_schedule("*/15 * * * *", top_of_the_hour(), None);
        let times = |cron_job: &CronJob| {
            next_schedule_times(cron_job, top_of_the_hour() + 20 * MINUTE, 3).map(|times| {
                times
                    .iter()
                    .map(|time| time.strftime("%H:%M %Z").to_string())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            times(&cron_job),
            Ok(vec![
                "10:30 UTC".into(),
                "10:45 UTC".into(),
                "11:00 UTC".into()
            ])
        );
        cron_job.spec.as_mut().expect("a spec").time_zone = Some("America/New_York".into());
        assert_eq!(
            times(&cron_job),
            Ok(vec![
                "06:30 EDT".into(),
                "06:45 EDT".into(),
                "07:00 EDT".into()
            ])
        );
        cron_job.spec.as_mut().expect("a spec").time_zone = Some("Mars/Olympus".into());
        assert_eq!(
            times(&cron_job),
            Err("invalid timeZone: \"Mars/Olympus\": unknown time zone Mars/Olympus".into())
        );
        cron_job.spec.as_mut().expect("a spec").suspend = Some(true);
        assert_eq!(times(&cron_job), Ok(vec![]));
    }
}
