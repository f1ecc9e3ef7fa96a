//! ControllerRevisions (`pkg/registry/apps/controllerrevision`): snapshots whose data never changes.

use k8s_openapi::api::apps::v1::ControllerRevision;

use crate::api::field::{ErrorList, FieldError};
use crate::apiserver::ApiServer;

use super::Registry;

impl Registry for ControllerRevision {
    fn validate(&self, _api: &ApiServer) -> ErrorList {
        if self.revision < 0 {
            return vec![FieldError::invalid(
                "revision",
                self.revision,
                "must be greater than or equal to 0",
            )];
        }
        ErrorList::new()
    }

    fn validate_update(&self, old: &Self) -> ErrorList {
        if self.data != old.data {
            return vec![FieldError::invalid(
                "data",
                crate::api::field::BadValue::Omit,
                "field is immutable",
            )];
        }
        ErrorList::new()
    }

    fn prepare_for_status_update(&mut self, _old: &Self) {}
}
