//! CronJob benchmark (not a test): `cargo bench -p kubeplay-core --bench cronjob`.
//! Runs a `* * * * *` CronJob whose Job is done in seconds for 30 virtual days on 3 workers,
//! and prints, at days 1, 10, 20 and 30, the wall time so far, the Jobs created so far, what
//! the store holds and the size of the state file: the history limits and the one-hour event
//! TTL keep the last three flat.

use std::time::Instant;

use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_core::api::{AnyObject, Kind};
use kubeplay_core::apiserver::WatchEventType;
use kubeplay_core::clock::HOUR;
use kubeplay_core::{Cluster, ClusterOptions};

const DAYS: i64 = 30;
const REPORT_DAYS: [i64; 4] = [1, 10, 20, 30];

fn cron_job() -> CronJob {
    CronJob {
        metadata: ObjectMeta {
            name: Some("every-minute".into()),
            ..ObjectMeta::default()
        },
        spec: Some(CronJobSpec {
            schedule: "* * * * *".into(),
            job_template: JobTemplateSpec {
                metadata: None,
                spec: Some(JobSpec {
                    template: PodTemplateSpec {
                        metadata: None,
                        spec: Some(PodSpec {
                            restart_policy: Some("Never".into()),
                            containers: vec![Container {
                                name: "tick".into(),
                                image: Some("busybox:1.36".into()),
                                command: Some(vec!["sh".into(), "-c".into(), "date".into()]),
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

fn main() {
    let mut cluster = Cluster::with_workers(ClusterOptions::default(), 3);
    cluster.record_watch_events();
    if let Err(error) = cluster.act(|api| api.create(cron_job())) {
        eprintln!("cannot create the CronJob: {error}");
        return;
    }
    println!("a `* * * * *` CronJob whose Job runs `date`, for {DAYS} days on 3 workers");
    println!("day   wall s   jobs created   jobs   pods   events   state KiB");
    let started = Instant::now();
    let mut created = 0usize;
    for hour in 1..=DAYS * 24 {
        cluster.advance(HOUR);
        // Drained every hour, so the log itself stays small.
        created += cluster
            .take_watch_events()
            .iter()
            .filter(|event| {
                event.event_type == WatchEventType::Added
                    && matches!(event.object, AnyObject::Job(_))
            })
            .count();
        let day = hour / 24;
        if hour % 24 == 0 && REPORT_DAYS.contains(&day) {
            let wall = started.elapsed().as_secs_f64();
            let state = cluster.save_state().len();
            let store = cluster.store();
            println!(
                "{day:>3}   {wall:>6.2}   {created:>12}   {:>4}   {:>4}   {:>6}   {:>9}",
                store.count(Kind::Job),
                store.count(Kind::Pod),
                store.count(Kind::Event),
                state / 1024
            );
        }
    }
    let jobs = cluster.api().table::<Job>().len();
    let pods = cluster.api().table::<Pod>().len();
    println!(
        "total: {created} Jobs in {:.2} s of wall time; {jobs} Jobs and {pods} pods left",
        started.elapsed().as_secs_f64()
    );
}
