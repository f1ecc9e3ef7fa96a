//! The pod garbage collector (`pkg/controller/podgc`): pods bound to a node that no longer
//! exists are marked Failed and force-deleted after a quarantine; terminated pods beyond the
//! threshold are deleted oldest first.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey};
use crate::apiserver::registry::pod::{phase, set_pod_condition};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent, WatchEventType};
use crate::clock::{Millis, SECOND};
use crate::controller::{Context, Controller, WorkQueue};

/// PodGC's `quarantineTime` before an orphaned pod is deleted.
pub const QUARANTINE: Millis = 40 * SECOND;
/// `--terminated-pod-gc-threshold`.
pub const TERMINATED_POD_THRESHOLD: usize = 12500;
const TERMINATED_KEY: &str = "\u{0}terminated";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PodGcController {
    queue: WorkQueue,
    /// Deleted nodes whose pods wait out the quarantine, with when it ends.
    quarantine: BTreeMap<String, Millis>,
    /// Terminated pods by creation time, derived from the store.
    #[serde(skip)]
    terminated: BTreeSet<(String, String)>,
}

fn is_terminated(pod: &Pod) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

fn terminated_entry(pod: &Pod) -> (String, String) {
    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|time| time.0.to_string())
        .unwrap_or_default();
    (created, pod.key().queue_key())
}

impl Controller for PodGcController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match (&event.object, event.event_type) {
            (AnyObject::Node(node), WatchEventType::Deleted) => {
                self.queue.add(format!("node/{}", node.name()));
            }
            (AnyObject::Pod(pod), event_type) => {
                if let Some(AnyObject::Pod(old)) = &event.old
                    && is_terminated(old)
                {
                    self.terminated.remove(&terminated_entry(old));
                }
                if event_type != WatchEventType::Deleted {
                    if is_terminated(pod) {
                        self.terminated.insert(terminated_entry(pod));
                        if self.terminated.len() > TERMINATED_POD_THRESHOLD {
                            self.queue.add(TERMINATED_KEY);
                        }
                    }
                    let node = pod
                        .spec
                        .as_ref()
                        .and_then(|spec| spec.node_name.as_deref())
                        .filter(|node| !node.is_empty());
                    if event_type == WatchEventType::Added
                        && let Some(node) = node
                        && api.get::<Node>("", node).is_none()
                    {
                        self.queue.add(format!("node/{node}"));
                    }
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        if key == TERMINATED_KEY {
            while self.terminated.len() > TERMINATED_POD_THRESHOLD {
                let Some((_, pod_key)) = self.terminated.pop_first() else {
                    break;
                };
                let _ = ctx.api.delete::<Pod>(
                    &ObjectKey::from_queue_key(&pod_key),
                    &DeleteOptions::force(),
                );
            }
            return;
        }
        let Some(node) = key.strip_prefix("node/") else {
            return;
        };
        if ctx.api.get::<Node>("", node).is_some() {
            self.quarantine.remove(node);
            return;
        }
        let orphans: Vec<Pod> = ctx
            .api
            .table::<Pod>()
            .on_node(node)
            .map(|pod| pod.as_ref().clone())
            .collect();
        if orphans.is_empty() {
            self.quarantine.remove(node);
            return;
        }
        let now = ctx.now();
        let release = *self
            .quarantine
            .entry(node.to_string())
            .or_insert(now + QUARANTINE);
        if now < release {
            ctx.requeue_at(key, release);
            return;
        }
        self.quarantine.remove(node);
        collect_orphans(ctx, orphans);
    }
}

impl PodGcController {
    pub(crate) fn rebuild_cache(&mut self, api: &ApiServer) {
        self.terminated = api
            .table::<Pod>()
            .iter()
            .filter(|pod| is_terminated(pod))
            .map(|pod| terminated_entry(pod))
            .collect();
    }
}

/// `gcOrphaned`: Failed with a DisruptionTarget condition, then force-deleted.
fn collect_orphans(ctx: &mut Context, orphans: Vec<Pod>) {
    let now = ctx.api.now_time();
    for pod in orphans {
        let key = pod.key();
        if !is_terminated(&pod) {
            let _ = ctx.api.modify_status::<Pod>(&key, |stored| {
                let status = stored.status.get_or_insert_with(Default::default);
                status.phase = Some("Failed".into());
                set_pod_condition(
                    status,
                    PodCondition {
                        type_: "DisruptionTarget".into(),
                        status: "True".into(),
                        reason: Some("DeletionByPodGC".into()),
                        message: Some("PodGC: node no longer exists".into()),
                        last_transition_time: Some(now.clone()),
                        ..PodCondition::default()
                    },
                );
            });
        }
        let _ = ctx.api.delete::<Pod>(&key, &DeleteOptions::force());
    }
}
