//! Namespaces (`pkg/registry/core/namespace`): Active on create; names are DNS labels.

use k8s_openapi::api::core::v1::{Namespace, NamespaceSpec, NamespaceStatus};

use crate::api::validation::NameRule;

use super::{Registry, status_subresource};

impl Registry for Namespace {
    const NAME_RULE: NameRule = NameRule::Label;

    fn prepare_for_create(&mut self) {
        self.status = Some(NamespaceStatus {
            phase: Some("Active".into()),
            ..NamespaceStatus::default()
        });
        self.spec = Some(NamespaceSpec {
            finalizers: Some(vec!["kubernetes".into()]),
        });
    }

    fn apply_defaults(&mut self) {
        let name = self.metadata.name.clone().unwrap_or_default();
        self.metadata
            .labels
            .get_or_insert_with(Default::default)
            .insert("kubernetes.io/metadata.name".into(), name);
    }

    status_subresource!();
}
