//! CronJobs (`pkg/registry/batch/cronjob`, `pkg/apis/batch/v1/defaults.go`): defaults,
//! generation, and validation (`apiserver::batch_validation`), which differs on create and on
//! update.

use k8s_openapi::api::batch::v1::CronJob;

use crate::api::field::ErrorList;
use crate::apiserver::batch_validation::{validate_cron_job_create, validate_cron_job_update};
use crate::apiserver::pod_spec::set_defaults_pod_spec;

use super::job::set_defaults_pod_failure_policy;
use super::{Registry, status_subresource};

impl Registry for CronJob {
    fn prepare_for_create(&mut self) {
        self.status = None;
        self.metadata.generation = Some(1);
    }

    /// `SetDefaults_CronJob`, then what the generated defaulters reach inside the Job template:
    /// the pod spec and the pod failure policy. The Job's own defaults (completions,
    /// backoffLimit, ...) are applied to each Job when it is created, not to the template.
    fn apply_defaults(&mut self) {
        let Some(spec) = self.spec.as_mut() else {
            return;
        };
        if spec.concurrency_policy.as_deref().is_none_or(str::is_empty) {
            spec.concurrency_policy = Some("Allow".into());
        }
        spec.suspend.get_or_insert(false);
        spec.successful_jobs_history_limit.get_or_insert(3);
        spec.failed_jobs_history_limit.get_or_insert(1);
        if let Some(job_spec) = spec.job_template.spec.as_mut() {
            set_defaults_pod_failure_policy(job_spec);
            if let Some(pod_spec) = job_spec.template.spec.as_mut() {
                set_defaults_pod_spec(pod_spec);
            }
        }
    }

    fn validate_create(&self) -> ErrorList {
        validate_cron_job_create(self)
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        validate_cron_job_update(self, old)
    }

    status_subresource!();

    fn generation_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
}
