//! The DaemonSet controller's event handlers and sync (upstream's `daemon_controller.go`):
//! `syncDaemonSet` → `constructHistory` → `manage` (`podsShouldBeOnNode`, `syncNodes`) →
//! `rollingUpdate` → `cleanupHistory` → `updateDaemonSetStatus`.
//!
//! Where upstream iterates a Go map (node → pods) in random order, kubeplay goes by node name, so
//! which nodes a rolling update picks first is repeatable.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde::{Deserialize, Serialize};

use crate::api::labels::Selector;
use crate::api::{AnyObject, ApiObject, ObjectKey, meta};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent, WatchEventType};
use crate::clock::{MINUTE, Millis, SECOND};
use crate::controller::controller_utils::{
    Backoff, ControllerExpectations, SLOW_START_INITIAL_BATCH_SIZE, claim_objects,
    is_pod_available, is_pod_ready, is_pod_terminal,
};
use crate::controller::{Context, Controller, RateLimiter, WorkQueue};
use crate::events::{NORMAL, WARNING};

use super::util::{
    CONTROLLER_REVISION_HASH_LABEL, DaemonPodPredicates, allows_surge, create_pod_template,
    get_target_node_name, get_template_generation, is_pod_updated,
    replace_daemon_set_pod_node_name_node_affinity,
};

/// `BurstReplicas`: at most this many creates, and as many deletes, per sync.
pub const BURST_REPLICAS: usize = 250;
/// The event source of everything the controller records.
pub const COMPONENT: &str = "daemonset-controller";
/// The failed-pod backoff of kube-controller-manager (`flowcontrol.NewBackOff(1s, 15m)`).
const FAILED_PODS_BACKOFF_INITIAL: Millis = SECOND;
const FAILED_PODS_BACKOFF_MAX: Millis = 15 * MINUTE;

/// Pods grouped by the node they run on or are pinned to.
pub(super) type NodeToDaemonPods = BTreeMap<String, Vec<Arc<Pod>>>;

/// `getNodesToDaemonPods` within one sync, which upstream calls afresh in each phase: rebuilt
/// only when the store has changed since (a sync that writes nothing builds it once).
#[derive(Default)]
pub(super) struct NodePodsCache {
    version: Option<u64>,
    map: NodeToDaemonPods,
}

impl NodePodsCache {
    pub(super) fn get(&mut self, api: &ApiServer, ds: &DaemonSet) -> &NodeToDaemonPods {
        if self.version != Some(api.resource_version()) {
            self.map = DaemonSetsController::get_nodes_to_daemon_pods(api, ds, false);
            self.version = Some(api.resource_version());
        }
        &self.map
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaemonSetsController {
    queue: WorkQueue,
    pub(super) expectations: ControllerExpectations,
    pub(super) failed_pods_backoff: Backoff,
    /// `AddAfter` requests made by event handlers, which cannot reach the clock: the next sync
    /// hands them to the timer queue (the handler always enqueues the same key, so one comes).
    delayed: BTreeMap<String, Millis>,
    /// Consecutive failed syncs per key, for the rate-limited requeue.
    failures: RateLimiter,
}

impl Default for DaemonSetsController {
    fn default() -> Self {
        DaemonSetsController {
            queue: WorkQueue::default(),
            expectations: ControllerExpectations::default(),
            failed_pods_backoff: Backoff::new(FAILED_PODS_BACKOFF_INITIAL, FAILED_PODS_BACKOFF_MAX),
            delayed: BTreeMap::new(),
            failures: RateLimiter::default(),
        }
    }
}

/// The DaemonSet's selector as labels see it; None when it cannot be parsed.
pub(super) fn selector_of(ds: &DaemonSet) -> Option<Selector> {
    Selector::from_label_selector(ds.spec.as_ref().map(|spec| &spec.selector)).ok()
}

pub(super) fn min_ready_seconds(ds: &DaemonSet) -> i32 {
    ds.spec
        .as_ref()
        .and_then(|spec| spec.min_ready_seconds)
        .unwrap_or(0)
}

fn queue_key(ds: &DaemonSet) -> String {
    ds.key().queue_key()
}

/// `resolveControllerRef`: the DaemonSet a controller reference names, if it still has that uid.
fn resolve_controller_ref<'a>(
    api: &'a ApiServer,
    namespace: &str,
    reference: &OwnerReference,
) -> Option<&'a Arc<DaemonSet>> {
    if reference.kind != "DaemonSet" {
        return None;
    }
    api.get::<DaemonSet>(namespace, &reference.name)
        .filter(|ds| ds.uid() == reference.uid)
}

