//! The default scheduler (kube-scheduler with the default profile): filter the nodes, score the
//! feasible ones, bind the pod to the best; or leave it Pending with a `FailedScheduling` event
//! worded as upstream's `FitError`, and retry when the cluster changes or every 5 minutes.

pub mod nodeaffinity;
pub mod taints;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, Pod, PodCondition, PodSpec, Taint};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey, quantity};
use crate::apiserver::registry::pod::{phase, set_pod_condition};
use crate::apiserver::{ApiServer, WatchEvent, WatchEventType};
use crate::clock::{MINUTE, Millis};
use crate::controller::{Context, Controller, WorkQueue};
use crate::events::{NORMAL, WARNING};
use crate::rand::Rng;

pub const SCHEDULER_NAME: &str = "default-scheduler";
/// `podMaxInUnschedulablePodsDuration`: an unschedulable pod is retried at least this often.
const UNSCHEDULABLE_RETRY: Millis = 5 * MINUTE;
/// Requests assumed for scoring when a container asks for none (`schedutil.DefaultMilliCPURequest`, `DefaultMemoryRequest`).
const DEFAULT_MILLI_CPU_REQUEST: i128 = 100;
const DEFAULT_MEMORY_REQUEST: i128 = 200 * 1024 * 1024;
const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";

/// What a pod takes from its node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Request {
    milli_cpu: i128,
    memory: i128,
    nonzero_milli_cpu: i128,
    nonzero_memory: i128,
    host_ports: Vec<(String, String, i32)>,
}

#[derive(Debug, Clone, Default)]
struct NodeInfo {
    node: Arc<Node>,
    allocatable_milli_cpu: i128,
    allocatable_memory: i128,
    allocatable_pods: i64,
    requested: Request,
    pods: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scheduler {
    queue: WorkQueue,
    /// Pods that found no node, waiting for a change in the cluster.
    unschedulable: BTreeSet<String>,
    next_start_node_index: usize,
    /// The scheduler cache, rebuilt from the store; never saved. Node names sorted, and each
    /// node's object and usage at the same index, so a cycle walks the nodes without lookups.
    #[serde(skip)]
    node_order: Vec<String>,
    #[serde(skip)]
    infos: Vec<NodeInfo>,
}

fn request_of(spec: &PodSpec) -> Request {
    let mut request = Request::default();
    let amount = |container: &k8s_openapi::api::core::v1::Container,
                  name: &str,
                  milli: bool|
     -> Option<i128> {
        let value = container.resources.as_ref()?.requests.as_ref()?.get(name)?;
        Some(if milli {
            quantity::milli_of(value)
        } else {
            quantity::value_of(value)
        })
    };
    for container in &spec.containers {
        let cpu = amount(container, "cpu", true);
        let memory = amount(container, "memory", false);
        request.milli_cpu += cpu.unwrap_or(0);
        request.memory += memory.unwrap_or(0);
        request.nonzero_milli_cpu += cpu
            .filter(|cpu| *cpu != 0)
            .unwrap_or(DEFAULT_MILLI_CPU_REQUEST);
        request.nonzero_memory += memory
            .filter(|memory| *memory != 0)
            .unwrap_or(DEFAULT_MEMORY_REQUEST);
        for port in container.ports.iter().flatten() {
            if let Some(host_port) = port.host_port.filter(|port| *port > 0) {
                let host_ip = port
                    .host_ip
                    .clone()
                    .filter(|ip| !ip.is_empty())
                    .unwrap_or_else(|| "0.0.0.0".into());
                request.host_ports.push((
                    port.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    host_ip,
                    host_port,
                ));
            }
        }
    }
    for container in spec.init_containers.iter().flatten() {
        request.milli_cpu = request
            .milli_cpu
            .max(amount(container, "cpu", true).unwrap_or(0));
        request.memory = request
            .memory
            .max(amount(container, "memory", false).unwrap_or(0));
    }
    for (name, value) in spec.overhead.iter().flatten() {
        match name.as_str() {
            "cpu" => request.milli_cpu += quantity::milli_of(value),
            "memory" => request.memory += quantity::value_of(value),
            _ => {}
        }
    }
    request
}

/// The node a pod counts against in the cache: bound and not finished.
fn placement(pod: &Pod) -> Option<(&str, Request)> {
    let spec = pod.spec.as_ref()?;
    let node = spec.node_name.as_deref().filter(|node| !node.is_empty())?;
    if matches!(phase(pod), "Succeeded" | "Failed") {
        return None;
    }
    Some((node, request_of(spec)))
}

fn wants_scheduling(pod: &Pod) -> bool {
    let Some(spec) = pod.spec.as_ref() else {
        return false;
    };
    spec.node_name.as_deref().is_none_or(str::is_empty)
        && spec
            .scheduler_name
            .as_deref()
            .is_none_or(|name| name == SCHEDULER_NAME)
        && pod.metadata.deletion_timestamp.is_none()
        && !matches!(phase(pod), "Succeeded" | "Failed")
        && spec.scheduling_gates.as_ref().is_none_or(Vec::is_empty)
}

impl NodeInfo {
    fn from_node(node: &Arc<Node>) -> NodeInfo {
        let allocatable = node
            .status
            .as_ref()
            .and_then(|status| status.allocatable.as_ref());
        let get = |name: &str| allocatable.and_then(|resources| resources.get(name));
        NodeInfo {
            node: node.clone(),
            allocatable_milli_cpu: get("cpu").map(quantity::milli_of).unwrap_or(0),
            allocatable_memory: get("memory").map(quantity::value_of).unwrap_or(0),
            allocatable_pods: get("pods").map(quantity::value_of).unwrap_or(0) as i64,
            ..NodeInfo::default()
        }
    }

