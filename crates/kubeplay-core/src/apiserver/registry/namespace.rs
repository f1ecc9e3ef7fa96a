//! Namespaces (`pkg/registry/core/namespace`): Active on create; names are DNS labels.

use k8s_openapi::api::core::v1::{Namespace, NamespaceSpec, NamespaceStatus};

use crate::api::Kind;
use crate::api::validation::NameRule;
use crate::apiserver::ApiError;

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

    fn check_delete(&self) -> Result<(), ApiError> {
        let name = self.metadata.name.as_deref().unwrap_or_default();
        if matches!(name, "default" | "kube-system" | "kube-public") {
            return Err(ApiError::forbidden(
                Kind::Namespace,
                name,
                "this namespace may not be deleted",
            ));
        }
        Ok(())
    }

    fn prepare_for_delete(&mut self) {
        self.status.get_or_insert_with(Default::default).phase = Some("Terminating".into());
    }

    /// The namespace controller empties the namespace, then clears `spec.finalizers`.
    fn deletion_blocked(&self) -> bool {
        self.spec
            .as_ref()
            .and_then(|spec| spec.finalizers.as_ref())
            .is_some_and(|finalizers| !finalizers.is_empty())
    }
}
