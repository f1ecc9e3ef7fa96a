//! DaemonSets (`pkg/registry/apps/daemonset`, `pkg/apis/apps/v1/defaults.go`): defaults, generation
//! and the template generation that moves with every template change.

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::apiserver::pod_spec::set_defaults_pod_spec;

use super::Registry;

/// apps/v1 exposes `templateGeneration` as this annotation.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

impl Registry for DaemonSet {
    fn prepare_for_create(&mut self) {
        self.status = None;
        self.metadata.generation = Some(1);
        self.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(TEMPLATE_GENERATION_ANNOTATION.into(), "1".into());
    }

    fn apply_defaults(&mut self) {
        let Some(spec) = self.spec.as_mut() else {
            return;
        };
        let strategy = spec
            .update_strategy
            .get_or_insert_with(DaemonSetUpdateStrategy::default);
        let strategy_type = strategy.type_.get_or_insert_with(|| "RollingUpdate".into());
        if strategy_type == "RollingUpdate" {
            let rolling = strategy
                .rolling_update
                .get_or_insert_with(RollingUpdateDaemonSet::default);
            rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
            rolling.max_surge.get_or_insert(IntOrString::Int(0));
        }
        spec.revision_history_limit.get_or_insert(10);
        if let Some(template_spec) = spec.template.spec.as_mut() {
            set_defaults_pod_spec(template_spec);
        }
    }

    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        let old_template = old.spec.as_ref().map(|spec| &spec.template);
        let new_template = self.spec.as_ref().map(|spec| &spec.template);
        let old_generation = old
            .metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(TEMPLATE_GENERATION_ANNOTATION))
            .and_then(|value| value.parse::<i64>().ok())
            .unwrap_or(1);
        let generation = if old_template != new_template {
            old_generation + 1
        } else {
            old_generation
        };
        self.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                TEMPLATE_GENERATION_ANNOTATION.into(),
                generation.to_string(),
            );
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
