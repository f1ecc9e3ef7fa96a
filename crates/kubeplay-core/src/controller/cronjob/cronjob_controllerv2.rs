//! The sync loop (`cronjob_controllerv2.go`): informer handlers that queue a CronJob when it or
//! one of its Jobs changes, and `sync`, which cleans up finished Jobs beyond the history limits
//! (`cleanup_finished_jobs`), then reconciles the active list and starts the most recent missed
//! run if the concurrency policy lets it (`sync_cron_job`), and asks to be woken at the next
//! schedule time. Nothing polls: between runs a CronJob costs one timer.

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::{Deserialize, Serialize};

use super::CRONJOB_CONTROLLER_COMPONENT;
use super::utils::{
    by_job_start_time, delete_from_active_list, format_schedule, get_finished_status,
    get_job_from_template2, get_job_name, in_active_list, in_active_list_by_name, is_job_succeeded,
    next_schedule_time, next_schedule_time_duration, spec, status,
};
use crate::api::field::go_quote;
use crate::api::{AnyObject, ApiObject, Kind, ObjectKey, meta};
use crate::apiserver::{
    ApiError, ApiServer, DeleteOptions, StatusReason, WatchEvent, WatchEventType,
};
use crate::clock::{self, Millis};
use crate::controller::controller_utils::resolve_controller_ref;
use crate::controller::{Context, Controller, RateLimiter, WorkQueue};
use crate::cron;
use crate::events::{NORMAL, WARNING, object_reference};
use crate::kubectl::human::rfc1123z;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CronJobController {
    queue: WorkQueue,
    /// Consecutive failed syncs per key, for the rate-limited requeue.
    failures: RateLimiter,
    /// `AddAfter` requests made by the handlers; the cluster moves them onto the timers.
    #[serde(skip)]
    delayed: Vec<(Millis, String)>,
}

/// What `syncCronJob` decided: when to look again, whether the status changed, and whether it
/// failed (a failure without a requeue time retries with the rate limiter).
struct Synced {
    requeue_after: Option<Millis>,
    update_status: bool,
    result: Result<(), String>,
}

impl Controller for CronJobController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match (&event.object, event.event_type, event.old.as_ref()) {
            (
                AnyObject::CronJob(cron_job),
                WatchEventType::Modified,
                Some(AnyObject::CronJob(old)),
            ) => {
                self.update_cron_job(old, cron_job, api);
            }
            (AnyObject::CronJob(cron_job), _, _) => self.queue.add(cron_job.key().queue_key()),
            (AnyObject::Job(job), WatchEventType::Modified, Some(AnyObject::Job(old))) => {
                self.update_job(old, job, api);
            }
            // `addJob` (a Job first seen being deleted counts as deleted) and `deleteJob` both
            // wake the Job's controller.
            (AnyObject::Job(job), _, _) => self.enqueue_controller_of(job, api),
            _ => {}
        }
    }

    fn take_delayed(&mut self) -> Vec<(Millis, String)> {
        std::mem::take(&mut self.delayed)
    }

    /// `processNextWorkItem`.
    fn sync(&mut self, key: &str, ctx: &mut Context) {
        match sync(key, ctx) {
            Err(_) => {
                let delay = self.failures.when(key);
                ctx.requeue_after(key, delay);
            }
            Ok(Some(delay)) => {
                self.failures.forget(key);
                ctx.requeue_after(key, delay);
            }
            Ok(None) => {}
        }
    }
}

impl CronJobController {
    /// `updateCronJob`: a new schedule or time zone wakes the CronJob at its next time; any other
    /// change (its status included) syncs it now.
    fn update_cron_job(&mut self, old: &CronJob, cron_job: &CronJob, api: &ApiServer) {
        let key = cron_job.key().queue_key();
        if spec(old).schedule == spec(cron_job).schedule
            && spec(old).time_zone == spec(cron_job).time_zone
        {
            self.queue.add(key);
            return;
        }
        // Upstream records UnParseableCronJobSchedule here and waits for the next change; the
        // API server rejects such a schedule before any handler sees it.
        let Ok(schedule) = cron::parse_standard(&format_schedule(cron_job)) else {
            return;
        };
        match next_schedule_time_duration(cron_job, api.now(), &schedule) {
            Some(delay) if delay > 0 => self.delayed.push((api.now() + delay, key)),
            // A time already due, or none at all: sync now, as a negative AddAfter does.
            _ => self.queue.add(key),
        }
    }

    /// `updateJob`: the old and the new controller both hear of a change of controller.
    fn update_job(&mut self, old: &Job, job: &Job, api: &ApiServer) {
        if job.metadata.resource_version == old.metadata.resource_version {
            return;
        }
        let current = meta::controller_of(&job.metadata);
        let previous = meta::controller_of(&old.metadata);
        if current != previous {
            self.enqueue_controller_of(old, api);
        }
        self.enqueue_controller_of(job, api);
    }

    fn enqueue_controller_of(&mut self, job: &Job, api: &ApiServer) {
        if let Some(reference) = meta::controller_of(&job.metadata)
            && let Some(cron_job) =
                resolve_controller_ref::<CronJob>(api, job.namespace(), reference)
        {
            self.queue.add(cron_job.key().queue_key());
        }
    }
}

/// `sync`: cleanup, then `syncCronJob`, then one status update for both. Returns when to sync
/// again, if the CronJob should be.
fn sync(key: &str, ctx: &mut Context) -> Result<Option<Millis>, String> {
    let Some(stored) = ctx
        .api
        .get_by_key::<CronJob>(&ObjectKey::from_queue_key(key))
        .cloned()
    else {
        return Ok(None);
    };
    let recorder = Recorder(object_reference(&AnyObject::CronJob(stored.clone())));
    let jobs = get_jobs_to_be_reconciled(ctx.api, &stored);
    let mut cron_job = stored.as_ref().clone();
    let update_after_cleanup = cleanup_finished_jobs(ctx.api, &recorder, &mut cron_job, &jobs);
    let synced = sync_cron_job(ctx.api, &recorder, &mut cron_job, &jobs);
    if update_after_cleanup || synced.update_status {
        ctx.api
            .update_status(cron_job)
            .map_err(|error| error.message)?;
    }
    match synced.requeue_after {
        Some(delay) => Ok(Some(delay)),
        None => synced.result.map(|()| None),
    }
}

