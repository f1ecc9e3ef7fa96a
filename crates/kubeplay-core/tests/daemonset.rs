//! The DaemonSet controller through the API server and the virtual clock: the tutorial stories
//! and the cases of upstream's daemon_controller_test.go, update_test.go and
//! test/integration/daemonset that apply to a whole cluster.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy,
    RollingUpdateDaemonSet,
};
use k8s_openapi::api::core::v1::{
    Container, Event, Node, Pod, PodSpec, PodTemplateSpec, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeplay_core::api::ObjectKey;
use kubeplay_core::apiserver::{DeleteOptions, Propagation};
use kubeplay_core::clock::SECOND;
use kubeplay_core::controller::daemon::{
    history_entries, history_template, rollout_status, rollout_undo, why_no_pod,
};
use kubeplay_core::{Cluster, NodeConfig};

const NS: &str = "default";

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn daemon_set(name: &str, image: &str) -> DaemonSet {
    let app = labels(&[("app", name)]);
    DaemonSet {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some(NS.into()),
            ..ObjectMeta::default()
        },
        spec: Some(DaemonSetSpec {
            selector: LabelSelector {
                match_labels: Some(app.clone()),
                match_expressions: None,
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(app),
                    ..ObjectMeta::default()
                }),
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: name.into(),
                        image: Some(image.into()),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                }),
            },
            ..DaemonSetSpec::default()
        }),
        status: None,
    }
}

fn pod_spec(ds: &mut DaemonSet) -> &mut PodSpec {
    ds.spec
        .as_mut()
        .and_then(|spec| spec.template.spec.as_mut())
        .expect("the test DaemonSet has a pod spec")
}

fn create(cluster: &mut Cluster, ds: DaemonSet) -> Arc<DaemonSet> {
    cluster
        .act(|api| api.create(ds))
        .unwrap_or_else(|error| panic!("{error}"))
}

fn get_ds(cluster: &Cluster, name: &str) -> Arc<DaemonSet> {
    cluster
        .api()
        .get::<DaemonSet>(NS, name)
        .cloned()
        .unwrap_or_else(|| panic!("daemonset {name} exists"))
}

fn update_ds(cluster: &mut Cluster, name: &str, change: impl FnOnce(&mut DaemonSet)) {
    cluster
        .act(|api| api.modify::<DaemonSet>(&ObjectKey::new(NS, name), change))
        .unwrap_or_else(|error| panic!("{error}"));
}

fn status(cluster: &Cluster, name: &str) -> DaemonSetStatus {
    get_ds(cluster, name).status.clone().unwrap_or_default()
}

/// (desired, current, ready, updated, available, misscheduled).
fn counts(cluster: &Cluster, name: &str) -> (i32, i32, i32, i32, i32, i32) {
    let status = status(cluster, name);
    (
        status.desired_number_scheduled,
        status.current_number_scheduled,
        status.number_ready,
        status.updated_number_scheduled.unwrap_or(0),
        status.number_available.unwrap_or(0),
        status.number_misscheduled,
    )
}

/// The DaemonSet's pods (by controller uid), including terminating ones.
fn ds_pods(cluster: &Cluster, name: &str) -> Vec<Arc<Pod>> {
    let Some(ds) = cluster.api().get::<DaemonSet>(NS, name) else {
        return Vec::new();
    };
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    cluster
        .api()
        .table::<Pod>()
        .controlled_by(&uid)
        .cloned()
        .collect()
}

fn node_of(pod: &Pod) -> String {
    pod.spec
        .as_ref()
        .and_then(|spec| spec.node_name.clone())
        .unwrap_or_default()
}

/// Node → the live (not terminating) pods of the DaemonSet bound there.
fn placement(cluster: &Cluster, name: &str) -> BTreeMap<String, Vec<String>> {
    let mut by_node: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pod in ds_pods(cluster, name) {
        if pod.metadata.deletion_timestamp.is_none() {
            by_node
                .entry(node_of(&pod))
                .or_default()
                .push(pod.metadata.name.clone().unwrap_or_default());
        }
    }
    by_node
}

fn ready_pods(cluster: &Cluster, name: &str) -> usize {
    ds_pods(cluster, name)
        .iter()
        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
        .filter(|pod| {
            pod.status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
        })
        .count()
}

fn placed_nodes(cluster: &Cluster, name: &str) -> Vec<String> {
    placement(cluster, name).into_keys().collect()
}

fn label(pod: &Pod, key: &str) -> String {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|labels| labels.get(key).cloned())
        .unwrap_or_default()
}

fn phase(pod: &Pod) -> String {
    pod.status
        .as_ref()
        .and_then(|status| status.phase.clone())
        .unwrap_or_default()
}

