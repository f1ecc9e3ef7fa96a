//! The engine's contracts, driven through the API server and the clock.

use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_core::api::ObjectKey;
use kubeplay_core::clock::SECOND;
use kubeplay_core::{Cluster, NodeConfig};

fn pod(name: &str, command: &[&str]) -> Pod {
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..ObjectMeta::default()
        },
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "main".into(),
                image: Some("busybox:1.36".into()),
                command: (!command.is_empty())
                    .then(|| command.iter().map(|word| word.to_string()).collect()),
                ..Container::default()
            }],
            restart_policy: Some("Never".into()),
            ..PodSpec::default()
        }),
        status: None,
    }
}

fn phase(cluster: &Cluster, name: &str) -> String {
    let pod = cluster
        .api()
        .get::<Pod>("default", name)
        .expect("pod exists");
    pod.status
        .as_ref()
        .and_then(|status| status.phase.clone())
        .unwrap_or_default()
}

#[test]
fn a_pod_is_scheduled_started_and_finishes() {
    let mut cluster = Cluster::default_cluster();
    cluster
        .act(|api| api.create(pod("sleeper", &["sh", "-c", "sleep 30; exit 0"])))
        .expect("valid pod");
    let stored = cluster
        .api()
        .get::<Pod>("default", "sleeper")
        .unwrap()
        .clone();
    let node = stored
        .spec
        .as_ref()
        .unwrap()
        .node_name
        .clone()
        .expect("bound");
    assert_ne!(
        node, "control-plane",
        "the control-plane taint keeps ordinary pods off"
    );
    assert_eq!(phase(&cluster, "sleeper"), "Pending");
    cluster.advance(2 * SECOND);
    assert_eq!(phase(&cluster, "sleeper"), "Running");
    cluster.advance(30 * SECOND);
    assert_eq!(phase(&cluster, "sleeper"), "Succeeded");
}

#[test]
fn an_unschedulable_pod_says_why_and_is_retried_when_a_node_joins() {
    let mut cluster = Cluster::default_cluster();
    let mut picky = pod("picky", &[]);
    picky.spec.as_mut().unwrap().node_selector =
        Some([("disktype".to_string(), "ssd".to_string())].into());
    cluster.act(|api| api.create(picky)).unwrap();
    let stored = cluster
        .api()
        .get::<Pod>("default", "picky")
        .unwrap()
        .as_ref()
        .clone();
    let condition = stored
        .status
        .unwrap()
        .conditions
        .unwrap()
        .into_iter()
        .find(|c| c.type_ == "PodScheduled")
        .unwrap();
    assert_eq!(
        condition.message.unwrap(),
        "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
    );
    let mut ssd = NodeConfig::new("node-4");
    ssd.labels.insert("disktype".into(), "ssd".into());
    cluster.add_node(ssd).unwrap();
    let stored = cluster
        .api()
        .get::<Pod>("default", "picky")
        .unwrap()
        .as_ref()
        .clone();
    assert_eq!(stored.spec.unwrap().node_name.as_deref(), Some("node-4"));
}

#[test]
fn a_failed_node_turns_unknown_and_its_pods_are_evicted_after_300_seconds() {
    let mut cluster = Cluster::default_cluster();
    cluster.act(|api| api.create(pod("web", &[]))).unwrap();
    cluster.advance(5 * SECOND);
    let node = cluster
        .api()
        .get::<Pod>("default", "web")
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .node_name
        .clone()
        .unwrap();
    cluster.fail_node(&node).unwrap();
    cluster.advance(49 * SECOND);
    let ready = |cluster: &Cluster| {
        let node = cluster.api().get::<Node>("", &node).unwrap();
        node.status
            .as_ref()
            .unwrap()
            .conditions
            .as_ref()
            .unwrap()
            .iter()
            .find(|c| c.type_ == "Ready")
            .unwrap()
            .status
            .clone()
    };
    assert_eq!(ready(&cluster), "True");
    cluster.advance(SECOND);
    assert_eq!(ready(&cluster), "Unknown");
    let taints: Vec<String> = cluster
        .api()
        .get::<Node>("", &node)
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .taints
        .clone()
        .unwrap()
        .iter()
        .map(|t| format!("{}:{}", t.key, t.effect))
        .collect();
    assert!(
        taints.contains(&"node.kubernetes.io/unreachable:NoExecute".to_string()),
        "{taints:?}"
    );
    cluster.advance(299 * SECOND);
    assert!(
        cluster
            .api()
            .get::<Pod>("default", "web")
            .unwrap()
            .metadata
            .deletion_timestamp
            .is_none()
    );
    cluster.advance(SECOND);
    assert!(
        cluster
            .api()
            .get::<Pod>("default", "web")
            .unwrap()
            .metadata
            .deletion_timestamp
            .is_some(),
        "evicted, Terminating on the dead node"
    );
    cluster.remove_node(&node).unwrap();
    cluster.advance(41 * SECOND);
    assert!(
        cluster.api().get::<Pod>("default", "web").is_none(),
        "PodGC removes pods of a deleted node"
    );
}

#[test]
fn the_state_file_round_trips_byte_for_byte() {
    let mut cluster = Cluster::default_cluster();
    cluster
        .act(|api| api.create(pod("a", &["sh", "-c", "sleep 100"])))
        .unwrap();
    cluster.advance(10 * SECOND);
    let saved = cluster.save_state();
    let mut loaded = Cluster::load_state(&saved).unwrap();
    assert_eq!(loaded.save_state(), saved);
    cluster.advance(200 * SECOND);
    loaded.advance(200 * SECOND);
    assert_eq!(loaded.save_state(), cluster.save_state());
    let _ = ObjectKey::new("default", "a");
}