/// Records the controller's events about one CronJob.
struct Recorder(ObjectReference);

impl Recorder {
    fn event(&self, api: &mut ApiServer, event_type: &str, reason: &str, message: &str) {
        api.record_event_from(
            self.0.clone(),
            event_type,
            reason,
            message,
            CRONJOB_CONTROLLER_COMPONENT,
            None,
        );
    }
}

/// `getJobsToBeReconciled`: the Jobs in the CronJob's namespace whose controller reference
/// names it, whatever their labels, Jobs made by hand (`create job --from`) included.
pub fn get_jobs_to_be_reconciled(api: &ApiServer, cron_job: &CronJob) -> Vec<Arc<Job>> {
    api.table::<Job>()
        .in_namespace(cron_job.namespace())
        .filter(|job| {
            meta::controller_of(&job.metadata)
                .is_some_and(|reference| reference.name == cron_job.name())
        })
        .cloned()
        .collect()
}

/// `cleanupFinishedJobs`: beyond each history limit, the oldest finished Jobs go, successful
/// ones first. Returns whether the status changed.
fn cleanup_finished_jobs(
    api: &mut ApiServer,
    recorder: &Recorder,
    cron_job: &mut CronJob,
    jobs: &[Arc<Job>],
) -> bool {
    let successful_limit = spec(cron_job).successful_jobs_history_limit;
    let failed_limit = spec(cron_job).failed_jobs_history_limit;
    let (mut successful, mut failed) = (Vec::new(), Vec::new());
    for job in jobs {
        match get_finished_status(job) {
            Some("Complete") => successful.push(job.clone()),
            Some("Failed") => failed.push(job.clone()),
            _ => {}
        }
    }
    let mut update_status = false;
    for (finished, limit) in [
        (&mut successful, successful_limit),
        (&mut failed, failed_limit),
    ] {
        if let Some(limit) = limit {
            update_status |= remove_oldest_jobs(api, recorder, cron_job, finished, limit);
        }
    }
    update_status
}

/// `removeOldestJobs`: deletes all but the `max` most recently started.
fn remove_oldest_jobs(
    api: &mut ApiServer,
    recorder: &Recorder,
    cron_job: &mut CronJob,
    jobs: &mut [Arc<Job>],
    max: i32,
) -> bool {
    let to_delete = jobs.len().saturating_sub(usize::try_from(max).unwrap_or(0));
    jobs.sort_by(|a, b| by_job_start_time(a, b));
    let mut update_status = false;
    for job in &jobs[..to_delete] {
        update_status |= delete_job(api, recorder, cron_job, job);
    }
    update_status
}

/// `deleteJob`: deletes a Job in the background and drops it from the active list.
fn delete_job(api: &mut ApiServer, recorder: &Recorder, cron_job: &mut CronJob, job: &Job) -> bool {
    if let Err(error) = api.delete::<Job>(&job.key(), &DeleteOptions::background()) {
        let message = format!("Deleted job: {}", error.message);
        recorder.event(api, WARNING, "FailedDelete", &message);
        return false;
    }
    delete_from_active_list(cron_job, job.uid());
    let message = format!("Deleted job {}", job.name());
    recorder.event(api, NORMAL, "SuccessfulDelete", &message);
    true
}