/// Messages of the events with this reason about `object`, oldest first.
fn events(cluster: &Cluster, object: &str, reason: &str) -> Vec<String> {
    let mut found: Vec<(String, String)> = cluster
        .api()
        .table::<Event>()
        .iter()
        .filter(|event| {
            event.involved_object.name.as_deref() == Some(object)
                && event.reason.as_deref() == Some(reason)
        })
        .map(|event| {
            (
                event.metadata.name.clone().unwrap_or_default(),
                event.message.clone().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, message)| message).collect()
}

fn set_node_labels(cluster: &mut Cluster, node: &str, pairs: &[(&str, &str)]) {
    let pairs = labels(pairs);
    cluster
        .act(|api| {
            api.modify::<Node>(&ObjectKey::cluster(node), |node| {
                node.metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .extend(pairs)
            })
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

fn taint_node(cluster: &mut Cluster, node: &str, key: &str, effect: &str) {
    cluster
        .act(|api| {
            api.modify::<Node>(&ObjectKey::cluster(node), |node| {
                node.spec
                    .get_or_insert_with(Default::default)
                    .taints
                    .get_or_insert_with(Vec::new)
                    .push(Taint {
                        key: key.into(),
                        effect: effect.into(),
                        ..Taint::default()
                    })
            })
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

fn untaint_node(cluster: &mut Cluster, node: &str, key: &str) {
    cluster
        .act(|api| {
            api.modify::<Node>(&ObjectKey::cluster(node), |node| {
                if let Some(taints) = node.spec.as_mut().and_then(|spec| spec.taints.as_mut()) {
                    taints.retain(|taint| taint.key != key);
                }
            })
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

fn delete_ds(cluster: &mut Cluster, name: &str, propagation: Propagation) {
    let options = DeleteOptions {
        propagation: Some(propagation),
        ..DeleteOptions::default()
    };
    cluster
        .act(|api| api.delete::<DaemonSet>(&ObjectKey::new(NS, name), &options))
        .unwrap_or_else(|error| panic!("{error}"));
}

fn tolerate_control_plane(ds: &mut DaemonSet) {
    pod_spec(ds)
        .tolerations
        .get_or_insert_with(Vec::new)
        .push(Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Toleration::default()
        });
}

fn set_image(cluster: &mut Cluster, name: &str, image: &str) {
    let image = image.to_string();
    update_ds(cluster, name, |ds| {
        pod_spec(ds).containers[0].image = Some(image)
    });
}

fn rolling(max_unavailable: IntOrString, max_surge: IntOrString) -> DaemonSetUpdateStrategy {
    DaemonSetUpdateStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDaemonSet {
            max_unavailable: Some(max_unavailable),
            max_surge: Some(max_surge),
        }),
    }
}

fn revisions(cluster: &Cluster, name: &str) -> Vec<(i64, String)> {
    history_entries(cluster.api(), NS, name)
        .unwrap_or_else(|error| panic!("{error}"))
        .into_iter()
        .map(|entry| (entry.revision, entry.name))
        .collect()
}

fn current_hash(cluster: &Cluster, name: &str) -> String {
    let uid = get_ds(cluster, name)
        .metadata
        .uid
        .clone()
        .unwrap_or_default();
    let newest = cluster
        .api()
        .table::<ControllerRevision>()
        .controlled_by(&uid)
        .max_by_key(|history| history.revision)
        .cloned()
        .unwrap_or_else(|| panic!("{name} has a revision"));
    label_of_revision(&newest)
}

fn label_of_revision(history: &ControllerRevision) -> String {
    history
        .metadata
        .labels
        .as_ref()
        .and_then(|labels| labels.get("controller-revision-hash").cloned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Tutorial stories
// ---------------------------------------------------------------------------------------------

/// A log collector tolerating the control-plane taint lands on all four nodes, each pod shaped as
/// the controller builds it (TestSimpleDaemonSetLaunchesPods, TestTaintedNodeDaemonLaunchesToleratePod).
#[test]
fn a_log_collector_tolerating_the_control_plane_runs_on_every_node() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("log-collector", "fluent/fluent-bit:3.0");
    tolerate_control_plane(&mut ds);
    let created = create(&mut cluster, ds);
    let uid = created.metadata.uid.clone().unwrap_or_default();

    let pods = ds_pods(&cluster, "log-collector");
    assert_eq!(pods.len(), 4);
    assert_eq!(
        placed_nodes(&cluster, "log-collector"),
        vec!["control-plane", "node-1", "node-2", "node-3"]
    );
    let hash = current_hash(&cluster, "log-collector");
    for pod in &pods {
        let name = pod.metadata.name.clone().unwrap_or_default();
        assert!(name.starts_with("log-collector-") && name.len() == "log-collector-".len() + 5);
        assert_eq!(label(pod, "controller-revision-hash"), hash);
        assert_eq!(label(pod, "pod-template-generation"), "1");
        assert_eq!(label(pod, "app"), "log-collector");
        let owner = &pod.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!(
            (
                owner.kind.as_str(),
                owner.api_version.as_str(),
                owner.uid.as_str()
            ),
            ("DaemonSet", "apps/v1", uid.as_str())
        );
        assert_eq!(owner.controller, Some(true));
        assert_eq!(owner.block_owner_deletion, Some(true));
        let spec = pod.spec.as_ref().unwrap();
        // Bound by the scheduler through the matchFields term, not by the controller.
        let term = &spec
            .affinity
            .as_ref()
            .unwrap()
            .node_affinity
            .as_ref()
            .unwrap()
            .required_during_scheduling_ignored_during_execution
            .as_ref()
            .unwrap()
            .node_selector_terms;
        let field = &term[0].match_fields.as_ref().unwrap()[0];
        assert_eq!(field.key, "metadata.name");
        assert_eq!(field.operator, "In");
        assert_eq!(field.values.as_ref().unwrap(), &vec![node_of(pod)]);
        let tolerations: Vec<String> = spec
            .tolerations
            .iter()
            .flatten()
            .map(|t| {
                format!(
                    "{}:{}:{}:{:?}",
                    t.key.clone().unwrap_or_default(),
                    t.operator.clone().unwrap_or_default(),
                    t.effect.clone().unwrap_or_default(),
                    t.toleration_seconds
                )
            })
            .collect();
        assert_eq!(
            tolerations,
            vec![
                "node-role.kubernetes.io/control-plane:Exists:NoSchedule:None",
                "node.kubernetes.io/not-ready:Exists:NoExecute:None",
                "node.kubernetes.io/unreachable:Exists:NoExecute:None",
                "node.kubernetes.io/disk-pressure:Exists:NoSchedule:None",
                "node.kubernetes.io/memory-pressure:Exists:NoSchedule:None",
                "node.kubernetes.io/pid-pressure:Exists:NoSchedule:None",
                "node.kubernetes.io/unschedulable:Exists:NoSchedule:None",
            ]
        );
    }
    assert_eq!(
        events(&cluster, "log-collector", "SuccessfulCreate").len(),
        4
    );
    assert!(
        events(&cluster, "log-collector", "SuccessfulCreate")
            .iter()
            .all(|message| message.starts_with("Created pod: log-collector-"))
    );
    assert_eq!(counts(&cluster, "log-collector"), (4, 4, 0, 4, 0, 0));
    cluster.advance(2 * SECOND);
    assert_eq!(counts(&cluster, "log-collector"), (4, 4, 4, 4, 4, 0));
    let status = status(&cluster, "log-collector");
    assert_eq!(status.observed_generation, Some(1));
    assert_eq!(status.number_unavailable, Some(0));
    assert_eq!(
        rollout_status(&get_ds(&cluster, "log-collector")),
        Ok((
            "daemon set \"log-collector\" successfully rolled out\n".to_string(),
            true
        ))
    );
    assert_eq!(revisions(&cluster, "log-collector").len(), 1);
    assert_eq!(
        revisions(&cluster, "log-collector")[0],
        (1, format!("log-collector-{hash}"))
    );
}

/// Without the toleration the control-plane node gets no pod (TestTaintedNodeDaemonDoesNotLaunchIntolerantPod).
#[test]
fn the_control_plane_taint_keeps_a_plain_daemon_set_off() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    assert_eq!(
        placed_nodes(&cluster, "agent"),
        vec!["node-1", "node-2", "node-3"]
    );
    assert_eq!(counts(&cluster, "agent").0, 3);
    let ds = get_ds(&cluster, "agent");
    assert_eq!(
        why_no_pod(cluster.api(), &ds, "control-plane").as_deref(),
        Some(
            "No pod here: the node has the taint node-role.kubernetes.io/control-plane:NoSchedule that the pod does not tolerate."
        )
    );
    assert_eq!(why_no_pod(cluster.api(), &ds, "node-1"), None);
}

/// fluentd with `nodeSelector: disktype: ssd` follows `kubectl label nodes`, including an
/// overwrite to hdd that removes the pod (TestSelectorDaemonLaunchesPods,
/// TestSelectorDaemonDeletesUnselectedPods, TestUpdateNode).
#[test]
fn fluentd_follows_the_disktype_label() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("fluentd", "fluentd:v1.16");
    pod_spec(&mut ds).node_selector = Some(labels(&[("disktype", "ssd")]));
    create(&mut cluster, ds);
    assert!(ds_pods(&cluster, "fluentd").is_empty());
    assert_eq!(counts(&cluster, "fluentd").0, 0);
    let fluentd = get_ds(&cluster, "fluentd");
    assert_eq!(
        why_no_pod(cluster.api(), &fluentd, "node-1").as_deref(),
        Some(
            "No pod here: nodeSelector disktype=ssd does not match: the node has no label disktype."
        )
    );

    set_node_labels(&mut cluster, "node-1", &[("disktype", "ssd")]);
    assert_eq!(placed_nodes(&cluster, "fluentd"), vec!["node-1"]);
    set_node_labels(&mut cluster, "node-2", &[("disktype", "ssd")]);
    assert_eq!(placed_nodes(&cluster, "fluentd"), vec!["node-1", "node-2"]);
    cluster.advance(2 * SECOND);
    assert_eq!(counts(&cluster, "fluentd"), (2, 2, 2, 2, 2, 0));

    // `kubectl label nodes node-1 disktype=hdd --overwrite`: the pod goes, despite IgnoredDuringExecution.
    set_node_labels(&mut cluster, "node-1", &[("disktype", "hdd")]);
    assert_eq!(placed_nodes(&cluster, "fluentd"), vec!["node-2"]);
    assert_eq!(events(&cluster, "fluentd", "SuccessfulDelete").len(), 1);
    assert_eq!(counts(&cluster, "fluentd").0, 1);
    cluster.advance(3 * SECOND);
    assert_eq!(ds_pods(&cluster, "fluentd").len(), 1, "the old pod is gone");
    assert_eq!(counts(&cluster, "fluentd"), (1, 1, 1, 1, 1, 0));
    let fluentd = get_ds(&cluster, "fluentd");
    assert_eq!(
        why_no_pod(cluster.api(), &fluentd, "node-1").as_deref(),
        Some(
            "No pod here: nodeSelector disktype=ssd does not match the node's label disktype=hdd."
        )
    );
}

/// An httpd image change rolls out node by node with maxUnavailable 1, visible on the clock; the
/// undo restores the old template and renumbers its revision (TestDaemonSetUpdatesPods,
/// rollback.go, constructHistory).
#[test]
fn httpd_rolls_out_node_by_node_and_undo_renumbers_revisions() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("httpd", "httpd:2.4"));
    cluster.advance(5 * SECOND);
    let first_hash = current_hash(&cluster, "httpd");
    assert_eq!(counts(&cluster, "httpd"), (3, 3, 3, 3, 3, 0));

    set_image(&mut cluster, "httpd", "httpd:2.4.62");
    let second_hash = current_hash(&cluster, "httpd");
    assert_ne!(first_hash, second_hash);
    assert_eq!(
        rollout_status(&get_ds(&cluster, "httpd")).map(|(line, _)| line),
        Ok(
            "Waiting for daemon set \"httpd\" rollout to finish: 0 out of 3 new pods have been updated...\n"
                .to_string()
        )
    );
    // Step through time: never more than one node without an available pod.
    let mut updated_at = Vec::new();
    let mut done = false;
    for _ in 0..40 {
        cluster.advance(SECOND);
        let live = placement(&cluster, "httpd");
        let available = ready_pods(&cluster, "httpd");
        assert!(available >= 2, "at most one node unavailable: {live:?}");
        let updated = counts(&cluster, "httpd").3;
        if updated_at.last().map(|(count, _)| *count) != Some(updated) {
            updated_at.push((updated, cluster.now()));
        }
        if rollout_status(&get_ds(&cluster, "httpd")).is_ok_and(|(_, done)| done) {
            done = true;
            break;
        }
    }
    assert!(done, "rolled out: {updated_at:?}");
    // Three distinct steps, one node each.
    let steps: Vec<i32> = updated_at.iter().map(|(count, _)| *count).collect();
    assert_eq!(steps, vec![0, 1, 2, 3]);
    assert!(
        ds_pods(&cluster, "httpd")
            .iter()
            .all(|pod| label(pod, "controller-revision-hash") == second_hash
                && label(pod, "pod-template-generation") == "2")
    );
    assert_eq!(
        revisions(&cluster, "httpd"),
        vec![
            (1, format!("httpd-{first_hash}")),
            (2, format!("httpd-{second_hash}"))
        ]
    );
    assert_eq!(
        history_template(cluster.api(), NS, "httpd", 1).map(|template| template
            .spec
            .unwrap()
            .containers[0]
            .image
            .clone()),
        Ok(Some("httpd:2.4".to_string()))
    );

    // `kubectl rollout undo ds/httpd`: back to revision 1's template, renumbered to 3.
    let line = cluster.act(|api| rollout_undo(api, NS, "httpd", 0));
    assert_eq!(line, Ok("daemonset.apps/httpd rolled back".to_string()));
    assert_eq!(
        pod_spec(&mut get_ds(&cluster, "httpd").as_ref().clone()).containers[0].image,
        Some("httpd:2.4".into())
    );
    assert_eq!(
        revisions(&cluster, "httpd"),
        vec![
            (2, format!("httpd-{second_hash}")),
            (3, format!("httpd-{first_hash}"))
        ]
    );
    cluster.advance(30 * SECOND);
    assert!(
        ds_pods(&cluster, "httpd")
            .iter()
            .all(|pod| label(pod, "controller-revision-hash") == first_hash
                && label(pod, "pod-template-generation") == "3")
    );
    assert_eq!(counts(&cluster, "httpd"), (3, 3, 3, 3, 3, 0));
    // Undoing to the current template is skipped; unknown revisions are refused.
    assert_eq!(
        cluster.act(|api| rollout_undo(api, NS, "httpd", 3)),
        Ok(
            "daemonset.apps/httpd skipped rollback (current template already matches revision 3)"
                .to_string()
        )
    );
    assert_eq!(
        cluster.act(|api| rollout_undo(api, NS, "httpd", 7)),
        Err("error: unable to find specified revision 7 in history".to_string())
    );
}

/// An untolerated NoExecute taint removes the pod; NoSchedule keeps it, counted misscheduled
/// (TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod, TestNoExecuteTaintedDoesEvicitRunningIntolerantPod).
#[test]
fn no_execute_removes_the_pod_and_no_schedule_keeps_it_misscheduled() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);

    taint_node(&mut cluster, "node-1", "maintenance", "NoSchedule");
    assert_eq!(
        placed_nodes(&cluster, "agent"),
        vec!["node-1", "node-2", "node-3"]
    );
    assert_eq!(counts(&cluster, "agent"), (2, 2, 2, 2, 2, 1));
    let ds = get_ds(&cluster, "agent");
    let why = why_no_pod(cluster.api(), &ds, "node-1").unwrap_or_default();
    assert!(why.contains("counts as misscheduled"), "{why}");
    untaint_node(&mut cluster, "node-1", "maintenance");
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 3, 0));

    taint_node(&mut cluster, "node-2", "maintenance", "NoExecute");
    assert_eq!(placed_nodes(&cluster, "agent"), vec!["node-1", "node-3"]);
    assert_eq!(counts(&cluster, "agent").0, 2);
    cluster.advance(3 * SECOND);
    assert_eq!(ds_pods(&cluster, "agent").len(), 2);
    assert_eq!(counts(&cluster, "agent"), (2, 2, 2, 2, 2, 0));
    // Taken off again, the node gets a new pod (TestTaintedNodeDaemonLaunchesToleratePod).
    untaint_node(&mut cluster, "node-2", "maintenance");
    assert_eq!(
        placed_nodes(&cluster, "agent"),
        vec!["node-1", "node-2", "node-3"]
    );
}

