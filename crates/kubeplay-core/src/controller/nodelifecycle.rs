//! The node lifecycle controller (`pkg/controller/nodelifecycle`): a node whose kubelet stops
//! posting status turns Ready=Unknown after the grace period; node conditions and cordoning
//! become taints (NoSchedule for scheduling, NoExecute for eviction).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, Taint};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey};
use crate::apiserver::registry::pod::set_pod_condition;
use crate::apiserver::{ApiServer, WatchEvent};
use crate::clock::{Millis, SECOND};
use crate::controller::{Context, Controller, WorkQueue};
use crate::events::{NORMAL, WARNING};
use crate::kubelet::node_status::condition_status;

/// `--node-monitor-grace-period`: 50 s on the 1.32+ controller manager.
pub const NODE_MONITOR_GRACE_PERIOD: Millis = 50 * SECOND;
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
const COMPONENT: &str = "node-controller";

/// Condition type, the status that taints, and the taint key (`nodeConditionToTaintKeyStatusMap`).
const CONDITION_TAINTS: &[(&str, &str, &str)] = &[
    ("Ready", "False", TAINT_NOT_READY),
    ("Ready", "Unknown", TAINT_UNREACHABLE),
    (
        "MemoryPressure",
        "True",
        "node.kubernetes.io/memory-pressure",
    ),
    ("DiskPressure", "True", "node.kubernetes.io/disk-pressure"),
    (
        "NetworkUnavailable",
        "True",
        "node.kubernetes.io/network-unavailable",
    ),
    ("PIDPressure", "True", "node.kubernetes.io/pid-pressure"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeLifecycleController {
    queue: WorkQueue,
    /// When each silent kubelet last posted status.
    last_heartbeat: BTreeMap<String, Millis>,
}

impl Controller for NodeLifecycleController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, _api: &ApiServer) {
        if let AnyObject::Node(node) = &event.object {
            self.queue.add(node.name());
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let Some(node) = ctx.api.get::<Node>("", key).cloned() else {
            self.last_heartbeat.remove(key);
            return;
        };
        if let Some(&heartbeat) = self.last_heartbeat.get(key) {
            let deadline = heartbeat + NODE_MONITOR_GRACE_PERIOD;
            if ctx.now() < deadline {
                ctx.requeue_at(key, deadline);
            } else if condition_status(&node, "Ready") != Some("Unknown") {
                mark_unknown(ctx, &node);
            }
        }
        let Some(node) = ctx.api.get::<Node>("", key).cloned() else {
            return;
        };
        reconcile_taints(ctx, &node);
    }
}

impl NodeLifecycleController {
    /// The node's kubelet stopped posting status at `at`.
    pub(crate) fn heartbeat_stopped(&mut self, node: &str, at: Millis) {
        self.last_heartbeat.entry(node.to_string()).or_insert(at);
        self.queue.add(node);
    }

    /// The node's kubelet posts status again.
    pub(crate) fn heartbeat_resumed(&mut self, node: &str) {
        self.last_heartbeat.remove(node);
        self.queue.add(node);
    }
}

/// `tryUpdateNodeHealth`: every condition turns Unknown; then `MarkPodsNotReady`.
fn mark_unknown(ctx: &mut Context, node: &Node) {
    let now = ctx.api.now_time();
    let key = ObjectKey::cluster(node.name());
    let _ = ctx.api.modify_status::<Node>(&key, |stored| {
        for condition in stored
            .status
            .iter_mut()
            .flat_map(|status| status.conditions.iter_mut().flatten())
        {
            condition.status = "Unknown".into();
            condition.reason = Some("NodeStatusUnknown".into());
            condition.message = Some("Kubelet stopped posting node status.".into());
            condition.last_transition_time = Some(now.clone());
        }
    });
    let node_object = Node::wrap(std::sync::Arc::new(node.clone()));
    ctx.api.record_event(
        &node_object,
        NORMAL,
        "NodeNotReady",
        &format!("Node {} status is now: NodeNotReady", node.name()),
        COMPONENT,
    );
    let pods: Vec<ObjectKey> = ctx
        .api
        .table::<Pod>()
        .on_node(node.name())
        .map(|pod| pod.key())
        .collect();
    for pod_key in pods {
        let Ok(pod) = ctx.api.modify_status::<Pod>(&pod_key, |pod| {
            let status = pod.status.get_or_insert_with(Default::default);
            if status
                .conditions
                .iter()
                .flatten()
                .any(|condition| condition.type_ == "Ready" && condition.status == "True")
            {
                set_pod_condition(
                    status,
                    PodCondition {
                        type_: "Ready".into(),
                        status: "False".into(),
                        last_transition_time: Some(now.clone()),
                        ..PodCondition::default()
                    },
                );
            }
        }) else {
            continue;
        };
        ctx.api.record_event(
            &Pod::wrap(pod),
            WARNING,
            "NodeNotReady",
            "Node is not ready",
            COMPONENT,
        );
    }
}

/// `doNoScheduleTaintingPass` and `doNoExecuteTaintingPass`: the controller's taints follow the
/// node's conditions and `spec.unschedulable`.
fn reconcile_taints(ctx: &mut Context, node: &Node) {
    let mut wanted: Vec<Taint> = Vec::new();
    for (condition, status, key) in CONDITION_TAINTS {
        if condition_status(node, condition) == Some(status) {
            wanted.push(Taint {
                key: (*key).into(),
                effect: "NoSchedule".into(),
                ..Taint::default()
            });
            if *condition == "Ready" {
                wanted.push(Taint {
                    key: (*key).into(),
                    effect: "NoExecute".into(),
                    ..Taint::default()
                });
            }
        }
    }
    if node.spec.as_ref().and_then(|spec| spec.unschedulable) == Some(true) {
        wanted.push(Taint {
            key: TAINT_UNSCHEDULABLE.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        });
    }
    let managed = |taint: &Taint| {
        taint.key == TAINT_UNSCHEDULABLE
            || CONDITION_TAINTS.iter().any(|(_, _, key)| *key == taint.key)
    };
    let current: Vec<Taint> = node
        .spec
        .as_ref()
        .and_then(|spec| spec.taints.clone())
        .unwrap_or_default();
    let same = |a: &Taint, b: &Taint| a.key == b.key && a.effect == b.effect;
    let stale = current.iter().any(|taint| {
        managed(taint)
            && (taint.effect == "NoSchedule" || taint.effect == "NoExecute")
            && !wanted.iter().any(|want| same(want, taint))
    });
    let missing: Vec<&Taint> = wanted
        .iter()
        .filter(|want| !current.iter().any(|taint| same(want, taint)))
        .collect();
    if !stale && missing.is_empty() {
        return;
    }
    let now = ctx.api.now_time();
    let mut taints: Vec<Taint> = current
        .into_iter()
        .filter(|taint| !managed(taint) || wanted.iter().any(|want| same(want, taint)))
        .collect();
    for taint in missing {
        let mut taint = taint.clone();
        if taint.effect == "NoExecute" {
            taint.time_added = Some(now.clone());
        }
        taints.push(taint);
    }
    let _ = ctx
        .api
        .modify::<Node>(&ObjectKey::cluster(node.name()), |stored| {
            stored.spec.get_or_insert_with(Default::default).taints =
                (!taints.is_empty()).then_some(taints);
        });
}
