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

/// `nextScheduleDelta`: the controller looks again this long after a schedule time, so a clock
/// a little behind still sees the time as passed.
pub const NEXT_SCHEDULE_DELTA: Millis = 100;

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
        earliest = earliest.max(now - deadline.saturating_mul(1000));
    }
    zoned(earliest)
}

/// `nextScheduleTimeDuration`: how long until the controller should look again: the schedule
/// time after the most recent one (or after `earliest` when none was missed, or after now when
/// the schedule cannot tell), plus `NEXT_SCHEDULE_DELTA`. None when the schedule has no next
/// time within five years.
pub fn next_schedule_time_duration(
    cron_job: &CronJob,
    now: Millis,
    schedule: &Schedule,
) -> Option<Millis> {
    let now_zoned = zoned(now);
    let earliest = earliest_time(cron_job, now, false);
    let base = match cron::most_recent_schedule_time(&earliest, &now_zoned, schedule) {
        Ok(recent) => match (recent.last_missed, recent.missed_count) {
            (Some(last), _) => last,
            (None, MissedCount::None) => earliest,
            (None, _) => now_zoned,
        },
        Err(_) => now_zoned,
    };
    let next = schedule.next(&base)?;
    Some(clock::to_millis(next.timestamp()) + NEXT_SCHEDULE_DELTA - now)
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