/// A failed node: Ready turns Unknown, the unreachable taints come; the daemon pod tolerates
/// NoExecute forever and stays, but counts as misscheduled; recovery brings it back.
#[test]
fn a_failed_node_keeps_its_daemon_pod_misscheduled_until_it_recovers() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let pod_before = placement(&cluster, "agent")["node-2"].clone();

    cluster.fail_node("node-2").unwrap();
    cluster.advance(60 * SECOND);
    let (desired, current, _, _, _, misscheduled) = counts(&cluster, "agent");
    assert_eq!((desired, current, misscheduled), (2, 2, 1));
    // Still there long after the 300 s that evict ordinary pods.
    cluster.advance(600 * SECOND);
    assert_eq!(placement(&cluster, "agent")["node-2"], pod_before);

    cluster.recover_node("node-2").unwrap();
    cluster.advance(5 * SECOND);
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 3, 0));
    assert_eq!(placement(&cluster, "agent")["node-2"], pod_before);
}

/// Nodes come and go: a new node gets a pod; a removed node's pod goes with PodGC and desired drops
/// (TestAddNode, TestDeleteNoDaemonPod).
#[test]
fn nodes_added_and_removed() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    cluster.add_node(NodeConfig::new("node-4")).unwrap();
    assert_eq!(
        placed_nodes(&cluster, "agent"),
        vec!["node-1", "node-2", "node-3", "node-4"]
    );
    cluster.advance(5 * SECOND);
    assert_eq!(counts(&cluster, "agent"), (4, 4, 4, 4, 4, 0));

    cluster.remove_node("node-4").unwrap();
    cluster.advance(SECOND);
    // No handler for node deletion: the status moves on the next sync, once PodGC removes the pod.
    assert_eq!(counts(&cluster, "agent").0, 4);
    cluster.advance(60 * SECOND);
    assert_eq!(
        placed_nodes(&cluster, "agent"),
        vec!["node-1", "node-2", "node-3"]
    );
    assert_eq!(ds_pods(&cluster, "agent").len(), 3);
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 3, 0));
}

