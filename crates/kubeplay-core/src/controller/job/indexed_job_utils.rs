//! Indexed Jobs (`indexed_job_utils.go`): completion indexes, their compressed interval form
//! (`1,3-5,7`), which indexes still need a pod, duplicate pods of one index, and the per-index
//! failure counts of backoffLimitPerIndex.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{
    Container, EnvVar, EnvVarSource, ObjectFieldSelector, Pod, PodTemplateSpec,
};

use super::backoff_utils::get_finished_time;
use super::job_controller::{
    SyncJobCtx, active_pods_ordering, completions, get_valid_pods_with_filter, is_pod_failed,
    only_replace_failed_pods, pod_failure_policy,
};
use super::pod_failure_policy::{PodFailurePolicyAction, match_pod_failure_policy};
use super::tracking_utils::has_job_tracking_finalizer;
use super::{
    JOB_COMPLETION_INDEX_ANNOTATION, JOB_INDEX_FAILURE_COUNT_ANNOTATION,
    JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
};
use crate::api::meta;
use crate::apiserver::registry::pod::phase;
use crate::controller::controller_utils::is_pod_terminal;

pub const COMPLETION_INDEX_ENV_NAME: &str = "JOB_COMPLETION_INDEX";
/// `names.MaxGeneratedNameLength`: 63 less the five random characters.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

pub fn is_indexed_job(job: &Job) -> bool {
    job.spec
        .as_ref()
        .and_then(|spec| spec.completion_mode.as_deref())
        == Some("Indexed")
}

pub fn has_backoff_limit_per_index(job: &Job) -> bool {
    backoff_limit_per_index(job).is_some()
}

pub fn backoff_limit_per_index(job: &Job) -> Option<i32> {
    job.spec.as_ref()?.backoff_limit_per_index
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub first: i32,
    pub last: i32,
}

/// Sorted, non-overlapping, non-adjacent runs of indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderedIntervals(pub Vec<Interval>);

impl OrderedIntervals {
    /// `withOrderedIndexes`: these intervals plus `new_indexes`, given in increasing order.
    pub fn with_ordered_indexes(&self, new_indexes: &[i32]) -> OrderedIntervals {
        let added = OrderedIntervals(
            new_indexes
                .iter()
                .map(|&index| Interval {
                    first: index,
                    last: index,
                })
                .collect(),
        );
        self.merge(&added)
    }

    pub fn merge(&self, other: &OrderedIntervals) -> OrderedIntervals {
        let mut result: Vec<Interval> = Vec::with_capacity(self.0.len() + other.0.len());
        let mut push = |interval: Interval| match result.last_mut() {
            Some(last) if interval.first <= last.last.saturating_add(1) => {
                last.last = last.last.max(interval.last);
            }
            _ => result.push(interval),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.0.len() && j < other.0.len() {
            if self.0[i].first < other.0[j].first {
                push(self.0[i]);
                i += 1;
            } else {
                push(other.0[j]);
                j += 1;
            }
        }
        self.0[i..].iter().for_each(|interval| push(*interval));
        other.0[j..].iter().for_each(|interval| push(*interval));
        OrderedIntervals(result)
    }

    /// How many indexes the intervals hold.
    pub fn total(&self) -> i32 {
        self.0
            .iter()
            .map(|interval| interval.last - interval.first + 1)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, index: i32) -> bool {
        let position = self.0.partition_point(|interval| interval.last < index);
        self.0
            .get(position)
            .is_some_and(|interval| interval.first <= index)
    }
}

/// The status form: runs of three or more as `a-b`, a pair as `a,b`.
impl fmt::Display for OrderedIntervals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, interval) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{}", interval.first)?;
            if interval.last > interval.first {
                let separator = if interval.last == interval.first + 1 {
                    ","
                } else {
                    "-"
                };
                write!(f, "{separator}{}", interval.last)?;
            }
        }
        Ok(())
    }
}