/// `syncCronJob`: reconciles the active list with the Jobs, then starts the most recent unmet
/// schedule time's Job if it is not too late and the concurrency policy allows it.
fn sync_cron_job(
    api: &mut ApiServer,
    recorder: &Recorder,
    cron_job: &mut CronJob,
    jobs: &[Arc<Job>],
) -> Synced {
    let now = api.now();
    let mut update_status = false;
    let done = |requeue_after: Option<Millis>, update_status: bool| Synced {
        requeue_after,
        update_status,
        result: Ok(()),
    };
    let failed = |update_status: bool, error: String| Synced {
        requeue_after: None,
        update_status,
        result: Err(error),
    };

    let mut children = BTreeSet::new();
    for job in jobs {
        children.insert(job.uid().to_string());
        let found = in_active_list(cron_job, job.uid());
        match get_finished_status(job) {
            // Upstream first re-reads the CronJob in case its informer lags; kubeplay's reads
            // are never stale, so a Job missing from the list is unexpected.
            None if !found => {
                let message = format!(
                    "Saw a job that the controller did not create or forgot: {}",
                    job.name()
                );
                recorder.event(api, WARNING, "UnexpectedJob", &message);
            }
            None => {}
            Some(condition) => {
                if found {
                    delete_from_active_list(cron_job, job.uid());
                    let message =
                        format!("Saw completed job: {}, condition: {condition}", job.name());
                    recorder.event(api, NORMAL, "SawCompletedJob", &message);
                    update_status = true;
                }
                if is_job_succeeded(job) {
                    // A Job counts though it is not in the active list, once it has succeeded.
                    let completion = job
                        .status
                        .as_ref()
                        .and_then(|status| status.completion_time.clone());
                    let status = cron_job.status.get_or_insert_with(Default::default);
                    let later = match (&status.last_successful_time, &completion) {
                        (None, _) => true,
                        (Some(last), Some(completion)) => completion.0 > last.0,
                        (Some(_), None) => false,
                    };
                    if later {
                        status.last_successful_time = completion;
                        update_status = true;
                    }
                }
            }
        }
    }

    // An active Job that is gone would keep the CronJob active forever.
    let missing: Vec<ObjectReference> = status(cron_job)
        .active
        .iter()
        .flatten()
        .filter(|reference| {
            !children.contains(reference.uid.as_deref().unwrap_or_default())
                && api
                    .get::<Job>(
                        reference.namespace.as_deref().unwrap_or_default(),
                        reference.name.as_deref().unwrap_or_default(),
                    )
                    .is_none()
        })
        .cloned()
        .collect();
    for reference in missing {
        let name = reference.name.as_deref().unwrap_or_default();
        recorder.event(
            api,
            NORMAL,
            "MissingJob",
            &format!("Active job went missing: {name}"),
        );
        delete_from_active_list(cron_job, reference.uid.as_deref().unwrap_or_default());
        update_status = true;
    }

    if cron_job.metadata.deletion_timestamp.is_some() {
        return done(None, update_status);
    }
    // The scheduling fields only; the Job template is not copied for every sync.
    let spec = spec(cron_job);
    let (time_zone, suspended, schedule_text, deadline, policy) = (
        spec.time_zone.clone(),
        spec.suspend == Some(true),
        spec.schedule.clone(),
        spec.starting_deadline_seconds,
        spec.concurrency_policy.clone(),
    );
    if let Some(zone) = &time_zone
        && let Err(error) = cron::load_location(zone)
    {
        let message = format!("invalid timeZone: {}: {error}", go_quote(zone));
        recorder.event(api, WARNING, "UnknownTimeZone", &message);
        return done(None, update_status);
    }
    if suspended {
        return done(None, update_status);
    }
    if schedule_text.contains("TZ") {
        let message = format!(
            "CRON_TZ or TZ used in schedule {} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
            go_quote(&schedule_text)
        );
        recorder.event(api, WARNING, "UnsupportedSchedule", &message);
    }
    let schedule = match cron::parse_standard(&format_schedule(cron_job)) {
        Ok(schedule) => schedule,
        Err(error) => {
            let message = format!(
                "unparseable schedule: {} : {error}",
                go_quote(&schedule_text)
            );
            recorder.event(api, WARNING, "UnparseableSchedule", &message);
            return done(None, update_status);
        }
    };
    let scheduled = match next_schedule_time(cron_job, now, &schedule) {
        Ok(Some(scheduled)) => {
            if scheduled.too_many_missed {
                recorder.event(
                    api,
                    WARNING,
                    "TooManyMissedTimes",
                    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
                );
            }
            scheduled.time
        }
        // No unmet start time: the timer is early (or the controller restarted).
        Ok(None) => {
            return done(
                next_schedule_time_duration(cron_job, now, &schedule),
                update_status,
            );
        }
        Err(error) => {
            let message = format!("invalid schedule: {schedule_text} : {error}");
            recorder.event(api, WARNING, "InvalidSchedule", &message);
            return done(None, update_status);
        }
    };
    let scheduled_millis = clock::to_millis(scheduled.timestamp());
    let scheduled_time = Time(scheduled.timestamp());
    if let Some(deadline) = deadline
        && scheduled_millis.saturating_add(deadline.saturating_mul(1000)) < now
    {
        // lastScheduleTime stays, so every sync until the next time notices the miss again.
        let message = format!(
            "Missed scheduled time to start a job: {}",
            rfc1123z(&scheduled_time)
        );
        recorder.event(api, WARNING, "MissSchedule", &message);
        return done(
            next_schedule_time_duration(cron_job, now, &schedule),
            update_status,
        );
    }
    let job_name = get_job_name(cron_job, &scheduled);
    if in_active_list_by_name(cron_job, cron_job.namespace(), &job_name)
        || status(cron_job).last_schedule_time.as_ref() == Some(&scheduled_time)
    {
        return done(
            next_schedule_time_duration(cron_job, now, &schedule),
            update_status,
        );
    }
    let has_active = status(cron_job)
        .active
        .as_ref()
        .is_some_and(|active| !active.is_empty());
    match policy.as_deref() {
        Some("Forbid") if has_active => {
            recorder.event(
                api,
                NORMAL,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
            );
            return done(
                next_schedule_time_duration(cron_job, now, &schedule),
                update_status,
            );
        }
        Some("Replace") => {
            let active: Vec<ObjectReference> = status(cron_job).active.clone().unwrap_or_default();
            for reference in active {
                let namespace = reference.namespace.as_deref().unwrap_or_default();
                let name = reference.name.as_deref().unwrap_or_default();
                let Some(job) = api.get::<Job>(namespace, name).cloned() else {
                    let error = ApiError::not_found(Kind::Job, name);
                    let message = format!("Get job: {}", error.message);
                    recorder.event(api, WARNING, "FailedGet", &message);
                    return failed(update_status, error.message);
                };
                if !delete_job(api, recorder, cron_job, &job) {
                    return failed(
                        update_status,
                        format!("could not replace job {namespace}/{name}"),
                    );
                }
                update_status = true;
            }
        }
        _ => {}
    }

    let job = match get_job_from_template2(cron_job, &scheduled) {
        Ok(job) => job,
        Err(error) => return failed(update_status, error),
    };
    let created = match api.create(job) {
        Ok(created) => {
            let message = format!("Created job {}", created.name());
            recorder.event(api, NORMAL, "SuccessfulCreate", &message);
            created
        }
        // Nothing can be created in a namespace being deleted; no event for that.
        Err(error)
            if error.reason == StatusReason::Forbidden
                && error.message.contains("because it is being terminated") =>
        {
            return failed(update_status, error.message);
        }
        Err(error) if error.is_already_exists() => {
            // Perhaps this controller created it and failed to record it: if the Job is its own
            // and not in the active list, add it now; someone else's Job is left alone.
            let Some(existing) = api.get::<Job>(cron_job.namespace(), &job_name).cloned() else {
                return failed(update_status, error.message);
            };
            let owned = meta::controller_of(&existing.metadata)
                .is_some_and(|reference| reference.uid == cron_job.uid());
            if !owned || in_active_list(cron_job, existing.uid()) {
                return done(None, update_status);
            }
            existing
        }
        Err(error) => {
            let message = format!("Error creating job: {}", error.message);
            recorder.event(api, WARNING, "FailedCreate", &message);
            return failed(update_status, error.message);
        }
    };
    let status = cron_job.status.get_or_insert_with(Default::default);
    status
        .active
        .get_or_insert_with(Vec::new)
        .push(object_reference(&AnyObject::Job(created)));
    status.last_schedule_time = Some(scheduled_time);
    done(next_schedule_time_duration(cron_job, now, &schedule), true)
}

