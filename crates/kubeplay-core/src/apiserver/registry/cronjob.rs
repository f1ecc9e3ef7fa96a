//! CronJobs (`pkg/registry/batch/cronjob`, `pkg/apis/batch/v1/defaults.go`): defaults and generation.

use k8s_openapi::api::batch::v1::CronJob;

use crate::apiserver::pod_spec::set_defaults_pod_spec;

use super::Registry;

impl Registry for CronJob {
    fn prepare_for_create(&mut self) {
        self.status = None;
        self.metadata.generation = Some(1);
    }

    fn apply_defaults(&mut self) {
        let Some(spec) = self.spec.as_mut() else {
            return;
        };
        spec.concurrency_policy
            .get_or_insert_with(|| "Allow".into());
        spec.suspend.get_or_insert(false);
        spec.successful_jobs_history_limit.get_or_insert(3);
        spec.failed_jobs_history_limit.get_or_insert(1);
        if let Some(template_spec) = spec
            .job_template
            .spec
            .as_mut()
            .and_then(|job| job.template.spec.as_mut())
        {
            set_defaults_pod_spec(template_spec);
        }
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
