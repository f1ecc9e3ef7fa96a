//! The DaemonSet rollout over 5,000 nodes: how long it takes on the virtual clock and in wall time.
//! Run with `cargo bench -p kubeplay-core --bench daemonset_rollout` (a report, not a test).

use std::time::Instant;

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet,
};
use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_core::api::ObjectKey;
use kubeplay_core::clock::{SECOND, go_duration};
use kubeplay_core::controller::daemon::rollout_status;
use kubeplay_core::{Cluster, ClusterOptions};

const NODES: usize = 5000;

fn daemon_set() -> DaemonSet {
    let labels = Some([("app".to_string(), "agent".to_string())].into());
    DaemonSet {
        metadata: ObjectMeta {
            name: Some("agent".into()),
            namespace: Some("kube-system".into()),
            ..ObjectMeta::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: labels.clone(),
                match_expressions: None,
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels,
                    ..ObjectMeta::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: "agent".into(),
                        image: Some("agent:1.0".into()),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                }),
            },
            update_strategy: Some(DaemonSetUpdateStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDaemonSet {
                    max_unavailable: Some(IntOrString::String("10%".into())),
                    max_surge: Some(IntOrString::Int(0)),
                }),
            }),
            ..DaemonSetSpec::default()
        }),
        status: None,
    }
}

/// Advances the clock a second at a time until `kubectl rollout status` would say done.
fn wait_rolled_out(cluster: &mut Cluster) -> Result<i64, String> {
    let start = cluster.now();
    for _ in 0..100_000 {
        let ds = cluster
            .api()
            .get::<DaemonSet>("kube-system", "agent")
            .cloned()
            .ok_or("the DaemonSet is gone")?;
        if rollout_status(&ds)?.1 {
            return Ok(cluster.now() - start);
        }
        cluster.advance(SECOND);
    }
    Err("the rollout did not finish".into())
}

fn main() -> Result<(), String> {
    let wall = Instant::now();
    let mut cluster = Cluster::with_workers(ClusterOptions::default(), NODES);
    println!("{NODES} worker nodes registered in {:?}", wall.elapsed());

    let wall = Instant::now();
    cluster
        .act(|api| api.create(daemon_set()))
        .map_err(|error| error.to_string())?;
    let virtual_create = wait_rolled_out(&mut cluster)?;
    println!(
        "create: {NODES} pods running and available after {} virtual, {:?} wall",
        go_duration(virtual_create),
        wall.elapsed()
    );

    let wall = Instant::now();
    cluster
        .act(|api| {
            api.modify::<DaemonSet>(&ObjectKey::new("kube-system", "agent"), |ds| {
                if let Some(spec) = ds
                    .spec
                    .as_mut()
                    .and_then(|spec| spec.template.spec.as_mut())
                {
                    spec.containers[0].image = Some("agent:1.1".into());
                }
            })
        })
        .map_err(|error| error.to_string())?;
    let virtual_update = wait_rolled_out(&mut cluster)?;
    println!(
        "update (maxUnavailable 10%): every pod replaced after {} virtual, {:?} wall",
        go_duration(virtual_update),
        wall.elapsed()
    );
    Ok(())
}
