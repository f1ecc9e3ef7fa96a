//! The sync loop (`job_controller.go`): informer handlers that queue Jobs, `sync_job` that counts a
//! Job's pods and decides whether it has finished, `manage_job` that creates and deletes pods,
//! and `track_job_status_and_remove_finalizers` that moves finished pods into the counters.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use k8s_openapi::api::batch::v1::{
    Job, JobCondition, JobSpec, JobStatus, PodFailurePolicy, UncountedTerminatedPods,
};
use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::{Deserialize, Serialize};

use super::backoff_utils::{BackoffRecord, get_remaining_time_per_index};
use super::indexed_job_utils::{
    OrderedIntervals, add_completion_index_annotation, add_completion_index_env_variables,
    add_completion_index_label, add_index_failure_count_annotation,
    append_duplicated_index_pods_for_removal, calculate_failed_indexes,
    calculate_succeeded_indexes, first_pending_indexes, get_completion_index,
    get_pods_with_delayed_deletion_per_index, has_backoff_limit_per_index, is_indexed_job,
    is_terminating, pod_generate_name_with_index, sort_by_completion_index,
};
use super::pod_failure_policy::match_pod_failure_policy;
use super::success_policy::{
    has_success_criteria_met_condition, is_success_criteria_met_condition, match_success_policy,
};
use super::tracking_utils::{has_job_tracking_finalizer, remove_tracking_finalizer};
use super::{JOB_CONTROLLER_COMPONENT, JOB_CONTROLLER_NAME, JOB_TRACKING_FINALIZER};
use crate::api::labels::Selector;
use crate::api::{AnyObject, ApiObject, ObjectKey, meta};
use crate::apiserver::registry::pod::phase;
use crate::apiserver::{
    ApiError, ApiServer, DeleteOptions, StatusReason, WatchEvent, WatchEventType,
};
use crate::clock::{self, MINUTE, Millis, SECOND};
use crate::controller::controller_utils::{
    SLOW_START_INITIAL_BATCH_SIZE, claim_objects, is_pod_ready, is_pod_terminal, ready_condition,
    resolve_controller_ref,
};
use crate::controller::{Context, Controller, WorkQueue};
use crate::events::{NORMAL, WARNING};

/// `syncJobBatchPeriod`: pod events and status updates sync the Job a second later, together.
const SYNC_JOB_BATCH_PERIOD: Millis = SECOND;
/// The rate limiter of failed syncs: 1 s doubling to a minute.
const DEFAULT_JOB_API_BACKOFF: Millis = SECOND;
const MAX_JOB_API_BACKOFF: Millis = MINUTE;
/// `MaxUncountedPods`: keeps `status.uncountedTerminatedPods` small.
const MAX_UNCOUNTED_PODS: usize = 500;
/// `MaxPodCreateDeletePerSync`.
const MAX_POD_CREATE_DELETE_PER_SYNC: i32 = 500;
/// Keys of the orphan-pod queue share the work queue, told apart by this prefix (a namespace
/// name never holds a colon).
const ORPHAN_POD_PREFIX: &str = "orphan-pod:";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct JobController {
    queue: WorkQueue,
    /// `podBackoffStore`: failures since the last success, per Job key.
    pod_backoff_store: BTreeMap<String, BackoffRecord>,
    /// Consecutive failed syncs per key, for the rate-limited requeue.
    sync_failures: BTreeMap<String, u32>,
    /// Keys the handlers asked to sync later; the cluster moves them onto the timers.
    #[serde(skip)]
    delayed: Vec<(Millis, String)>,
    /// Pods without a controller, by namespace: the candidates for adoption. Derived from the store.
    #[serde(skip)]
    orphan_pods: BTreeMap<String, BTreeSet<String>>,
}

impl Controller for JobController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        let old = event.old.as_ref();
        match (&event.object, event.event_type) {
            (AnyObject::Job(job), WatchEventType::Added) => self.add_job(job),
            (AnyObject::Job(job), WatchEventType::Modified) => {
                if let Some(AnyObject::Job(old)) = old {
                    self.update_job(old, job, api);
                }
            }
            (AnyObject::Job(job), WatchEventType::Deleted) => self.delete_job(job, api),
            (AnyObject::Pod(pod), WatchEventType::Added) => {
                self.index_orphan(pod, false);
                self.add_pod(pod, api);
            }
            (AnyObject::Pod(pod), WatchEventType::Modified) => {
                self.index_orphan(pod, false);
                if let Some(AnyObject::Pod(old)) = old {
                    self.update_pod(old, pod, api);
                }
            }
            (AnyObject::Pod(pod), WatchEventType::Deleted) => {
                self.index_orphan(pod, true);
                self.delete_pod_event(pod, api);
            }
            _ => {}
        }
    }

    fn take_delayed(&mut self) -> Vec<(Millis, String)> {
        std::mem::take(&mut self.delayed)
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let result = match key.strip_prefix(ORPHAN_POD_PREFIX) {
            Some(pod_key) => sync_orphan_pod(pod_key, ctx.api),
            None => self.sync_job(key, ctx),
        };
        match result {
            Ok(()) => {
                self.sync_failures.remove(key);
            }
            Err(_) => {
                // `AddRateLimited`: 1 s, 2 s, 4 s, ... up to a minute.
                let failures = self.sync_failures.entry(key.to_string()).or_insert(0);
                let delay = DEFAULT_JOB_API_BACKOFF
                    .saturating_mul(1 << (*failures).min(16))
                    .min(MAX_JOB_API_BACKOFF);
                *failures += 1;
                ctx.requeue_after(key, delay);
            }
        }
    }
}

/// What one sync knows about a Job (`syncJobCtx`).
pub(super) struct SyncJobCtx {
    pub job: Job,
    pub pods: Vec<Arc<Pod>>,
    pub finished_condition: Option<JobCondition>,
    pub active_pods: Vec<Arc<Pod>>,
    pub succeeded: i32,
    pub failed: i32,
    pub prev_succeeded_indexes: OrderedIntervals,
    pub succeeded_indexes: OrderedIntervals,
    pub failed_indexes: Option<OrderedIntervals>,
    pub new_backoff_record: BackoffRecord,
    pub uncounted_succeeded: BTreeSet<String>,
    pub uncounted_failed: BTreeSet<String>,
    pub pods_with_delayed_deletion_per_index: BTreeMap<i32, Arc<Pod>>,
    pub terminating: i32,
    pub ready: i32,
}

impl JobController {
    /// Rebuilds the orphan index after a state is loaded.
    pub(crate) fn rebuild_cache(&mut self, api: &ApiServer) {
        self.orphan_pods.clear();
        for pod in api.table::<Pod>().iter() {
            self.index_orphan(pod, false);
        }
    }

    fn index_orphan(&mut self, pod: &Pod, deleted: bool) {
        let namespace = pod.namespace();
        if !deleted && meta::controller_of(&pod.metadata).is_none() {
            self.orphan_pods
                .entry(namespace.to_string())
                .or_default()
                .insert(pod.name().to_string());
        } else if let Some(names) = self.orphan_pods.get_mut(namespace) {
            names.remove(pod.name());
            if names.is_empty() {
                self.orphan_pods.remove(namespace);
            }
        }
    }

    fn enqueue_sync_job_immediately(&mut self, key: String) {
        self.queue.add(key);
    }

    fn enqueue_sync_job_batched(&mut self, key: String, api: &ApiServer) {
        self.delayed.push((api.now() + SYNC_JOB_BATCH_PERIOD, key));
    }

    fn enqueue_orphan_pod(&mut self, pod: &Pod) {
        self.queue
            .add(format!("{ORPHAN_POD_PREFIX}{}", pod.key().queue_key()));
    }

    fn add_job(&mut self, job: &Job) {
        self.enqueue_sync_job_immediately(job.key().queue_key());
    }

