//! Per-kind rules of the API server, as upstream's `pkg/registry/<group>/<kind>/strategy.go`:
//! what create and update clear or keep, when generation moves, defaulting, validation and
//! how deletion proceeds.

mod controllerrevision;
mod cronjob;
pub mod daemonset;
mod event;
pub mod job;
mod namespace;
mod node;
pub mod pod;

use crate::api::field::ErrorList;
use crate::api::validation::{NameRule, validate_object_meta};

use super::store::Stored;
use super::{ApiServer, Propagation};

pub trait Registry: Stored {
    const DEFAULT_PROPAGATION: Propagation = Propagation::Background;
    const NAME_RULE: NameRule = NameRule::Subdomain;

    /// Clears what a client may not set on create (status) and starts the generation.
    fn prepare_for_create(&mut self) {}

    /// The versioned defaults (`SetDefaults_<Kind>`).
    fn apply_defaults(&mut self) {}

    /// Mutating admission plugins, e.g. DefaultTolerationSeconds for pods.
    fn admit(&mut self, _api: &ApiServer) {}

    fn validate_meta(&self) -> ErrorList {
        validate_object_meta(
            self.metadata(),
            Self::OBJECT_KIND.namespaced(),
            Self::NAME_RULE,
        )
    }

    /// Rules every write checks.
    fn validate(&self, _api: &ApiServer) -> ErrorList {
        ErrorList::new()
    }

    /// Rules only a create checks (a CronJob's name length, TZ in its schedule).
    fn validate_create(&self) -> ErrorList {
        ErrorList::new()
    }

    /// Rules that compare with the stored object (immutable fields).
    fn validate_update(&self, _old: &Self) -> ErrorList {
        ErrorList::new()
    }

    /// A main-resource update keeps the stored status.
    fn prepare_for_update(&mut self, _old: &Self) {}

    /// A status update keeps everything but the status.
    fn prepare_for_status_update(&mut self, old: &Self) {
        *self = old.clone();
    }

    /// Whether the change bumps `metadata.generation`.
    fn generation_changed(&self, _old: &Self) -> bool {
        false
    }

    /// Refuses a delete outright (the built-in namespaces).
    fn check_delete(&self) -> Result<(), super::ApiError> {
        Ok(())
    }

    /// Marks the object as being deleted beyond metadata (a namespace turns Terminating).
    fn prepare_for_delete(&mut self) {}

    /// Whether something other than metadata finalizers holds the object (a namespace's spec.finalizers).
    fn deletion_blocked(&self) -> bool {
        false
    }

    /// Seconds of graceful termination a delete starts, or None to remove at once.
    fn graceful_deletion_seconds(&self, _requested: Option<i64>) -> Option<i64> {
        None
    }
}

/// Status handling shared by kinds with a `status` subresource.
macro_rules! status_subresource {
    () => {
        fn prepare_for_update(&mut self, old: &Self) {
            self.status = old.status.clone();
        }

        fn prepare_for_status_update(&mut self, old: &Self) {
            let status = self.status.take();
            *self = old.clone();
            self.status = status;
        }
    };
}
pub(crate) use status_subresource;
