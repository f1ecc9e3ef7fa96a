//! Jobs (`pkg/registry/batch/job`, `pkg/apis/batch/v1/defaults.go`): defaults, the generated
//! selector and labels, generation, validation (`apiserver::batch_validation`).

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::api::field::ErrorList;
use crate::apiserver::batch_validation::{
    validate_job, validate_job_spec_update, validate_job_status_update,
};
use crate::apiserver::pod_spec::set_defaults_pod_spec;
use crate::apiserver::{ApiServer, Propagation};

use super::Registry;

pub const LABEL_CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
pub const LABEL_JOB_NAME: &str = "batch.kubernetes.io/job-name";
pub const LEGACY_LABEL_CONTROLLER_UID: &str = "controller-uid";
pub const LEGACY_LABEL_JOB_NAME: &str = "job-name";

impl Registry for Job {
    /// A raw batch/v1 DELETE orphans the pods (kubectl asks for Background explicitly).
    const DEFAULT_PROPAGATION: Propagation = Propagation::Orphan;

    fn prepare_for_create(&mut self) {
        self.status = None;
        self.metadata.generation = Some(1);
    }

    fn apply_defaults(&mut self) {
        let Some(spec) = self.spec.as_mut() else {
            return;
        };
        match (spec.completions, spec.parallelism) {
            (None, None) => {
                spec.completions = Some(1);
                spec.parallelism = Some(1);
            }
            (_, None) => spec.parallelism = Some(1),
            _ => {}
        }
        if spec.backoff_limit.is_none() {
            spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
                i32::MAX
            } else {
                6
            });
        }
        spec.completion_mode
            .get_or_insert_with(|| "NonIndexed".into());
        spec.suspend.get_or_insert(false);
        spec.manual_selector.get_or_insert(false);
        if spec.pod_replacement_policy.is_none() {
            let policy = if spec.pod_failure_policy.is_some() {
                "Failed"
            } else {
                "TerminatingOrFailed"
            };
            spec.pod_replacement_policy = Some(policy.into());
        }
        set_defaults_pod_failure_policy(spec);
        if let Some(template_spec) = spec.template.spec.as_mut() {
            set_defaults_pod_spec(template_spec);
        }
        if self
            .metadata
            .labels
            .as_ref()
            .is_none_or(|labels| labels.is_empty())
        {
            self.metadata.labels = spec
                .template
                .metadata
                .as_ref()
                .and_then(|meta| meta.labels.clone());
        }
    }

    /// `generateSelector` runs once the uid is assigned, before validation, as in the registry.
    fn admit(&mut self, _api: &ApiServer) {
        let uid = self.metadata.uid.clone().unwrap_or_default();
        generate_selector(self, &uid);
        // The stored Job is defaulted again when read back, so a Job created without labels
        // shows its template's labels, generated ones included.
        self.apply_defaults();
    }

    fn validate(&self, _api: &ApiServer) -> ErrorList {
        validate_job(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = validate_job_spec_update(self, old);
        errors.extend(validate_job_status_update(self, old));
        errors
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
}

/// `SetDefaults_PodFailurePolicyOnPodConditionsPattern`: an onPodConditions pattern matches
/// status True unless told otherwise. Also run on a CronJob's Job template.
pub(super) fn set_defaults_pod_failure_policy(spec: &mut JobSpec) {
    for pattern in spec
        .pod_failure_policy
        .iter_mut()
        .flat_map(|policy| policy.rules.iter_mut())
        .flat_map(|rule| rule.on_pod_conditions.iter_mut().flatten())
    {
        if pattern.status.is_empty() {
            pattern.status = "True".into();
        }
    }
}

/// Adds the generated labels and selector for a Job whose uid is known (manualSelector false).
pub fn generate_selector(job: &mut Job, uid: &str) {
    let name = job.metadata.name.clone().unwrap_or_default();
    let Some(spec) = job.spec.as_mut() else {
        return;
    };
    if spec.manual_selector == Some(true) {
        return;
    }
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    // Labels the user set are kept; a conflicting value is rejected by validation.
    for key in [LEGACY_LABEL_JOB_NAME, LABEL_JOB_NAME] {
        labels.entry(key.into()).or_insert_with(|| name.clone());
    }
    for key in [LEGACY_LABEL_CONTROLLER_UID, LABEL_CONTROLLER_UID] {
        labels.entry(key.into()).or_insert_with(|| uid.to_string());
    }
    spec.selector
        .get_or_insert_with(LabelSelector::default)
        .match_labels
        .get_or_insert_with(Default::default)
        .entry(LABEL_CONTROLLER_UID.into())
        .or_insert_with(|| uid.to_string());
}