/// `parseIndexesFromString`: corrupted fragments are skipped, indexes from `completions` on dropped.
pub fn parse_indexes_from_string(text: &str, completions: i32) -> OrderedIntervals {
    let mut result: Vec<Interval> = Vec::new();
    if text.is_empty() {
        return OrderedIntervals(result);
    }
    for fragment in text.split(',') {
        let limits: Vec<&str> = fragment.split('-').collect();
        let Ok(first) = limits[0].parse::<i64>() else {
            continue;
        };
        if first >= i64::from(completions) {
            break;
        }
        let last = match limits.get(1) {
            Some(text) => match text.parse::<i64>() {
                Ok(last) => last.min(i64::from(completions) - 1),
                Err(_) => continue,
            },
            None => first,
        };
        // Both limits are below completions, an i32, so they fit.
        let interval = Interval {
            first: first as i32,
            last: last as i32,
        };
        match result.last_mut() {
            Some(previous) if previous.last == interval.first - 1 => previous.last = interval.last,
            _ => result.push(interval),
        }
    }
    OrderedIntervals(result)
}

/// `getCompletionIndex`: the annotation's index, None when missing, malformed or negative.
pub fn get_completion_index(pod: &Pod) -> Option<i32> {
    meta::annotations(&pod.metadata)
        .get(JOB_COMPLETION_INDEX_ANNOTATION)?
        .parse::<i32>()
        .ok()
        .filter(|index| *index >= 0)
}

/// Orders by completion index, unknown first, as `byCompletionIndex`.
pub fn sort_by_completion_index(pods: &mut [Arc<Pod>]) {
    pods.sort_by_key(|pod| get_completion_index(pod).unwrap_or(-1));
}

fn valid_index(pod: &Pod, completions: i32) -> Option<i32> {
    get_completion_index(pod).filter(|index| *index < completions)
}

/// `calculateSucceededIndexes`: the indexes in `status.completedIndexes`, and those plus the
/// indexes of succeeded pods not yet counted.
pub fn calculate_succeeded_indexes(
    job: &Job,
    pods: &[Arc<Pod>],
) -> (OrderedIntervals, OrderedIntervals) {
    let completions = completions(job).unwrap_or(0);
    let previous = parse_indexes_from_string(
        job.status
            .as_ref()
            .and_then(|status| status.completed_indexes.as_deref())
            .unwrap_or_default(),
        completions,
    );
    let succeeded: BTreeSet<i32> = pods
        .iter()
        .filter(|pod| phase(pod) == "Succeeded" && has_job_tracking_finalizer(pod))
        .filter_map(|pod| valid_index(pod, completions))
        .collect();
    let result = previous.with_ordered_indexes(&succeeded.into_iter().collect::<Vec<_>>());
    (previous, result)
}

/// `calculateFailedIndexes`: `status.failedIndexes` plus the indexes that failed for good since.
pub fn calculate_failed_indexes(job: &Job, pods: &[Arc<Pod>]) -> OrderedIntervals {
    let completions = completions(job).unwrap_or(0);
    let previous = job
        .status
        .as_ref()
        .and_then(|status| status.failed_indexes.as_deref())
        .map(|text| parse_indexes_from_string(text, completions))
        .unwrap_or_default();
    let failed: BTreeSet<i32> = pods
        .iter()
        .filter(|pod| has_job_tracking_finalizer(pod) && is_index_failed(job, pod))
        .filter_map(|pod| valid_index(pod, completions))
        .collect();
    previous.with_ordered_indexes(&failed.into_iter().collect::<Vec<_>>())
}

fn is_index_failed(job: &Job, pod: &Pod) -> bool {
    let mut counted = false;
    if is_pod_failed(pod, job) {
        match pod_failure_policy(job) {
            Some(policy) => {
                let (_, count_failed, action) = match_pod_failure_policy(Some(policy), pod);
                if action == Some(PodFailurePolicyAction::FailIndex) {
                    return true;
                }
                counted = count_failed;
            }
            None => counted = true,
        }
    }
    counted && get_index_failure_count(pod) >= backoff_limit_per_index(job).unwrap_or(0)
}

/// The indexes of these pods.
pub fn get_indexes(pods: &[Arc<Pod>]) -> BTreeSet<i32> {
    pods.iter()
        .filter_map(|pod| get_completion_index(pod))
        .collect()
}

