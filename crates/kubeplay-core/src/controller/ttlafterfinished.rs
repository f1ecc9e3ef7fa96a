//! The TTL-after-finished controller (`pkg/controller/ttlafterfinished`): a finished Job with
//! `ttlSecondsAfterFinished` is deleted that many seconds after its Complete or Failed condition
//! turned True, in the foreground and only if it is still the same Job (uid precondition).

use k8s_openapi::api::batch::v1::Job;
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent, WatchEventType};
use crate::clock::{self, Millis, SECOND};
use crate::controller::job::job_controller::{finished_condition, is_job_finished};
use crate::controller::{Context, Controller, WorkQueue};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TtlAfterFinishedController {
    queue: WorkQueue,
}

impl Controller for TtlAfterFinishedController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    /// `addJob` and `updateJob`: finished Jobs with a TTL that are not being deleted.
    fn handle(&mut self, event: &WatchEvent, _api: &ApiServer) {
        if let (AnyObject::Job(job), WatchEventType::Added | WatchEventType::Modified) =
            (&event.object, event.event_type)
            && job.metadata.deletion_timestamp.is_none()
            && needs_cleanup(job)
        {
            self.queue.add(job.key().queue_key());
        }
    }

    /// `processJob`: deletes the Job once its TTL has passed, or waits until then.
    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let Some(job) = ctx
            .api
            .get_by_key::<Job>(&ObjectKey::from_queue_key(key))
            .cloned()
        else {
            return;
        };
        if job.metadata.deletion_timestamp.is_some() || !needs_cleanup(&job) {
            return;
        }
        let Some(expire_at) = expire_time(&job) else {
            return;
        };
        if expire_at > ctx.now() {
            ctx.requeue_at(key, expire_at);
            return;
        }
        let options = DeleteOptions {
            uid_precondition: Some(job.uid().to_string()),
            ..DeleteOptions::foreground()
        };
        // A failed delete (the Job changed meanwhile) is retried as upstream's rate limiter would.
        if ctx.api.delete::<Job>(&job.key(), &options).is_err() {
            ctx.requeue_after(key, SECOND);
        }
    }
}

/// `needsCleanup`: finished, with a TTL.
fn needs_cleanup(job: &Job) -> bool {
    job.spec
        .as_ref()
        .is_some_and(|spec| spec.ttl_seconds_after_finished.is_some())
        && is_job_finished(job)
}

/// `getFinishAndExpireTime`: the finish condition's lastTransitionTime plus the TTL.
fn expire_time(job: &Job) -> Option<Millis> {
    let ttl = job.spec.as_ref()?.ttl_seconds_after_finished?;
    let finished = finished_condition(job)?.last_transition_time.as_ref()?;
    Some(clock::to_millis(finished.0).saturating_add(i64::from(ttl) * SECOND))
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::batch::v1::{JobCondition, JobSpec, JobStatus};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

    use super::*;

    #[test]
    fn expires_ttl_seconds_after_the_finish_condition() {
        let mut job = Job {
            spec: Some(JobSpec {
                ttl_seconds_after_finished: Some(100),
                ..JobSpec::default()
            }),
            status: Some(JobStatus {
                conditions: Some(vec![JobCondition {
                    type_: "Complete".into(),
                    status: "True".into(),
                    last_transition_time: Some(Time(clock::to_timestamp(5 * SECOND))),
                    ..JobCondition::default()
                }]),
                ..JobStatus::default()
            }),
            ..Job::default()
        };
        assert!(needs_cleanup(&job));
        assert_eq!(expire_time(&job), Some(105 * SECOND));
        job.spec = Some(JobSpec::default());
        assert!(!needs_cleanup(&job));
    }
}
