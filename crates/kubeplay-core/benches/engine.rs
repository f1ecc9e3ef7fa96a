//! Engine benchmark (not a test): `cargo bench -p kubeplay-core --bench engine`.
//! Creates 5,000 nodes, binds 50,000 pods, and advances the cluster by an hour of virtual time,
//! printing wall times and what the cluster holds afterwards.

use std::time::Instant;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_core::clock::{HOUR, SECOND};
use kubeplay_core::{Cluster, ClusterOptions, NodeConfig};

const NODES: usize = 5_000;
const PODS: usize = 50_000;

fn pod(index: usize) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(format!("web-{index}")),
            ..ObjectMeta::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "web".into(),
                image: Some("nginx:1.27".into()),
                ..Container::default()
            }],
            ..PodSpec::default()
        }),
        status: None,
    }
}

fn main() {
    let mut cluster = Cluster::new(ClusterOptions::default());
    let started = Instant::now();
    for index in 1..=NODES {
        if let Err(error) = cluster.add_node(NodeConfig::new(format!("node-{index}"))) {
            eprintln!("cannot add a node: {error}");
            return;
        }
    }
    let nodes_time = started.elapsed();
    println!("create {NODES} nodes: {:.2} s", nodes_time.as_secs_f64());

    let mut idle = cluster.clone();
    let started = Instant::now();
    idle.advance(HOUR);
    println!(
        "advance the idle {NODES}-node cluster by 1 h: {:.3} s",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    cluster.act(|api| {
        for index in 0..PODS {
            if let Err(error) = api.create(pod(index)) {
                eprintln!("cannot create a pod: {error}");
                return;
            }
        }
    });
    let bound = cluster
        .api()
        .table::<Pod>()
        .iter()
        .filter(|pod| {
            pod.spec
                .as_ref()
                .and_then(|spec| spec.node_name.as_ref())
                .is_some()
        })
        .count();
    println!(
        "create and bind {PODS} pods: {:.2} s ({bound} bound)",
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    cluster.advance(5 * SECOND);
    let running = cluster
        .api()
        .table::<Pod>()
        .iter()
        .filter(|pod| {
            pod.status
                .as_ref()
                .and_then(|status| status.phase.as_deref())
                == Some("Running")
        })
        .count();
    println!(
        "start their containers (5 s of virtual time): {:.2} s ({running} running)",
        started.elapsed().as_secs_f64()
    );

    let events_before = cluster.store().events.len();
    let started = Instant::now();
    cluster.advance(HOUR);
    println!(
        "advance the busy cluster by 1 h: {:.2} s (events {events_before} -> {}, all expired by the 1 h TTL)",
        started.elapsed().as_secs_f64(),
        cluster.store().events.len()
    );
    let started = Instant::now();
    let state = cluster.save_state();
    println!(
        "save the state: {:.2} s ({} MB)",
        started.elapsed().as_secs_f64(),
        state.len() / 1_000_000
    );
}