/// `GetPodDaemonSets` / `GetHistoryDaemonSets`: DaemonSets in the namespace whose non-empty
/// selector matches these labels.
fn daemon_sets_selecting(
    api: &ApiServer,
    namespace: &str,
    labels: Option<&BTreeMap<String, String>>,
) -> Vec<String> {
    api.table::<DaemonSet>()
        .in_namespace(namespace)
        .filter(|ds| {
            selector_of(ds).is_some_and(|selector| !selector.is_empty() && selector.matches(labels))
        })
        .map(|ds| queue_key(ds))
        .collect()
}

/// `podByCreationTimestampAndPhase`: scheduled pods first, then the oldest, then by name.
fn by_creation_timestamp_and_phase(a: &Pod, b: &Pod) -> std::cmp::Ordering {
    let scheduled = |pod: &Pod| {
        pod.spec
            .as_ref()
            .and_then(|spec| spec.node_name.as_deref())
            .is_some_and(|name| !name.is_empty())
    };
    let created = |pod: &Pod| pod.metadata.creation_timestamp.as_ref().map(|t| t.0);
    scheduled(b)
        .cmp(&scheduled(a))
        .then_with(|| created(a).cmp(&created(b)))
        .then_with(|| a.name().cmp(b.name()))
}

pub(super) fn sort_pods_by_creation(pods: &mut [Arc<Pod>]) {
    pods.sort_by(|a, b| by_creation_timestamp_and_phase(a, b));
}

/// The first pod in `podByCreationTimestampAndPhase` order (the list is not empty).
fn oldest_pod(pods: &[Arc<Pod>]) -> &Arc<Pod> {
    let mut oldest = &pods[0];
    for pod in &pods[1..] {
        if by_creation_timestamp_and_phase(pod, oldest).is_lt() {
            oldest = pod;
        }
    }
    oldest
}

impl Controller for DaemonSetsController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match &event.object {
            AnyObject::DaemonSet(ds) => {
                let key = queue_key(ds);
                if event.event_type == WatchEventType::Deleted {
                    // A DaemonSet re-created under the same name starts clean.
                    self.expectations.delete(&key);
                }
                self.queue.add(key);
            }
            AnyObject::ControllerRevision(history) => self.handle_history(event, history, api),
            AnyObject::Pod(pod) => self.handle_pod(event, pod, api),
            AnyObject::Node(node) => self.handle_node(event, node, api),
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        for (delayed, at) in std::mem::take(&mut self.delayed) {
            ctx.requeue_at(delayed, at);
        }
        // Upstream collects stale backoff entries every minute; an expired entry acts as none,
        // so collecting them here changes nothing but the memory they hold.
        self.failed_pods_backoff.gc(ctx.now());
        match self.sync_daemon_set(key, ctx) {
            Ok(()) => self.failures.forget(key),
            Err(_) => {
                let delay = self.failures.when(key);
                ctx.requeue_after(key, delay);
            }
        }
    }
}

impl DaemonSetsController {
    fn enqueue_after(&mut self, key: String, at: Millis) {
        let entry = self.delayed.entry(key).or_insert(at);
        *entry = (*entry).min(at);
    }

    /// `addHistory` / `updateHistory` / `deleteHistory`.
    fn handle_history(
        &mut self,
        event: &WatchEvent,
        history: &ControllerRevision,
        api: &ApiServer,
    ) {
        let namespace = history.namespace();
        let old = match &event.old {
            Some(AnyObject::ControllerRevision(old)) => Some(old.as_ref()),
            _ => None,
        };
        let current_ref = meta::controller_of(&history.metadata);
        if event.event_type == WatchEventType::Deleted
            || history.metadata.deletion_timestamp.is_some()
        {
            if let Some(ds) = current_ref.and_then(|r| resolve_controller_ref(api, namespace, r)) {
                self.queue.add(queue_key(ds));
            }
            return;
        }
        let old_ref = old.and_then(|old| meta::controller_of(&old.metadata));
        let ref_changed = old.is_some() && old_ref != current_ref;
        if ref_changed
            && let Some(ds) = old_ref.and_then(|r| resolve_controller_ref(api, namespace, r))
        {
            self.queue.add(queue_key(ds));
        }
        if let Some(reference) = current_ref {
            if let Some(ds) = resolve_controller_ref(api, namespace, reference) {
                // An added revision with an owner wakes nobody; an updated one wakes its owner.
                if old.is_some() {
                    self.queue.add(queue_key(ds));
                }
            }
            return;
        }
        let labels_changed = old.is_some_and(|old| old.metadata.labels != history.metadata.labels);
        if old.is_none() || labels_changed || ref_changed {
            for key in daemon_sets_selecting(api, namespace, history.metadata.labels.as_ref()) {
                self.queue.add(key);
            }
        }
    }