/// Foreground deletion: the DaemonSet waits with a deletionTimestamp while its pods go, and the
/// controller does nothing meanwhile (TestDontDoAnythingIfBeingDeleted).
#[test]
fn foreground_deletion_removes_pods_first() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let status_before = status(&cluster, "agent");
    delete_ds(&mut cluster, "agent", Propagation::Foreground);
    let ds = get_ds(&cluster, "agent");
    assert!(ds.metadata.deletion_timestamp.is_some());
    assert!(
        ds_pods(&cluster, "agent")
            .iter()
            .all(|pod| pod.metadata.deletion_timestamp.is_some())
    );
    // Nothing is replaced, and the status is left as it was.
    cluster.advance(SECOND);
    assert_eq!(status(&cluster, "agent"), status_before);
    assert!(
        ds_pods(&cluster, "agent")
            .iter()
            .all(|pod| pod.metadata.deletion_timestamp.is_some())
    );
    cluster.advance(5 * SECOND);
    assert!(cluster.api().get::<DaemonSet>(NS, "agent").is_none());
    assert!(cluster.api().table::<Pod>().is_empty());
    assert!(cluster.api().table::<ControllerRevision>().is_empty());
}

/// Background deletion (kubectl's default): the DaemonSet goes at once, the GC takes pods and history.
#[test]
fn background_deletion_collects_pods_and_history() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    delete_ds(&mut cluster, "agent", Propagation::Background);
    assert!(cluster.api().get::<DaemonSet>(NS, "agent").is_none());
    cluster.advance(5 * SECOND);
    assert!(cluster.api().table::<Pod>().is_empty());
    assert!(cluster.api().table::<ControllerRevision>().is_empty());
}

/// Orphan deletion leaves the pods running; a new DaemonSet with the same selector adopts them and
/// their revision, creating nothing (TestSelectorDaemonDealsWithExistingPods, ClaimPods).
#[test]
fn orphaned_pods_are_adopted_by_a_new_daemon_set() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let pods_before = placement(&cluster, "agent");
    let hash = current_hash(&cluster, "agent");
    delete_ds(&mut cluster, "agent", Propagation::Orphan);
    cluster.advance(5 * SECOND);
    assert!(cluster.api().get::<DaemonSet>(NS, "agent").is_none());
    assert_eq!(cluster.api().table::<Pod>().len(), 3);
    assert!(
        cluster
            .api()
            .table::<Pod>()
            .iter()
            .all(|pod| pod.metadata.owner_references.is_none() && phase(pod) == "Running")
    );

    let created = create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    let uid = created.metadata.uid.clone().unwrap_or_default();
    assert_eq!(
        placement(&cluster, "agent"),
        pods_before,
        "adopted, none created"
    );
    assert!(events(&cluster, "agent", "SuccessfulCreate").len() == 3);
    assert!(ds_pods(&cluster, "agent").iter().all(|pod| {
        pod.metadata
            .owner_references
            .as_ref()
            .is_some_and(|refs| refs[0].uid == uid)
    }));
    // The old revision was adopted as the current one.
    assert_eq!(current_hash(&cluster, "agent"), hash);
    assert_eq!(revisions(&cluster, "agent").len(), 1);
    cluster.advance(SECOND);
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 3, 0));
}

/// A DaemonSet re-created with another template adopts the orphans: those labelled with its
/// template generation (1) count as updated and stay (IsPodUpdated); the docs: "It will not modify
/// or delete them despite a mismatch in the pod template".
#[test]
fn adopted_pods_of_generation_one_are_kept_despite_another_template() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let pods_before = placement(&cluster, "agent");
    delete_ds(&mut cluster, "agent", Propagation::Orphan);
    cluster.advance(SECOND);
    create(&mut cluster, daemon_set("agent", "busybox:1.37"));
    cluster.advance(30 * SECOND);
    assert_eq!(placement(&cluster, "agent"), pods_before);
    let (desired, _, _, updated, _, _) = counts(&cluster, "agent");
    assert_eq!((desired, updated), (3, 3));
    assert_eq!(revisions(&cluster, "agent").len(), 2);
}