/// `firstPendingIndexes`: the lowest `count` indexes below `completions` that no active pod,
/// success or failed index covers (nor a terminating pod, when only failed pods are replaced).
pub(super) fn first_pending_indexes(
    job_ctx: &SyncJobCtx,
    count: i32,
    completions: i32,
) -> Vec<i32> {
    if count <= 0 {
        return Vec::new();
    }
    let active: Vec<i32> = get_indexes(&job_ctx.active_pods).into_iter().collect();
    let mut non_pending = job_ctx.succeeded_indexes.with_ordered_indexes(&active);
    if only_replace_failed_pods(&job_ctx.job) {
        let terminating: Vec<Arc<Pod>> = job_ctx
            .pods
            .iter()
            .filter(|pod| is_terminating(pod))
            .cloned()
            .collect();
        let terminating: Vec<i32> = get_indexes(&terminating).into_iter().collect();
        non_pending = non_pending.with_ordered_indexes(&terminating);
    }
    if let Some(failed) = &job_ctx.failed_indexes {
        non_pending = non_pending.merge(failed);
    }
    let count = count as usize;
    let mut result = Vec::with_capacity(count);
    let mut candidate = 0;
    for interval in &non_pending.0 {
        while candidate < completions && result.len() < count && candidate < interval.first {
            result.push(candidate);
            candidate += 1;
        }
        if candidate < interval.last + 1 {
            candidate = interval.last + 1;
        }
    }
    while candidate < completions && result.len() < count {
        result.push(candidate);
        candidate += 1;
    }
    result
}

/// `controller.FilterTerminatingPods`: being deleted and not yet terminal.
pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some() && !is_pod_terminal(pod)
}

/// `appendDuplicatedIndexPodsForRemoval`: of each index's active pods one stays (the most
/// advanced); pods without an index or beyond `completions` all go.
pub fn append_duplicated_index_pods_for_removal(
    rm: &mut Vec<Arc<Pod>>,
    left: &mut Vec<Arc<Pod>>,
    pods: &[Arc<Pod>],
    completions: i32,
) {
    let mut sorted = pods.to_vec();
    sort_by_completion_index(&mut sorted);
    let mut groups: BTreeMap<Option<i32>, Vec<Arc<Pod>>> = BTreeMap::new();
    let mut beyond = Vec::new();
    for pod in sorted {
        let index = get_completion_index(&pod);
        if index.is_some_and(|index| index >= completions) {
            beyond.push(pod);
            continue;
        }
        groups.entry(index).or_default().push(pod);
    }
    for (index, mut group) in groups {
        if index.is_none() {
            rm.extend(group);
            continue;
        }
        group.sort_by(|a, b| active_pods_ordering(a, b));
        if let Some(keep) = group.pop() {
            rm.extend(group);
            left.push(keep);
        }
    }
    rm.extend(beyond);
}

/// `getPodsWithDelayedDeletionPerIndex`: for each index waiting for a replacement, its latest
/// failed pod, kept (with its finalizer) until the replacement carries its failure count.
pub(super) fn get_pods_with_delayed_deletion_per_index(
    job_ctx: &SyncJobCtx,
) -> BTreeMap<i32, Arc<Pod>> {
    let active_indexes = get_indexes(&job_ctx.active_pods);
    let completions = completions(&job_ctx.job).unwrap_or(0);
    let mut delayed: BTreeMap<i32, Arc<Pod>> = BTreeMap::new();
    let empty = BTreeSet::new();
    for pod in get_valid_pods_with_filter(job_ctx, &empty, |pod| is_pod_failed(pod, &job_ctx.job)) {
        let Some(index) = valid_index(&pod, completions) else {
            continue;
        };
        let failed_index = job_ctx
            .failed_indexes
            .as_ref()
            .is_some_and(|failed| failed.has(index));
        if job_ctx.succeeded_indexes.has(index) || failed_index || active_indexes.contains(&index) {
            continue;
        }
        match delayed.get(&index) {
            Some(last)
                if !(get_index_absolute_failure_count(last)
                    <= get_index_absolute_failure_count(&pod)
                    && get_finished_time(&pod) >= get_finished_time(last)) => {}
            _ => {
                delayed.insert(index, pod);
            }
        }
    }
    delayed
}

/// `addIndexFailureCountAnnotation`: the replacement carries its index's failure counts.
pub fn add_index_failure_count_annotation(
    template: &mut PodTemplateSpec,
    job: &Job,
    pod_being_replaced: Option<&Arc<Pod>>,
) {
    let (failures, ignored) = get_new_index_failure_counts(job, pod_being_replaced);
    let annotations = template
        .metadata
        .get_or_insert_with(Default::default)
        .annotations
        .get_or_insert_with(Default::default);
    annotations.insert(
        JOB_INDEX_FAILURE_COUNT_ANNOTATION.into(),
        failures.to_string(),
    );
    if ignored > 0 {
        annotations.insert(
            JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION.into(),
            ignored.to_string(),
        );
    }
}

