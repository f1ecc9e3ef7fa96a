//! What each workload did over time, for timelines: the lifetimes of its pods (DaemonSets and
//! Jobs) and of its Jobs (CronJobs), and a CronJob's runs that never became Jobs (skipped by
//! Forbid, missed). The API keeps none of this for long: finished pods and Jobs are deleted (by
//! history limits, TTLs, rollouts) and events expire after an hour, so the history records it from
//! the watch events as they happen.
//!
//! Memory stays flat over a long run: each workload keeps its latest entries only, and a
//! workload's history goes with the workload.

use std::collections::{BTreeMap, VecDeque};

use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, meta};
use crate::apiserver::{ApiServer, WatchEvent, WatchEventType};
use crate::clock::{self, Millis};
use crate::controller::cronjob;
use crate::controller::job::JOB_COMPLETION_INDEX_ANNOTATION;
use crate::cron;

/// Pods kept per DaemonSet or Job: more than a timeline shows, and more than the parallelism
/// most Jobs run at, so running pods are never the ones forgotten.
pub const PODS_PER_WORKLOAD: usize = 256;
/// Jobs kept per CronJob.
pub const JOBS_PER_CRON_JOB: usize = 100;
/// Skipped and missed runs kept per CronJob.
pub const MARKS_PER_CRON_JOB: usize = 100;

/// The annotation `kubectl create job --from=cronjob/X` puts on a Job started by hand.
pub const INSTANTIATE_ANNOTATION: &str = "cronjob.kubernetes.io/instantiate";

/// How a pod's or a Job's run ended, or that it has not yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Active,
    Succeeded,
    Failed,
    /// Deleted before it finished (by a person, a rollout, a suspend or a drain).
    Deleted,
    /// A CronJob with `concurrencyPolicy: Replace` deleted it for a newer run.
    Replaced,
}

/// One pod of a DaemonSet or a Job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRun {
    pub name: String,
    pub uid: String,
    pub created: Millis,
    /// When it was first seen Running (its containers started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Millis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<Millis>,
    pub outcome: Outcome,
    /// The completion index of an Indexed Job's pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

/// One Job of a CronJob.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRun {
    pub name: String,
    pub uid: String,
    /// The schedule time it ran for; none for a Job started by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<Millis>,
    pub created: Millis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished: Option<Millis>,
    pub outcome: Outcome,
    /// Started with `kubectl create job --from=cronjob/...`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub manual: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkKind {
    /// `concurrencyPolicy: Forbid` and a Job still active (`JobAlreadyActive`).
    Skipped,
    /// Too late to start within `startingDeadlineSeconds` (`MissSchedule`).
    Missed,
}

/// A CronJob's scheduled run that created no Job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleMark {
    pub at: Millis,
    pub kind: MarkKind,
    pub message: String,
}

/// One workload's history, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkloadHistory {
    #[serde(skip_serializing_if = "VecDeque::is_empty")]
    pub pods: VecDeque<PodRun>,
    #[serde(skip_serializing_if = "VecDeque::is_empty")]
    pub jobs: VecDeque<JobRun>,
    #[serde(skip_serializing_if = "VecDeque::is_empty")]
    pub marks: VecDeque<ScheduleMark>,
}

/// Every workload's history, by the workload's uid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct History {
    workloads: BTreeMap<String, WorkloadHistory>,
}

impl History {
    pub fn workload(&self, uid: &str) -> Option<&WorkloadHistory> {
        self.workloads.get(uid)
    }

    pub fn len(&self) -> usize {
        self.workloads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.workloads.is_empty()
    }

    /// Records what one watch event says, at the API server's current time (events are delivered
    /// at the instant of the change).
    pub fn observe(&mut self, event: &WatchEvent, api: &ApiServer) {
        let now = api.now();
        let deleted = event.event_type == WatchEventType::Deleted;
        match &event.object {
            AnyObject::Pod(pod) => self.observe_pod(pod, deleted, now, api),
            AnyObject::Job(job) => {
                if deleted {
                    self.workloads.remove(meta_uid(&job.metadata));
                }
                self.observe_job(job, deleted, now, api);
            }
            AnyObject::DaemonSet(_) | AnyObject::CronJob(_) if deleted => {
                self.workloads.remove(event.object.uid());
            }
            AnyObject::Event(recorded) if !deleted => self.observe_event(recorded, now, api),
            _ => {}
        }
    }