/// A pod whose labels stop matching is released and replaced (ClaimPods release).
#[test]
fn a_pod_that_stops_matching_is_released_and_replaced() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let name = placement(&cluster, "agent")["node-1"][0].clone();
    cluster
        .act(|api| {
            api.modify::<Pod>(&ObjectKey::new(NS, name.clone()), |pod| {
                pod.metadata
                    .labels
                    .get_or_insert_with(Default::default)
                    .insert("app".into(), "debug".into());
            })
        })
        .unwrap();
    let released = cluster.api().get::<Pod>(NS, &name).unwrap();
    assert!(released.metadata.owner_references.is_none());
    let replacement = &placement(&cluster, "agent")["node-1"];
    assert_eq!(replacement.len(), 1);
    assert_ne!(replacement[0], name);
}

// ---------------------------------------------------------------------------------------------
// Updates
// ---------------------------------------------------------------------------------------------

/// maxSurge: a new pod starts next to each old one, at most maxSurge at a time, and the old pod
/// goes once the new one is available (TestDaemonSetUpdatesPodsWithMaxSurge).
#[test]
fn max_surge_starts_new_pods_before_removing_old_ones() {
    let mut cluster = Cluster::with_workers(Default::default(), 5);
    let mut ds = daemon_set("proxy", "envoy:1.30");
    ds.spec.as_mut().unwrap().update_strategy =
        Some(rolling(IntOrString::Int(0), IntOrString::Int(2)));
    create(&mut cluster, ds);
    cluster.advance(5 * SECOND);
    assert_eq!(counts(&cluster, "proxy"), (5, 5, 5, 5, 5, 0));

    set_image(&mut cluster, "proxy", "envoy:1.31");
    // Two surge pods, old ones untouched.
    assert_eq!(ds_pods(&cluster, "proxy").len(), 7);
    let hash = current_hash(&cluster, "proxy");
    let surged: Vec<String> = ds_pods(&cluster, "proxy")
        .iter()
        .filter(|pod| label(pod, "controller-revision-hash") == hash)
        .map(|pod| node_of(pod))
        .collect();
    assert_eq!(surged.len(), 2);
    let mut done = false;
    for _ in 0..60 {
        cluster.advance(SECOND);
        // Never fewer than 5 ready pods while surging.
        assert!(ready_pods(&cluster, "proxy") >= 5);
        let live: usize = placement(&cluster, "proxy").values().map(Vec::len).sum();
        assert!(live <= 7, "{live}");
        if rollout_status(&get_ds(&cluster, "proxy")).is_ok_and(|(_, done)| done) {
            done = true;
            break;
        }
    }
    assert!(done);
    cluster.advance(5 * SECOND);
    assert_eq!(ds_pods(&cluster, "proxy").len(), 5);
    assert!(
        ds_pods(&cluster, "proxy")
            .iter()
            .all(|pod| label(pod, "controller-revision-hash") == hash)
    );
}

/// Percentages round up: 10% of 3 nodes is one node at a time; 50% of 5 is three.
#[test]
fn percent_max_unavailable_rounds_up() {
    let mut cluster = Cluster::with_workers(Default::default(), 5);
    let mut ds = daemon_set("agent", "busybox:1.36");
    ds.spec.as_mut().unwrap().update_strategy = Some(rolling(
        IntOrString::String("50%".into()),
        IntOrString::Int(0),
    ));
    create(&mut cluster, ds);
    cluster.advance(5 * SECOND);
    set_image(&mut cluster, "agent", "busybox:1.37");
    let terminating = ds_pods(&cluster, "agent")
        .iter()
        .filter(|pod| pod.metadata.deletion_timestamp.is_some())
        .count();
    assert_eq!(terminating, 3);
    assert_eq!(events(&cluster, "agent", "SuccessfulDelete").len(), 3);
}

/// minReadySeconds: a new pod counts as available only after it, so the rollout waits; the
/// controller wakes itself at minReadySeconds + 1 s (TestDaemonSetUpdatesWhenNewPosIsNotReady).
#[test]
fn min_ready_seconds_paces_the_rollout() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("agent", "busybox:1.36");
    ds.spec.as_mut().unwrap().min_ready_seconds = Some(10);
    create(&mut cluster, ds);
    cluster.advance(2 * SECOND);
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 0, 0));
    assert_eq!(
        rollout_status(&get_ds(&cluster, "agent")).map(|(line, _)| line),
        Ok(
            "Waiting for daemon set \"agent\" rollout to finish: 0 of 3 updated pods are available...\n"
                .to_string()
        )
    );
    // Available strictly after Ready + 10 s.
    cluster.advance(10 * SECOND);
    assert_eq!(counts(&cluster, "agent").4, 0);
    cluster.advance(1);
    assert_eq!(counts(&cluster, "agent").4, 3);

    set_image(&mut cluster, "agent", "busybox:1.37");
    let start = cluster.now();
    let hash = current_hash(&cluster, "agent");
    let mut second_node_at = None;
    for _ in 0..120 {
        cluster.advance(SECOND);
        let updated = ds_pods(&cluster, "agent")
            .iter()
            .filter(|pod| label(pod, "controller-revision-hash") == hash)
            .count();
        if updated >= 2 && second_node_at.is_none() {
            second_node_at = Some(cluster.now() - start);
        }
    }
    // First pod: old one stops (2 s), new one starts (2 s), then 10 s + the 1 s requeue.
    let second = second_node_at.unwrap();
    assert!((15 * SECOND..=17 * SECOND).contains(&second), "{second}");
}

/// OnDelete: a template change deletes nothing; a pod deleted by hand comes back with the new
/// template (TestDaemonSetUpdatesNoTemplateChanged, OnDelete strategy).
#[test]
fn on_delete_replaces_only_deleted_pods() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("agent", "busybox:1.36");
    ds.spec.as_mut().unwrap().update_strategy = Some(DaemonSetUpdateStrategy {
        type_: Some("OnDelete".into()),
        rolling_update: None,
    });
    create(&mut cluster, ds);
    cluster.advance(5 * SECOND);
    set_image(&mut cluster, "agent", "busybox:1.37");
    cluster.advance(30 * SECOND);
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 0, 3, 0));
    assert_eq!(
        rollout_status(&get_ds(&cluster, "agent")),
        Err("error: rollout status is only available for RollingUpdate strategy type".to_string())
    );
    let victim = placement(&cluster, "agent")["node-2"][0].clone();
    cluster
        .act(|api| api.delete::<Pod>(&ObjectKey::new(NS, victim), &DeleteOptions::default()))
        .unwrap();
    cluster.advance(5 * SECOND);
    let hash = current_hash(&cluster, "agent");
    let node2 = &placement(&cluster, "agent")["node-2"];
    let pod = cluster.api().get::<Pod>(NS, &node2[0]).unwrap();
    assert_eq!(label(pod, "controller-revision-hash"), hash);
    assert_eq!(counts(&cluster, "agent").3, 1);
}