    /// `addPod` / `updatePod` / `deletePod`.
    fn handle_pod(&mut self, event: &WatchEvent, pod: &Arc<Pod>, api: &ApiServer) {
        let namespace = pod.namespace();
        let old = match &event.old {
            Some(AnyObject::Pod(old)) => Some(old),
            _ => None,
        };
        let deleted = event.event_type == WatchEventType::Deleted
            || pod.metadata.deletion_timestamp.is_some();
        if deleted {
            // A graceful delete is observed at once, so a replacement need not wait for the kubelet.
            if let Some(ds) = meta::controller_of(&pod.metadata)
                .and_then(|reference| resolve_controller_ref(api, namespace, reference))
            {
                let key = queue_key(ds);
                self.expectations.deletion_observed(&key);
                self.queue.add(key);
            }
            return;
        }
        let current_ref = meta::controller_of(&pod.metadata);
        let Some(old) = old else {
            match current_ref {
                Some(reference) => {
                    if let Some(ds) = resolve_controller_ref(api, namespace, reference) {
                        let key = queue_key(ds);
                        self.expectations.creation_observed(&key);
                        self.queue.add(key);
                    }
                }
                None => {
                    // An orphan: whoever selects it may adopt it.
                    for key in daemon_sets_selecting(api, namespace, pod.metadata.labels.as_ref()) {
                        self.queue.add(key);
                    }
                }
            }
            return;
        };
        let old_ref = meta::controller_of(&old.metadata);
        let ref_changed = old_ref != current_ref;
        if ref_changed
            && let Some(ds) = old_ref.and_then(|r| resolve_controller_ref(api, namespace, r))
        {
            self.queue.add(queue_key(ds));
        }
        if let Some(reference) = current_ref {
            let Some(ds) = resolve_controller_ref(api, namespace, reference) else {
                return;
            };
            let key = queue_key(ds);
            self.queue.add(key.clone());
            let min_ready = min_ready_seconds(ds);
            if !is_pod_ready(old) && is_pod_ready(pod) && min_ready > 0 {
                // A second more than minReadySeconds, so the pod is surely available by then.
                self.enqueue_after(key, api.now() + i64::from(min_ready) * SECOND + SECOND);
            }
            return;
        }
        let labels_changed = old.metadata.labels != pod.metadata.labels;
        if labels_changed || ref_changed {
            for key in daemon_sets_selecting(api, namespace, pod.metadata.labels.as_ref()) {
                self.queue.add(key);
            }
        }
    }

    /// `addNode` / `updateNode` (the 1.30–1.32 handlers): a new node wakes the DaemonSets that
    /// should run there; a change of labels or taints wakes those whose verdict changed.
    fn handle_node(&mut self, event: &WatchEvent, node: &Node, api: &ApiServer) {
        match (event.event_type, &event.old) {
            (WatchEventType::Added, _) => {
                for ds in api.table::<DaemonSet>().iter() {
                    if DaemonPodPredicates::new(ds).check(node).0 {
                        self.queue.add(queue_key(ds));
                    }
                }
            }
            (WatchEventType::Modified, Some(AnyObject::Node(old))) => {
                let unchanged = old.metadata.labels == node.metadata.labels
                    && old.spec.as_ref().and_then(|spec| spec.taints.as_ref())
                        == node.spec.as_ref().and_then(|spec| spec.taints.as_ref());
                if unchanged {
                    return;
                }
                for ds in api.table::<DaemonSet>().iter() {
                    let predicates = DaemonPodPredicates::new(ds);
                    if predicates.check(old) != predicates.check(node) {
                        self.queue.add(queue_key(ds));
                    }
                }
            }
            // There is no delete handler: the next sync of each DaemonSet finds the node gone.
            _ => {}
        }
    }

