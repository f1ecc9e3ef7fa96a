//! `podFailurePolicy` (`pod_failure_policy.go`): the first rule matching a failed pod decides
//! whether its failure fails the Job, fails its index, is ignored, or is counted.

use std::fmt;

use k8s_openapi::api::batch::v1::{
    PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodCondition};

use crate::api::ApiObject;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodFailurePolicyAction {
    FailJob,
    FailIndex,
    Ignore,
    Count,
}

impl fmt::Display for PodFailurePolicyAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PodFailurePolicyAction::FailJob => "FailJob",
            PodFailurePolicyAction::FailIndex => "FailIndex",
            PodFailurePolicyAction::Ignore => "Ignore",
            PodFailurePolicyAction::Count => "Count",
        })
    }
}

/// `matchPodFailurePolicy`: the Job failure message (a FailJob rule matched), whether the failure
/// counts towards the back-off limits (not for Ignore), and the matched action.
pub fn match_pod_failure_policy(
    policy: Option<&PodFailurePolicy>,
    failed_pod: &Pod,
) -> (Option<String>, bool, Option<PodFailurePolicyAction>) {
    let Some(policy) = policy else {
        return (None, true, None);
    };
    let status = failed_pod.status.clone().unwrap_or_default();
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched = if let Some(requirement) = &rule.on_exit_codes {
            match_on_exit_codes(&status, requirement).map(|container| {
                let exit_code = container
                    .state
                    .as_ref()
                    .and_then(|state| state.terminated.as_ref())
                    .map_or(0, |terminated| terminated.exit_code);
                format!(
                    "Container {} for pod {}/{} failed with exit code {exit_code} matching FailJob rule at index {index}",
                    container.name,
                    failed_pod.namespace(),
                    failed_pod.name()
                )
            })
        } else if let Some(patterns) = &rule.on_pod_conditions {
            match_on_pod_conditions(&status, patterns).map(|condition| {
                format!(
                    "Pod {}/{} has condition {} matching FailJob rule at index {index}",
                    failed_pod.namespace(),
                    failed_pod.name(),
                    condition.type_
                )
            })
        } else {
            None
        };
        let Some(message) = matched else {
            continue;
        };
        match rule.action.as_str() {
            "Ignore" => return (None, false, Some(PodFailurePolicyAction::Ignore)),
            "FailIndex" => return (None, true, Some(PodFailurePolicyAction::FailIndex)),
            "Count" => return (None, true, Some(PodFailurePolicyAction::Count)),
            "FailJob" => return (Some(message), true, Some(PodFailurePolicyAction::FailJob)),
            // An unknown action matches nothing, as a Go switch without a case.
            _ => {}
        }
    }
    (None, true, None)
}

/// `matchOnExitCodes`: the first terminated container (then init container) with a non-zero
/// exit code that the requirement selects.
fn match_on_exit_codes<'a>(
    status: &'a k8s_openapi::api::core::v1::PodStatus,
    requirement: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<&'a ContainerStatus> {
    get_matching_container_from_list(status.container_statuses.as_deref(), requirement).or_else(
        || get_matching_container_from_list(status.init_container_statuses.as_deref(), requirement),
    )
}

fn get_matching_container_from_list<'a>(
    statuses: Option<&'a [ContainerStatus]>,
    requirement: &PodFailurePolicyOnExitCodesRequirement,
) -> Option<&'a ContainerStatus> {
    statuses.into_iter().flatten().find(|status| {
        let Some(terminated) = status
            .state
            .as_ref()
            .and_then(|state| state.terminated.as_ref())
        else {
            return false;
        };
        requirement
            .container_name
            .as_ref()
            .is_none_or(|name| *name == status.name)
            && terminated.exit_code != 0
            && is_on_exit_codes_operator_matching(terminated.exit_code, requirement)
    })
}

fn is_on_exit_codes_operator_matching(
    exit_code: i32,
    requirement: &PodFailurePolicyOnExitCodesRequirement,
) -> bool {
    match requirement.operator.as_str() {
        "In" => requirement.values.contains(&exit_code),
        "NotIn" => !requirement.values.contains(&exit_code),
        _ => false,
    }
}

fn match_on_pod_conditions<'a>(
    status: &'a k8s_openapi::api::core::v1::PodStatus,
    patterns: &[PodFailurePolicyOnPodConditionsPattern],
) -> Option<&'a PodCondition> {
    status.conditions.iter().flatten().find(|condition| {
        patterns
            .iter()
            .any(|pattern| condition.type_ == pattern.type_ && condition.status == pattern.status)
    })
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::batch::v1::PodFailurePolicyRule;
    use k8s_openapi::api::core::v1::{ContainerState, ContainerStateTerminated, PodStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn failed_pod(exit_code: i32, conditions: Vec<(&str, &str)>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some("p".into()),
                namespace: Some("default".into()),
                ..ObjectMeta::default()
            },
            status: Some(PodStatus {
                phase: Some("Failed".into()),
                container_statuses: Some(vec![ContainerStatus {
                    name: "main".into(),
                    state: Some(ContainerState {
                        terminated: Some(ContainerStateTerminated {
                            exit_code,
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }]),
                conditions: Some(
                    conditions
                        .into_iter()
                        .map(|(type_, status)| PodCondition {
                            type_: type_.into(),
                            status: status.into(),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
            ..Pod::default()
        }
    }

    fn exit_rule(action: &str, operator: &str, values: Vec<i32>) -> PodFailurePolicyRule {
        PodFailurePolicyRule {
            action: action.into(),
            on_exit_codes: Some(PodFailurePolicyOnExitCodesRequirement {
                container_name: None,
                operator: operator.into(),
                values,
            }),
            on_pod_conditions: None,
        }
    }

    #[test]
    fn first_matching_rule_wins() {
        let policy = PodFailurePolicy {
            rules: vec![
                exit_rule("Ignore", "In", vec![1]),
                exit_rule("FailJob", "NotIn", vec![1, 2]),
                PodFailurePolicyRule {
                    action: "Ignore".into(),
                    on_exit_codes: None,
                    on_pod_conditions: Some(vec![PodFailurePolicyOnPodConditionsPattern {
                        type_: "DisruptionTarget".into(),
                        status: "True".into(),
                    }]),
                },
            ],
        };
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &failed_pod(1, vec![])),
            (None, false, Some(PodFailurePolicyAction::Ignore))
        );
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &failed_pod(42, vec![])),
            (
                Some("Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1".into()),
                true,
                Some(PodFailurePolicyAction::FailJob)
            )
        );
        assert_eq!(
            match_pod_failure_policy(
                Some(&policy),
                &failed_pod(2, vec![("DisruptionTarget", "True")])
            ),
            (None, false, Some(PodFailurePolicyAction::Ignore))
        );
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &failed_pod(2, vec![])),
            (None, true, None)
        );
        assert_eq!(
            match_pod_failure_policy(None, &failed_pod(2, vec![])),
            (None, true, None)
        );
    }

    #[test]
    fn exit_code_zero_never_matches() {
        let policy = PodFailurePolicy {
            rules: vec![exit_rule("FailJob", "NotIn", vec![1])],
        };
        assert_eq!(
            match_pod_failure_policy(Some(&policy), &failed_pod(0, vec![])),
            (None, true, None)
        );
    }
}
