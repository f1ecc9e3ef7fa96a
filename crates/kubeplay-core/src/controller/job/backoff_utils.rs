//! The pod failure back-off (`backoff_utils.go`): after n failures since the last success, new
//! pods wait 10 s·2^(n−1), at most 10 minutes, counted from the last failure. A success resets n.

use std::collections::BTreeSet;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;
use serde::{Deserialize, Serialize};

use crate::clock::{self, MINUTE, Millis, SECOND};

/// `DefaultJobPodFailureBackOff`.
pub const DEFAULT_JOB_POD_FAILURE_BACKOFF: Millis = 10 * SECOND;
/// `MaxJobPodFailureBackOff` (the docs say six minutes; the code says ten).
pub const MAX_JOB_POD_FAILURE_BACKOFF: Millis = 10 * MINUTE;

/// One Job's entry in the controller's `backoffStore`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackoffRecord {
    pub failures_after_last_success: i32,
    pub last_failure_time: Option<Millis>,
}

impl BackoffRecord {
    /// `newBackoffRecord`: the stored record moved past the pods that finished since.
    pub fn new_backoff_record(
        old: Option<&BackoffRecord>,
        new_succeeded_pods: &[Arc<Pod>],
        new_failed_pods: &[Arc<Pod>],
    ) -> BackoffRecord {
        let mut backoff = old.cloned().unwrap_or_default();
        let succeeded = sort_by_finished_time(new_succeeded_pods);
        let failed = sort_by_finished_time(new_failed_pods);
        let Some(last_success) = succeeded.last() else {
            if let Some(last_failure) = failed.last() {
                backoff.failures_after_last_success = backoff
                    .failures_after_last_success
                    .saturating_add(failed.len() as i32);
                backoff.last_failure_time = Some(*last_failure);
            }
            return backoff;
        };
        backoff.failures_after_last_success = 0;
        backoff.last_failure_time = None;
        for failed_time in failed.iter().rev() {
            if failed_time <= last_success {
                break;
            }
            if backoff.last_failure_time.is_none() {
                backoff.last_failure_time = Some(*failed_time);
            }
            backoff.failures_after_last_success += 1;
        }
        backoff
    }

    /// `getRemainingTime`: how long new pods still wait.
    pub fn get_remaining_time(&self, now: Millis) -> Millis {
        get_remaining_time_for_failures_count(
            now,
            DEFAULT_JOB_POD_FAILURE_BACKOFF,
            MAX_JOB_POD_FAILURE_BACKOFF,
            self.failures_after_last_success,
            self.last_failure_time,
        )
    }
}

fn sort_by_finished_time(pods: &[Arc<Pod>]) -> Vec<Millis> {
    let mut times: Vec<Millis> = pods.iter().map(|pod| get_finished_time(pod)).collect();
    times.sort_unstable();
    times
}

/// `getFinishedTime`: the last container's finish, else when Ready turned False, else the
/// deletion time less the grace period, else the creation time.
pub fn get_finished_time(pod: &Pod) -> Millis {
    get_finish_time_from_containers(pod)
        .or_else(|| get_finish_time_from_pod_ready_false_condition(pod))
        .or_else(|| get_finish_time_from_deletion_timestamp(pod))
        .unwrap_or_else(|| {
            pod.metadata
                .creation_timestamp
                .as_ref()
                .map_or(0, |time| clock::to_millis(time.0))
        })
}

fn get_finish_time_from_containers(pod: &Pod) -> Option<Millis> {
    let status = pod.status.as_ref()?;
    let mut finish = latest_finish_time(None, status.container_statuses.iter().flatten())?;
    // Sidecars (restartable init containers) finish after the main containers.
    let sidecars: BTreeSet<&str> = pod
        .spec
        .iter()
        .flat_map(|spec| spec.init_containers.iter().flatten())
        .filter(|container| container.restart_policy.as_deref() == Some("Always"))
        .map(|container| container.name.as_str())
        .collect();
    if !sidecars.is_empty() {
        finish = latest_finish_time(
            Some(finish),
            status
                .init_container_statuses
                .iter()
                .flatten()
                .filter(|status| sidecars.contains(status.name.as_str())),
        )?;
    }
    Some(finish)
}