    /// `syncDaemonSet`.
    fn sync_daemon_set(&mut self, key: &str, ctx: &mut Context) -> Result<(), String> {
        let Some(ds) = ctx
            .api
            .get_by_key::<DaemonSet>(&ObjectKey::from_queue_key(key))
            .cloned()
        else {
            self.expectations.delete(key);
            return Ok(());
        };
        let nodes: Vec<Arc<Node>> = ctx.api.table::<Node>().iter().cloned().collect();
        let selector = ds.spec.as_ref().map(|spec| &spec.selector);
        if selector.is_none_or(|selector| {
            selector.match_labels.is_none() && selector.match_expressions.is_none()
        }) {
            record(
                ctx.api,
                &ds,
                WARNING,
                "SelectingAll",
                "This daemon set is selecting all pods. A non-empty selector is required.",
            );
            return Ok(());
        }
        // A DaemonSet being deleted (foreground or orphan) may already have lost its history or
        // pods to the garbage collector: upstream neither acts nor writes status then.
        if ds.metadata.deletion_timestamp.is_some() {
            return Ok(());
        }
        let (current, old) = self.construct_history(ctx, &ds)?;
        let hash = meta::labels(&current.metadata)
            .get(CONTROLLER_REVISION_HASH_LABEL)
            .cloned()
            .unwrap_or_default();
        self.get_daemon_pods(ctx.api, &ds);
        let mut node_pods = NodePodsCache::default();
        if !self.expectations.satisfied(key, ctx.now()) {
            // Only the status: observedGeneration waits for a sync that acted on this generation.
            return self.update_daemon_set_status(ctx, &ds, &nodes, &hash, false, &mut node_pods);
        }
        let result = self.update_daemon_set(ctx, &ds, &nodes, &hash, &old, &mut node_pods);
        let status = self.update_daemon_set_status(ctx, &ds, &nodes, &hash, true, &mut node_pods);
        result.and(status)
    }

    /// `getDaemonPods`: claims the pods the DaemonSet controls or may adopt (ClaimPods).
    pub(super) fn get_daemon_pods(&self, api: &mut ApiServer, ds: &DaemonSet) -> Vec<Arc<Pod>> {
        let Some(selector) = selector_of(ds) else {
            return Vec::new();
        };
        let table = api.table::<Pod>();
        let mut candidates: Vec<Arc<Pod>> = table.controlled_by(ds.uid()).cloned().collect();
        candidates.extend(
            table
                .in_namespace(ds.namespace())
                .filter(|pod| meta::controller_of(&pod.metadata).is_none())
                .cloned(),
        );
        claim_objects(api, ds, &selector, candidates, &[])
    }

    /// `getNodesToDaemonPods` over the pods claimed at the start of this sync: every pod the
    /// DaemonSet controls then matched its selector (the claim released the others), and nothing
    /// relabels pods within a sync. Terminal pods already being deleted are left out unless asked for.
    pub(super) fn get_nodes_to_daemon_pods(
        api: &ApiServer,
        ds: &DaemonSet,
        include_deleted_terminal: bool,
    ) -> NodeToDaemonPods {
        let mut by_node = NodeToDaemonPods::new();
        for pod in api.table::<Pod>().controlled_by(ds.uid()) {
            if !include_deleted_terminal
                && is_pod_terminal(pod)
                && pod.metadata.deletion_timestamp.is_some()
            {
                continue;
            }
            if let Some(node) = get_target_node_name(pod) {
                by_node.entry(node).or_default().push(pod.clone());
            }
        }
        by_node
    }

    /// `updateDaemonSet`: manage, then the rolling update once expectations allow, then history.
    fn update_daemon_set(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
        nodes: &[Arc<Node>],
        hash: &str,
        old: &[Arc<ControllerRevision>],
        node_pods: &mut NodePodsCache,
    ) -> Result<(), String> {
        self.manage(ctx, ds, nodes, hash, node_pods)?;
        if self.expectations.satisfied(&queue_key(ds), ctx.now()) {
            let strategy = ds
                .spec
                .as_ref()
                .and_then(|spec| spec.update_strategy.as_ref())
                .and_then(|strategy| strategy.type_.as_deref());
            if strategy == Some("RollingUpdate") {
                self.rolling_update(ctx, ds, nodes, hash, node_pods)?;
            }
        }
        self.cleanup_history(ctx, ds, old)
            .map_err(|error| format!("failed to clean up revisions of DaemonSet: {error}"))
    }

