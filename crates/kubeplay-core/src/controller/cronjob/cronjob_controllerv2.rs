//! The sync loop (`cronjob_controllerv2.go`): informer handlers that queue a CronJob when it or
//! one of its Jobs changes, and `sync`, which cleans up finished Jobs beyond the history limits
//! (`cleanup_finished_jobs`), then reconciles the active list and starts the most recent missed
//! run if the concurrency policy lets it (`sync_cron_job`), and asks to be woken at the next
//! schedule time. Nothing polls: between runs a CronJob costs one timer.

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{OwnerReference, Time};
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
            && let Some(cron_job) = resolve_controller_ref(api, job.namespace(), reference)
        {
            self.queue.add(cron_job.key().queue_key());
        }
    }
}

/// `resolveControllerRef`: the CronJob a controller reference names, if it still has that uid.
fn resolve_controller_ref(
    api: &ApiServer,
    namespace: &str,
    reference: &OwnerReference,
) -> Option<Arc<CronJob>> {
    if reference.kind != "CronJob" {
        return None;
    }
    api.get::<CronJob>(namespace, &reference.name)
        .filter(|cron_job| cron_job.uid() == reference.uid)
        .cloned()
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
    let spec = spec(cron_job).clone();
    if let Some(zone) = &spec.time_zone
        && let Err(error) = cron::load_location(zone)
    {
        let message = format!("invalid timeZone: {}: {error}", go_quote(zone));
        recorder.event(api, WARNING, "UnknownTimeZone", &message);
        return done(None, update_status);
    }
    if spec.suspend == Some(true) {
        return done(None, update_status);
    }
    if spec.schedule.contains("TZ") {
        let message = format!(
            "CRON_TZ or TZ used in schedule {} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
            go_quote(&spec.schedule)
        );
        recorder.event(api, WARNING, "UnsupportedSchedule", &message);
    }
    let schedule = match cron::parse_standard(&format_schedule(cron_job)) {
        Ok(schedule) => schedule,
        Err(error) => {
            let message = format!(
                "unparseable schedule: {} : {error}",
                go_quote(&spec.schedule)
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
            let message = format!("invalid schedule: {} : {error}", spec.schedule);
            recorder.event(api, WARNING, "InvalidSchedule", &message);
            return done(None, update_status);
        }
    };
    let scheduled_millis = clock::to_millis(scheduled.timestamp());
    let scheduled_time = Time(scheduled.timestamp());
    if let Some(deadline) = spec.starting_deadline_seconds
        && scheduled_millis + deadline.saturating_mul(1000) < now
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
    match spec.concurrency_policy.as_deref() {
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