    fn update_job(&mut self, old: &Job, job: &Job, api: &ApiServer) {
        let key = job.key().queue_key();
        if job.metadata.generation == old.metadata.generation {
            self.enqueue_sync_job_batched(key.clone(), api);
        } else {
            self.enqueue_sync_job_immediately(key.clone());
        }
        // The Job is finished only once its pods' finalizers are gone; this is a backup.
        if is_job_finished(job) {
            self.cleanup_pod_finalizers(job, api);
        }
        // A new activeDeadlineSeconds gets its own wake-up.
        if let Some(start) = job_status(job).start_time.as_ref()
            && let Some(deadline) = spec(job).active_deadline_seconds
            && spec(old).active_deadline_seconds != Some(deadline)
        {
            let at = clock::to_millis(start.0).saturating_add(deadline.saturating_mul(SECOND));
            if at <= api.now() {
                self.enqueue_sync_job_immediately(key);
            } else {
                self.delayed.push((at, key));
            }
        }
    }

    fn delete_job(&mut self, job: &Job, api: &ApiServer) {
        self.enqueue_sync_job_immediately(job.key().queue_key());
        self.cleanup_pod_finalizers(job, api);
    }

    /// `cleanupPodFinalizers`: the Job's pods that still hold the finalizer go to the orphan queue.
    fn cleanup_pod_finalizers(&mut self, job: &Job, api: &ApiServer) {
        let Ok(selector) = Selector::from_label_selector(spec(job).selector.as_ref()) else {
            return;
        };
        let pods: Vec<Arc<Pod>> = api
            .table::<Pod>()
            .controlled_by(job.uid())
            .filter(|pod| {
                pod.namespace() == job.namespace()
                    && selector.matches(pod.metadata.labels.as_ref())
                    && has_job_tracking_finalizer(pod)
            })
            .cloned()
            .collect();
        for pod in pods {
            self.enqueue_orphan_pod(&pod);
        }
    }

    fn add_pod(&mut self, pod: &Pod, api: &ApiServer) {
        if pod.metadata.deletion_timestamp.is_some() {
            // A pod first seen already being deleted is handled as a deletion.
            self.delete_pod_event(pod, api);
            return;
        }
        if let Some(reference) = meta::controller_of(&pod.metadata) {
            if let Some(job) = resolve_controller_ref::<Job>(api, pod.namespace(), reference) {
                self.enqueue_sync_job_batched(job.key().queue_key(), api);
            }
            return;
        }
        if has_job_tracking_finalizer(pod) {
            self.enqueue_orphan_pod(pod);
        }
        for key in get_pod_jobs(api, pod) {
            self.enqueue_sync_job_batched(key, api);
        }
    }

    fn update_pod(&mut self, old: &Pod, pod: &Pod, api: &ApiServer) {
        if pod.metadata.deletion_timestamp.is_some() {
            // A graceful deletion: the Job may replace the pod now, not once it is gone.
            self.delete_pod_event(pod, api);
            return;
        }
        let current = meta::controller_of(&pod.metadata);
        let previous = meta::controller_of(&old.metadata);
        let controller_changed = current != previous;
        if controller_changed
            && let Some(previous) = previous
            && let Some(job) = resolve_controller_ref::<Job>(api, old.namespace(), previous)
        {
            self.enqueue_sync_job_batched(job.key().queue_key(), api);
        }
        if let Some(current) = current {
            if let Some(job) = resolve_controller_ref::<Job>(api, pod.namespace(), current) {
                self.enqueue_sync_job_batched(job.key().queue_key(), api);
            }
            return;
        }
        if has_job_tracking_finalizer(pod) {
            self.enqueue_orphan_pod(pod);
        }
        if pod.metadata.labels != old.metadata.labels || controller_changed {
            for key in get_pod_jobs(api, pod) {
                self.enqueue_sync_job_batched(key, api);
            }
        }
    }

    fn delete_pod_event(&mut self, pod: &Pod, api: &ApiServer) {
        let has_finalizer = has_job_tracking_finalizer(pod);
        let Some(reference) = meta::controller_of(&pod.metadata) else {
            // Perhaps the garbage collector took the reference away: clean the finalizer.
            if has_finalizer {
                self.enqueue_orphan_pod(pod);
            }
            return;
        };
        match resolve_controller_ref::<Job>(api, pod.namespace(), reference) {
            Some(job) if !is_job_finished(job) => {
                self.enqueue_sync_job_batched(job.key().queue_key(), api);
            }
            // sync_job will not remove this finalizer.
            _ if has_finalizer => self.enqueue_orphan_pod(pod),
            _ => {}
        }
    }