    /// `manage`: for each node, which pods to create and which to delete.
    fn manage(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
        nodes: &[Arc<Node>],
        hash: &str,
        node_pods: &mut NodePodsCache,
    ) -> Result<(), String> {
        let node_to_daemon_pods = node_pods.get(ctx.api, ds);
        let predicates = DaemonPodPredicates::new(ds);
        let mut nodes_needing_daemon_pods = Vec::new();
        let mut pods_to_delete = Vec::new();
        for node in nodes {
            let (create, delete) =
                self.pods_should_be_on_node(ctx, node, &predicates, node_to_daemon_pods, ds, hash);
            nodes_needing_daemon_pods.extend(create);
            pods_to_delete.extend(delete);
        }
        pods_to_delete.extend(get_unscheduled_pods_without_node(
            nodes,
            node_to_daemon_pods,
        ));
        self.sync_nodes(ctx, ds, pods_to_delete, nodes_needing_daemon_pods, hash)
    }

    /// `podsShouldBeOnNode`: the nodes needing a pod (this one or none) and the pods to delete here.
    fn pods_should_be_on_node(
        &mut self,
        ctx: &mut Context,
        node: &Node,
        predicates: &DaemonPodPredicates,
        node_to_daemon_pods: &NodeToDaemonPods,
        ds: &Arc<DaemonSet>,
        hash: &str,
    ) -> (Vec<String>, Vec<String>) {
        let (should_run, should_continue_running) = predicates.check(node);
        let node_name = node.name();
        let daemon_pods = node_to_daemon_pods.get(node_name);
        let mut create = Vec::new();
        let mut delete = Vec::new();
        match daemon_pods {
            None if should_run => create.push(node_name.to_string()),
            Some(pods) if should_continue_running => {
                let mut running = Vec::new();
                for pod in pods {
                    if pod.metadata.deletion_timestamp.is_some() {
                        continue;
                    }
                    match crate::apiserver::registry::pod::phase(pod) {
                        "Failed" => {
                            // The kubelet may keep rejecting the pod: back off per node.
                            let backoff_key = failed_pods_backoff_key(ds, node_name);
                            let now = ctx.now();
                            if self
                                .failed_pods_backoff
                                .is_in_backoff_since_update(&backoff_key, now)
                            {
                                let delay = self.failed_pods_backoff.get(&backoff_key);
                                ctx.requeue_after(queue_key(ds), delay);
                                continue;
                            }
                            self.failed_pods_backoff.next(&backoff_key, now);
                            let message = format!(
                                "Found failed daemon pod {}/{} on node {node_name}, will try to kill it",
                                pod.namespace(),
                                pod.name()
                            );
                            record(ctx.api, ds, WARNING, "FailedDaemonPod", &message);
                            delete.push(pod.name().to_string());
                        }
                        "Succeeded" => {
                            let message = format!(
                                "Found succeeded daemon pod {}/{} on node {node_name}, will try to delete it",
                                pod.namespace(),
                                pod.name()
                            );
                            record(ctx.api, ds, NORMAL, "SucceededDaemonPod", &message);
                            delete.push(pod.name().to_string());
                        }
                        _ => running.push(pod.clone()),
                    }
                }
                if !allows_surge(ds) {
                    // Keep the oldest running pod, delete the rest.
                    if running.len() > 1 {
                        sort_pods_by_creation(&mut running);
                        delete.extend(running[1..].iter().map(|pod| pod.name().to_string()));
                    }
                } else if running.is_empty() {
                    if should_run {
                        create.push(node_name.to_string());
                    }
                } else if running.len() > 1 {
                    delete.extend(surge_excess(ds, &mut running, hash, ctx.now()));
                }
            }
            Some(pods) if !should_continue_running => {
                delete.extend(
                    pods.iter()
                        .filter(|pod| pod.metadata.deletion_timestamp.is_none())
                        .map(|pod| pod.name().to_string()),
                );
            }
            _ => {}
        }
        (create, delete)
    }