#[cfg(test)]
mod tests {
    //! `TestControllerV2SyncCronJob` and its neighbours from `cronjob_controllerv2_test.go`. The
    //! Jobs the fake lister holds are the store's; the cases in which upstream's informers lag
    //! behind the API ("slow cronjob list") or a read fails cannot happen here and are left out.

    use std::collections::BTreeSet;

    use k8s_openapi::api::batch::v1::{CronJobStatus, JobCondition, JobStatus};
    use k8s_openapi::api::core::v1::Event;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    use super::super::testing::*;
    use super::super::utils::{get_job_from_template2, zoned};
    use super::*;
    use crate::clock::{HOUR, MINUTE, SECOND};

    const SHORT_DEAD: i64 = 10;
    const MEDIUM_DEAD: i64 = 2 * 60 * 60;
    const LONG_DEAD: i64 = 1_000_000;
    const ERROR_SCHEDULE: &str = "obvious error schedule";
    const EVERY_HOUR: &str = "@every 1h";
    const NEW_YORK: &str = "America/New_York";

    fn events(api: &ApiServer) -> Vec<Arc<Event>> {
        api.table::<Event>().iter().cloned().collect()
    }

    #[derive(Clone, Default)]
    struct Case {
        policy: &'static str,
        suspend: bool,
        schedule: &'static str,
        time_zone: Option<&'static str>,
        deadline: Option<i64>,
        ran_previously: bool,
        still_active: bool,
        cronjob_creation_time: Option<Millis>,
        job_creation_time: Millis,
        last_schedule_time: Option<Millis>,
        now: Millis,
        /// The Job for this schedule time exists already, made by this CronJob (upstream's
        /// AlreadyExists create error).
        job_exists_for: Option<Millis>,
        /// The active Job exists but the lister has not seen it ("slow job lister").
        job_not_in_lister: bool,
        namespace_terminating: bool,
        expect_create: bool,
        expect_delete: bool,
        expect_active: usize,
        expected_warnings: usize,
        expect_err: bool,
        expected_requeue: Option<Millis>,
        expect_update_status: bool,
    }

    fn run(name: &str, case: &Case) {
        let mut api = api_at(case.now, case.namespace_terminating);
        let mut cron_job = cron_job();
        {
            let spec = cron_job.spec.as_mut().expect("a spec");
            spec.concurrency_policy = Some(case.policy.into());
            spec.suspend = Some(case.suspend);
            spec.schedule = case.schedule.into();
            spec.time_zone = case.time_zone.map(str::to_string);
            spec.starting_deadline_seconds = case.deadline;
        }
        let mut jobs = Vec::new();
        if case.ran_previously {
            cron_job.metadata.creation_timestamp = Some(time(
                case.cronjob_creation_time
                    .unwrap_or_else(just_before_the_prior_hour),
            ));
            cron_job
                .status
                .get_or_insert_with(Default::default)
                .last_schedule_time = Some(time(
                case.last_schedule_time
                    .unwrap_or_else(just_after_the_prior_hour),
            ));
            let mut job = get_job_from_template2(&cron_job, &zoned(case.job_creation_time))
                .expect("a Job from the template");
            job.metadata.uid = Some("1234".into());
            job.metadata.creation_timestamp = Some(time(case.job_creation_time));
            if case.still_active {
                let reference = object_reference(&AnyObject::Job(Arc::new(job.clone())));
                cron_job.status.get_or_insert_with(Default::default).active = Some(vec![reference]);
            } else {
                job.status = Some(JobStatus {
                    completion_time: Some(time(case.job_creation_time + 10 * SECOND)),
                    conditions: Some(vec![JobCondition {
                        type_: "Complete".into(),
                        status: "True".into(),
                        ..JobCondition::default()
                    }]),
                    ..JobStatus::default()
                });
            }
            let job = store_job(&mut api, job);
            if !case.job_not_in_lister {
                jobs.push(job);
            }
        } else {
            cron_job.metadata.creation_timestamp = Some(time(
                case.cronjob_creation_time
                    .unwrap_or_else(just_before_the_hour),
            ));
        }
        if let Some(scheduled) = case.job_exists_for {
            let mut job = get_job_from_template2(&cron_job, &zoned(scheduled))
                .expect("a Job from the template");
            job.metadata.uid = Some("5678".into());
            store_job(&mut api, job);
        }
        let before: BTreeSet<String> = api
            .table::<Job>()
            .iter()
            .map(|job| job.name().to_string())
            .collect();
        let recorder = Recorder(object_reference(&AnyObject::CronJob(Arc::new(
            cron_job.clone(),
        ))));
        let mut copy = cron_job.clone();
        let synced = sync_cron_job(&mut api, &recorder, &mut copy, &jobs);

        assert_eq!(synced.result.is_err(), case.expect_err, "{name}: error");
        if case.expected_requeue.is_some() {
            assert_eq!(
                synced.requeue_after, case.expected_requeue,
                "{name}: requeue"
            );
        }
        assert_eq!(
            synced.update_status, case.expect_update_status,
            "{name}: update status"
        );
        let after: BTreeSet<String> = api
            .table::<Job>()
            .iter()
            .map(|job| job.name().to_string())
            .collect();
        let created: Vec<&String> = after.difference(&before).collect();
        let deleted: Vec<&String> = before.difference(&after).collect();
        assert_eq!(
            created.len(),
            usize::from(case.expect_create),
            "{name}: created"
        );
        assert_eq!(
            deleted.len(),
            usize::from(case.expect_delete),
            "{name}: deleted"
        );
        for job_name in created {
            let job = api
                .get::<Job>("snazzycats", job_name)
                .expect("the created Job");
            let reference = meta::controller_of(&job.metadata).expect("a controller");
            assert_eq!(
                (
                    reference.api_version.as_str(),
                    reference.kind.as_str(),
                    reference.name.as_str(),
                    reference.uid.as_str()
                ),
                ("batch/v1", "CronJob", "mycronjob", "1a2b3c"),
                "{name}: controller reference"
            );
        }
        if case.ran_previously && !case.still_active {
            assert_eq!(
                status(&copy).last_successful_time,
                Some(time(case.job_creation_time + 10 * SECOND)),
                "{name}: lastSuccessfulTime"
            );
        }
        let events = events(&api);
        let warnings = events
            .iter()
            .filter(|event| event.type_.as_deref() == Some(WARNING))
            .count();
        let expected_events = usize::from(case.expect_create)
            + usize::from(case.expect_delete)
            + usize::from(name == "still active, is time, F")
            + case.expected_warnings;
        assert_eq!(events.len(), expected_events, "{name}: events {events:#?}");
        assert_eq!(warnings, case.expected_warnings, "{name}: warnings");
        assert_eq!(
            status(&copy).active.as_ref().map_or(0, Vec::len),
            case.expect_active,
            "{name}: active"
        );
    }

