//! Nodes (`pkg/registry/core/node`): status may be set on create (the kubelet registers with it);
//! taints are validated like the API server does.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Node;

use crate::api::field::{ErrorList, FieldError, Path};
use crate::api::validation::{is_qualified_name, is_valid_label_value};
use crate::apiserver::ApiServer;
use crate::apiserver::pod_spec::TAINT_EFFECTS;

use super::Registry;

impl Registry for Node {
    fn validate(&self, _api: &ApiServer) -> ErrorList {
        let mut errors = ErrorList::new();
        let path = Path::new("spec").child("taints");
        let mut seen = BTreeSet::new();
        for (i, taint) in self
            .spec
            .iter()
            .flat_map(|spec| spec.taints.iter().flatten())
            .enumerate()
        {
            let taint_path = path.index(i);
            for message in is_qualified_name(&taint.key) {
                errors.push(FieldError::invalid(
                    taint_path.child("key"),
                    taint.key.as_str(),
                    message,
                ));
            }
            if let Some(value) = taint.value.as_deref() {
                for message in is_valid_label_value(value) {
                    errors.push(FieldError::invalid(
                        taint_path.child("value"),
                        value,
                        message,
                    ));
                }
            }
            if taint.effect.is_empty() {
                errors.push(FieldError::required(taint_path.child("effect"), ""));
            } else if !TAINT_EFFECTS.contains(&taint.effect.as_str()) {
                errors.push(FieldError::not_supported(
                    taint_path.child("effect"),
                    taint.effect.as_str(),
                    TAINT_EFFECTS,
                ));
            }
            if !seen.insert((taint.key.clone(), taint.effect.clone())) {
                errors.push(
                    FieldError::duplicate(taint_path, taint.key.as_str())
                        .with_detail("taints must be unique by key and effect pair"),
                );
            }
        }
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
}