    /// `syncNodes`: deletes and creates, at most 250 of each, creates in slow-start batches.
    pub(super) fn sync_nodes(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
        pods_to_delete: Vec<String>,
        nodes_needing_daemon_pods: Vec<String>,
        hash: &str,
    ) -> Result<(), String> {
        let key = queue_key(ds);
        let create_diff = nodes_needing_daemon_pods.len().min(BURST_REPLICAS);
        let delete_diff = pods_to_delete.len().min(BURST_REPLICAS);
        self.expectations
            .set(&key, create_diff, delete_diff, ctx.now());
        let mut errors = Vec::new();
        let template = ds
            .spec
            .as_ref()
            .map(|spec| create_pod_template(&spec.template, get_template_generation(ds), hash))
            .unwrap_or_default();
        let mut batch_size = create_diff.min(SLOW_START_INITIAL_BATCH_SIZE);
        let mut pos = 0;
        while pos < create_diff {
            let errors_before = errors.len();
            for node_name in &nodes_needing_daemon_pods[pos..pos + batch_size] {
                if let Err(error) = create_pod(ctx.api, ds, &template, node_name) {
                    self.expectations.creation_observed(&key);
                    errors.push(error);
                }
            }
            let skipped = create_diff - (pos + batch_size);
            if errors.len() > errors_before && skipped > 0 {
                // Slow start: one failing batch stops the rest; a later sync retries them.
                self.expectations.lower(&key, skipped, 0);
                break;
            }
            pos += batch_size;
            batch_size = (2 * batch_size).min(create_diff - pos);
        }
        for name in &pods_to_delete[..delete_diff] {
            let pod_key = ObjectKey::new(ds.namespace(), name.clone());
            match ctx.api.delete::<Pod>(&pod_key, &DeleteOptions::default()) {
                Ok(_) => record(
                    ctx.api,
                    ds,
                    NORMAL,
                    "SuccessfulDelete",
                    &format!("Deleted pod: {name}"),
                ),
                Err(error) => {
                    self.expectations.deletion_observed(&key);
                    if !error.is_not_found() {
                        record(
                            ctx.api,
                            ds,
                            WARNING,
                            "FailedDelete",
                            &format!("Error deleting: {}", error.message),
                        );
                        errors.push(error.message);
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join(", "))
        }
    }

    /// `updateDaemonSetStatus`: every field computed over all nodes, written only when changed.
    fn update_daemon_set_status(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
        nodes: &[Arc<Node>],
        hash: &str,
        update_observed_generation: bool,
        node_pods: &mut NodePodsCache,
    ) -> Result<(), String> {
        let counts = compute_status(ds, nodes, node_pods.get(ctx.api, ds), hash, ctx.now());
        let current = ds.status.clone().unwrap_or_default();
        let generation = ds.metadata.generation.unwrap_or(0);
        let mut wanted = current.clone();
        counts.store(&mut wanted);
        if wanted != current || current.observed_generation.unwrap_or(0) < generation {
            if update_observed_generation {
                wanted.observed_generation = Some(generation);
            }
            let mut updated = ds.as_ref().clone();
            updated.status = Some(wanted);
            ctx.api.update_status(updated).map_err(|error| {
                format!("error storing status for daemon set: {}", error.message)
            })?;
        }
        let min_ready = min_ready_seconds(ds);
        if min_ready > 0 && counts.number_ready != counts.number_available {
            // Upstream's last line of defence against clock skew, and in practice the sync that
            // counts the pods available: a pod is available strictly after Ready + minReadySeconds,
            // which a real controller's processing latency always reaches. The virtual clock has
            // no latency, so the wake-up comes one millisecond later.
            ctx.requeue_after(queue_key(ds), i64::from(min_ready) * SECOND + 1);
        }
        Ok(())
    }
}

/// The counts `updateDaemonSetStatus` computes over all nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_misscheduled: i32,
    pub number_ready: i32,
    pub updated_number_scheduled: i32,
    pub number_available: i32,
    pub number_unavailable: i32,
}

impl StatusCounts {
    /// Writes the counts into a status, leaving observedGeneration and collisionCount alone.
    fn store(&self, status: &mut DaemonSetStatus) {
        status.desired_number_scheduled = self.desired_number_scheduled;
        status.current_number_scheduled = self.current_number_scheduled;
        status.number_misscheduled = self.number_misscheduled;
        status.number_ready = self.number_ready;
        status.updated_number_scheduled = Some(self.updated_number_scheduled);
        status.number_available = Some(self.number_available);
        status.number_unavailable = Some(self.number_unavailable);
    }
}

pub(super) fn compute_status(
    ds: &DaemonSet,
    nodes: &[Arc<Node>],
    node_to_daemon_pods: &NodeToDaemonPods,
    hash: &str,
    now: Millis,
) -> StatusCounts {
    let predicates = DaemonPodPredicates::new(ds);
    let generation = get_template_generation(ds).map(|generation| generation.to_string());
    let min_ready = min_ready_seconds(ds);
    let mut status = StatusCounts::default();
    for node in nodes {
        let (should_run, _) = predicates.check(node);
        let pods = node_to_daemon_pods
            .get(node.name())
            .filter(|pods| !pods.is_empty());
        if !should_run {
            if pods.is_some() {
                status.number_misscheduled += 1;
            }
            continue;
        }
        status.desired_number_scheduled += 1;
        let Some(pods) = pods else {
            continue;
        };
        status.current_number_scheduled += 1;
        let oldest = oldest_pod(pods);
        if is_pod_ready(oldest) {
            status.number_ready += 1;
            if is_pod_available(oldest, min_ready, now) {
                status.number_available += 1;
            }
        }
        if is_pod_updated(oldest, hash, generation.as_deref()) {
            status.updated_number_scheduled += 1;
        }
    }
    status.number_unavailable = status.desired_number_scheduled - status.number_available;
    status
}

/// With surge: of several running pods keep the oldest new and the oldest old one, delete the
/// rest, and delete the old one too once it is not Ready or the new one is available.
fn surge_excess(ds: &DaemonSet, running: &mut [Arc<Pod>], hash: &str, now: Millis) -> Vec<String> {
    sort_pods_by_creation(running);
    let mut delete = Vec::new();
    let mut oldest_new: Option<&Arc<Pod>> = None;
    let mut oldest_old: Option<&Arc<Pod>> = None;
    for pod in running.iter() {
        let is_new = meta::labels(&pod.metadata)
            .get(CONTROLLER_REVISION_HASH_LABEL)
            .map(String::as_str)
            == Some(hash);
        let slot = if is_new {
            &mut oldest_new
        } else {
            &mut oldest_old
        };
        if slot.is_none() {
            *slot = Some(pod);
        } else {
            delete.push(pod.name().to_string());
        }
    }
    if let (Some(new), Some(old)) = (oldest_new, oldest_old)
        && (!is_pod_ready(old) || is_pod_available(new, min_ready_seconds(ds), now))
    {
        delete.push(old.name().to_string());
    }
    delete
}

/// Records an event about the DaemonSet, from the daemonset-controller.
fn record(api: &mut ApiServer, ds: &Arc<DaemonSet>, event_type: &str, reason: &str, message: &str) {
    api.record_event(
        &DaemonSet::wrap(ds.clone()),
        event_type,
        reason,
        message,
        COMPONENT,
    );
}

/// `failedPodsBackoffKey`: per DaemonSet, observed generation and node.
fn failed_pods_backoff_key(ds: &DaemonSet, node: &str) -> String {
    let observed = ds
        .status
        .as_ref()
        .and_then(|status| status.observed_generation)
        .unwrap_or(0);
    format!("{}/{observed}/{node}", ds.uid())
}

/// `getUnscheduledPodsWithoutNode`: pending pods pinned to nodes that no longer exist; PodGC only
/// cleans up bound pods, so the DaemonSet controller deletes these.
fn get_unscheduled_pods_without_node(
    nodes: &[Arc<Node>],
    node_to_daemon_pods: &NodeToDaemonPods,
) -> Vec<String> {
    let existing: std::collections::BTreeSet<&str> = nodes.iter().map(|node| node.name()).collect();
    node_to_daemon_pods
        .iter()
        .filter(|(node, _)| !existing.contains(node.as_str()))
        .flat_map(|(_, pods)| pods)
        .filter(|pod| {
            pod.spec
                .as_ref()
                .and_then(|spec| spec.node_name.as_deref())
                .is_none_or(str::is_empty)
        })
        .map(|pod| pod.name().to_string())
        .collect()
}

/// `podControl.CreatePods`: the template pinned to the node, named `<ds>-xxxxx`, owned by the DaemonSet.
fn create_pod(
    api: &mut ApiServer,
    ds: &Arc<DaemonSet>,
    template: &k8s_openapi::api::core::v1::PodTemplateSpec,
    node_name: &str,
) -> Result<(), String> {
    let template_meta = template.metadata.clone().unwrap_or_default();
    let mut spec = template.spec.clone().unwrap_or_default();
    spec.affinity = Some(replace_daemon_set_pod_node_name_node_affinity(
        spec.affinity.take(),
        node_name,
    ));
    let pod = Pod {
        metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            namespace: Some(ds.namespace().to_string()),
            generate_name: Some(format!("{}-", ds.name())),
            labels: template_meta.labels,
            annotations: template_meta.annotations,
            finalizers: template_meta.finalizers,
            owner_references: Some(vec![meta::new_controller_ref(ds.as_ref())]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    };
    match api.create(pod) {
        Ok(created) => {
            record(
                api,
                ds,
                NORMAL,
                "SuccessfulCreate",
                &format!("Created pod: {}", created.name()),
            );
            Ok(())
        }
        // A namespace being torn down refuses every create; upstream stays silent about it.
        Err(error) if error.message.contains("because it is being terminated") => Ok(()),
        Err(error) => {
            record(
                api,
                ds,
                WARNING,
                "FailedCreate",
                &format!("Error creating: {}", error.message),
            );
            Err(error.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSetSpec;
    use k8s_openapi::api::core::v1::{Container, Event, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

    use super::*;
    use crate::Cluster;

    fn daemon_set() -> DaemonSet {
        let labels = Some([("app".to_string(), "agent".to_string())].into());
        DaemonSet {
            metadata: ObjectMeta {
                name: Some("agent".into()),
                namespace: Some("default".into()),
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
                            image: Some("busybox:1.36".into()),
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

    fn events(api: &ApiServer, reason: &str) -> Vec<String> {
        api.table::<Event>()
            .iter()
            .filter(|event| event.reason.as_deref() == Some(reason))
            .filter_map(|event| event.message.clone())
            .collect()
    }

    /// TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector: an empty selector (which validation
    /// refuses, so only a store written around the API can hold one) gets a warning and nothing else.
    #[test]
    fn an_empty_selector_selects_all_and_does_nothing() {
        let mut cluster = Cluster::default_cluster();
        let Ok(created) = cluster.act(|api| api.create(daemon_set())) else {
            panic!("valid DaemonSet");
        };
        let uid = created.uid().to_string();
        let pods_before = cluster.api().table::<Pod>().controlled_by(&uid).count();
        assert_eq!(pods_before, 3);
        let mut everything = created.as_ref().clone();
        if let Some(spec) = everything.spec.as_mut() {
            spec.selector = LabelSelector::default();
            spec.template
                .spec
                .get_or_insert_with(Default::default)
                .containers[0]
                .image = Some("busybox:1.37".into());
        }
        let replaced = cluster.act(|api| api.replace(everything));
        assert!(replaced.is_ok());
        assert_eq!(
            events(cluster.api(), "SelectingAll"),
            vec!["This daemon set is selecting all pods. A non-empty selector is required."]
        );
        cluster.advance(30 * SECOND);
        assert_eq!(cluster.api().table::<Pod>().controlled_by(&uid).count(), 3);
        assert!(events(cluster.api(), "SuccessfulDelete").is_empty());
    }

    /// A refused create is reported as FailedCreate with the API server's message.
    #[test]
    fn a_refused_create_records_failed_create() {
        let mut api = ApiServer::new(0, 1);
        let Ok(ds) = api.create(daemon_set()) else {
            panic!("valid DaemonSet");
        };
        let template = PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some([("app".to_string(), "agent".to_string())].into()),
                ..ObjectMeta::default()
            }),
            spec: Some(PodSpec::default()),
        };
        let result = create_pod(&mut api, &ds, &template, "node-1");
        let Err(message) = result else {
            panic!("a pod without containers is refused");
        };
        assert!(message.starts_with("Pod \"agent-"), "{message}");
        assert!(
            message.ends_with("is invalid: spec.containers: Required value"),
            "{message}"
        );
        assert_eq!(
            events(&api, "FailedCreate"),
            vec![format!("Error creating: {message}")]
        );
    }

    /// Slow start: a failing first batch stops the rest and lowers the expectations.
    #[test]
    fn slow_start_stops_after_a_failing_batch() {
        let mut api = ApiServer::new(0, 1);
        let Ok(created) = api.create(daemon_set()) else {
            panic!("valid DaemonSet");
        };
        // A template the pod registry refuses makes every create fail.
        let mut broken = created.as_ref().clone();
        if let Some(spec) = broken.spec.as_mut() {
            spec.template.spec = Some(PodSpec::default());
        }
        let broken = Arc::new(broken);
        let mut controller = DaemonSetsController::default();
        let mut timers = crate::clock::Timers::default();
        let mut ctx = Context {
            api: &mut api,
            timers: &mut timers,
            component: crate::clock::Component::DaemonSet,
        };
        let nodes: Vec<String> = (0..10).map(|i| format!("node-{i}")).collect();
        let result = controller.sync_nodes(&mut ctx, &broken, Vec::new(), nodes, "hash");
        assert!(result.is_err());
        // One attempt, then the other nine were skipped: nothing is left to wait for.
        assert_eq!(events(&api, "FailedCreate").len(), 1);
        assert!(controller.expectations.satisfied("default/agent", 0));
    }
}