    /// The history of `owner_uid` to write into, if that workload still exists: events about a
    /// workload's pods or Jobs that arrive after it was deleted (its dependents are collected
    /// afterwards) start nothing.
    fn entry(&mut self, owner_uid: &str, api: &ApiServer) -> Option<&mut WorkloadHistory> {
        if !self.workloads.contains_key(owner_uid) {
            api.store().by_uid(owner_uid)?;
        }
        Some(self.workloads.entry(owner_uid.to_string()).or_default())
    }

    /// The history of the workload of one of `kinds` that controls `meta`, with its reference.
    fn controller_history(
        &mut self,
        meta: &ObjectMeta,
        kinds: &[&str],
        api: &ApiServer,
    ) -> Option<(&mut WorkloadHistory, OwnerReference)> {
        let owner = meta::controller_of(meta)
            .filter(|owner| kinds.contains(&owner.kind.as_str()))?
            .clone();
        Some((self.entry(&owner.uid, api)?, owner))
    }

    fn observe_pod(&mut self, pod: &Pod, deleted: bool, now: Millis, api: &ApiServer) {
        let Some((history, _)) = self.controller_history(&pod.metadata, &["DaemonSet", "Job"], api)
        else {
            return;
        };
        let uid = meta_uid(&pod.metadata);
        let run = run_of(&mut history.pods, uid, deleted, PODS_PER_WORKLOAD, || {
            PodRun {
                name: pod.metadata.name.clone().unwrap_or_default(),
                uid: uid.to_string(),
                created: created(&pod.metadata, now),
                started: None,
                finished: None,
                outcome: Outcome::Active,
                index: meta::annotations(&pod.metadata)
                    .get(JOB_COMPLETION_INDEX_ANNOTATION)
                    .and_then(|index| index.parse().ok()),
                node: None,
            }
        });
        let Some(run) = run else {
            return;
        };
        if let Some(node) = pod.spec.as_ref().and_then(|spec| spec.node_name.as_ref()) {
            run.node.get_or_insert_with(|| node.clone());
        }
        if run.outcome != Outcome::Active {
            return;
        }
        let phase = pod
            .status
            .as_ref()
            .and_then(|status| status.phase.as_deref());
        if phase == Some("Running") && run.started.is_none() {
            run.started = Some(now);
        }
        let outcome = match phase {
            Some("Succeeded") => Outcome::Succeeded,
            Some("Failed") => Outcome::Failed,
            _ if deleted || pod.metadata.deletion_timestamp.is_some() => Outcome::Deleted,
            _ => return,
        };
        run.outcome = outcome;
        run.finished = Some(now);
    }

    fn observe_job(&mut self, job: &Job, deleted: bool, now: Millis, api: &ApiServer) {
        let Some((history, owner)) = self.controller_history(&job.metadata, &["CronJob"], api)
        else {
            return;
        };
        let uid = meta_uid(&job.metadata);
        let annotations = meta::annotations(&job.metadata);
        let scheduled = annotations
            .get(cronjob::CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION)
            .and_then(|time| time.parse().ok())
            .map(clock::to_millis);
        if !deleted
            && let Some(scheduled) = scheduled
            && !history.jobs.iter().any(|run| run.uid == uid)
        {
            let namespace = job.metadata.namespace.as_deref().unwrap_or("default");
            note_unmet_times(history, api, namespace, &owner.name, scheduled);
        }
        let run = run_of(&mut history.jobs, uid, deleted, JOBS_PER_CRON_JOB, || {
            JobRun {
                name: job.metadata.name.clone().unwrap_or_default(),
                uid: uid.to_string(),
                scheduled,
                created: created(&job.metadata, now),
                finished: None,
                outcome: Outcome::Active,
                manual: annotations
                    .get(INSTANTIATE_ANNOTATION)
                    .is_some_and(|value| value == "manual"),
            }
        });
        let Some(run) = run else {
            return;
        };
        if run.outcome != Outcome::Active {
            return;
        }
        let conditions = job
            .status
            .as_ref()
            .and_then(|status| status.conditions.as_deref())
            .unwrap_or_default();
        let holds = |type_: &str| {
            conditions
                .iter()
                .any(|condition| condition.type_ == type_ && condition.status == "True")
        };
        let outcome = if holds("Complete") {
            Outcome::Succeeded
        } else if holds("Failed") {
            Outcome::Failed
        } else if deleted || job.metadata.deletion_timestamp.is_some() {
            Outcome::Deleted
        } else {
            return;
        };
        run.outcome = outcome;
        run.finished = Some(now);
    }