/// A spec change outside the template bumps generation only; no pod moves, observedGeneration follows.
#[test]
fn a_spec_change_outside_the_template_moves_no_pod() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let before = placement(&cluster, "agent");
    update_ds(&mut cluster, "agent", |ds| {
        ds.spec.as_mut().unwrap().update_strategy =
            Some(rolling(IntOrString::Int(3), IntOrString::Int(0)));
    });
    let ds = get_ds(&cluster, "agent");
    assert_eq!(ds.metadata.generation, Some(2));
    assert_eq!(
        ds.status.as_ref().and_then(|s| s.observed_generation),
        Some(2)
    );
    assert_eq!(placement(&cluster, "agent"), before);
    assert_eq!(revisions(&cluster, "agent").len(), 1);
}

/// revisionHistoryLimit keeps that many old revisions, deleting the oldest first.
#[test]
fn revision_history_limit_deletes_the_oldest_revisions() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("agent", "busybox:1.30");
    ds.spec.as_mut().unwrap().revision_history_limit = Some(2);
    create(&mut cluster, ds);
    for minor in 31..=35 {
        cluster.advance(30 * SECOND);
        set_image(&mut cluster, "agent", &format!("busybox:1.{minor}"));
    }
    cluster.advance(60 * SECOND);
    let numbers: Vec<i64> = revisions(&cluster, "agent")
        .into_iter()
        .map(|(revision, _)| revision)
        .collect();
    assert_eq!(numbers, vec![4, 5, 6]);
}

/// A ControllerRevision already named `<ds>-<hash>` with other data is a collision:
/// collisionCount goes up and the revision takes the next hash (TestLaunchWithHashCollision).
#[test]
fn a_hash_collision_bumps_the_collision_count() {
    let mut cluster = Cluster::default_cluster();
    // Learn the hash the template will have, then take its name first.
    let mut scratch = Cluster::empty();
    create(&mut scratch, daemon_set("agent", "busybox:1.36"));
    let taken = format!("agent-{}", current_hash(&scratch, "agent"));
    cluster
        .act(|api| {
            api.create(ControllerRevision {
                metadata: ObjectMeta {
                    name: Some(taken.clone()),
                    namespace: Some(NS.into()),
                    labels: Some(labels(&[("other", "thing")])),
                    ..ObjectMeta::default()
                },
                data: Some(k8s_openapi::apimachinery::pkg::runtime::RawExtension(
                    serde_json::json!({"spec": {}}),
                )),
                revision: 1,
            })
        })
        .unwrap();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    let ds = get_ds(&cluster, "agent");
    assert_eq!(ds.status.as_ref().and_then(|s| s.collision_count), Some(1));
    let entries = revisions(&cluster, "agent");
    assert_eq!(entries.len(), 1);
    assert_ne!(entries[0].1, taken);
    assert_eq!(ds_pods(&cluster, "agent").len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Per-node reconcile
// ---------------------------------------------------------------------------------------------

fn set_phase(cluster: &mut Cluster, pod: &str, phase: &str) {
    let phase = phase.to_string();
    cluster
        .act(|api| {
            api.modify_status::<Pod>(&ObjectKey::new(NS, pod), |pod| {
                pod.status.get_or_insert_with(Default::default).phase = Some(phase)
            })
        })
        .unwrap_or_else(|error| panic!("{error}"));
}

/// A failed daemon pod is killed and replaced, with a per-node backoff of 1 s doubling
/// (TestDaemonKillFailedPods, TestDaemonKillFailedPodsBackoff).
#[test]
fn failed_pods_are_killed_with_a_per_node_backoff() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let first = placement(&cluster, "agent")["node-1"][0].clone();
    set_phase(&mut cluster, &first, "Failed");
    assert!(cluster.api().get::<Pod>(NS, &first).is_none());
    assert_eq!(
        events(&cluster, "agent", "FailedDaemonPod"),
        vec![format!(
            "Found failed daemon pod default/{first} on node node-1, will try to kill it"
        )]
    );
    let second = placement(&cluster, "agent")["node-1"][0].clone();
    assert_ne!(second, first, "replaced at once");

    // The first kill opened a 1 s backoff window for node-1; a failure inside it waits it out.
    set_phase(&mut cluster, &second, "Failed");
    assert!(cluster.api().get::<Pod>(NS, &second).is_some());
    cluster.advance(SECOND);
    assert!(cluster.api().get::<Pod>(NS, &second).is_none());
    let third = placement(&cluster, "agent")["node-1"][0].clone();
    // The backoff doubled to 2 s.
    set_phase(&mut cluster, &third, "Failed");
    cluster.advance(SECOND);
    assert!(cluster.api().get::<Pod>(NS, &third).is_some());
    cluster.advance(SECOND);
    assert!(cluster.api().get::<Pod>(NS, &third).is_none());
    assert_eq!(events(&cluster, "agent", "FailedDaemonPod").len(), 3);
    assert_eq!(placement(&cluster, "agent")["node-1"].len(), 1);
}

/// A succeeded daemon pod is deleted and replaced.
#[test]
fn succeeded_pods_are_deleted_and_replaced() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let done = placement(&cluster, "agent")["node-3"][0].clone();
    set_phase(&mut cluster, &done, "Succeeded");
    assert!(cluster.api().get::<Pod>(NS, &done).is_none());
    assert_eq!(
        events(&cluster, "agent", "SucceededDaemonPod"),
        vec![format!(
            "Found succeeded daemon pod default/{done} on node node-3, will try to delete it"
        )]
    );
    assert_eq!(placement(&cluster, "agent")["node-3"].len(), 1);
}

/// Extra pods on a node: the oldest stays (TestDealsWithExistingPods).
#[test]
fn extra_pods_on_a_node_are_deleted_keeping_the_oldest() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let keep = placement(&cluster, "agent")["node-1"][0].clone();
    // An orphan with the DaemonSet's labels on node-1 is adopted, then pruned as the younger one.
    cluster
        .act(|api| {
            api.create(Pod {
                metadata: ObjectMeta {
                    name: Some("stray".into()),
                    labels: Some(labels(&[("app", "agent")])),
                    ..ObjectMeta::default()
                },
                spec: Some(PodSpec {
                    node_name: Some("node-1".into()),
                    containers: vec![Container {
                        name: "c".into(),
                        image: Some("busybox:1.36".into()),
                        ..Container::default()
                    }],
                    ..PodSpec::default()
                }),
                status: None,
            })
        })
        .unwrap();
    assert_eq!(placement(&cluster, "agent")["node-1"], vec![keep]);
    // The kubelet had not started it yet, so it went at once.
    assert!(cluster.api().get::<Pod>(NS, "stray").is_none());
    assert_eq!(
        events(&cluster, "agent", "SuccessfulDelete"),
        vec!["Deleted pod: stray"]
    );
}

