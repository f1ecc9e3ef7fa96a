//! The tracking finalizer (`tracking_utils.go`): a Job pod keeps `batch.kubernetes.io/job-tracking`
//! until the controller has counted it, so a pod that finishes and vanishes is never missed.
//!
//! Upstream also keeps "expectations" of finalizer removals, because its informer cache may lag
//! behind its own writes. The simulator's store is read after every write, so they always hold
//! and are not kept.

use k8s_openapi::api::core::v1::Pod;

use super::JOB_TRACKING_FINALIZER;
use crate::api::{ApiObject, meta};
use crate::apiserver::{ApiError, ApiServer};

pub fn has_job_tracking_finalizer(pod: &Pod) -> bool {
    meta::has_finalizer(&pod.metadata, JOB_TRACKING_FINALIZER)
}

/// `removeTrackingFinalizerPatch` applied: Ok(true) when removed, Ok(false) when it had none.
/// A pod that is already gone counts as done, as upstream treats NotFound.
pub fn remove_tracking_finalizer(api: &mut ApiServer, pod: &Pod) -> Result<bool, ApiError> {
    if !has_job_tracking_finalizer(pod) {
        return Ok(false);
    }
    match api.modify::<Pod>(&pod.key(), |stored| {
        meta::remove_finalizer(&mut stored.metadata, JOB_TRACKING_FINALIZER)
    }) {
        Ok(_) => Ok(true),
        Err(error) if error.is_not_found() => Ok(true),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_finalizer() {
        let mut pod = Pod::default();
        assert!(!has_job_tracking_finalizer(&pod));
        meta::add_finalizer(&mut pod.metadata, JOB_TRACKING_FINALIZER);
        assert!(has_job_tracking_finalizer(&pod));
    }
}
