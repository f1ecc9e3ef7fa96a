//! Job benchmark (not a test): `cargo bench -p kubeplay-core --bench job`.
//! Runs a Job of 10,000 completions, 500 at a time, on 10 workers until it is Complete, and
//! prints how long that took in virtual time and in wall time.

use std::time::Instant;

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_core::clock;
use kubeplay_core::{Cluster, ClusterOptions};

const COMPLETIONS: i32 = 10_000;
const PARALLELISM: i32 = 500;
const WORKERS: usize = 10;

fn job() -> Job {
    Job {
        metadata: ObjectMeta {
            name: Some("bench".into()),
            ..ObjectMeta::default()
        },
        spec: Some(JobSpec {
            completions: Some(COMPLETIONS),
            parallelism: Some(PARALLELISM),
            template: PodTemplateSpec {
                metadata: None,
                spec: Some(PodSpec {
                    restart_policy: Some("Never".into()),
                    containers: vec![Container {
                        name: "work".into(),
                        image: Some("busybox:1.36".into()),
                        command: Some(vec!["sleep".into(), "30".into()]),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                }),
            },
            ..JobSpec::default()
        }),
        status: None,
    }
}

fn complete(cluster: &Cluster) -> Option<i32> {
    let job = cluster.api().get::<Job>("default", "bench")?;
    let status = job.status.as_ref()?;
    status
        .conditions
        .iter()
        .flatten()
        .any(|condition| condition.type_ == "Complete" && condition.status == "True")
        .then(|| status.succeeded.unwrap_or(0))
}

fn main() {
    let mut cluster = Cluster::with_workers(ClusterOptions::default(), WORKERS);
    let start = cluster.now();
    let started = Instant::now();
    if let Err(error) = cluster.act(|api| api.create(job())) {
        eprintln!("cannot create the Job: {error}");
        return;
    }
    let mut steps = 0u64;
    let succeeded = loop {
        if let Some(succeeded) = complete(&cluster) {
            break succeeded;
        }
        if !cluster.step() {
            eprintln!("the cluster went idle before the Job completed");
            return;
        }
        steps += 1;
    };
    let wall = started.elapsed();
    println!(
        "Job of {COMPLETIONS} completions, parallelism {PARALLELISM}, pods sleeping 30 s, on {WORKERS} workers"
    );
    println!(
        "complete after {} of virtual time ({steps} timer steps), {:.2} s of wall time",
        clock::go_duration(cluster.now() - start),
        wall.as_secs_f64()
    );
    println!(
        "succeeded {succeeded}; {} pods and {} events stored",
        cluster.api().table::<Pod>().len(),
        cluster.store().events.len()
    );
}
