//! The taint eviction controller (`pkg/controller/tainteviction`): pods that do not tolerate a
//! node's NoExecute taints are deleted, at once or after the shortest matching tolerationSeconds.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, Taint, Toleration};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey};
use crate::apiserver::registry::pod::set_pod_condition;
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent};
use crate::clock::{Millis, SECOND};
use crate::controller::{Context, Controller, WorkQueue};
use crate::events::NORMAL;
use crate::scheduler::taints::tolerates;

const COMPONENT: &str = "taint-eviction-controller";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaintEvictionController {
    queue: WorkQueue,
    /// Pods waiting out their tolerationSeconds: when the wait started and when it ends.
    scheduled: BTreeMap<String, (Millis, Millis)>,
}

fn no_execute_taints(node: &Node) -> Vec<Taint> {
    node.spec
        .as_ref()
        .and_then(|spec| spec.taints.as_ref())
        .into_iter()
        .flatten()
        .filter(|taint| taint.effect == "NoExecute")
        .cloned()
        .collect()
}

impl Controller for TaintEvictionController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match &event.object {
            AnyObject::Node(node) => {
                let before = match &event.old {
                    Some(AnyObject::Node(old)) => no_execute_taints(old),
                    _ => Vec::new(),
                };
                if before != no_execute_taints(node) {
                    for pod in api.table::<Pod>().on_node(node.name()) {
                        self.queue.add(pod.key().queue_key());
                    }
                }
            }
            AnyObject::Pod(pod) => {
                let bound = pod
                    .spec
                    .as_ref()
                    .and_then(|spec| spec.node_name.as_deref())
                    .is_some_and(|node| !node.is_empty());
                let key = pod.key().queue_key();
                if bound || self.scheduled.contains_key(&key) {
                    self.queue.add(key);
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let object_key = ObjectKey::from_queue_key(key);
        let pod = ctx.api.get_by_key::<Pod>(&object_key).cloned();
        let node_name = pod
            .as_ref()
            .and_then(|pod| pod.spec.as_ref()?.node_name.clone())
            .filter(|name| !name.is_empty());
        let (Some(pod), Some(node_name)) = (pod, node_name) else {
            self.scheduled.remove(key);
            return;
        };
        if pod.metadata.deletion_timestamp.is_some() {
            self.scheduled.remove(key);
            return;
        }
        let Some(node) = ctx.api.get::<Node>("", &node_name).cloned() else {
            self.scheduled.remove(key);
            return;
        };
        let taints = no_execute_taints(&node);
        if taints.is_empty() {
            self.scheduled.remove(key);
            return;
        }
        let tolerations = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.tolerations.clone())
            .unwrap_or_default();
        let Some(wait) = min_toleration_time(&taints, &tolerations) else {
            self.scheduled.remove(key);
            evict(ctx, &pod);
            return;
        };
        let Some(wait) = wait else {
            self.scheduled.remove(key);
            return;
        };
        let now = ctx.now();
        let (started, _) = *self
            .scheduled
            .entry(key.to_string())
            .or_insert((now, now.saturating_add(wait)));
        let trigger = started.saturating_add(wait);
        self.scheduled.insert(key.to_string(), (started, trigger));
        if now >= trigger {
            self.scheduled.remove(key);
            evict(ctx, &pod);
        } else {
            ctx.requeue_at(key, trigger);
        }
    }
}

impl TaintEvictionController {
    /// Whether some pod is waiting out its tolerationSeconds: a viewer's countdown is running.
    pub fn is_counting_down(&self) -> bool {
        !self.scheduled.is_empty()
    }

    /// When a pod on a NoExecute-tainted node will be evicted, if it is waiting.
    pub fn eviction_time(&self, key: &ObjectKey) -> Option<Millis> {
        self.scheduled
            .get(&key.queue_key())
            .map(|(_, trigger)| *trigger)
    }
}

/// None if some taint is not tolerated (evict now); Some(None) if tolerated forever;
/// Some(Some(ms)) for the shortest tolerationSeconds among the tolerations used.
fn min_toleration_time(taints: &[Taint], tolerations: &[Toleration]) -> Option<Option<Millis>> {
    let mut shortest: Option<Millis> = None;
    for taint in taints {
        let used: Vec<&Toleration> = tolerations
            .iter()
            .filter(|toleration| tolerates(toleration, taint))
            .collect();
        if used.is_empty() {
            return None;
        }
        for toleration in used {
            if let Some(seconds) = toleration.toleration_seconds {
                let millis = seconds.max(0).saturating_mul(SECOND);
                shortest = Some(shortest.map_or(millis, |current| current.min(millis)));
            }
        }
    }
    Some(shortest)
}

/// `addConditionAndDeletePod`: a DisruptionTarget condition, an event, then a graceful delete.
fn evict(ctx: &mut Context, pod: &Pod) {
    let key = pod.key();
    let now = ctx.api.now_time();
    let _ = ctx.api.modify_status::<Pod>(&key, |stored| {
        let status = stored.status.get_or_insert_with(Default::default);
        set_pod_condition(
            status,
            PodCondition {
                type_: "DisruptionTarget".into(),
                status: "True".into(),
                reason: Some("DeletionByTaintManager".into()),
                message: Some("Taint manager: deleting due to NoExecute taint".into()),
                last_transition_time: Some(now),
                ..PodCondition::default()
            },
        );
    });
    let message = format!(
        "Marking for deletion Pod {}/{}",
        pod.namespace(),
        pod.name()
    );
    ctx.api.record_event(
        &Pod::wrap(std::sync::Arc::new(pod.clone())),
        NORMAL,
        "TaintManagerEviction",
        &message,
        COMPONENT,
    );
    let _ = ctx.api.delete::<Pod>(&key, &DeleteOptions::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toleration(key: &str, seconds: Option<i64>) -> Toleration {
        Toleration {
            key: Some(key.into()),
            operator: Some("Exists".into()),
            effect: Some("NoExecute".into()),
            toleration_seconds: seconds,
            value: None,
        }
    }

    #[test]
    fn shortest_toleration_wins() {
        let taints = vec![Taint {
            key: "a".into(),
            effect: "NoExecute".into(),
            ..Taint::default()
        }];
        assert_eq!(min_toleration_time(&taints, &[]), None);
        assert_eq!(
            min_toleration_time(&taints, &[toleration("a", None)]),
            Some(None)
        );
        assert_eq!(
            min_toleration_time(
                &taints,
                &[toleration("a", Some(300)), toleration("a", Some(60))]
            ),
            Some(Some(60_000))
        );
    }
}
