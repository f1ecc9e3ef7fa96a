//! Pods (`pkg/registry/core/pod`): defaulting, the DefaultTolerationSeconds admission plugin,
//! validation, graceful deletion and the binding subresource the scheduler writes.

use std::sync::Arc;

use k8s_openapi::api::core::v1::{Pod, PodCondition, PodStatus, Toleration};

use crate::api::field::{ErrorList, FieldError, Path};
use crate::api::{ApiObject, Kind, ObjectKey};
use crate::apiserver::pod_spec::{set_defaults_pod_spec, validate_pod_spec};
use crate::apiserver::{ApiError, ApiServer, StatusReason};

use super::Registry;

pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// The admission plugin's `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

impl Registry for Pod {
    fn prepare_for_create(&mut self) {
        self.status = Some(PodStatus {
            phase: Some("Pending".into()),
            ..PodStatus::default()
        });
        self.metadata.generation = Some(1);
    }

    fn apply_defaults(&mut self) {
        let spec = self.spec.get_or_insert_with(Default::default);
        set_defaults_pod_spec(spec);
        spec.service_account_name
            .get_or_insert_with(|| "default".into());
        spec.service_account = spec.service_account_name.clone();
        spec.priority.get_or_insert(0);
        spec.preemption_policy
            .get_or_insert_with(|| "PreemptLowerPriority".into());
        if let Some(status) = self.status.as_mut() {
            status.qos_class = Some(qos_class(spec).into());
        }
    }

    /// DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300 s unless the pod says otherwise.
    fn admit(&mut self, _api: &ApiServer) {
        let Some(spec) = self.spec.as_mut() else {
            return;
        };
        let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
        for key in [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE] {
            let tolerated = tolerations.iter().any(|toleration| {
                let effect = toleration.effect.as_deref().unwrap_or_default();
                (effect.is_empty() || effect == "NoExecute")
                    && (toleration.key.as_deref() == Some(key)
                        || toleration.key.as_deref().unwrap_or_default().is_empty())
            });
            if !tolerated {
                tolerations.push(Toleration {
                    key: Some(key.into()),
                    operator: Some("Exists".into()),
                    effect: Some("NoExecute".into()),
                    toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
                    value: None,
                });
            }
        }
    }

    fn validate(&self, _api: &ApiServer) -> ErrorList {
        match &self.spec {
            Some(spec) => validate_pod_spec(spec, &Path::new("spec")),
            None => vec![FieldError::required("spec.containers", "")],
        }
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let (Some(new_spec), Some(old_spec)) = (&self.spec, &old.spec) else {
            return ErrorList::new();
        };
        // Only images, activeDeadlineSeconds and added tolerations may change (ValidatePodUpdate).
        let mut comparable = new_spec.clone();
        for (new, old) in comparable.containers.iter_mut().zip(&old_spec.containers) {
            new.image = old.image.clone();
        }
        for (new, old) in comparable
            .init_containers
            .iter_mut()
            .flatten()
            .zip(old_spec.init_containers.iter().flatten())
        {
            new.image = old.image.clone();
        }
        comparable.active_deadline_seconds = old_spec.active_deadline_seconds;
        let old_tolerations = old_spec.tolerations.clone().unwrap_or_default();
        let tolerations_only_added = old_tolerations.iter().all(|toleration| {
            new_spec
                .tolerations
                .iter()
                .flatten()
                .any(|new| new == toleration)
        });
        if tolerations_only_added {
            comparable.tolerations = old_spec.tolerations.clone();
        }
        if comparable != *old_spec {
            return vec![FieldError::forbidden(
                "spec",
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            )];
        }
        ErrorList::new()
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        let status = self.status.take();
        *self = old.clone();
        self.status = status;
    }

    fn generation_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }

    /// `CheckGracefulDelete`: 30 s or the pod's own period; unbound and finished pods go at once.
    fn graceful_deletion_seconds(&self, requested: Option<i64>) -> Option<i64> {
        let spec = self.spec.as_ref();
        let mut grace = requested
            .or_else(|| spec.and_then(|spec| spec.termination_grace_period_seconds))
            .unwrap_or(30);
        if spec
            .and_then(|spec| spec.node_name.as_deref())
            .is_none_or(str::is_empty)
        {
            grace = 0;
        }
        if matches!(phase(self), "Succeeded" | "Failed") {
            grace = 0;
        }
        Some(grace)
    }
}

pub fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|status| status.phase.as_deref())
        .unwrap_or("Pending")
}

/// `GetPodQOS`: Guaranteed when every container's limits equal its requests for cpu and memory,
/// BestEffort when nothing is requested, Burstable otherwise.
pub fn qos_class(spec: &k8s_openapi::api::core::v1::PodSpec) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    for container in &spec.containers {
        let resources = container.resources.clone().unwrap_or_default();
        let requests = resources.requests.unwrap_or_default();
        let limits = resources.limits.unwrap_or_default();
        any |= !requests.is_empty() || !limits.is_empty();
        for name in ["cpu", "memory"] {
            match (requests.get(name), limits.get(name)) {
                (_, None) => guaranteed = false,
                (Some(request), Some(limit)) if request != limit => guaranteed = false,
                _ => {}
            }
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}

impl ApiServer {
    /// The `pods/binding` subresource: assigns a pending pod to a node and marks it scheduled.
    pub fn bind(&mut self, key: &ObjectKey, node: &str) -> Result<Arc<Pod>, ApiError> {
        let old = self
            .get_by_key::<Pod>(key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(Kind::Pod, &key.name))?;
        if let Some(current) = old
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.as_deref())
            .filter(|name| !name.is_empty())
        {
            return Err(ApiError::new(
                StatusReason::Conflict,
                format!(
                    "Operation cannot be fulfilled on pods/binding \"{}\": pod {} is already assigned to node \"{current}\"",
                    old.name(),
                    old.name()
                ),
            ));
        }
        if old.metadata.deletion_timestamp.is_some() {
            return Err(ApiError::new(
                StatusReason::Conflict,
                format!(
                    "pod {} is being deleted, cannot be assigned to a host",
                    old.name()
                ),
            ));
        }
        let now = self.now_time();
        let mut pod = old.as_ref().clone();
        pod.spec.get_or_insert_with(Default::default).node_name = Some(node.to_string());
        let status = pod.status.get_or_insert_with(Default::default);
        set_pod_condition(
            status,
            PodCondition {
                type_: "PodScheduled".into(),
                status: "True".into(),
                last_transition_time: Some(now),
                ..Default::default()
            },
        );
        self.replace(pod)
    }
}

/// Sets a condition, keeping its transition time when the status does not change.
pub fn set_pod_condition(status: &mut PodStatus, condition: PodCondition) {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    match conditions
        .iter_mut()
        .find(|existing| existing.type_ == condition.type_)
    {
        Some(existing) => {
            if existing.status == condition.status {
                let transition = existing.last_transition_time.clone();
                *existing = condition;
                existing.last_transition_time = transition;
            } else {
                *existing = condition;
            }
        }
        None => conditions.push(condition),
    }
}
