//! Events (`pkg/registry/core/event`): plain objects with no status or generation.

use k8s_openapi::api::core::v1::Event;

use super::Registry;

impl Registry for Event {
    fn prepare_for_status_update(&mut self, _old: &Self) {}
}
