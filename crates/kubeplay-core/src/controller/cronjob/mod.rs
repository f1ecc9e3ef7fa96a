//! The CronJob controller (`pkg/controller/cronjob`): it creates a Job at each time a CronJob's
//! schedule names, as upstream splits it: the event handlers and the sync loop
//! (`cronjob_controllerv2`) and the helpers on CronJobs, Jobs and schedule times (`utils`).
//! The schedules themselves are `crate::cron`'s.

pub mod cronjob_controllerv2;
#[cfg(test)]
mod testing;
pub mod utils;

pub use cronjob_controllerv2::CronJobController;
pub use utils::next_schedule_times;

/// The event source of everything the controller records.
pub const CRONJOB_CONTROLLER_COMPONENT: &str = "cronjob-controller";
/// The time a Job was scheduled for, in the CronJob's time zone (`CronJobsScheduledAnnotation`).
pub const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION: &str =
    "batch.kubernetes.io/cronjob-scheduled-timestamp";