    fn add(&mut self, request: &Request) {
        self.requested.milli_cpu += request.milli_cpu;
        self.requested.memory += request.memory;
        self.requested.nonzero_milli_cpu += request.nonzero_milli_cpu;
        self.requested.nonzero_memory += request.nonzero_memory;
        self.requested
            .host_ports
            .extend(request.host_ports.iter().cloned());
        self.pods += 1;
    }

    fn remove(&mut self, request: &Request) {
        self.requested.milli_cpu -= request.milli_cpu;
        self.requested.memory -= request.memory;
        self.requested.nonzero_milli_cpu -= request.nonzero_milli_cpu;
        self.requested.nonzero_memory -= request.nonzero_memory;
        for port in &request.host_ports {
            if let Some(position) = self
                .requested
                .host_ports
                .iter()
                .position(|used| used == port)
            {
                self.requested.host_ports.swap_remove(position);
            }
        }
        self.pods -= 1;
    }
}

/// Why a node was rejected, and whether preemption could ever help there.
struct Rejection {
    reasons: Vec<String>,
    resolvable: bool,
}

impl Controller for Scheduler {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, _api: &ApiServer) {
        match (&event.object, event.event_type) {
            (AnyObject::Node(node), WatchEventType::Deleted) => {
                if let Some(index) = self.index_of(node.name()) {
                    self.node_order.remove(index);
                    self.infos.remove(index);
                }
            }
            (AnyObject::Node(node), _) => {
                let fresh = NodeInfo::from_node(node);
                match self
                    .node_order
                    .binary_search_by(|name| name.as_str().cmp(node.name()))
                {
                    Ok(index) => {
                        let info = &mut self.infos[index];
                        info.node = fresh.node;
                        info.allocatable_milli_cpu = fresh.allocatable_milli_cpu;
                        info.allocatable_memory = fresh.allocatable_memory;
                        info.allocatable_pods = fresh.allocatable_pods;
                    }
                    Err(index) => {
                        self.node_order.insert(index, node.name().to_string());
                        self.infos.insert(index, fresh);
                    }
                }
                let changed = match &event.old {
                    Some(AnyObject::Node(old)) => {
                        old.spec != node.spec
                            || old.metadata.labels != node.metadata.labels
                            || old.status != node.status
                    }
                    _ => true,
                };
                if changed {
                    self.retry_unschedulable();
                }
            }
            (AnyObject::Pod(pod), event_type) => {
                let key = pod.key().queue_key();
                let deleted = event_type == WatchEventType::Deleted;
                let old_placement = match &event.old {
                    Some(AnyObject::Pod(old)) => placement(old),
                    _ => None,
                };
                let new_placement = if deleted { None } else { placement(pod) };
                // A pod that stops counting on its node may make room for a waiting one.
                let freed = old_placement.is_some() && new_placement.is_none();
                if let Some((node, request)) = &old_placement
                    && let Some(index) = self.index_of(node)
                {
                    self.infos[index].remove(request);
                }
                if let Some((node, request)) = &new_placement
                    && let Some(index) = self.index_of(node)
                {
                    self.infos[index].add(request);
                }
                if !deleted {
                    let spec_changed =
                        matches!(&event.old, Some(AnyObject::Pod(old)) if old.spec != pod.spec);
                    if wants_scheduling(pod) {
                        if spec_changed || !self.unschedulable.contains(&key) {
                            self.unschedulable.remove(&key);
                            self.queue.add(key);
                        }
                    } else {
                        self.unschedulable.remove(&key);
                    }
                } else {
                    self.unschedulable.remove(&key);
                }
                if freed {
                    self.retry_unschedulable();
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let object_key = ObjectKey::from_queue_key(key);
        let Some(pod) = ctx.api.get_by_key::<Pod>(&object_key).cloned() else {
            self.unschedulable.remove(key);
            return;
        };
        if !wants_scheduling(&pod) {
            self.unschedulable.remove(key);
            return;
        }
        let Some(spec) = pod.spec.clone() else {
            return;
        };
        // The tie-break draws from the cluster's one random source, so it is repeatable and saved.
        let mut rng = std::mem::replace(&mut ctx.api.rng, Rng::new(0));
        let result = self.schedule(&spec, &mut rng);
        ctx.api.rng = rng;
        match result {
            Ok(node) => {
                self.unschedulable.remove(key);
                if ctx.api.bind(&object_key, &node).is_ok() {
                    let message = format!(
                        "Successfully assigned {}/{} to {node}",
                        pod.namespace(),
                        pod.name()
                    );
                    ctx.api.record_event(
                        &Pod::wrap(pod.clone()),
                        NORMAL,
                        "Scheduled",
                        &message,
                        SCHEDULER_NAME,
                    );
                }
            }
            Err(message) => {
                self.unschedulable.insert(key.to_string());
                ctx.api.record_event(
                    &Pod::wrap(pod.clone()),
                    WARNING,
                    "FailedScheduling",
                    &message,
                    SCHEDULER_NAME,
                );
                let now = ctx.api.now_time();
                let _ = ctx.api.modify_status::<Pod>(&object_key, |stored| {
                    let status = stored.status.get_or_insert_with(Default::default);
                    set_pod_condition(
                        status,
                        PodCondition {
                            type_: "PodScheduled".into(),
                            status: "False".into(),
                            reason: Some("Unschedulable".into()),
                            message: Some(message.clone()),
                            last_transition_time: Some(now),
                            ..PodCondition::default()
                        },
                    );
                });
                ctx.requeue_after(key, UNSCHEDULABLE_RETRY);
            }
        }
    }
}

impl Scheduler {
    /// Rebuilds the cache from the store, as the informers would on start.
    pub(crate) fn rebuild_cache(&mut self, api: &ApiServer) {
        self.node_order = api
            .table::<Node>()
            .iter()
            .map(|node| node.name().to_string())
            .collect();
        self.infos = api
            .table::<Node>()
            .iter()
            .map(NodeInfo::from_node)
            .collect();
        for pod in api.table::<Pod>().iter() {
            if let Some((node, request)) = placement(pod)
                && let Some(index) = self.index_of(node)
            {
                self.infos[index].add(&request);
            }
        }
    }

    fn index_of(&self, node: &str) -> Option<usize> {
        self.node_order
            .binary_search_by(|name| name.as_str().cmp(node))
            .ok()
    }

    /// `MoveAllToActiveOrBackoffQueue`: a change may have made room.
    fn retry_unschedulable(&mut self) {
        for key in std::mem::take(&mut self.unschedulable) {
            self.queue.add(key);
        }
    }

    pub fn pending_unschedulable(&self) -> impl Iterator<Item = &String> {
        self.unschedulable.iter()
    }

    /// One scheduling cycle: the node to bind to, or the FitError message.
    fn schedule(&mut self, spec: &PodSpec, rng: &mut Rng) -> Result<String, String> {
        let all_nodes = self.node_order.len();
        if all_nodes == 0 {
            return Err("no nodes available to schedule pods".into());
        }
        let request = request_of(spec);
        let pinned = nodeaffinity::pinned_node_names(spec);
        let candidates: Vec<usize> = match &pinned {
            Some(names) => names
                .iter()
                .filter_map(|name| self.node_order.binary_search(name).ok())
                .collect(),
            None => (0..all_nodes).collect(),
        };
        let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
        let mut preemption: BTreeMap<&'static str, usize> = BTreeMap::new();
        if pinned.is_some() {
            let absent = all_nodes - candidates.len();
            if absent > 0 {
                *histogram
                    .entry("node(s) didn't satisfy plugin(s) [NodeAffinity]".into())
                    .or_default() += absent;
                *preemption
                    .entry("Preemption is not helpful for scheduling")
                    .or_default() += absent;
            }
        }
        let wanted = num_feasible_nodes_to_find(candidates.len());
        let mut feasible = Vec::new();
        let start = if pinned.is_some() {
            0
        } else {
            self.next_start_node_index % candidates.len().max(1)
        };
        let mut processed = 0;
        for offset in 0..candidates.len() {
            if feasible.len() >= wanted {
                break;
            }
            let index = candidates[(start + offset) % candidates.len()];
            processed += 1;
            let info = &self.infos[index];
            match filter(spec, &request, &info.node, info) {
                None => feasible.push(index),
                Some(rejection) => {
                    for reason in rejection.reasons {
                        *histogram.entry(reason).or_default() += 1;
                    }
                    let outcome = if rejection.resolvable {
                        "No preemption victims found for incoming pod"
                    } else {
                        "Preemption is not helpful for scheduling"
                    };
                    *preemption.entry(outcome).or_default() += 1;
                }
            }
        }
        if pinned.is_none() {
            self.next_start_node_index = (start + processed) % all_nodes;
        }
        if feasible.is_empty() {
            return Err(fit_error(all_nodes, &histogram, &preemption));
        }
        Ok(self.select_host(spec, &request, &feasible, rng))
    }

    fn select_host(
        &self,
        spec: &PodSpec,
        request: &Request,
        feasible: &[usize],
        rng: &mut Rng,
    ) -> String {
        if let [only] = feasible {
            return self.node_order[*only].clone();
        }
        let nodes: Vec<(&Node, &NodeInfo)> = feasible
            .iter()
            .map(|index| (self.infos[*index].node.as_ref(), &self.infos[*index]))
            .collect();
        let tolerations = spec.tolerations.as_deref().unwrap_or_default();
        let prefer_no_schedule: Vec<i64> = nodes
            .iter()
            .map(|(node, _)| {
                node_taints(node)
                    .iter()
                    .filter(|taint| {
                        taint.effect == "PreferNoSchedule"
                            && !taints::tolerated_by(taint, tolerations)
                    })
                    .count() as i64
            })
            .collect();
        let affinity: Vec<i64> = nodes
            .iter()
            .map(|(node, _)| nodeaffinity::preferred_score(spec, node))
            .collect();
        let max_taints = prefer_no_schedule.iter().copied().max().unwrap_or(0);
        let max_affinity = affinity.iter().copied().max().unwrap_or(0);
        let mut best: Option<(i128, usize)> = None;
        let mut ties = 0u64;
        let mut chosen = 0;
        // Reservoir sampling among equal best scores, as `selectHost` does.
        for (position, (_, info)) in nodes.iter().enumerate() {
            let taint_score = if max_taints == 0 {
                100
            } else {
                100 - prefer_no_schedule[position] * 100 / max_taints
            };
            let affinity_score = if max_affinity == 0 {
                0
            } else {
                affinity[position] * 100 / max_affinity
            };
            let score = 3 * i128::from(taint_score)
                + 2 * i128::from(affinity_score)
                + least_allocated(info, request)
                + balanced_allocation(info, request);
            match best {
                Some((top, _)) if score < top => {}
                Some((top, _)) if score == top => {
                    ties += 1;
                    if rng.below(ties + 1) == 0 {
                        chosen = position;
                    }
                }
                _ => {
                    best = Some((score, position));
                    ties = 0;
                    chosen = position;
                }
            }
        }
        nodes[chosen].0.name().to_string()
    }
}

fn node_taints(node: &Node) -> &[Taint] {
    node.spec
        .as_ref()
        .and_then(|spec| spec.taints.as_deref())
        .unwrap_or_default()
}

/// The default filter plugins in order; the first to reject a node gives its reasons.
fn filter(spec: &PodSpec, request: &Request, node: &Node, info: &NodeInfo) -> Option<Rejection> {
    let tolerations = spec.tolerations.as_deref().unwrap_or_default();
    let unresolvable = |reason: String| {
        Some(Rejection {
            reasons: vec![reason],
            resolvable: false,
        })
    };
    if node.spec.as_ref().and_then(|spec| spec.unschedulable) == Some(true) {
        let cordon = Taint {
            key: UNSCHEDULABLE_TAINT.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        };
        if !taints::tolerated_by(&cordon, tolerations) {
            return unresolvable("node(s) were unschedulable".into());
        }
    }
    if let Some(taint) =
        taints::find_untolerated(node_taints(node), tolerations, taints::is_scheduling_effect)
    {
        return unresolvable(format!(
            "node(s) had untolerated taint {}",
            taints::describe(taint)
        ));
    }
    if !nodeaffinity::matches_required(spec, node) {
        return unresolvable("node(s) didn't match Pod's node affinity/selector".into());
    }
    let port_conflict = request.host_ports.iter().any(|(protocol, ip, port)| {
        info.requested
            .host_ports
            .iter()
            .any(|(used_protocol, used_ip, used_port)| {
                used_protocol == protocol
                    && used_port == port
                    && (used_ip == ip || used_ip == "0.0.0.0" || ip == "0.0.0.0")
            })
    });
    if port_conflict {
        return Some(Rejection {
            reasons: vec!["node(s) didn't have free ports for the requested pod ports".into()],
            resolvable: true,
        });
    }
    let mut reasons = Vec::new();
    if info.pods + 1 > info.allocatable_pods {
        reasons.push("Too many pods".to_string());
    }
    if request.milli_cpu > 0
        && request.milli_cpu > info.allocatable_milli_cpu - info.requested.milli_cpu
    {
        reasons.push("Insufficient cpu".to_string());
    }
    if request.memory > 0 && request.memory > info.allocatable_memory - info.requested.memory {
        reasons.push("Insufficient memory".to_string());
    }
    (!reasons.is_empty()).then_some(Rejection {
        reasons,
        resolvable: true,
    })
}

/// LeastAllocated over cpu and memory, with the non-zero default requests.
fn least_allocated(info: &NodeInfo, request: &Request) -> i128 {
    let score = |requested: i128, allocatable: i128| {
        if allocatable == 0 || requested > allocatable {
            0
        } else {
            (allocatable - requested) * 100 / allocatable
        }
    };
    let cpu = score(
        info.requested.nonzero_milli_cpu + request.nonzero_milli_cpu,
        info.allocatable_milli_cpu,
    );
    let memory = score(
        info.requested.nonzero_memory + request.nonzero_memory,
        info.allocatable_memory,
    );
    (cpu + memory) / 2
}

/// NodeResourcesBalancedAllocation: 100 when cpu and memory are used in equal shares.
fn balanced_allocation(info: &NodeInfo, request: &Request) -> i128 {
    let fraction = |requested: i128, allocatable: i128| {
        if allocatable == 0 {
            1.0
        } else {
            (requested as f64 / allocatable as f64).min(1.0)
        }
    };
    let cpu = fraction(
        info.requested.milli_cpu + request.milli_cpu,
        info.allocatable_milli_cpu,
    );
    let memory = fraction(
        info.requested.memory + request.memory,
        info.allocatable_memory,
    );
    let deviation = (cpu - memory).abs() / 2.0;
    ((1.0 - deviation) * 100.0) as i128
}

/// `numFeasibleNodesToFind` with the adaptive percentage of nodes to score.
fn num_feasible_nodes_to_find(nodes: usize) -> usize {
    const MIN_FEASIBLE_NODES: usize = 100;
    if nodes < MIN_FEASIBLE_NODES {
        return nodes;
    }
    let percentage = (50 - nodes as i64 / 125).max(5) as usize;
    (nodes * percentage / 100).max(MIN_FEASIBLE_NODES)
}

/// `FitError.Error()`: the histogram of reasons, sorted as strings, then the preemption summary.
fn fit_error(
    all_nodes: usize,
    histogram: &BTreeMap<String, usize>,
    preemption: &BTreeMap<&str, usize>,
) -> String {
    let sorted = |entries: Vec<String>| {
        let mut entries = entries;
        entries.sort();
        entries.join(", ")
    };
    let reasons = sorted(
        histogram
            .iter()
            .map(|(reason, count)| format!("{count} {reason}"))
            .collect(),
    );
    let preemption = sorted(
        preemption
            .iter()
            .map(|(outcome, count)| format!("{count} {outcome}"))
            .collect(),
    );
    format!(
        "0/{all_nodes} nodes are available: {reasons}. preemption: 0/{all_nodes} nodes are available: {preemption}."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_percentage_of_nodes() {
        assert_eq!(num_feasible_nodes_to_find(4), 4);
        assert_eq!(num_feasible_nodes_to_find(100), 100);
        assert_eq!(num_feasible_nodes_to_find(5000), 500);
        assert_eq!(num_feasible_nodes_to_find(1000), 420);
    }

    #[test]
    fn fit_error_reads_like_upstream() {
        let histogram = BTreeMap::from([
            (
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
                    .to_string(),
                1,
            ),
            (
                "node(s) didn't match Pod's node affinity/selector".to_string(),
                3,
            ),
        ]);
        let preemption = BTreeMap::from([("Preemption is not helpful for scheduling", 4)]);
        assert_eq!(
            fit_error(4, &histogram, &preemption),
            "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
        );
    }
}