fn latest_finish_time<'a>(
    previous: Option<Millis>,
    statuses: impl Iterator<Item = &'a k8s_openapi::api::core::v1::ContainerStatus>,
) -> Option<Millis> {
    let mut finish = previous;
    for status in statuses {
        let finished_at = status
            .state
            .as_ref()
            .and_then(|state| state.terminated.as_ref())
            .and_then(|terminated| terminated.finished_at.as_ref())
            .map(|time| clock::to_millis(time.0))?;
        if finish.is_none_or(|finish| finish < finished_at) {
            finish = Some(finished_at);
        }
    }
    finish
}

fn get_finish_time_from_pod_ready_false_condition(pod: &Pod) -> Option<Millis> {
    crate::controller::controller_utils::ready_condition(pod)
        .filter(|condition| condition.status == "False")
        .and_then(|condition| condition.last_transition_time.as_ref())
        .map(|time| clock::to_millis(time.0))
}

fn get_finish_time_from_deletion_timestamp(pod: &Pod) -> Option<Millis> {
    let deletion = pod.metadata.deletion_timestamp.as_ref()?;
    let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(0);
    Some(clock::to_millis(deletion.0).saturating_sub(grace.saturating_mul(SECOND)))
}

/// `getRemainingTimePerIndex`: the back-off of one index, from its last failed pod's counts.
pub fn get_remaining_time_per_index(now: Millis, last_failed_pod: Option<&Arc<Pod>>) -> Millis {
    let Some(pod) = last_failed_pod else {
        return 0;
    };
    let failures =
        super::indexed_job_utils::get_index_absolute_failure_count(pod).saturating_add(1);
    get_remaining_time_for_failures_count(
        now,
        DEFAULT_JOB_POD_FAILURE_BACKOFF,
        MAX_JOB_POD_FAILURE_BACKOFF,
        failures,
        Some(get_finished_time(pod)),
    )
}

pub fn get_remaining_time_for_failures_count(
    now: Millis,
    default_backoff: Millis,
    max_backoff: Millis,
    failures: i32,
    last_failure_time: Option<Millis>,
) -> Millis {
    if failures == 0 {
        return 0;
    }
    let mut backoff = default_backoff;
    for _ in 1..failures {
        backoff *= 2;
        if backoff >= max_backoff {
            backoff = max_backoff;
            break;
        }
    }
    let elapsed = now - last_failure_time.unwrap_or(now);
    if backoff < elapsed {
        return 0;
    }
    backoff - elapsed
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateTerminated, ContainerStatus, PodStatus,
    };
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;

    fn finished_at(millis: Millis) -> Arc<Pod> {
        Arc::new(Pod {
            status: Some(PodStatus {
                container_statuses: Some(vec![ContainerStatus {
                    state: Some(ContainerState {
                        terminated: Some(ContainerStateTerminated {
                            finished_at: Some(Time(clock::to_timestamp(millis))),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            ..Pod::default()
        })
    }

    #[test]
    fn back_off_doubles_to_ten_minutes() {
        let remaining = |failures| {
            get_remaining_time_for_failures_count(
                0,
                DEFAULT_JOB_POD_FAILURE_BACKOFF,
                MAX_JOB_POD_FAILURE_BACKOFF,
                failures,
                Some(0),
            )
        };
        assert_eq!(remaining(0), 0);
        assert_eq!(remaining(1), 10 * SECOND);
        assert_eq!(remaining(2), 20 * SECOND);
        assert_eq!(remaining(3), 40 * SECOND);
        assert_eq!(remaining(6), 320 * SECOND);
        assert_eq!(remaining(7), 10 * MINUTE);
        assert_eq!(remaining(30), 10 * MINUTE);
        let record = BackoffRecord {
            failures_after_last_success: 2,
            last_failure_time: Some(5 * SECOND),
        };
        assert_eq!(record.get_remaining_time(15 * SECOND), 10 * SECOND);
        assert_eq!(record.get_remaining_time(40 * SECOND), 0);
    }

    #[test]
    fn a_success_resets_the_count() {
        let record =
            BackoffRecord::new_backoff_record(None, &[], &[finished_at(1000), finished_at(3000)]);
        assert_eq!(record.failures_after_last_success, 2);
        assert_eq!(record.last_failure_time, Some(3000));
        let record = BackoffRecord::new_backoff_record(
            Some(&record),
            &[finished_at(4000)],
            &[finished_at(2000), finished_at(5000), finished_at(6000)],
        );
        assert_eq!(record.failures_after_last_success, 2);
        assert_eq!(record.last_failure_time, Some(6000));
        let record = BackoffRecord::new_backoff_record(Some(&record), &[finished_at(7000)], &[]);
        assert_eq!(record, BackoffRecord::default());
    }
}
