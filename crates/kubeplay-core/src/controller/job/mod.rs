//! The Job controller (`pkg/controller/job`): it runs a Job's pods to completion, one file per rule
//! as upstream splits them: the sync loop (`job_controller`), the pod failure back-off
//! (`backoff_utils`), `podFailurePolicy` (`pod_failure_policy`), `successPolicy`
//! (`success_policy`), Indexed Jobs (`indexed_job_utils`) and the tracking finalizer
//! (`tracking_utils`).

pub mod backoff_utils;
pub mod indexed_job_utils;
pub mod job_controller;
pub mod pod_failure_policy;
pub mod success_policy;
pub mod tracking_utils;

pub use job_controller::JobController;

/// The finalizer every Job pod carries until the controller has counted it.
pub const JOB_TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
/// An Indexed Job pod's index, as an annotation and (PodIndexLabel) a label.
pub const JOB_COMPLETION_INDEX_ANNOTATION: &str = "batch.kubernetes.io/job-completion-index";
/// With backoffLimitPerIndex: how many pods of this index failed before this one.
pub const JOB_INDEX_FAILURE_COUNT_ANNOTATION: &str = "batch.kubernetes.io/job-index-failure-count";
/// With backoffLimitPerIndex: failures of this index that an Ignore rule left uncounted.
pub const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION: &str =
    "batch.kubernetes.io/job-index-ignored-failure-count";
/// The `spec.managedBy` value that means this controller.
pub const JOB_CONTROLLER_NAME: &str = "kubernetes.io/job-controller";
/// The event source of everything the controller records.
pub const JOB_CONTROLLER_COMPONENT: &str = "job-controller";