fn get_new_index_failure_counts(job: &Job, pod_being_replaced: Option<&Arc<Pod>>) -> (i32, i32) {
    let Some(pod) = pod_being_replaced else {
        return (0, 0);
    };
    let mut failures = get_index_failure_count(pod);
    let mut ignored = parse_annotation(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
    let counted = match pod_failure_policy(job) {
        Some(policy) => match_pod_failure_policy(Some(policy), pod).1,
        None => true,
    };
    if counted {
        failures = failures.saturating_add(1);
    } else {
        ignored = ignored.saturating_add(1);
    }
    (failures, ignored)
}

/// `parseInt32` on an annotation: 0 when missing, malformed, negative or too large.
fn parse_annotation(pod: &Pod, key: &str) -> i32 {
    meta::annotations(&pod.metadata)
        .get(key)
        .and_then(|value| value.parse::<i64>().ok())
        .filter(|value| (0..=i64::from(i32::MAX)).contains(value))
        .map_or(0, |value| value as i32)
}

pub fn get_index_failure_count(pod: &Pod) -> i32 {
    parse_annotation(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION)
}

pub fn get_index_absolute_failure_count(pod: &Pod) -> i32 {
    get_index_failure_count(pod).saturating_add(parse_annotation(
        pod,
        JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
    ))
}

/// `addCompletionIndexEnvVariables`: `JOB_COMPLETION_INDEX` from the index label (PodIndexLabel).
pub fn add_completion_index_env_variables(template: &mut PodTemplateSpec) {
    let Some(spec) = template.spec.as_mut() else {
        return;
    };
    for container in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        add_completion_index_env_variable(container);
    }
}

fn add_completion_index_env_variable(container: &mut Container) {
    let env = container.env.get_or_insert_with(Vec::new);
    if env
        .iter()
        .any(|variable| variable.name == COMPLETION_INDEX_ENV_NAME)
    {
        return;
    }
    env.push(EnvVar {
        name: COMPLETION_INDEX_ENV_NAME.into(),
        value: None,
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                api_version: Some("v1".into()),
                field_path: format!("metadata.labels['{JOB_COMPLETION_INDEX_ANNOTATION}']"),
            }),
            ..EnvVarSource::default()
        }),
    });
}

pub fn add_completion_index_annotation(template: &mut PodTemplateSpec, index: i32) {
    template
        .metadata
        .get_or_insert_with(Default::default)
        .annotations
        .get_or_insert_with(Default::default)
        .insert(JOB_COMPLETION_INDEX_ANNOTATION.into(), index.to_string());
}