/// At most 250 creates per sync, in slow-start batches (BurstReplicas).
#[test]
fn creates_are_limited_to_250_per_sync() {
    let mut cluster = Cluster::with_workers(Default::default(), 300);
    cluster.record_watch_events();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    let log = cluster.take_watch_events();
    // Pod creations between the DaemonSet's own writes (its status) come in syncs of ≤ 250.
    let mut syncs = Vec::new();
    let mut current = 0;
    for event in &log {
        match &event.object {
            kubeplay_core::api::AnyObject::Pod(_)
                if event.event_type == kubeplay_core::apiserver::WatchEventType::Added =>
            {
                current += 1
            }
            kubeplay_core::api::AnyObject::DaemonSet(_) if current > 0 => {
                syncs.push(current);
                current = 0;
            }
            _ => {}
        }
    }
    assert_eq!(syncs, vec![250, 50]);
    assert_eq!(ds_pods(&cluster, "agent").len(), 300);
}

/// A template nodeName bypasses the scheduler and limits the DaemonSet to that node
/// (TestNameDaemonSetLaunchesPods, TestBadNameDaemonSetDoesNothing).
#[test]
fn a_template_node_name_pins_the_pod_without_the_scheduler() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("agent", "busybox:1.36");
    pod_spec(&mut ds).node_name = Some("node-2".into());
    create(&mut cluster, ds);
    assert_eq!(placed_nodes(&cluster, "agent"), vec!["node-2"]);
    let pod = &ds_pods(&cluster, "agent")[0];
    assert!(events(&cluster, pod.metadata.name.as_deref().unwrap(), "Scheduled").is_empty());
    let mut missing = daemon_set("ghost", "busybox:1.36");
    pod_spec(&mut missing).node_name = Some("node-9".into());
    create(&mut cluster, missing);
    assert!(ds_pods(&cluster, "ghost").is_empty());
    assert_eq!(counts(&cluster, "ghost").0, 0);
}

/// Required node affinity with every operator decides placement (TestNodeAffinityDaemonLaunchesPods).
#[test]
fn node_affinity_operators_select_nodes() {
    use k8s_openapi::api::core::v1::{
        Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    };
    let mut cluster = Cluster::default_cluster();
    set_node_labels(&mut cluster, "node-1", &[("zone", "a"), ("cores", "8")]);
    set_node_labels(&mut cluster, "node-2", &[("zone", "b"), ("cores", "2")]);
    set_node_labels(&mut cluster, "node-3", &[("zone", "c"), ("spot", "")]);
    let requirement = |key: &str, operator: &str, values: &[&str]| NodeSelectorRequirement {
        key: key.into(),
        operator: operator.into(),
        values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
    };
    let place = |cluster: &mut Cluster, name: &str, terms: Vec<Vec<NodeSelectorRequirement>>| {
        let mut ds = daemon_set(name, "busybox:1.36");
        pod_spec(&mut ds).affinity = Some(Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: terms
                        .into_iter()
                        .map(|expressions| NodeSelectorTerm {
                            match_expressions: Some(expressions),
                            match_fields: None,
                        })
                        .collect(),
                }),
                ..NodeAffinity::default()
            }),
            ..Affinity::default()
        });
        create(cluster, ds);
        placed_nodes(cluster, name)
    };
    assert_eq!(
        place(
            &mut cluster,
            "in",
            vec![vec![requirement("zone", "In", &["a", "c"])]]
        ),
        vec!["node-1", "node-3"]
    );
    assert_eq!(
        place(
            &mut cluster,
            "notin",
            vec![vec![requirement("zone", "NotIn", &["a"])]]
        ),
        vec!["node-2", "node-3"]
    );
    assert_eq!(
        place(
            &mut cluster,
            "exists",
            vec![vec![requirement("spot", "Exists", &[])]]
        ),
        vec!["node-3"]
    );
    assert_eq!(
        place(
            &mut cluster,
            "absent",
            vec![vec![requirement("spot", "DoesNotExist", &[])]]
        ),
        vec!["node-1", "node-2"]
    );
    assert_eq!(
        place(
            &mut cluster,
            "gt",
            vec![vec![requirement("cores", "Gt", &["4"])]]
        ),
        vec!["node-1"]
    );
    assert_eq!(
        place(
            &mut cluster,
            "lt",
            vec![vec![requirement("cores", "Lt", &["4"])]]
        ),
        vec!["node-2"]
    );
    // Terms are ORed, requirements within a term ANDed.
    assert_eq!(
        place(
            &mut cluster,
            "ored",
            vec![
                vec![
                    requirement("zone", "In", &["a", "b"]),
                    requirement("cores", "Lt", &["4"])
                ],
                vec![requirement("spot", "Exists", &[])]
            ]
        ),
        vec!["node-2", "node-3"]
    );
    let ds = get_ds(&cluster, "gt");
    assert_eq!(
        why_no_pod(cluster.api(), &ds, "node-3").as_deref(),
        Some("No pod here: required node affinity does not match: cores Gt [4].")
    );
}

/// A DaemonSet whose pods request more CPU than any node has.
fn too_big_for_any_node() -> DaemonSet {
    use k8s_openapi::api::core::v1::ResourceRequirements;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    let mut big = daemon_set("big", "busybox:1.36");
    pod_spec(&mut big).containers[0].resources = Some(ResourceRequirements {
        requests: Some([("cpu".to_string(), Quantity("64".into()))].into()),
        ..ResourceRequirements::default()
    });
    big
}

/// Resources, host ports and cordons do not stop the controller: the pod is created and waits
/// Pending with the scheduler's reason, or runs on the cordoned node
/// (TestInsufficientCapacityNode, TestPortConflictNodeDaemonDoesNotLaunchPod,
/// TestUnschedulableNodeDaemonDoesLaunchPod).
#[test]
fn resources_ports_and_cordons_do_not_stop_the_controller() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, too_big_for_any_node());
    let pods = ds_pods(&cluster, "big");
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|pod| node_of(pod).is_empty()));
    assert_eq!(counts(&cluster, "big").0, 3);
    assert_eq!(counts(&cluster, "big").1, 3);
    let ds = get_ds(&cluster, "big");
    let why = why_no_pod(cluster.api(), &ds, "node-1").unwrap_or_default();
    assert!(
        why.contains("is Pending: 0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]."),
        "{why}"
    );

    let ported = |name: &str| {
        let mut ds = daemon_set(name, "nginx:1.27");
        pod_spec(&mut ds).containers[0].ports =
            Some(vec![k8s_openapi::api::core::v1::ContainerPort {
                container_port: 80,
                host_port: Some(8080),
                ..Default::default()
            }]);
        ds
    };
    create(&mut cluster, ported("first"));
    create(&mut cluster, ported("second"));
    assert_eq!(
        placed_nodes(&cluster, "first"),
        vec!["node-1", "node-2", "node-3"]
    );
    assert_eq!(ds_pods(&cluster, "second").len(), 3);
    assert!(
        ds_pods(&cluster, "second")
            .iter()
            .all(|pod| node_of(pod).is_empty())
    );

    cluster
        .act(|api| {
            api.modify::<Node>(&ObjectKey::cluster("node-1"), |node| {
                node.spec.get_or_insert_with(Default::default).unschedulable = Some(true)
            })
        })
        .unwrap();
    create(&mut cluster, daemon_set("cordoned", "busybox:1.36"));
    assert_eq!(
        placed_nodes(&cluster, "cordoned"),
        vec!["node-1", "node-2", "node-3"]
    );
}