    fn base(policy: &'static str) -> Case {
        Case {
            policy,
            schedule: ON_THE_HOUR,
            job_creation_time: just_after_the_prior_hour(),
            ..Case::default()
        }
    }

    /// A case that starts a Job at 10:00 and looks again at 11:00.
    fn creates(case: Case, active: usize) -> Case {
        Case {
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: active,
            expected_requeue: Some(HOUR - MINUTE + DELTA),
            expect_update_status: true,
            ..case
        }
    }

    fn never_ran(policy: &'static str) -> Case {
        base(policy)
    }

    fn prev_ran(policy: &'static str) -> Case {
        Case {
            ran_previously: true,
            ..base(policy)
        }
    }

    fn still_active(policy: &'static str) -> Case {
        Case {
            ran_previously: true,
            still_active: true,
            ..base(policy)
        }
    }

    fn not_time(case: Case) -> Case {
        Case {
            now: just_before_the_hour(),
            expected_requeue: Some(MINUTE + DELTA),
            ..case
        }
    }

    fn cases() -> Vec<(&'static str, Case)> {
        let mut cases = vec![
            (
                "never ran, not valid schedule, A",
                Case {
                    schedule: ERROR_SCHEDULE,
                    now: just_before_the_hour(),
                    expected_warnings: 1,
                    ..never_ran("Allow")
                },
            ),
            (
                "never ran, not valid schedule, F",
                Case {
                    schedule: ERROR_SCHEDULE,
                    now: just_before_the_hour(),
                    expected_warnings: 1,
                    ..never_ran("Forbid")
                },
            ),
            (
                "never ran, not valid time zone",
                Case {
                    time_zone: Some("bad timezone"),
                    now: just_before_the_hour(),
                    expected_warnings: 1,
                    ..never_ran("Allow")
                },
            ),
            ("never ran, not time, A", not_time(never_ran("Allow"))),
            ("never ran, not time, F", not_time(never_ran("Forbid"))),
            ("never ran, not time, R", not_time(never_ran("Replace"))),
            (
                "never ran, not time in zone",
                not_time(Case {
                    time_zone: Some(NEW_YORK),
                    ..never_ran("Allow")
                }),
            ),
            ("never ran, is time, A", creates(never_ran("Allow"), 1)),
            ("never ran, is time, F", creates(never_ran("Forbid"), 1)),
            ("never ran, is time, R", creates(never_ran("Replace"), 1)),
            (
                "never ran, is time in zone",
                creates(
                    Case {
                        time_zone: Some(NEW_YORK),
                        ..never_ran("Allow")
                    },
                    1,
                ),
            ),
            (
                "never ran, is time, suspended",
                Case {
                    suspend: true,
                    now: just_after_the_hour(),
                    ..never_ran("Allow")
                },
            ),
            (
                "never ran, is time, past deadline",
                Case {
                    deadline: Some(SHORT_DEAD),
                    now: just_after_the_hour() + (SHORT_DEAD + 1) * MINUTE,
                    expected_requeue: Some(HOUR - MINUTE - (SHORT_DEAD + 1) * MINUTE + DELTA),
                    ..never_ran("Allow")
                },
            ),
            (
                "never ran, is time, not past deadline",
                creates(
                    Case {
                        deadline: Some(LONG_DEAD),
                        ..never_ran("Allow")
                    },
                    1,
                ),
            ),
            (
                "prev ran but done, not time, A",
                Case {
                    expect_update_status: true,
                    ..not_time(prev_ran("Allow"))
                },
            ),
            (
                "prev ran but done, not time, F",
                Case {
                    expect_update_status: true,
                    ..not_time(prev_ran("Forbid"))
                },
            ),
            (
                "prev ran but done, not time, R",
                Case {
                    expect_update_status: true,
                    ..not_time(prev_ran("Replace"))
                },
            ),
            (
                "prev ran but done, is time, A",
                creates(prev_ran("Allow"), 1),
            ),
            (
                "prev ran but done, is time, create job failed, A",
                Case {
                    now: just_after_the_hour(),
                    job_exists_for: Some(top_of_the_hour()),
                    expect_active: 1,
                    expect_update_status: true,
                    ..prev_ran("Allow")
                },
            ),
            (
                "prev ran but done, is time, F",
                creates(prev_ran("Forbid"), 1),
            ),
            (
                "prev ran but done, is time, R",
                creates(prev_ran("Replace"), 1),
            ),
            (
                "prev ran but done, is time, suspended",
                Case {
                    suspend: true,
                    now: just_after_the_hour(),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                },
            ),
            (
                "prev ran but done, is time, past deadline",
                Case {
                    deadline: Some(SHORT_DEAD),
                    now: just_after_the_hour(),
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                },
            ),
            (
                "prev ran but done, is time, not past deadline",
                creates(
                    Case {
                        deadline: Some(LONG_DEAD),
                        ..prev_ran("Allow")
                    },
                    1,
                ),
            ),
            (
                "still active, not time, A",
                Case {
                    expect_active: 1,
                    ..not_time(still_active("Allow"))
                },
            ),
            (
                "still active, not time, F",
                Case {
                    expect_active: 1,
                    ..not_time(still_active("Forbid"))
                },
            ),
            (
                "still active, not time, R",
                Case {
                    expect_active: 1,
                    ..not_time(still_active("Replace"))
                },
            ),
            (
                "still active, is time, A",
                creates(still_active("Allow"), 2),
            ),
            (
                "still active, is time, F",
                Case {
                    now: just_after_the_hour(),
                    expect_active: 1,
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    ..still_active("Forbid")
                },
            ),
            (
                "still active, is time, R",
                Case {
                    expect_delete: true,
                    ..creates(still_active("Replace"), 1)
                },
            ),
            (
                "still active, is time, suspended",
                Case {
                    suspend: true,
                    now: just_after_the_hour(),
                    expect_active: 1,
                    ..still_active("Allow")
                },
            ),
            (
                "still active, is time, past deadline",
                Case {
                    deadline: Some(SHORT_DEAD),
                    now: just_after_the_hour(),
                    expect_active: 1,
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    ..still_active("Allow")
                },
            ),
            (
                "still active, is time, not past deadline",
                creates(
                    Case {
                        deadline: Some(LONG_DEAD),
                        ..still_active("Allow")
                    },
                    2,
                ),
            ),
            // Too many missed start times: a warning, and the most recent one still runs.
            (
                "this ran but done, time drifted back, F",
                Case {
                    job_creation_time: just_after_the_hour(),
                    now: just_before_the_hour(),
                    expected_requeue: Some(MINUTE + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Forbid")
                },
            ),
            (
                "this started but went missing, not past deadline, A",
                went_missing("Allow"),
            ),
            (
                "this started but went missing, not past deadline, f",
                went_missing("Forbid"),
            ),
            (
                "this started but went missing, not past deadline, R",
                went_missing("Replace"),
            ),
            (
                "do nothing if the namespace is terminating",
                Case {
                    now: just_after_the_hour(),
                    namespace_terminating: true,
                    expect_active: 1,
                    expect_err: true,
                    ..still_active("Allow")
                },
            ),
        ];
        for policy in ["Allow", "Replace", "Forbid"] {
            for (deadline, warnings) in [
                (Some(LONG_DEAD), 1),
                (None, 1),
                (Some(MEDIUM_DEAD), 0),
                (Some(SHORT_DEAD), 0),
            ] {
                cases.push((
                    "prev ran but done, long overdue",
                    Case {
                        deadline,
                        now: week_after_the_hour(),
                        expect_create: true,
                        expect_active: 1,
                        expected_warnings: warnings,
                        expected_requeue: Some(HOUR + DELTA),
                        expect_update_status: true,
                        ..prev_ran(policy)
                    },
                ));
            }
        }
        cases.extend(every_hour_cases());
        cases
    }

    /// "slow job lister": the active Job exists, but not among the Jobs listed.
    fn went_missing(policy: &'static str) -> Case {
        Case {
            deadline: Some(LONG_DEAD),
            job_creation_time: top_of_the_hour() + 100,
            now: just_after_the_hour() + 100,
            job_not_in_lister: true,
            expect_active: 1,
            expected_requeue: Some(HOUR - MINUTE - 100 + DELTA),
            ..still_active(policy)
        }
    }

    fn every_hour_cases() -> Vec<(&'static str, Case)> {
        let every = |case: Case| Case {
            schedule: EVERY_HOUR,
            cronjob_creation_time: Some(just_before_the_prior_hour()),
            job_creation_time: just_before_the_prior_hour(),
            ..case
        };
        vec![
            (
                "with @every schedule, never ran, not time",
                Case {
                    cronjob_creation_time: Some(just_before_the_hour()),
                    job_creation_time: just_before_the_hour(),
                    now: top_of_the_hour(),
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    schedule: EVERY_HOUR,
                    ..base("Allow")
                },
            ),
            (
                "with @every schedule, never ran, is time",
                every(Case {
                    now: just_before_the_hour(),
                    expect_create: true,
                    expect_active: 1,
                    expected_requeue: Some(HOUR + DELTA),
                    expect_update_status: true,
                    ..base("Allow")
                }),
            ),
            (
                "with @every schedule, never ran, is time, past deadline",
                every(Case {
                    deadline: Some(SHORT_DEAD),
                    now: just_before_the_hour() + (SHORT_DEAD + 1) * SECOND,
                    expected_requeue: Some(HOUR - (SHORT_DEAD + 1) * SECOND + DELTA),
                    ..base("Allow")
                }),
            ),
            (
                "with @every schedule, never ran, is time, not past deadline",
                every(Case {
                    deadline: Some(LONG_DEAD),
                    now: just_before_the_hour() + (SHORT_DEAD - 1) * SECOND,
                    expect_create: true,
                    expect_active: 1,
                    expected_requeue: Some(HOUR - (SHORT_DEAD - 1) * SECOND + DELTA),
                    expect_update_status: true,
                    ..base("Allow")
                }),
            ),
            (
                "with @every schedule, prev ran but done, not time",
                every(Case {
                    last_schedule_time: Some(just_before_the_hour()),
                    now: top_of_the_hour(),
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                }),
            ),
            (
                "with @every schedule, prev ran but done, is time",
                every(Case {
                    last_schedule_time: Some(just_before_the_hour()),
                    now: top_of_the_hour() + HOUR,
                    expect_create: true,
                    expect_active: 1,
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                }),
            ),
            (
                "with @every schedule, prev ran but done, is time, past deadline",
                every(Case {
                    deadline: Some(SHORT_DEAD),
                    last_schedule_time: Some(just_before_the_hour()),
                    now: just_before_the_next_hour() + (SHORT_DEAD + 1) * SECOND,
                    expected_requeue: Some(HOUR - (SHORT_DEAD + 1) * SECOND + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                }),
            ),
            (
                "with @every schedule, still active, not time",
                every(Case {
                    job_creation_time: just_before_the_hour(),
                    last_schedule_time: Some(just_before_the_hour()),
                    now: top_of_the_hour(),
                    expect_active: 1,
                    expected_requeue: Some(HOUR - MINUTE + DELTA),
                    ..still_active("Allow")
                }),
            ),
            (
                "with @every schedule, still active, is time",
                every(Case {
                    last_schedule_time: Some(just_before_the_prior_hour()),
                    now: just_after_the_hour(),
                    expect_create: true,
                    expect_active: 2,
                    expected_requeue: Some(HOUR - 2 * MINUTE + DELTA),
                    expect_update_status: true,
                    ..still_active("Allow")
                }),
            ),
            (
                "with @every schedule, still active, is time, past deadline",
                every(Case {
                    deadline: Some(SHORT_DEAD),
                    job_creation_time: just_before_the_hour(),
                    last_schedule_time: Some(just_before_the_hour()),
                    now: just_before_the_next_hour() + (SHORT_DEAD + 1) * SECOND,
                    expect_active: 1,
                    expected_requeue: Some(HOUR - (SHORT_DEAD + 1) * SECOND + DELTA),
                    ..still_active("Allow")
                }),
            ),
            (
                "with @every schedule, still active, is time, not past deadline",
                every(Case {
                    deadline: Some(LONG_DEAD),
                    job_creation_time: just_before_the_hour(),
                    last_schedule_time: Some(just_before_the_hour()),
                    now: just_before_the_next_hour() + (SHORT_DEAD - 1) * SECOND,
                    expect_create: true,
                    expect_active: 2,
                    expected_requeue: Some(HOUR - (SHORT_DEAD - 1) * SECOND + DELTA),
                    expect_update_status: true,
                    ..still_active("Allow")
                }),
            ),
            (
                "with @every schedule, prev ran but done, long overdue, no deadline",
                every(Case {
                    cronjob_creation_time: Some(just_after_the_prior_hour()),
                    last_schedule_time: Some(just_after_the_hour()),
                    job_creation_time: just_after_the_prior_hour(),
                    now: week_after_the_hour(),
                    expect_create: true,
                    expect_active: 1,
                    expected_warnings: 1,
                    expected_requeue: Some(MINUTE + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                }),
            ),
            (
                "with @every schedule, prev ran but done, long overdue, past deadline",
                every(Case {
                    deadline: Some(SHORT_DEAD),
                    cronjob_creation_time: Some(just_after_the_prior_hour()),
                    last_schedule_time: Some(just_after_the_hour()),
                    job_creation_time: just_after_the_prior_hour(),
                    now: week_after_the_hour() + MINUTE + (SHORT_DEAD + 1) * SECOND,
                    expected_requeue: Some(HOUR - (SHORT_DEAD + 1) * SECOND + DELTA),
                    expect_update_status: true,
                    ..prev_ran("Allow")
                }),
            ),
        ]
    }

    fn cron_job_with(schedule: &str, last_schedule: Option<Millis>) -> CronJob {
        let mut cron_job = cron_job();
        cron_job.metadata.creation_timestamp = None;
        cron_job.spec.get_or_insert_with(Default::default).schedule = schedule.into();
        cron_job.status = last_schedule.map(|last| CronJobStatus {
            last_schedule_time: Some(time(last)),
            ..Default::default()
        });
        cron_job
    }

    /// `TestControllerV2UpdateCronJob`: a new schedule or time zone waits for its next time,
    /// anything else syncs now.
    #[test]
    fn update_cron_job_requeues_by_schedule() {
        let api = api_at(just_before_the_hour() + 59 * SECOND, false);
        let key = "snazzycats/mycronjob".to_string();
        let delayed = |old: &CronJob, new: &CronJob| {
            let mut controller = CronJobController::default();
            controller.update_cron_job(old, new, &api);
            let queued = controller.queue.pop();
            (queued, controller.take_delayed())
        };
        let old = cron_job_with("30 * * * *", Some(just_before_the_hour()));
        let mut new = old.clone();
        new.spec.as_mut().expect("a spec").job_template.metadata = None;
        assert_eq!(delayed(&old, &new), (Some(key.clone()), vec![]));
        let new = cron_job_with("*/1 * * * *", Some(just_before_the_hour()));
        assert_eq!(
            delayed(&old, &new),
            (None, vec![(api.now() + SECOND + DELTA, key.clone())])
        );
        let cadence = |from: &str, to: &str| {
            delayed(
                &cron_job_with(from, Some(just_before_the_hour())),
                &cron_job_with(to, Some(just_before_the_hour())),
            )
        };
        assert_eq!(
            cadence("@every 1m", "@every 3m"),
            (
                None,
                vec![(api.now() + 2 * MINUTE + SECOND + DELTA, key.clone())]
            )
        );
        assert_eq!(
            cadence("@every 3m", "@every 1m"),
            (None, vec![(api.now() + SECOND + DELTA, key.clone())])
        );
        // The same time zone with another template syncs now; dropping the time zone of a
        // CronJob whose schedule does not parse queues nothing.
        let mut in_zone = cron_job_with("", None);
        in_zone.spec.as_mut().expect("a spec").time_zone = Some(NEW_YORK.into());
        let mut relabelled = in_zone.clone();
        relabelled
            .spec
            .as_mut()
            .expect("a spec")
            .job_template
            .metadata = None;
        assert_eq!(delayed(&in_zone, &relabelled), (Some(key), vec![]));
        let utc = cron_job_with("", None);
        assert_eq!(delayed(&in_zone, &utc), (None, vec![]));
    }

    fn owned_job(namespace: &str, name: &str, owner: Option<&str>) -> Job {
        Job {
            metadata: ObjectMeta {
                namespace: Some(namespace.into()),
                name: Some(name.into()),
                owner_references: owner.map(|owner| {
                    vec![OwnerReference {
                        name: owner.into(),
                        controller: Some(true),
                        ..OwnerReference::default()
                    }]
                }),
                ..ObjectMeta::default()
            },
            ..Job::default()
        }
    }

    /// `TestControllerV2GetJobsToBeReconciled`: the Jobs of the namespace whose controller
    /// reference names the CronJob, whatever their labels.
    #[test]
    fn jobs_to_be_reconciled_are_named_by_their_controller() {
        let mut api = api_at(top_of_the_hour(), false);
        let mut fooer = cron_job();
        fooer.metadata.namespace = Some("foo-ns".into());
        fooer.metadata.name = Some("fooer".into());
        for job in [
            owned_job("foo-ns", "foo", None),
            owned_job("foo-ns", "foo1", Some("fooer")),
            owned_job("foo-ns", "foo2", None),
            owned_job("bar-ns", "foo3", Some("fooer")),
            owned_job("foo-ns", "foo-other-owner-ref", Some("another-cronjob")),
        ] {
            store_job(&mut api, job);
        }
        let mut relabelled = owned_job("foo-ns", "foo-fooer-owner-ref", Some("fooer"));
        relabelled.metadata.labels = Some([("key".into(), "different-value".into())].into());
        store_job(&mut api, relabelled);
        let names: Vec<String> = get_jobs_to_be_reconciled(&api, &fooer)
            .iter()
            .map(|job| job.name().to_string())
            .collect();
        assert_eq!(names, ["foo-fooer-owner-ref", "foo1"]);
    }

    fn finished_job(name: &str, started: Millis) -> Job {
        let mut job = owned_job("snazzycats", name, Some("mycronjob"));
        job.status = Some(JobStatus {
            start_time: Some(time(started)),
            conditions: Some(vec![JobCondition {
                type_: "Complete".into(),
                status: "True".into(),
                ..JobCondition::default()
            }]),
            ..JobStatus::default()
        });
        job
    }

    fn sync_at(api: &mut ApiServer) -> Result<Option<Millis>, String> {
        let mut timers = crate::clock::Timers::default();
        let mut ctx = Context {
            api,
            timers: &mut timers,
            component: crate::clock::Component::CronJob,
        };
        sync("snazzycats/mycronjob", &mut ctx)
    }

    /// `TestControllerV2CleanupFinishedJobs`: the history is cleaned up even when no Job can be
    /// created (upstream: a quota; here: the namespace is being deleted).
    #[test]
    fn cleanup_finished_jobs_comes_first() {
        for (now, limit, terminating, deleted) in [
            (
                just_after_the_hour(),
                1,
                true,
                vec!["finished-job-started-hour-ago"],
            ),
            (just_before_the_hour(), 2, false, vec![]),
        ] {
            let mut api = api_at(now, terminating);
            let mut cron_job = cron_job();
            cron_job.spec.as_mut().expect("a spec").schedule = ON_THE_HOUR.into();
            cron_job
                .spec
                .as_mut()
                .expect("a spec")
                .successful_jobs_history_limit = Some(limit);
            cron_job.status = Some(CronJobStatus {
                last_schedule_time: Some(time(just_after_the_prior_hour())),
                ..Default::default()
            });
            store_cron_job(&mut api, cron_job);
            store_job(
                &mut api,
                finished_job(
                    "finished-job-started-hour-ago",
                    just_before_the_prior_hour(),
                ),
            );
            if limit == 1 {
                store_job(
                    &mut api,
                    finished_job("finished-job-started-minute-ago", just_before_the_hour()),
                );
            }
            let before: BTreeSet<String> = api
                .table::<Job>()
                .iter()
                .map(|job| job.name().to_string())
                .collect();
            let _ = sync_at(&mut api);
            let after: BTreeSet<String> = api
                .table::<Job>()
                .iter()
                .map(|job| job.name().to_string())
                .collect();
            let gone: Vec<&String> = before.difference(&after).collect();
            assert_eq!(gone, deleted);
        }
    }

    /// `TestControllerV2JobAlreadyExistsButNotInActiveStatus` and `...ButDifferentOwner`: a Job
    /// of this schedule time that exists already joins the active list if the CronJob owns it;
    /// someone else's is left alone, and the status with it.
    #[test]
    fn an_existing_job_joins_the_active_list_only_if_owned() {
        for owned in [true, false] {
            let mut api = api_at(just_after_the_hour(), false);
            let mut cron_job = cron_job();
            cron_job.spec.as_mut().expect("a spec").schedule = ON_THE_HOUR.into();
            cron_job.spec.as_mut().expect("a spec").concurrency_policy = Some("Forbid".into());
            cron_job.status = Some(CronJobStatus {
                last_schedule_time: Some(time(top_of_the_hour() - HOUR)),
                active: Some(vec![]),
                ..Default::default()
            });
            let stored = store_cron_job(&mut api, cron_job.clone());
            let mut job = get_job_from_template2(&cron_job, &zoned(top_of_the_hour()))
                .expect("a Job from the template");
            job.metadata.uid = Some("1234".into());
            if !owned {
                job.metadata.owner_references = Some(vec![]);
            }
            let job = store_job(&mut api, job);
            let requeue = sync_at(&mut api).expect("a sync");
            let after = api
                .get::<CronJob>("snazzycats", "mycronjob")
                .expect("the CronJob");
            assert_eq!(api.table::<Job>().len(), 1, "no Job is created");
            if owned {
                assert_eq!(requeue, Some(HOUR - MINUTE + DELTA));
                assert_eq!(
                    status(after).active,
                    Some(vec![object_reference(&AnyObject::Job(job))])
                );
                assert_eq!(
                    status(after).last_schedule_time,
                    Some(time(top_of_the_hour()))
                );
            } else {
                assert_eq!(requeue, None);
                assert_eq!(after, &stored);
            }
        }
    }

    #[test]
    fn sync_cron_job_table() {
        for (name, case) in cases() {
            run(name, &case);
        }
    }
}
