//! What the CronJob controller's tests share, as upstream's test files share `cronJob()`,
//! `jobSpec()` and the times around 2016-05-19T10:00Z.

use std::sync::Arc;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{Container, Namespace, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::api::AnyObject;
use crate::apiserver::ApiServer;
use crate::clock::{self, Millis};

pub const ON_THE_HOUR: &str = "0 * * * ?";
/// `nextScheduleDelta`.
pub const DELTA: Millis = 100;

pub fn at(text: &str) -> Millis {
    clock::to_millis(text.parse::<Timestamp>().expect("a test time"))
}

pub fn top_of_the_hour() -> Millis {
    at("2016-05-19T10:00:00Z")
}

pub fn just_after_the_prior_hour() -> Millis {
    at("2016-05-19T09:01:00Z")
}

pub fn just_before_the_prior_hour() -> Millis {
    at("2016-05-19T08:59:00Z")
}

pub fn just_after_the_hour() -> Millis {
    at("2016-05-19T10:01:00Z")
}

pub fn just_before_the_hour() -> Millis {
    at("2016-05-19T09:59:00Z")
}

pub fn just_before_the_next_hour() -> Millis {
    at("2016-05-19T10:59:00Z")
}

pub fn week_after_the_hour() -> Millis {
    at("2016-05-26T10:00:00Z")
}

pub fn time(millis: Millis) -> Time {
    Time(clock::to_timestamp(millis))
}

/// `cronJob()`, with a template the API server accepts (a container name, a restart policy).
pub fn cron_job() -> CronJob {
    CronJob {
        metadata: ObjectMeta {
            name: Some("mycronjob".into()),
            namespace: Some("snazzycats".into()),
            uid: Some("1a2b3c".into()),
            creation_timestamp: Some(time(just_before_the_hour())),
            ..ObjectMeta::default()
        },
        spec: Some(CronJobSpec {
            schedule: "* * * * ?".into(),
            concurrency_policy: Some("Allow".into()),
            job_template: JobTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some([("a".to_string(), "b".to_string())].into()),
                    annotations: Some([("x".to_string(), "y".to_string())].into()),
                    ..ObjectMeta::default()
                }),
                spec: Some(JobSpec {
                    parallelism: Some(1),
                    completions: Some(1),
                    template: PodTemplateSpec {
                        metadata: Some(ObjectMeta {
                            labels: Some([("foo".to_string(), "bar".to_string())].into()),
                            ..ObjectMeta::default()
                        }),
                        spec: Some(PodSpec {
                            restart_policy: Some("OnFailure".into()),
                            containers: vec![Container {
                                name: "bar".into(),
                                image: Some("foo/bar".into()),
                                ..Container::default()
                            }],
                            ..PodSpec::default()
                        }),
                    },
                    ..JobSpec::default()
                }),
            },
            ..CronJobSpec::default()
        }),
        status: None,
    }
}

/// An API server at `now` with the namespace `snazzycats`, being deleted if `terminating`.
pub fn api_at(now: Millis, terminating: bool) -> ApiServer {
    let mut api = ApiServer::new(now, 1);
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some("snazzycats".into()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    let mut created = api.create(namespace).expect("a namespace").as_ref().clone();
    if terminating {
        created.metadata.deletion_timestamp = Some(api.now_time());
        api.store
            .insert_any(AnyObject::Namespace(Arc::new(created)));
    }
    api
}

/// Puts a Job in the store as it is, as upstream's tests fill an informer's indexer.
pub fn store_job(api: &mut ApiServer, job: Job) -> Arc<Job> {
    let job = Arc::new(job);
    api.store.insert_any(AnyObject::Job(job.clone()));
    job
}

/// Puts a CronJob in the store as it is.
pub fn store_cron_job(api: &mut ApiServer, cron_job: CronJob) -> Arc<CronJob> {
    let cron_job = Arc::new(cron_job);
    api.store.insert_any(AnyObject::CronJob(cron_job.clone()));
    cron_job
}