/// A pending pod pinned to a node that is removed is deleted by the controller, since PodGC only
/// collects bound pods (TestDeleteUnscheduledPodForNotExistingNode).
#[test]
fn a_pending_pod_for_a_removed_node_is_deleted() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, too_big_for_any_node());
    cluster.remove_node("node-3").unwrap();
    // The scheduler's next retry rewrites the pending pods' reason; that wakes the controller.
    cluster.advance(6 * 60 * SECOND);
    let mut pinned: Vec<String> = ds_pods(&cluster, "big")
        .iter()
        .map(|pod| {
            kubeplay_core::controller::daemon::util::get_target_node_name(pod).unwrap_or_default()
        })
        .collect();
    pinned.sort();
    assert_eq!(pinned, vec!["node-1", "node-2"]);
    assert_eq!(counts(&cluster, "big").0, 2);
}

/// Two revisions with the current template: the highest is kept, pods relabelled to its hash and
/// the other deleted (TestDSCUpdatesPodLabelAfterDedupCurHistories).
#[test]
fn duplicate_current_revisions_are_deduplicated() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    let uid = get_ds(&cluster, "agent").metadata.uid.clone().unwrap();
    let original = cluster
        .api()
        .table::<ControllerRevision>()
        .controlled_by(&uid)
        .next()
        .cloned()
        .unwrap();
    // An orphan copy of the same template, numbered higher, selected by the DaemonSet.
    cluster
        .act(|api| {
            api.create(ControllerRevision {
                metadata: ObjectMeta {
                    name: Some("agent-copy".into()),
                    namespace: Some(NS.into()),
                    labels: Some(labels(&[
                        ("app", "agent"),
                        ("controller-revision-hash", "copy"),
                    ])),
                    ..ObjectMeta::default()
                },
                data: original.data.clone(),
                revision: 5,
            })
        })
        .unwrap();
    assert_eq!(
        revisions(&cluster, "agent"),
        vec![(5, "agent-copy".to_string())]
    );
    assert!(
        ds_pods(&cluster, "agent")
            .iter()
            .all(|pod| label(pod, "controller-revision-hash") == "copy")
    );
    assert_eq!(counts(&cluster, "agent").3, 3);
}

/// The controller's memory (expectations, backoff, delayed requeues) survives a save and load.
#[test]
fn the_state_round_trips_with_daemon_sets() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("agent", "busybox:1.36");
    ds.spec.as_mut().unwrap().min_ready_seconds = Some(5);
    create(&mut cluster, ds);
    cluster.advance(3 * SECOND);
    let saved = cluster.save_state();
    let mut loaded = Cluster::load_state(&saved).unwrap();
    assert_eq!(loaded.save_state(), saved);
    set_image(&mut cluster, "agent", "busybox:1.37");
    set_image(&mut loaded, "agent", "busybox:1.37");
    cluster.advance(60 * SECOND);
    loaded.advance(60 * SECOND);
    assert_eq!(loaded.save_state(), cluster.save_state());
    assert_eq!(counts(&loaded, "agent"), (3, 3, 3, 3, 3, 0));
}

/// With surge, an old pod that is not available is replaced at once, beyond maxSurge
/// (TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge).
#[test]
fn surge_replaces_unavailable_old_pods_at_once() {
    let mut cluster = Cluster::default_cluster();
    let mut ds = daemon_set("proxy", "envoy:1.30");
    ds.spec.as_mut().unwrap().update_strategy =
        Some(rolling(IntOrString::Int(0), IntOrString::Int(1)));
    create(&mut cluster, ds);
    cluster.advance(5 * SECOND);
    for pod in ds_pods(&cluster, "proxy") {
        let name = pod.metadata.name.clone().unwrap();
        cluster.set_pod_ready(NS, &name, false).unwrap();
    }
    assert_eq!(counts(&cluster, "proxy").2, 0);
    set_image(&mut cluster, "proxy", "envoy:1.31");
    let hash = current_hash(&cluster, "proxy");
    let new_pods = ds_pods(&cluster, "proxy")
        .iter()
        .filter(|pod| label(pod, "controller-revision-hash") == hash)
        .count();
    assert_eq!(new_pods, 3, "all three at once, not maxSurge 1");
    cluster.advance(10 * SECOND);
    assert_eq!(counts(&cluster, "proxy"), (3, 3, 3, 3, 3, 0));
    assert_eq!(ds_pods(&cluster, "proxy").len(), 3);
}

/// A DaemonSet re-created after an orphan delete adopts every pod, keeps those of its own
/// template generation and replaces the others by its update strategy.
#[test]
fn adopted_pods_of_another_generation_are_rolled() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    cluster.advance(5 * SECOND);
    set_image(&mut cluster, "agent", "busybox:1.37");
    cluster.advance(30 * SECOND);
    assert!(
        ds_pods(&cluster, "agent")
            .iter()
            .all(|pod| label(pod, "pod-template-generation") == "2")
    );
    delete_ds(&mut cluster, "agent", Propagation::Orphan);
    cluster.advance(SECOND);
    let deletes_before = events(&cluster, "agent", "SuccessfulDelete").len();
    create(&mut cluster, daemon_set("agent", "busybox:1.38"));
    // Adopted (three pods, none new yet), then rolled one node at a time.
    assert_eq!(
        events(&cluster, "agent", "SuccessfulDelete").len(),
        deletes_before + 1
    );
    cluster.advance(30 * SECOND);
    assert!(
        ds_pods(&cluster, "agent")
            .iter()
            .all(|pod| label(pod, "pod-template-generation") == "1")
    );
    assert_eq!(counts(&cluster, "agent"), (3, 3, 3, 3, 3, 0));
}

/// `kubectl rollout history` shows the change-cause a revision copied from the DaemonSet.
#[test]
fn history_shows_the_change_cause() {
    let mut cluster = Cluster::default_cluster();
    create(&mut cluster, daemon_set("agent", "busybox:1.36"));
    update_ds(&mut cluster, "agent", |ds| {
        ds.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                "kubernetes.io/change-cause".into(),
                "kubectl set image ds/agent agent=busybox:1.37".into(),
            );
        pod_spec(ds).containers[0].image = Some("busybox:1.37".into());
    });
    let entries = history_entries(cluster.api(), NS, "agent").unwrap();
    let causes: Vec<(i64, Option<String>)> = entries
        .into_iter()
        .map(|entry| (entry.revision, entry.change_cause))
        .collect();
    assert_eq!(
        causes,
        vec![
            (1, None),
            (
                2,
                Some("kubectl set image ds/agent agent=busybox:1.37".to_string())
            )
        ]
    );
    assert_eq!(
        history_template(cluster.api(), NS, "agent", 9),
        Err("error: unable to find the specified revision".to_string())
    );
    assert_eq!(
        history_entries(cluster.api(), NS, "missing"),
        Err("Error from server (NotFound): daemonsets.apps \"missing\" not found".to_string())
    );
}