    /// The CronJob controller's events about runs that left no Job behind, or no finished one.
    /// The controller says so again at each sync until that schedule time passes, so a mark is
    /// the schedule time it was about, recorded once.
    fn observe_event(&mut self, recorded: &Event, now: Millis, api: &ApiServer) {
        let involved = &recorded.involved_object;
        if involved.kind.as_deref() != Some("CronJob") {
            return;
        }
        let Some(uid) = involved.uid.as_deref() else {
            return;
        };
        let message = recorded.message.clone().unwrap_or_default();
        let kind = match recorded.reason.as_deref() {
            Some("JobAlreadyActive") => MarkKind::Skipped,
            Some("MissSchedule") => MarkKind::Missed,
            Some("SuccessfulDelete") => {
                // Under Replace the controller deletes the active Job with this event; the
                // history limit deletes finished ones with the same event, which change nothing.
                if let Some(history) = self.workloads.get_mut(uid)
                    && let Some(name) = message.strip_prefix("Deleted job ")
                    && let Some(run) = history.jobs.iter_mut().rev().find(|run| run.name == name)
                    && matches!(run.outcome, Outcome::Active | Outcome::Deleted)
                {
                    run.outcome = Outcome::Replaced;
                    run.finished.get_or_insert(now);
                }
                return;
            }
            _ => return,
        };
        let at = unmet_schedule_time(api, involved.namespace.as_deref(), involved.name.as_deref())
            .unwrap_or(now);
        // A CronJob's first scheduled run may be one that is missed: that starts its history too.
        let Some(history) = self.entry(uid, api) else {
            return;
        };
        add_mark(history, ScheduleMark { at, kind, message });
    }
}

/// A Job for `scheduled` is new: Forbid held that time back while a run was active, and started it
/// late when the run ended before the next time, so it was not skipped after all; and the times
/// since the previous run's that never ran were missed.
fn note_unmet_times(
    history: &mut WorkloadHistory,
    api: &ApiServer,
    namespace: &str,
    name: &str,
    scheduled: Millis,
) {
    history
        .marks
        .retain(|mark| !(mark.kind == MarkKind::Skipped && mark.at == scheduled));
    let previous = history
        .jobs
        .iter()
        .filter_map(|run| run.scheduled)
        .filter(|time| *time < scheduled)
        .max();
    if let Some(previous) = previous {
        for at in unmet_between(api, namespace, name, previous, scheduled) {
            add_mark(
                history,
                ScheduleMark {
                    at,
                    kind: MarkKind::Missed,
                    message: "No job was started for this schedule time".into(),
                },
            );
        }
    }
}

/// A pod's or a Job's run.
trait Run {
    fn uid(&self) -> &str;
    fn outcome(&self) -> Outcome;
}

impl Run for PodRun {
    fn uid(&self) -> &str {
        &self.uid
    }

    fn outcome(&self) -> Outcome {
        self.outcome
    }
}

impl Run for JobRun {
    fn uid(&self) -> &str {
        &self.uid
    }

    fn outcome(&self) -> Outcome {
        self.outcome
    }
}

/// The run of `uid`, recorded with `new` when first seen, forgetting a finished run to make room;
/// None for a run first seen being deleted, which there is nothing to tell of.
fn run_of<'a, T: Run>(
    runs: &'a mut VecDeque<T>,
    uid: &str,
    deleted: bool,
    limit: usize,
    new: impl FnOnce() -> T,
) -> Option<&'a mut T> {
    match runs.iter().rposition(|run| run.uid() == uid) {
        Some(position) => runs.get_mut(position),
        None if deleted => None,
        None => {
            push_bounded(runs, new(), limit, |run| run.outcome() != Outcome::Active);
            runs.back_mut()
        }
    }
}

/// Records a mark once per schedule time, keeping the marks in time order.
fn add_mark(history: &mut WorkloadHistory, mark: ScheduleMark) {
    if history.marks.iter().any(|old| old.at == mark.at) {
        return;
    }
    push_bounded(&mut history.marks, mark, MARKS_PER_CRON_JOB, |_| true);
    history.marks.make_contiguous().sort_by_key(|mark| mark.at);
}