    /// `syncJob`.
    fn sync_job(&mut self, key: &str, ctx: &mut Context) -> Result<(), ApiError> {
        let object_key = ObjectKey::from_queue_key(key);
        let Some(shared) = ctx.api.get_by_key::<Job>(&object_key).cloned() else {
            self.pod_backoff_store.remove(key);
            return Ok(());
        };
        if managed_by_external_controller(&shared).is_some() || shared.spec.is_none() {
            return Ok(());
        }
        // A finished Job is not finished again.
        if is_job_finished(&shared) {
            self.pod_backoff_store.remove(key);
            return Ok(());
        }
        let job_object = AnyObject::Job(shared.clone());
        let mut job = shared.as_ref().clone();
        let uncounted = status_mut(&mut job)
            .uncounted_terminated_pods
            .get_or_insert_with(UncountedTerminatedPods::default)
            .clone();
        let orphan_names: Vec<String> = self
            .orphan_pods
            .get(shared.namespace())
            .map(|names| names.iter().cloned().collect())
            .unwrap_or_default();
        let pods = get_pods_for_job(ctx.api, &shared, &orphan_names);
        let active_pods: Vec<Arc<Pod>> =
            pods.iter().filter(|pod| is_active(pod)).cloned().collect();
        let now = ctx.now();
        let mut job_ctx = SyncJobCtx {
            ready: count_ready_pods(&active_pods),
            terminating: pods.iter().filter(|pod| is_terminating(pod)).count() as i32,
            active_pods,
            pods,
            job,
            finished_condition: None,
            succeeded: 0,
            failed: 0,
            prev_succeeded_indexes: OrderedIntervals::default(),
            succeeded_indexes: OrderedIntervals::default(),
            failed_indexes: None,
            new_backoff_record: BackoffRecord::default(),
            uncounted_succeeded: uncounted.succeeded.into_iter().flatten().collect(),
            uncounted_failed: uncounted.failed.into_iter().flatten().collect(),
            pods_with_delayed_deletion_per_index: BTreeMap::new(),
        };
        let mut active = job_ctx.active_pods.len() as i32;
        let (new_succeeded_pods, new_failed_pods) = get_new_finished_pods(&job_ctx);
        let status = job_status(&job_ctx.job);
        job_ctx.succeeded = status.succeeded.unwrap_or(0)
            + new_succeeded_pods.len() as i32
            + job_ctx.uncounted_succeeded.len() as i32;
        job_ctx.failed = status.failed.unwrap_or(0)
            + non_ignored_failed_pods_count(&job_ctx.job, &new_failed_pods)
            + job_ctx.uncounted_failed.len() as i32;

        // First start: startTime is set only while the Job is not suspended.
        let mut start = status
            .start_time
            .as_ref()
            .map(|time| clock::to_millis(time.0));
        if start.is_none() && !job_suspended(&job_ctx.job) {
            status_mut(&mut job_ctx.job).start_time = Some(ctx.api.now_time());
            start = Some(now);
        }
        job_ctx.new_backoff_record = BackoffRecord::new_backoff_record(
            self.pod_backoff_store.get(key),
            &new_succeeded_pods,
            &new_failed_pods,
        );

        let exceeds_backoff_limit = job_ctx.failed > backoff_limit(&job_ctx.job);
        job_ctx.finished_condition = has_success_criteria_met_condition(&job_ctx.job).cloned();
        // With SuccessCriteriaMet already set, the pod failure policy is not looked at again.
        if job_ctx.finished_condition.is_none() {
            let failure_target = find_condition_by_type(&job_ctx.job, "FailureTarget")
                .filter(|condition| condition.status == "True")
                .cloned();
            if let Some(target) = failure_target {
                job_ctx.finished_condition =
                    Some(new_failed_condition_for_failure_target(&target, ctx.api));
            } else if let Some(message) = get_fail_job_message(&job_ctx.job, &job_ctx.pods) {
                job_ctx.finished_condition = Some(new_condition(
                    "FailureTarget",
                    "True",
                    "PodFailurePolicy",
                    &message,
                    ctx.api,
                ));
            }
        }
        if job_ctx.finished_condition.is_none() {
            if exceeds_backoff_limit || past_backoff_limit_on_failure(&job_ctx.job, &job_ctx.pods) {
                job_ctx.finished_condition = Some(new_failure_condition(
                    "BackoffLimitExceeded",
                    "Job has reached the specified backoff limit",
                    ctx.api,
                ));
            } else if past_active_deadline(&job_ctx.job, now) {
                job_ctx.finished_condition = Some(new_failure_condition(
                    "DeadlineExceeded",
                    "Job was active longer than specified deadline",
                    ctx.api,
                ));
            } else if let (Some(deadline), Some(start)) =
                (spec(&job_ctx.job).active_deadline_seconds, start)
                && !job_suspended(&job_ctx.job)
            {
                ctx.requeue_at(key, start.saturating_add(deadline.saturating_mul(SECOND)));
            }
        }

        if is_indexed_job(&job_ctx.job) {
            let (previous, succeeded) = calculate_succeeded_indexes(&job_ctx.job, &job_ctx.pods);
            job_ctx.prev_succeeded_indexes = previous;
            job_ctx.succeeded_indexes = succeeded;
            job_ctx.succeeded = job_ctx.succeeded_indexes.total();
            let completions = completions(&job_ctx.job).unwrap_or(0);
            if has_backoff_limit_per_index(&job_ctx.job) {
                let failed = calculate_failed_indexes(&job_ctx.job, &job_ctx.pods);
                if job_ctx.finished_condition.is_none() {
                    if spec(&job_ctx.job)
                        .max_failed_indexes
                        .is_some_and(|max| failed.total() > max)
                    {
                        job_ctx.finished_condition = Some(new_failure_condition(
                            "MaxFailedIndexesExceeded",
                            "Job has exceeded the specified maximal number of failed indexes",
                            ctx.api,
                        ));
                    } else if failed.total() > 0
                        && failed.total() + job_ctx.succeeded_indexes.total() >= completions
                    {
                        job_ctx.finished_condition = Some(new_failure_condition(
                            "FailedIndexes",
                            "Job has failed indexes",
                            ctx.api,
                        ));
                    }
                }
                job_ctx.failed_indexes = Some(failed);
                job_ctx.pods_with_delayed_deletion_per_index =
                    get_pods_with_delayed_deletion_per_index(&job_ctx);
            }
            if job_ctx.finished_condition.is_none()
                && let Some(message) = match_success_policy(
                    spec(&job_ctx.job).success_policy.as_ref(),
                    completions,
                    &job_ctx.succeeded_indexes,
                )
            {
                job_ctx.finished_condition = Some(new_condition(
                    "SuccessCriteriaMet",
                    "True",
                    "SuccessPolicy",
                    &message,
                    ctx.api,
                ));
            }
        }

        let mut suspend_condition_changed = false;
        let mut manage_job_error = None;
        if job_ctx.finished_condition.is_some() {
            // Finishing: the active pods are deleted, and counted as failed below.
            let (deleted_ready, deleted, error) =
                delete_pods(ctx.api, &job_object, &job_ctx.active_pods, false);
            if deleted != active {
                // Some pods remain: the Job cannot be declared finished yet.
                job_ctx.finished_condition = None;
            }
            active -= deleted;
            job_ctx.terminating += deleted;
            job_ctx.ready -= deleted_ready;
            manage_job_error = error;
        } else {
            let mut manage_job_called = false;
            if job_ctx.job.metadata.deletion_timestamp.is_none() {
                let (now_active, error) = self.manage_job(ctx, key, &job_object, &mut job_ctx);
                active = now_active;
                manage_job_error = error;
                manage_job_called = true;
            }
            let complete = match completions(&job_ctx.job) {
                // A work queue is done once any pod has succeeded and none is left running;
                // failures after that first success are ignored.
                None => job_ctx.succeeded > 0 && active == 0,
                Some(completions) => job_ctx.succeeded >= completions && active == 0,
            };
            if complete {
                job_ctx.finished_condition = Some(new_condition(
                    "SuccessCriteriaMet",
                    "True",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    ctx.api,
                ));
            } else if manage_job_called {
                let now_time = ctx.api.now_time();
                let suspended = job_suspended(&job_ctx.job);
                let (status, reason, message, event) = if suspended {
                    ("True", "JobSuspended", "Job suspended", "Suspended")
                } else {
                    ("False", "JobResumed", "Job resumed", "Resumed")
                };
                let conditions = status_mut(&mut job_ctx.job)
                    .conditions
                    .get_or_insert_with(Vec::new);
                if ensure_job_condition_status(
                    conditions,
                    "Suspended",
                    status,
                    reason,
                    message,
                    &now_time,
                ) {
                    suspend_condition_changed = true;
                    record(ctx.api, &job_object, NORMAL, event, message);
                    if !suspended {
                        // activeDeadlineSeconds counts continuous activity: resuming restarts it.
                        status_mut(&mut job_ctx.job).start_time = Some(now_time);
                    }
                }
                if job_status(&job_ctx.job)
                    .conditions
                    .as_ref()
                    .is_some_and(Vec::is_empty)
                {
                    status_mut(&mut job_ctx.job).conditions = None;
                }
            }
        }

        let status = job_status(&job_ctx.job);
        let needs_status_update = suspend_condition_changed
            || active != status.active.unwrap_or(0)
            || status.ready != Some(job_ctx.ready)
            || status.terminating != Some(job_ctx.terminating);
        let status = status_mut(&mut job_ctx.job);
        status.active = Some(active);
        status.ready = Some(job_ctx.ready);
        status.terminating = Some(job_ctx.terminating);
        self.track_job_status_and_remove_finalizers(
            ctx,
            key,
            &job_object,
            &mut job_ctx,
            needs_status_update,
        )?;
        match manage_job_error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// `manageJob`: deletes excess pods or creates missing ones; returns the active count.
    fn manage_job(
        &mut self,
        ctx: &mut Context,
        key: &str,
        job_object: &AnyObject,
        job_ctx: &mut SyncJobCtx,
    ) -> (i32, Option<ApiError>) {
        let job = job_ctx.job.clone();
        let mut active = job_ctx.active_pods.len() as i32;
        let parallelism = spec(&job).parallelism.unwrap_or(0);

        if job_suspended(&job) {
            let pods_to_delete = active_pods_for_removal(&job, &job_ctx.active_pods, active);
            let (removed, error) =
                delete_unwanted_pods(ctx.api, job_object, job_ctx, &pods_to_delete);
            return (active - removed, error);
        }

        let want_active = match completions(&job) {
            // A work queue keeps its parallelism until the first success, then lets the rest finish.
            None if job_ctx.succeeded > 0 => active,
            None => parallelism,
            Some(completions) => (completions - job_ctx.succeeded).min(parallelism).max(0),
        };
        let rm_at_least = (active - want_active).max(0);
        let mut pods_to_delete = active_pods_for_removal(&job, &job_ctx.active_pods, rm_at_least);
        pods_to_delete.truncate(MAX_POD_CREATE_DELETE_PER_SYNC as usize);
        if !pods_to_delete.is_empty() {
            let (removed, error) =
                delete_unwanted_pods(ctx.api, job_object, job_ctx, &pods_to_delete);
            // A sync that deletes never also creates.
            return (active - removed, error);
        }

        let terminating = if only_replace_failed_pods(&job) {
            job_ctx.terminating
        } else {
            0
        };
        let mut diff = want_active - terminating - active;
        if diff <= 0 {
            return (active, None);
        }
        let now = ctx.now();
        let mut remaining = 0;
        if !has_backoff_limit_per_index(&job) {
            remaining = job_ctx.new_backoff_record.get_remaining_time(now);
        }
        if remaining > 0 {
            // Upstream reports no active pods while it waits out the back-off.
            ctx.requeue_after(key, remaining.max(SYNC_JOB_BATCH_PERIOD));
            return (0, None);
        }
        diff = diff.min(MAX_POD_CREATE_DELETE_PER_SYNC);
        let mut indexes_to_add = Vec::new();
        if is_indexed_job(&job) {
            indexes_to_add = first_pending_indexes(job_ctx, diff, completions(&job).unwrap_or(0));
            if has_backoff_limit_per_index(&job) {
                let (ready_now, remaining) = get_pod_creation_info_for_independent_indexes(
                    now,
                    &indexes_to_add,
                    &job_ctx.pods_with_delayed_deletion_per_index,
                );
                if remaining > 0 {
                    ctx.requeue_after(key, remaining.max(SYNC_JOB_BATCH_PERIOD));
                    return (0, None);
                }
                indexes_to_add = ready_now;
            }
            diff = indexes_to_add.len() as i32;
        }

        active += diff;
        let mut template = spec(&job).template.clone();
        if is_indexed_job(&job) {
            add_completion_index_env_variables(&mut template);
        }
        let template_meta = template.metadata.get_or_insert_with(ObjectMeta::default);
        meta::add_finalizer(template_meta, JOB_TRACKING_FINALIZER);

        // Slow start: batches of 1, 2, 4, ...; a batch with a failure stops the rest.
        let mut first_error = None;
        let mut indexes = indexes_to_add.into_iter();
        let mut batch_size = diff.min(SLOW_START_INITIAL_BATCH_SIZE as i32);
        while diff > 0 {
            let mut batch_failed = false;
            for _ in 0..batch_size {
                let index = indexes.next();
                let result = match index {
                    Some(index) => {
                        let mut indexed = template.clone();
                        add_completion_index_annotation(&mut indexed, index);
                        add_completion_index_label(&mut indexed, index);
                        indexed.spec.get_or_insert_with(Default::default).hostname =
                            Some(format!("{}-{index}", job.name()));
                        if has_backoff_limit_per_index(&job) {
                            add_index_failure_count_annotation(
                                &mut indexed,
                                &job,
                                job_ctx.pods_with_delayed_deletion_per_index.get(&index),
                            );
                        }
                        let generate_name = pod_generate_name_with_index(job.name(), index);
                        create_pod(ctx.api, &job, job_object, &indexed, Some(generate_name))
                    }
                    None => create_pod(ctx.api, &job, job_object, &template, None),
                };
                if let Err(error) = result {
                    // Creating into a terminating namespace fails quietly, as upstream.
                    if is_namespace_terminating(&error) {
                        continue;
                    }
                    active -= 1;
                    batch_failed = true;
                    first_error.get_or_insert(error);
                }
            }
            let skipped = diff - batch_size;
            if batch_failed && skipped > 0 {
                active -= skipped;
                break;
            }
            diff -= batch_size;
            batch_size = (2 * batch_size).min(diff);
        }
        (active, first_error)
    }

    /// `trackJobStatusAndRemoveFinalizers`: finished pods go into `uncountedTerminatedPods`,
    /// their finalizers come off, the counters move, and the finish condition is added once
    /// every pod is counted and none is terminating.
    fn track_job_status_and_remove_finalizers(
        &mut self,
        ctx: &mut Context,
        key: &str,
        job_object: &AnyObject,
        job_ctx: &mut SyncJobCtx,
        mut needs_flush: bool,
    ) -> Result<(), ApiError> {
        let is_indexed = is_indexed_job(&job_ctx.job);
        let completions = completions(&job_ctx.job).unwrap_or(0);
        if is_indexed {
            // Completed indexes are introduced in order.
            sort_by_completion_index(&mut job_ctx.pods);
        }
        let mut uids_with_finalizer: BTreeSet<String> = job_ctx
            .pods
            .iter()
            .filter(|pod| has_job_tracking_finalizer(pod))
            .map(|pod| pod.uid().to_string())
            .collect();
        if clean_uncounted_pods_without_finalizers(
            status_mut(&mut job_ctx.job),
            &uids_with_finalizer,
        ) {
            needs_flush = true;
        }
        let mut pods_to_remove_finalizer: Vec<Arc<Pod>> = Vec::new();
        let mut new_succeeded_indexes: Vec<i32> = Vec::new();
        let mut uncounted_succeeded = uncounted_list(&job_ctx.job, true);
        let mut uncounted_failed = uncounted_list(&job_ctx.job, false);
        let mut reached_max_uncounted_pods = false;
        let finished_is_failure = job_ctx
            .finished_condition
            .as_ref()
            .is_some_and(|condition| !is_success_criteria_met_condition(Some(condition)));
        for pod in &job_ctx.pods {
            if !has_job_tracking_finalizer(pod) {
                // Counted in an earlier sync.
                continue;
            }
            let consider_pod_failed = is_pod_failed(pod, &job_ctx.job);
            if !can_remove_finalizer(job_ctx, pod, consider_pod_failed) {
                continue;
            }
            pods_to_remove_finalizer.push(pod.clone());
            let uid = pod.uid();
            if phase(pod) == "Succeeded" && !job_ctx.uncounted_failed.contains(uid) {
                if is_indexed {
                    // The completion index is enough to avoid counting a success twice.
                    if let Some(index) = get_completion_index(pod)
                        && index < completions
                        && !job_ctx.prev_succeeded_indexes.has(index)
                    {
                        new_succeeded_indexes.push(index);
                        needs_flush = true;
                    }
                } else if !job_ctx.uncounted_succeeded.contains(uid) {
                    needs_flush = true;
                    uncounted_succeeded.push(uid.to_string());
                }
            } else if consider_pod_failed || finished_is_failure {
                // Once the Job is failing, every pod not yet terminated counts as failed.
                let index = get_completion_index(pod);
                let valid = !is_indexed || index.is_some_and(|index| index < completions);
                if !job_ctx.uncounted_failed.contains(uid) && valid {
                    let counted = match pod_failure_policy(&job_ctx.job) {
                        Some(policy) => match_pod_failure_policy(Some(policy), pod).1,
                        None => true,
                    };
                    if counted {
                        needs_flush = true;
                        uncounted_failed.push(uid.to_string());
                    }
                }
            }
            if new_succeeded_indexes.len() + uncounted_succeeded.len() + uncounted_failed.len()
                >= MAX_UNCOUNTED_PODS
            {
                // Enough for one status: the next sync carries on.
                reached_max_uncounted_pods = true;
                break;
            }
        }
        set_uncounted(&mut job_ctx.job, uncounted_succeeded, uncounted_failed);
        if is_indexed {
            job_ctx.succeeded_indexes = job_ctx
                .succeeded_indexes
                .with_ordered_indexes(&new_succeeded_indexes);
            let succeeded_text = job_ctx.succeeded_indexes.to_string();
            let status = status_mut(&mut job_ctx.job);
            if succeeded_text != status.completed_indexes.clone().unwrap_or_default() {
                needs_flush = true;
            }
            status.succeeded = Some(job_ctx.succeeded_indexes.total());
            status.completed_indexes = Some(succeeded_text);
            let failed_text = job_ctx.failed_indexes.as_ref().map(ToString::to_string);
            if status.failed_indexes != failed_text {
                status.failed_indexes = failed_text;
                needs_flush = true;
            }
        }
        if let Some(condition) = job_ctx
            .finished_condition
            .clone()
            .filter(|condition| condition.type_ == "FailureTarget")
        {
            // The interim FailureTarget is written before the finalizers come off; Failed follows.
            status_mut(&mut job_ctx.job)
                .conditions
                .get_or_insert_with(Vec::new)
                .push(condition.clone());
            needs_flush = true;
            job_ctx.finished_condition =
                Some(new_failed_condition_for_failure_target(&condition, ctx.api));
        }
        if let Some(condition) = job_ctx
            .finished_condition
            .clone()
            .filter(|condition| is_success_criteria_met_condition(Some(condition)))
        {
            if has_success_criteria_met_condition(&job_ctx.job).is_none() {
                status_mut(&mut job_ctx.job)
                    .conditions
                    .get_or_insert_with(Vec::new)
                    .push(condition.clone());
                needs_flush = true;
            }
            job_ctx.finished_condition = Some(new_condition(
                "Complete",
                "True",
                condition.reason.as_deref().unwrap_or_default(),
                condition.message.as_deref().unwrap_or_default(),
                ctx.api,
            ));
        }
        needs_flush = self.flush_uncounted_and_remove_finalizers(
            ctx,
            key,
            job_ctx,
            &pods_to_remove_finalizer,
            &mut uids_with_finalizer,
            needs_flush,
        )?;
        let job_finished = !reached_max_uncounted_pods && enact_job_finished(ctx.api, job_ctx);
        if job_finished {
            needs_flush = true;
        }
        if needs_flush {
            let updated = update_job_status(ctx.api, &job_ctx.job)?;
            job_ctx.job = updated.as_ref().clone();
            if job_finished && let Some(condition) = job_ctx.finished_condition.clone() {
                record_job_finished(ctx.api, job_object, &job_ctx.job, &condition);
            }
        }
        Ok(())
    }

    /// `flushUncountedAndRemoveFinalizers`: writes the new uncounted pods, removes their
    /// finalizers, then moves them into the counters. Returns whether a write is still pending.
    fn flush_uncounted_and_remove_finalizers(
        &mut self,
        ctx: &mut Context,
        key: &str,
        job_ctx: &mut SyncJobCtx,
        pods_to_remove_finalizer: &[Arc<Pod>],
        uids_with_finalizer: &mut BTreeSet<String>,
        mut needs_flush: bool,
    ) -> Result<bool, ApiError> {
        if needs_flush {
            let updated = update_job_status(ctx.api, &job_ctx.job)?;
            job_ctx.job = updated.as_ref().clone();
            self.pod_backoff_store
                .insert(key.to_string(), job_ctx.new_backoff_record.clone());
            needs_flush = false;
        }
        let mut removal_error = None;
        for pod in pods_to_remove_finalizer {
            match remove_tracking_finalizer(ctx.api, pod) {
                Ok(true) => {
                    uids_with_finalizer.remove(pod.uid());
                }
                Ok(false) => {}
                Err(error) => {
                    removal_error.get_or_insert(error);
                }
            }
        }
        // Counted pods leave the uncounted lists; a partial failure is written at once.
        if clean_uncounted_pods_without_finalizers(
            status_mut(&mut job_ctx.job),
            uids_with_finalizer,
        ) {
            needs_flush = true;
        }
        if let Some(error) = removal_error {
            if needs_flush {
                update_job_status(ctx.api, &job_ctx.job)?;
            }
            return Err(error);
        }
        Ok(needs_flush)
    }
}

/// `syncOrphanPod`: removes the finalizer of a pod no unfinished Job owns.
fn sync_orphan_pod(key: &str, api: &mut ApiServer) -> Result<(), ApiError> {
    let Some(pod) = api
        .get_by_key::<Pod>(&ObjectKey::from_queue_key(key))
        .cloned()
    else {
        return Ok(());
    };
    if let Some(reference) = meta::controller_of(&pod.metadata) {
        if reference.kind != "Job" || reference.api_version != "batch/v1" {
            // Some other controller's pod: not ours to clean.
            return Ok(());
        }
        if let Some(job) = resolve_controller_ref::<Job>(api, pod.namespace(), reference)
            && (managed_by_external_controller(job).is_some() || !is_job_finished(job))
        {
            return Ok(());
        }
    }
    remove_tracking_finalizer(api, &pod).map(|_| ())
}

static EMPTY_SPEC: LazyLock<JobSpec> = LazyLock::new(JobSpec::default);
static EMPTY_STATUS: LazyLock<JobStatus> = LazyLock::new(JobStatus::default);

pub(super) fn spec(job: &Job) -> &JobSpec {
    job.spec.as_ref().unwrap_or(&EMPTY_SPEC)
}

pub(super) fn job_status(job: &Job) -> &JobStatus {
    job.status.as_ref().unwrap_or(&EMPTY_STATUS)
}

fn status_mut(job: &mut Job) -> &mut JobStatus {
    job.status.get_or_insert_with(JobStatus::default)
}

pub(super) fn completions(job: &Job) -> Option<i32> {
    spec(job).completions
}

fn backoff_limit(job: &Job) -> i32 {
    spec(job).backoff_limit.unwrap_or(6)
}

pub(super) fn pod_failure_policy(job: &Job) -> Option<&PodFailurePolicy> {
    spec(job).pod_failure_policy.as_ref()
}

fn job_suspended(job: &Job) -> bool {
    spec(job).suspend == Some(true)
}

/// `managedByExternalController`: the other controller's name, when `spec.managedBy` names one.
fn managed_by_external_controller(job: &Job) -> Option<&str> {
    spec(job)
        .managed_by
        .as_deref()
        .filter(|name| *name != JOB_CONTROLLER_NAME)
}

/// `FinishedCondition`: the Complete or Failed condition that is True.
pub fn finished_condition(job: &Job) -> Option<&JobCondition> {
    job_status(job)
        .conditions
        .iter()
        .flatten()
        .find(|condition| {
            (condition.type_ == "Complete" || condition.type_ == "Failed")
                && condition.status == "True"
        })
}

/// `IsJobFinished`.
pub fn is_job_finished(job: &Job) -> bool {
    finished_condition(job).is_some()
}

pub(super) fn find_condition_by_type<'a>(job: &'a Job, type_: &str) -> Option<&'a JobCondition> {
    job_status(job)
        .conditions
        .iter()
        .flatten()
        .find(|condition| condition.type_ == type_)
}