pub fn add_completion_index_label(template: &mut PodTemplateSpec, index: i32) {
    template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default)
        .insert(JOB_COMPLETION_INDEX_ANNOTATION.into(), index.to_string());
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, the job name cut so the index survives.
pub fn pod_generate_name_with_index(job_name: &str, index: i32) -> String {
    let suffix = format!("-{index}-");
    let prefix = format!("{job_name}{suffix}");
    if prefix.len() <= MAX_GENERATED_NAME_LENGTH {
        return prefix;
    }
    let keep = MAX_GENERATED_NAME_LENGTH.saturating_sub(suffix.len());
    // Job names are DNS subdomains, so ASCII: cutting at a byte is cutting at a character.
    let cut: String = job_name.chars().take(keep).collect();
    format!("{cut}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intervals(text: &str, completions: i32) -> OrderedIntervals {
        parse_indexes_from_string(text, completions)
    }

    #[test]
    fn formats_like_upstream() {
        let cases = [
            ("", 10, ""),
            ("0", 10, "0"),
            ("0,1", 10, "0,1"),
            ("0-2", 10, "0-2"),
            ("1,3-5,7", 10, "1,3-5,7"),
            ("0,1,2,5", 10, "0-2,5"),
            ("3-12", 10, "3-9"),
            ("1,x,4", 10, "1,4"),
            ("8,11,12", 10, "8"),
        ];
        for (text, completions, want) in cases {
            assert_eq!(intervals(text, completions).to_string(), want, "{text}");
        }
    }

    #[test]
    fn merges_and_counts() {
        let base = intervals("1,3-5", 20);
        let merged = base.with_ordered_indexes(&[0, 2, 6, 9]);
        assert_eq!(merged.to_string(), "0-6,9");
        assert_eq!(merged.total(), 8);
        assert!(merged.has(6));
        assert!(!merged.has(7));
        assert!(merged.has(9));
        assert!(!merged.has(10));
        let other = intervals("7-8,12", 20);
        assert_eq!(merged.merge(&other).to_string(), "0-9,12");
    }

    #[test]
    fn generate_names_keep_the_index() {
        assert_eq!(pod_generate_name_with_index("pi", 3), "pi-3-");
        let long = "a".repeat(60);
        let name = pod_generate_name_with_index(&long, 12);
        assert_eq!(name.len(), 58);
        assert!(name.ends_with("-12-"));
    }

    #[test]
    fn completion_index_is_read_from_the_annotation() {
        let mut pod = Pod::default();
        assert_eq!(get_completion_index(&pod), None);
        for (value, want) in [("3", Some(3)), ("-1", None), ("x", None)] {
            pod.metadata.annotations = Some(BTreeMap::from([(
                JOB_COMPLETION_INDEX_ANNOTATION.to_string(),
                value.to_string(),
            )]));
            assert_eq!(get_completion_index(&pod), want);
        }
    }

    fn indexed_pod(name: &str, index: &str, phase: &str) -> Arc<Pod> {
        Arc::new(Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                uid: Some(name.into()),
                annotations: Some(BTreeMap::from([(
                    JOB_COMPLETION_INDEX_ANNOTATION.to_string(),
                    index.to_string(),
                )])),
                ..Default::default()
            },
            status: Some(k8s_openapi::api::core::v1::PodStatus {
                phase: Some(phase.into()),
                ..Default::default()
            }),
            ..Pod::default()
        })
    }

    fn job_ctx(completions: i32, succeeded: &str, pods: Vec<Arc<Pod>>) -> SyncJobCtx {
        let job = Job {
            spec: Some(k8s_openapi::api::batch::v1::JobSpec {
                completions: Some(completions),
                completion_mode: Some("Indexed".into()),
                ..Default::default()
            }),
            ..Job::default()
        };
        SyncJobCtx {
            job,
            active_pods: pods
                .iter()
                .filter(|pod| phase(pod) == "Running")
                .cloned()
                .collect(),
            pods,
            finished_condition: None,
            succeeded: 0,
            failed: 0,
            prev_succeeded_indexes: OrderedIntervals::default(),
            succeeded_indexes: parse_indexes_from_string(succeeded, completions),
            failed_indexes: None,
            new_backoff_record: Default::default(),
            uncounted_succeeded: BTreeSet::new(),
            uncounted_failed: BTreeSet::new(),
            pods_with_delayed_deletion_per_index: BTreeMap::new(),
            terminating: 0,
            ready: 0,
        }
    }

    #[test]
    fn pending_indexes_skip_active_and_succeeded_ones() {
        let ctx = job_ctx(
            8,
            "0,3",
            vec![
                indexed_pod("a", "1", "Running"),
                indexed_pod("b", "5", "Running"),
            ],
        );
        assert_eq!(first_pending_indexes(&ctx, 3, 8), [2, 4, 6]);
        assert_eq!(first_pending_indexes(&ctx, 10, 8), [2, 4, 6, 7]);
        assert!(first_pending_indexes(&ctx, 0, 8).is_empty());
    }

    #[test]
    fn duplicate_and_out_of_range_indexes_are_removed() {
        let pods = vec![
            indexed_pod("a", "0", "Running"),
            indexed_pod("b", "0", "Pending"),
            indexed_pod("c", "1", "Running"),
            indexed_pod("d", "7", "Running"),
            indexed_pod("e", "x", "Running"),
        ];
        let (mut rm, mut left) = (Vec::new(), Vec::new());
        append_duplicated_index_pods_for_removal(&mut rm, &mut left, &pods, 5);
        let names = |pods: &[Arc<Pod>]| {
            pods.iter()
                .map(|pod| pod.metadata.name.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        };
        // The unindexed pod, the pending duplicate of index 0, then the index beyond completions.
        assert_eq!(names(&rm), ["e", "b", "d"]);
        assert_eq!(names(&left), ["a", "c"]);
    }
}