/// Most missed times one gap between runs records: a CronJob suspended for a month under a
/// `*/1` schedule is not forty thousand marks.
const MISSED_PER_GAP: usize = 20;

/// The schedule times strictly between two runs' (the latest ones, when there are many).
fn unmet_between(
    api: &ApiServer,
    namespace: &str,
    name: &str,
    after: Millis,
    before: Millis,
) -> Vec<Millis> {
    let Some(cron_job) = api.get::<CronJob>(namespace, name) else {
        return Vec::new();
    };
    let Ok(schedule) = cron::parse_standard(&cronjob::utils::format_schedule(cron_job)) else {
        return Vec::new();
    };
    let utc = |millis: Millis| clock::to_timestamp(millis).to_zoned(jiff::tz::TimeZone::UTC);
    // A gap is walked a bounded number of times, keeping its latest times.
    let mut times: Vec<Millis> =
        std::iter::successors(schedule.next(&utc(after)), |time| schedule.next(time))
            .map(|time| clock::to_millis(time.timestamp()))
            .take_while(|time| *time < before)
            .take(10_000)
            .collect();
    let keep = times.len().saturating_sub(MISSED_PER_GAP);
    times.drain(..keep);
    times
}

/// The schedule time the CronJob controller is deciding about now (`nextScheduleTime`): the
/// most recent one it has not met.
fn unmet_schedule_time(
    api: &ApiServer,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Option<Millis> {
    let cron_job = api.get::<CronJob>(namespace.unwrap_or("default"), name?)?;
    let schedule = cron::parse_standard(&cronjob::utils::format_schedule(cron_job)).ok()?;
    let scheduled = cronjob::utils::next_schedule_time(cron_job, api.now(), &schedule).ok()??;
    Some(clock::to_millis(scheduled.time.timestamp()))
}

fn meta_uid(meta: &ObjectMeta) -> &str {
    meta.uid.as_deref().unwrap_or_default()
}

fn created(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    now: Millis,
) -> Millis {
    meta.creation_timestamp
        .as_ref()
        .map_or(now, |time| clock::to_millis(time.0))
}

/// Appends `entry`, first making room by forgetting the oldest entry that `forgettable` allows
/// (a finished run), or the oldest of all when none is.
fn push_bounded<T>(
    entries: &mut VecDeque<T>,
    entry: T,
    limit: usize,
    forgettable: impl Fn(&T) -> bool,
) {
    if entries.len() >= limit {
        let oldest = entries.iter().position(forgettable).unwrap_or(0);
        entries.remove(oldest);
    }
    entries.push_back(entry);
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSet;
    use k8s_openapi::api::batch::v1::CronJob;

    use super::*;
    use crate::Cluster;
    use crate::clock::{MINUTE, SECOND};

    fn run(cluster: &mut Cluster, line: &str) {
        let output = cluster.exec(line, "");
        assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    }

    fn apply(cluster: &mut Cluster, manifest: &str) {
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
    }

    fn job_uid(cluster: &Cluster, name: &str) -> String {
        cluster
            .api()
            .get::<Job>("default", name)
            .map(|job| job.metadata.uid.clone().unwrap_or_default())
            .unwrap_or_default()
    }

    fn pods(cluster: &Cluster, owner_uid: &str) -> Vec<PodRun> {
        cluster
            .history()
            .workload(owner_uid)
            .map(|history| history.pods.iter().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn records_each_pod_of_a_job_from_creation_to_success() {
        let mut cluster = Cluster::default_cluster();
        let start = cluster.now();
        run(
            &mut cluster,
            "kubectl create job work --image=busybox -- sh -c 'sleep 30'",
        );
        let uid = job_uid(&cluster, "work");
        cluster.advance(10 * SECOND);
        let running = pods(&cluster, &uid);
        assert_eq!(running.len(), 1);
        assert_eq!(running[0].outcome, Outcome::Active);
        assert_eq!(running[0].created, start);
        // Bound at once, ContainerCreating for the kubelet's startup delay, then Running.
        assert_eq!(
            running[0].started,
            Some(start + crate::kubelet::STARTUP_DELAY)
        );
        assert!(
            running[0]
                .node
                .as_deref()
                .is_some_and(|node| node.starts_with("node-"))
        );
        assert_eq!(running[0].index, None);

        cluster.advance(MINUTE);
        let done = pods(&cluster, &uid);
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].outcome, Outcome::Succeeded);
        assert_eq!(
            done[0].finished,
            Some(start + crate::kubelet::STARTUP_DELAY + 30 * SECOND)
        );
    }

    #[test]
    fn records_indexes_and_failures() {
        let mut cluster = Cluster::default_cluster();
        apply(
            &mut cluster,
            "
apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        command: ['sh', '-c', 'sleep 60']
",
        );
        let uid = job_uid(&cluster, "indexed");
        cluster.advance(10 * SECOND);
        let mut indexes: Vec<Option<u32>> =
            pods(&cluster, &uid).iter().map(|run| run.index).collect();
        indexes.sort();
        assert_eq!(indexes, [Some(0), Some(1), Some(2)]);

        let first = pods(&cluster, &uid)[0].name.clone();
        run(&mut cluster, &format!("sim pod fail {first}"));
        let failed = pods(&cluster, &uid);
        assert_eq!(failed[0].outcome, Outcome::Failed);
        assert_eq!(failed[0].finished, Some(cluster.now()));
        // backoffLimit 0: the Job fails and deletes its other pods.
        cluster.advance(MINUTE);
        let outcomes: Vec<Outcome> = pods(&cluster, &uid).iter().map(|run| run.outcome).collect();
        assert_eq!(
            outcomes,
            [Outcome::Failed, Outcome::Deleted, Outcome::Deleted]
        );
    }

    #[test]
    fn forgets_a_workload_with_the_workload_and_ignores_its_collected_pods() {
        let mut cluster = Cluster::default_cluster();
        run(
            &mut cluster,
            "kubectl create job work --image=busybox -- sleep 600",
        );
        let uid = job_uid(&cluster, "work");
        cluster.advance(10 * SECOND);
        assert_eq!(pods(&cluster, &uid).len(), 1);
        run(&mut cluster, "kubectl delete job work");
        cluster.advance(MINUTE);
        assert!(cluster.history().workload(&uid).is_none());
        assert!(cluster.history().is_empty());
    }

    #[test]
    fn keeps_a_bounded_number_of_pods_forgetting_finished_ones_first() {
        let mut cluster = Cluster::default_cluster();
        apply(
            &mut cluster,
            "
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: agent:1
",
        );
        let ds_uid = cluster
            .api()
            .get::<DaemonSet>("default", "agent")
            .and_then(|ds| ds.metadata.uid.clone())
            .unwrap_or_default();
        apply(
            &mut cluster,
            "
apiVersion: batch/v1
kind: Job
metadata:
  name: many
spec:
  completions: 300
  parallelism: 20
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        command: ['sleep', '5']
",
        );
        let uid = job_uid(&cluster, "many");
        cluster.advance(30 * MINUTE);
        let runs = pods(&cluster, &uid);
        assert_eq!(runs.len(), PODS_PER_WORKLOAD);
        assert!(runs.iter().all(|run| run.outcome == Outcome::Succeeded));
        // The newest are kept.
        let newest = runs.iter().map(|run| run.created).max();
        assert_eq!(runs.last().map(|run| run.created), newest);
        // The DaemonSet's long-running pods are their own workload's, untouched.
        let daemon = pods(&cluster, &ds_uid);
        assert_eq!(daemon.len(), 3);
        assert!(daemon.iter().all(|run| run.outcome == Outcome::Active));

        let mut entries = VecDeque::from([1, 2, 3]);
        push_bounded(&mut entries, 4, 3, |entry| *entry == 2);
        assert_eq!(entries, [1, 3, 4]);
        push_bounded(&mut entries, 5, 3, |_| false);
        assert_eq!(entries, [3, 4, 5]);
    }

    #[test]
    fn records_a_cron_jobs_runs_skips_misses_and_replacements() {
        let mut cluster = Cluster::default_cluster();
        let start = cluster.now();
        let manifest = |name: &str, policy: &str| {
            format!(
                "
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: '*/1 * * * *'
  concurrencyPolicy: {policy}
  startingDeadlineSeconds: 10
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: work
            image: busybox
            command: ['sleep', '150']
"
            )
        };
        apply(&mut cluster, &manifest("forbid", "Forbid"));
        apply(&mut cluster, &manifest("replace", "Replace"));
        let uid = |cluster: &Cluster, name: &str| {
            cluster
                .api()
                .get::<CronJob>("default", name)
                .and_then(|cron_job| cron_job.metadata.uid.clone())
                .unwrap_or_default()
        };
        let (forbid, replace) = (uid(&cluster, "forbid"), uid(&cluster, "replace"));
        cluster.advance(5 * MINUTE + 30 * SECOND);
        run(
            &mut cluster,
            "kubectl patch cronjob forbid -p '{\"spec\":{\"suspend\":true}}'",
        );
        cluster.advance(2 * MINUTE);
        run(
            &mut cluster,
            "kubectl patch cronjob forbid -p '{\"spec\":{\"suspend\":false}}'",
        );
        cluster.advance(MINUTE);
        let history = |cluster: &Cluster, uid: &str| {
            cluster.history().workload(uid).cloned().unwrap_or_default()
        };
        let minute = |m: i64| start + m * MINUTE;

        // Forbid: 09:01 runs 2.5 minutes, so 09:02 and 09:03 are skipped (09:03 not started
        // late: startingDeadlineSeconds has passed when the run ends at 09:03:32); 09:04 runs,
        // 09:05 is skipped; suspended from 09:05:30 to 09:07:30, and 09:08 runs: 09:06 and 09:07
        // were missed.
        let forbid = history(&cluster, &forbid);
        let runs: Vec<(Option<Millis>, Outcome)> = forbid
            .jobs
            .iter()
            .map(|run| (run.scheduled, run.outcome))
            .collect();
        assert_eq!(
            runs,
            [
                (Some(minute(1)), Outcome::Succeeded),
                (Some(minute(4)), Outcome::Succeeded),
                (Some(minute(8)), Outcome::Active),
            ]
        );
        let marks: Vec<(MarkKind, Millis)> = forbid
            .marks
            .iter()
            .map(|mark| (mark.kind, mark.at))
            .collect();
        assert_eq!(
            marks,
            [
                (MarkKind::Skipped, minute(2)),
                (MarkKind::Skipped, minute(3)),
                (MarkKind::Skipped, minute(5)),
                (MarkKind::Missed, minute(6)),
                (MarkKind::Missed, minute(7)),
            ]
        );

        // Replace: each minute's run replaces the one before.
        let replace = history(&cluster, &replace);
        let outcomes: Vec<Outcome> = replace.jobs.iter().map(|run| run.outcome).collect();
        assert_eq!(outcomes[..3], [Outcome::Replaced; 3]);
        assert_eq!(outcomes.last(), Some(&Outcome::Active));
        // The controller looks 100 ms after each schedule time.
        assert_eq!(replace.jobs[0].finished, Some(minute(2) + 100));
        assert!(replace.marks.is_empty());

        // Started by hand.
        run(
            &mut cluster,
            "kubectl create job by-hand --from=cronjob/replace",
        );
        let replace = history(&cluster, &uid(&cluster, "replace"));
        let by_hand = replace.jobs.back().cloned();
        assert!(by_hand.is_some_and(|run| run.manual && run.scheduled.is_none()));

        run(&mut cluster, "kubectl delete cronjob forbid");
        assert!(
            cluster
                .history()
                .workload(&uid(&cluster, "replace"))
                .is_some()
        );
        assert_eq!(
            cluster.history().len(),
            1 + replace
                .jobs
                .iter()
                .filter(|run| run.outcome == Outcome::Active)
                .count()
        );
    }

    #[test]
    fn survives_the_state_file_and_old_states_load() {
        let mut cluster = Cluster::default_cluster();
        run(
            &mut cluster,
            "kubectl create job work --image=busybox -- sleep 5",
        );
        cluster.advance(MINUTE);
        assert_eq!(cluster.history().len(), 1);
        let saved = cluster.save_state();
        let loaded = match Cluster::load_state(&saved) {
            Ok(loaded) => loaded,
            Err(error) => panic!("{error}"),
        };
        assert_eq!(loaded.history(), cluster.history());
        assert_eq!(loaded.save_state(), saved);

        let mut old: serde_json::Value = serde_json::from_str(&saved).unwrap_or_default();
        if let Some(file) = old.as_object_mut() {
            file.remove("history");
        }
        let loaded = Cluster::load_state(&old.to_string());
        assert!(loaded.is_ok_and(|cluster| cluster.history().is_empty()));
    }
}