/// `onlyReplaceFailedPods`: podReplacementPolicy Failed, or a pod failure policy.
pub(super) fn only_replace_failed_pods(job: &Job) -> bool {
    spec(job).pod_replacement_policy.as_deref() == Some("Failed")
        || pod_failure_policy(job).is_some()
}

/// `isPodFailed`: phase Failed, or (unless only failed pods are replaced) being deleted
/// without having succeeded.
pub(super) fn is_pod_failed(pod: &Pod, job: &Job) -> bool {
    if phase(pod) == "Failed" {
        return true;
    }
    if only_replace_failed_pods(job) {
        return false;
    }
    pod.metadata.deletion_timestamp.is_some() && phase(pod) != "Succeeded"
}

/// `controller.FilterActivePods`: not terminal and not being deleted.
fn is_active(pod: &Pod) -> bool {
    !is_pod_terminal(pod) && pod.metadata.deletion_timestamp.is_none()
}

fn count_ready_pods(pods: &[Arc<Pod>]) -> i32 {
    pods.iter().filter(|pod| is_pod_ready(pod)).count() as i32
}

/// `controller.ActivePods`: the order pods are deleted in. Unassigned before assigned, Pending
/// before Unknown before Running, not ready before ready, ready more recently first, more
/// restarts first, newer first; by name when all else is equal, so the order is reproducible.
pub(super) fn active_pods_ordering(a: &Pod, b: &Pod) -> Ordering {
    let node = |pod: &Pod| {
        pod.spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .unwrap_or_default()
    };
    let (node_a, node_b) = (node(a), node(b));
    if node_a != node_b && (node_a.is_empty() || node_b.is_empty()) {
        return if node_a.is_empty() {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    let ordinal = |pod: &Pod| match phase(pod) {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if ordinal(a) != ordinal(b) {
        return ordinal(a).cmp(&ordinal(b));
    }
    let (ready_a, ready_b) = (is_pod_ready(a), is_pod_ready(b));
    if ready_a != ready_b {
        return if ready_a {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    let time = |time: Option<&Time>| time.map(|time| clock::to_millis(time.0));
    if ready_a {
        let ready_time = |pod: &Pod| {
            time(ready_condition(pod).and_then(|condition| condition.last_transition_time.as_ref()))
        };
        let (time_a, time_b) = (ready_time(a), ready_time(b));
        if time_a != time_b {
            return after_or_zero(time_a, time_b);
        }
    }
    let restarts = |pod: &Pod| {
        pod.status
            .as_ref()
            .and_then(|status| status.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .map(|status| status.restart_count)
            .max()
            .unwrap_or(0)
    };
    if restarts(a) != restarts(b) {
        return restarts(b).cmp(&restarts(a));
    }
    let (created_a, created_b) = (
        time(a.metadata.creation_timestamp.as_ref()),
        time(b.metadata.creation_timestamp.as_ref()),
    );
    if created_a != created_b {
        return after_or_zero(created_a, created_b);
    }
    a.name().cmp(b.name())
}

/// `afterOrZero` as an ordering: a missing time first, then the later time first.
fn after_or_zero(a: Option<Millis>, b: Option<Millis>) -> Ordering {
    match (a, b) {
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(a), Some(b)) => b.cmp(&a),
    }
}

/// `activePodsForRemoval`: an Indexed Job first drops duplicate and out-of-range indexes, then
/// pods in the order above until `rm_at_least` are chosen.
fn active_pods_for_removal(job: &Job, pods: &[Arc<Pod>], rm_at_least: i32) -> Vec<Arc<Pod>> {
    let mut rm = Vec::new();
    let mut left = Vec::new();
    if is_indexed_job(job) {
        append_duplicated_index_pods_for_removal(
            &mut rm,
            &mut left,
            pods,
            completions(job).unwrap_or(0),
        );
    } else {
        left = pods.to_vec();
    }
    let rm_at_least = rm_at_least.max(0) as usize;
    if rm.len() < rm_at_least {
        left.sort_by(|a, b| active_pods_ordering(a, b));
        let more = (rm_at_least - rm.len()).min(left.len());
        rm.extend(left.into_iter().take(more));
    }
    rm
}

/// `getPodCreationInfoForIndependentIndexes`: the indexes whose back-off has passed, or else the
/// shortest wait among them.
fn get_pod_creation_info_for_independent_indexes(
    now: Millis,
    indexes_to_add: &[i32],
    pods_with_delayed_deletion_per_index: &BTreeMap<i32, Arc<Pod>>,
) -> (Vec<i32>, Millis) {
    let mut ready_now = Vec::new();
    let mut min_remaining: Option<Millis> = None;
    for &index in indexes_to_add {
        let remaining =
            get_remaining_time_per_index(now, pods_with_delayed_deletion_per_index.get(&index));
        if remaining == 0 {
            ready_now.push(index);
        } else if min_remaining.is_none_or(|min| remaining < min) {
            min_remaining = Some(remaining);
        }
    }
    if !ready_now.is_empty() {
        return (ready_now, 0);
    }
    (ready_now, min_remaining.unwrap_or(0))
}

/// `getPodsForJob` with `ClaimPods`: the Job's own pods whose labels still match (others are
/// released), plus matching orphans (from the orphan index), adopted with the tracking finalizer.
fn get_pods_for_job(api: &mut ApiServer, job: &Job, orphan_names: &[String]) -> Vec<Arc<Pod>> {
    let Ok(selector) = Selector::from_label_selector(spec(job).selector.as_ref()) else {
        return Vec::new();
    };
    let candidates: Vec<Arc<Pod>> = api
        .table::<Pod>()
        .controlled_by(job.uid())
        .filter(|pod| pod.namespace() == job.namespace())
        .chain(
            orphan_names
                .iter()
                .filter_map(|name| api.get::<Pod>(job.namespace(), name)),
        )
        .cloned()
        .collect();
    claim_objects(api, job, &selector, candidates, &[JOB_TRACKING_FINALIZER])
}

/// `GetPodJobs`: the keys of the Jobs in the pod's namespace whose selector matches it.
fn get_pod_jobs(api: &ApiServer, pod: &Pod) -> Vec<String> {
    if meta::labels(&pod.metadata).is_empty() {
        return Vec::new();
    }
    api.table::<Job>()
        .in_namespace(pod.namespace())
        .filter(|job| {
            Selector::from_label_selector(spec(job).selector.as_ref())
                .is_ok_and(|selector| selector.matches(pod.metadata.labels.as_ref()))
        })
        .map(|job| job.key().queue_key())
        .collect()
}

/// `getValidPodsWithFilter`: pods still holding the finalizer, not in `uncounted`, with a valid
/// index for Indexed Jobs, that pass `filter`.
pub(super) fn get_valid_pods_with_filter(
    job_ctx: &SyncJobCtx,
    uncounted: &BTreeSet<String>,
    filter: impl Fn(&Pod) -> bool,
) -> Vec<Arc<Pod>> {
    let indexed = is_indexed_job(&job_ctx.job);
    let completions = completions(&job_ctx.job).unwrap_or(0);
    job_ctx
        .pods
        .iter()
        .filter(|pod| has_job_tracking_finalizer(pod) && !uncounted.contains(pod.uid()))
        .filter(|pod| {
            !indexed || get_completion_index(pod).is_some_and(|index| index < completions)
        })
        .filter(|pod| filter(pod))
        .cloned()
        .collect()
}

/// `getNewFinishedPods`: pods that succeeded or failed and are not counted yet.
fn get_new_finished_pods(job_ctx: &SyncJobCtx) -> (Vec<Arc<Pod>>, Vec<Arc<Pod>>) {
    let succeeded = get_valid_pods_with_filter(job_ctx, &job_ctx.uncounted_succeeded, |pod| {
        phase(pod) == "Succeeded"
    });
    let failed = get_valid_pods_with_filter(job_ctx, &job_ctx.uncounted_failed, |pod| {
        is_pod_failed(pod, &job_ctx.job)
    });
    (succeeded, failed)
}

/// `nonIgnoredFailedPodsCount`: failures an Ignore rule does not discount.
fn non_ignored_failed_pods_count(job: &Job, failed_pods: &[Arc<Pod>]) -> i32 {
    match pod_failure_policy(job) {
        Some(policy) => failed_pods
            .iter()
            .filter(|pod| match_pod_failure_policy(Some(policy), pod).1)
            .count() as i32,
        None => failed_pods.len() as i32,
    }
}

/// `getFailJobMessage`: the message of the first failed pod that matches a FailJob rule.
fn get_fail_job_message(job: &Job, pods: &[Arc<Pod>]) -> Option<String> {
    let policy = pod_failure_policy(job)?;
    pods.iter()
        .filter(|pod| is_pod_failed(pod, job))
        .find_map(|pod| match_pod_failure_policy(Some(policy), pod).0)
}

/// `pastBackoffLimitOnFailure`: with OnFailure, the container restarts of running and pending
/// pods reach backoffLimit (any restart, when the limit is 0).
fn past_backoff_limit_on_failure(job: &Job, pods: &[Arc<Pod>]) -> bool {
    let restart_policy = spec(job)
        .template
        .spec
        .as_ref()
        .and_then(|spec| spec.restart_policy.as_deref());
    if restart_policy != Some("OnFailure") {
        return false;
    }
    let restarts: i64 = pods
        .iter()
        .filter(|pod| matches!(phase(pod), "Running" | "Pending"))
        .filter_map(|pod| pod.status.as_ref())
        .flat_map(|status| {
            status
                .init_container_statuses
                .iter()
                .flatten()
                .chain(status.container_statuses.iter().flatten())
        })
        .map(|status| i64::from(status.restart_count))
        .sum();
    let limit = i64::from(backoff_limit(job));
    if limit == 0 {
        return restarts > 0;
    }
    restarts >= limit
}

/// `pastActiveDeadline`: never while suspended.
fn past_active_deadline(job: &Job, now: Millis) -> bool {
    let (Some(deadline), Some(start)) = (
        spec(job).active_deadline_seconds,
        job_status(job).start_time.as_ref(),
    ) else {
        return false;
    };
    if job_suspended(job) {
        return false;
    }
    now.saturating_sub(clock::to_millis(start.0)) >= deadline.saturating_mul(SECOND)
}

fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    api: &ApiServer,
) -> JobCondition {
    let now = api.now_time();
    JobCondition {
        type_: type_.into(),
        status: status.into(),
        last_probe_time: Some(now.clone()),
        last_transition_time: Some(now),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        message: (!message.is_empty()).then(|| message.to_string()),
    }
}

/// `newFailureCondition`: with the 1.31 gates the failure is first a FailureTarget.
fn new_failure_condition(reason: &str, message: &str, api: &ApiServer) -> JobCondition {
    new_condition("FailureTarget", "True", reason, message, api)
}

fn new_failed_condition_for_failure_target(target: &JobCondition, api: &ApiServer) -> JobCondition {
    new_condition(
        "Failed",
        "True",
        target.reason.as_deref().unwrap_or_default(),
        target.message.as_deref().unwrap_or_default(),
        api,
    )
}

/// `ensureJobConditionStatus`: updates or appends a condition; a False one is never appended.
fn ensure_job_condition_status(
    conditions: &mut Vec<JobCondition>,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: &Time,
) -> bool {
    let fresh = JobCondition {
        type_: type_.into(),
        status: status.into(),
        last_probe_time: Some(now.clone()),
        last_transition_time: Some(now.clone()),
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        message: (!message.is_empty()).then(|| message.to_string()),
    };
    if let Some(existing) = conditions
        .iter_mut()
        .find(|condition| condition.type_ == type_)
    {
        if existing.status != status
            || existing.reason.as_deref().unwrap_or_default() != reason
            || existing.message.as_deref().unwrap_or_default() != message
        {
            *existing = fresh;
            return true;
        }
        return false;
    }
    if status != "False" {
        conditions.push(fresh);
        return true;
    }
    false
}

/// `canRemoveFinalizer`: when the Job is going away or finishing, the pod succeeded, or it
/// failed and its index is not waiting to pass its failure count on to a replacement.
fn can_remove_finalizer(job_ctx: &SyncJobCtx, pod: &Pod, consider_pod_failed: bool) -> bool {
    if job_ctx.job.metadata.deletion_timestamp.is_some()
        || job_ctx.finished_condition.is_some()
        || phase(pod) == "Succeeded"
    {
        return true;
    }
    if !consider_pod_failed {
        return false;
    }
    if has_backoff_limit_per_index(&job_ctx.job)
        && let Some(index) = get_completion_index(pod)
        && job_ctx
            .pods_with_delayed_deletion_per_index
            .get(&index)
            .is_some_and(|delayed| delayed.uid() == pod.uid())
    {
        return false;
    }
    true
}

fn uncounted_list(job: &Job, succeeded: bool) -> Vec<String> {
    let uncounted = job_status(job).uncounted_terminated_pods.as_ref();
    let list = if succeeded {
        uncounted.and_then(|uncounted| uncounted.succeeded.clone())
    } else {
        uncounted.and_then(|uncounted| uncounted.failed.clone())
    };
    list.unwrap_or_default()
}

fn set_uncounted(job: &mut Job, succeeded: Vec<String>, failed: Vec<String>) {
    status_mut(job).uncounted_terminated_pods = Some(UncountedTerminatedPods {
        succeeded: (!succeeded.is_empty()).then_some(succeeded),
        failed: (!failed.is_empty()).then_some(failed),
    });
}

/// `cleanUncountedPodsWithoutFinalizers`: uids whose finalizer is gone move into the counters.
fn clean_uncounted_pods_without_finalizers(
    status: &mut JobStatus,
    uids_with_finalizer: &BTreeSet<String>,
) -> bool {
    let uncounted = status
        .uncounted_terminated_pods
        .get_or_insert_with(UncountedTerminatedPods::default);
    let mut updated = false;
    let mut moved_succeeded = 0;
    let mut moved_failed = 0;
    for (list, moved) in [
        (&mut uncounted.succeeded, &mut moved_succeeded),
        (&mut uncounted.failed, &mut moved_failed),
    ] {
        let before: Vec<String> = list.take().unwrap_or_default();
        let kept: Vec<String> = before
            .iter()
            .filter(|uid| uids_with_finalizer.contains(*uid))
            .cloned()
            .collect();
        if kept.len() != before.len() {
            updated = true;
            *moved = (before.len() - kept.len()) as i32;
        }
        *list = (!kept.is_empty()).then_some(kept);
    }
    if moved_succeeded > 0 {
        status.succeeded = Some(status.succeeded.unwrap_or(0) + moved_succeeded);
    }
    if moved_failed > 0 {
        status.failed = Some(status.failed.unwrap_or(0) + moved_failed);
    }
    updated
}

/// `enactJobFinished`: adds Complete or Failed once no pod is uncounted or terminating.
fn enact_job_finished(api: &ApiServer, job_ctx: &mut SyncJobCtx) -> bool {
    let Some(condition) = job_ctx.finished_condition.clone() else {
        return false;
    };
    let uncounted = job_status(&job_ctx.job).uncounted_terminated_pods.as_ref();
    let pending = uncounted.map_or(0, |uncounted| {
        uncounted.succeeded.as_ref().map_or(0, Vec::len)
            + uncounted.failed.as_ref().map_or(0, Vec::len)
    });
    if pending > 0 || job_ctx.terminating > 0 {
        return false;
    }
    let now = api.now_time();
    let status = status_mut(&mut job_ctx.job);
    ensure_job_condition_status(
        status.conditions.get_or_insert_with(Vec::new),
        &condition.type_,
        &condition.status,
        condition.reason.as_deref().unwrap_or_default(),
        condition.message.as_deref().unwrap_or_default(),
        &now,
    );
    if condition.type_ == "Complete" {
        status.completion_time = condition.last_transition_time.clone();
    }
    true
}

/// `recordJobFinished`: the events of a finished Job.
fn record_job_finished(
    api: &mut ApiServer,
    job_object: &AnyObject,
    job: &Job,
    condition: &JobCondition,
) {
    if condition.type_ == "Complete" {
        if completions(job)
            .is_some_and(|completions| job_status(job).succeeded.unwrap_or(0) > completions)
        {
            record(
                api,
                job_object,
                WARNING,
                "TooManySucceededPods",
                "Too many succeeded pods running after completion count reached",
            );
        }
        record(api, job_object, NORMAL, "Completed", "Job completed");
    } else {
        record(
            api,
            job_object,
            WARNING,
            condition.reason.as_deref().unwrap_or_default(),
            condition.message.as_deref().unwrap_or_default(),
        );
    }
}

fn record(api: &mut ApiServer, job: &AnyObject, event_type: &str, reason: &str, message: &str) {
    api.record_event(job, event_type, reason, message, JOB_CONTROLLER_COMPONENT);
}

/// `updateJobStatus`, with the zero counters left out as the API's `omitempty` leaves them.
fn update_job_status(api: &mut ApiServer, job: &Job) -> Result<Arc<Job>, ApiError> {
    let mut job = job.clone();
    let status = status_mut(&mut job);
    for counter in [
        &mut status.active,
        &mut status.succeeded,
        &mut status.failed,
    ] {
        if *counter == Some(0) {
            *counter = None;
        }
    }
    if status.completed_indexes.as_deref() == Some("") {
        status.completed_indexes = None;
    }
    api.update_status(job)
}

/// `GetPodFromTemplate`: the template's labels, annotations, finalizers and spec, named
/// `<job>-xxxxx` (or `generate_name`) and controlled by the Job.
fn create_pod(
    api: &mut ApiServer,
    job: &Job,
    job_object: &AnyObject,
    template: &PodTemplateSpec,
    generate_name: Option<String>,
) -> Result<(), ApiError> {
    let template_meta = template.metadata.clone().unwrap_or_default();
    let pod = Pod {
        metadata: ObjectMeta {
            namespace: Some(job.namespace().to_string()),
            generate_name: Some(generate_name.unwrap_or_else(|| format!("{}-", job.name()))),
            labels: template_meta.labels,
            annotations: template_meta.annotations,
            finalizers: template_meta.finalizers,
            owner_references: Some(vec![meta::new_controller_ref(job)]),
            ..ObjectMeta::default()
        },
        spec: template.spec.clone(),
        status: None,
    };
    if meta::labels(&pod.metadata).is_empty() {
        return Err(ApiError::new(
            StatusReason::InternalError,
            "unable to create pods, no labels",
        ));
    }
    match api.create(pod) {
        Ok(created) => {
            let message = format!("Created pod: {}", created.name());
            record(api, job_object, NORMAL, "SuccessfulCreate", &message);
            Ok(())
        }
        Err(error) => {
            if !is_namespace_terminating(&error) {
                let message = format!("Error creating: {}", error.message);
                record(api, job_object, WARNING, "FailedCreate", &message);
            }
            Err(error)
        }
    }
}

fn is_namespace_terminating(error: &ApiError) -> bool {
    error.reason == StatusReason::Forbidden
        && error.message.contains("because it is being terminated")
}

/// `podControl.DeletePod`, with its events.
fn delete_pod(api: &mut ApiServer, job_object: &AnyObject, pod: &Pod) -> Result<(), ApiError> {
    match api.delete::<Pod>(&pod.key(), &DeleteOptions::default()) {
        Ok(_) => {
            let message = format!("Deleted pod: {}", pod.name());
            record(api, job_object, NORMAL, "SuccessfulDelete", &message);
            Ok(())
        }
        Err(error) if error.is_not_found() => Err(error),
        Err(error) => {
            let message = format!("Error deleting: {}", error.message);
            record(api, job_object, WARNING, "FailedDelete", &message);
            Err(ApiError::new(
                error.reason,
                format!("unable to delete pods: {}", error.message),
            ))
        }
    }
}

/// `deleteActivePods` (`remove_finalizers` false: a finishing Job's pods keep their finalizers
/// so they are counted as failed) and `deleteJobPods` (true: an excess or suspended pod is not a
/// failure). Returns the ready pods deleted, the pods deleted, and the first error.
fn delete_pods(
    api: &mut ApiServer,
    job_object: &AnyObject,
    pods: &[Arc<Pod>],
    remove_finalizers: bool,
) -> (i32, i32, Option<ApiError>) {
    let mut deleted = pods.len() as i32;
    let mut deleted_ready = 0;
    let mut first_error = None;
    for pod in pods {
        if remove_finalizers && let Err(error) = remove_tracking_finalizer(api, pod) {
            deleted -= 1;
            first_error.get_or_insert(error);
            continue;
        }
        if let Err(error) = delete_pod(api, job_object, pod)
            && !error.is_not_found()
        {
            deleted -= 1;
            first_error.get_or_insert(error);
        }
        if is_pod_ready(pod) {
            deleted_ready += 1;
        }
    }
    (deleted_ready, deleted, first_error)
}

/// Deletes pods the Job no longer wants (`deleteJobPods`) and counts them as terminating.
fn delete_unwanted_pods(
    api: &mut ApiServer,
    job_object: &AnyObject,
    job_ctx: &mut SyncJobCtx,
    pods: &[Arc<Pod>],
) -> (i32, Option<ApiError>) {
    let (removed_ready, removed, error) = delete_pods(api, job_object, pods, true);
    job_ctx.terminating += removed;
    job_ctx.ready -= removed_ready;
    (removed, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, node: &str, phase: &str, ready: bool, created: i64) -> Pod {
        use k8s_openapi::api::core::v1::{PodCondition, PodSpec, PodStatus};
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                creation_timestamp: Some(Time(clock::to_timestamp(created * SECOND))),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec {
                node_name: (!node.is_empty()).then(|| node.to_string()),
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                conditions: Some(vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    last_transition_time: Some(Time(clock::to_timestamp(created * SECOND))),
                    ..PodCondition::default()
                }]),
                ..PodStatus::default()
            }),
        }
    }

    #[test]
    fn deletion_order_prefers_pods_in_earlier_stages() {
        let mut pods = [
            pod("running-ready-old", "n1", "Running", true, 1),
            pod("running-ready-new", "n1", "Running", true, 5),
            pod("running-unready", "n1", "Running", false, 1),
            pod("pending", "n1", "Pending", false, 1),
            pod("unscheduled", "", "Pending", false, 1),
        ];
        pods.sort_by(active_pods_ordering);
        let names: Vec<&str> = pods.iter().map(|pod| pod.name()).collect();
        assert_eq!(
            names,
            [
                "unscheduled",
                "pending",
                "running-unready",
                "running-ready-new",
                "running-ready-old"
            ]
        );
    }

    #[test]
    fn conditions_are_appended_only_when_true() {
        let now = Time(clock::to_timestamp(0));
        let mut conditions = Vec::new();
        assert!(!ensure_job_condition_status(
            &mut conditions,
            "Suspended",
            "False",
            "JobResumed",
            "Job resumed",
            &now
        ));
        assert!(conditions.is_empty());
        assert!(ensure_job_condition_status(
            &mut conditions,
            "Suspended",
            "True",
            "JobSuspended",
            "Job suspended",
            &now
        ));
        assert!(!ensure_job_condition_status(
            &mut conditions,
            "Suspended",
            "True",
            "JobSuspended",
            "Job suspended",
            &now
        ));
        assert!(ensure_job_condition_status(
            &mut conditions,
            "Suspended",
            "False",
            "JobResumed",
            "Job resumed",
            &now
        ));
        assert_eq!(conditions.len(), 1);
        assert_eq!(conditions[0].status, "False");
    }

    #[test]
    fn uncounted_pods_move_into_the_counters() {
        let mut status = JobStatus {
            succeeded: Some(2),
            uncounted_terminated_pods: Some(UncountedTerminatedPods {
                succeeded: Some(vec!["a".into(), "b".into()]),
                failed: Some(vec!["c".into()]),
            }),
            ..JobStatus::default()
        };
        let with_finalizer = BTreeSet::from(["b".to_string()]);
        assert!(clean_uncounted_pods_without_finalizers(
            &mut status,
            &with_finalizer
        ));
        assert_eq!(status.succeeded, Some(3));
        assert_eq!(status.failed, Some(1));
        assert_eq!(
            status.uncounted_terminated_pods,
            Some(UncountedTerminatedPods {
                succeeded: Some(vec!["b".into()]),
                failed: None,
            })
        );
    }
}
