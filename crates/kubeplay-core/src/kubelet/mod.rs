//! The kubelets of every node, as one component: each pod bound to a live node is started
//! (ContainerCreating, then Running and Ready), its containers play their commands on the
//! virtual clock, exit, restart with CrashLoopBackOff, and the pod ends Succeeded or Failed.
//! A deleted pod stops its containers within its grace period, then is removed.

pub mod container;
pub mod node_status;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, HostIP, Node, Pod, PodCondition, PodIP, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::{Deserialize, Serialize};

use crate::api::{ApiObject, ObjectKey, meta};
use crate::apiserver::registry::pod::{phase, set_pod_condition};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent};
use crate::clock::{self, MINUTE, Millis, SECOND};
use crate::controller::{Context, Controller, WorkQueue};
use crate::events::{NORMAL, WARNING};

/// How long a pod shows ContainerCreating (sandbox, image, start).
pub const STARTUP_DELAY: Millis = 2 * SECOND;
/// How long containers take to stop once asked, unless the grace period is shorter.
pub const STOP_DELAY: Millis = 2 * SECOND;
/// Crash-loop back-off: 10 s, doubling, capped at 5 minutes (kubelet `backOffPeriod`, `MaxContainerBackOff`).
pub const BACKOFF_INITIAL: Millis = 10 * SECOND;
pub const BACKOFF_MAX: Millis = 5 * MINUTE;
/// The exit code of a process stopped by SIGTERM.
const EXIT_SIGTERM: i32 = 143;
/// The most log lines kept per container, so a chatty loop cannot grow the state without bound.
const MAX_LOG_LINES: usize = 1000;

/// An event the kubelet reports about one of a pod's containers.
struct ContainerEvent {
    warning: bool,
    reason: &'static str,
    message: String,
    container: String,
}

impl ContainerEvent {
    fn normal(reason: &'static str, container: &str, message: String) -> ContainerEvent {
        ContainerEvent {
            warning: false,
            reason,
            message,
            container: container.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terminated {
    pub exit_code: i32,
    pub reason: String,
    pub started: Millis,
    pub finished: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunState {
    Creating,
    Running {
        started: Millis,
        exits_at: Option<Millis>,
        exit_code: i32,
    },
    Terminated(Terminated),
    BackOff {
        terminated: Terminated,
        restart_at: Millis,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerRuntime {
    pub name: String,
    pub state: RunState,
    pub restart_count: i32,
    pub last_terminated: Option<Terminated>,
    /// The crash-loop back-off: the current delay and the exit it was last raised for.
    backoff: Option<(Millis, Millis)>,
    /// Lines the container prints: the run (restart count) and when; only those before now have been printed.
    pub logs: Vec<(i32, Millis, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PodRuntime {
    uid: String,
    start_time: Millis,
    start_at: Millis,
    started: bool,
    ip: Option<String>,
    pub containers: Vec<ContainerRuntime>,
    ready_override: Option<bool>,
    stop_at: Option<Millis>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kubelet {
    queue: WorkQueue,
    /// Nodes whose kubelet is down (`sim node fail`), with when it stopped.
    stopped: BTreeMap<String, Millis>,
    pods: BTreeMap<String, PodRuntime>,
    next_ip: BTreeMap<String, u32>,
    nodes_registered: u32,
}

impl Controller for Kubelet {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match &event.object {
            crate::api::AnyObject::Pod(pod) => {
                let bound = pod
                    .spec
                    .as_ref()
                    .and_then(|spec| spec.node_name.as_deref())
                    .is_some_and(|node| !node.is_empty());
                if bound || self.pods.contains_key(&pod.key().queue_key()) {
                    self.queue.add(pod.key().queue_key());
                }
            }
            crate::api::AnyObject::Node(node) if event.old.is_none() => {
                // A node registering: pods already bound to it (static placement) start now.
                for pod in api.table::<Pod>().on_node(node.name()) {
                    self.queue.add(pod.key().queue_key());
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let object_key = ObjectKey::from_queue_key(key);
        let Some(pod) = ctx.api.get_by_key::<Pod>(&object_key).cloned() else {
            self.pods.remove(key);
            return;
        };
        let Some(node_name) = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .filter(|name| !name.is_empty())
        else {
            return;
        };
        if self.stopped.contains_key(&node_name) {
            return;
        }
        let Some(node) = ctx.api.get::<Node>("", &node_name).cloned() else {
            return;
        };
        if self
            .pods
            .get(key)
            .is_some_and(|runtime| runtime.uid != pod.uid())
        {
            self.pods.remove(key);
        }
        let terminal = matches!(phase(&pod), "Succeeded" | "Failed");
        if terminal {
            if pod.metadata.deletion_timestamp.is_some()
                && pod.metadata.deletion_grace_period_seconds != Some(0)
            {
                let _ = ctx.api.delete::<Pod>(&object_key, &DeleteOptions::force());
            }
            return;
        }
        let now = ctx.now();
        if !self.pods.contains_key(key) {
            let runtime = self.admit(&pod, now);
            self.pods.insert(key.to_string(), runtime);
        }
        let Some(mut runtime) = self.pods.remove(key) else {
            return;
        };
        if pod.metadata.deletion_timestamp.is_some() {
            let deadline = pod
                .metadata
                .deletion_timestamp
                .as_ref()
                .map_or(now, |time| clock::to_millis(time.0));
            if runtime.stop_at.is_none() {
                runtime.stop_at = Some(if runtime.started {
                    (now + STOP_DELAY).min(deadline.max(now))
                } else {
                    now
                });
                let killing: Vec<ContainerEvent> = runtime
                    .containers
                    .iter()
                    .filter(|container| matches!(container.state, RunState::Running { .. }))
                    .map(|container| {
                        ContainerEvent::normal(
                            "Killing",
                            &container.name,
                            format!("Stopping container {}", container.name),
                        )
                    })
                    .collect();
                record(ctx, &pod, &node_name, killing);
            }
            let stop_at = runtime.stop_at.unwrap_or(now);
            if now < stop_at {
                self.pods.insert(key.to_string(), runtime);
                ctx.requeue_at(key, stop_at);
                return;
            }
            advance(&mut runtime, &pod, now, &mut Vec::new());
            for container in &mut runtime.containers {
                let started = match &container.state {
                    RunState::Running { started, .. } => Some(*started),
                    _ => None,
                };
                if let Some(started) = started {
                    container.state = RunState::Terminated(Terminated {
                        exit_code: EXIT_SIGTERM,
                        reason: "Error".into(),
                        started,
                        finished: now,
                    });
                } else if matches!(
                    container.state,
                    RunState::Creating | RunState::BackOff { .. }
                ) {
                    let terminated = match &container.state {
                        RunState::BackOff { terminated, .. } => terminated.clone(),
                        _ => Terminated {
                            exit_code: 137,
                            reason: "ContainerStatusUnknown".into(),
                            started: now,
                            finished: now,
                        },
                    };
                    container.state = RunState::Terminated(terminated);
                }
            }
            let all_succeeded = runtime.containers.iter().all(
                |container| matches!(&container.state, RunState::Terminated(t) if t.exit_code == 0),
            );
            let final_phase = if all_succeeded { "Succeeded" } else { "Failed" };
            let status = build_status(&pod, &node, &runtime, now, Some(final_phase));
            let _ = ctx
                .api
                .modify_status::<Pod>(&object_key, |stored| stored.status = Some(status));
            let _ = ctx.api.delete::<Pod>(&object_key, &DeleteOptions::force());
            return;
        }
        let mut container_events = Vec::new();
        advance(&mut runtime, &pod, now, &mut container_events);
        if runtime.ip.is_none() && runtime.started {
            runtime.ip = Some(self.allocate_ip(&node, ctx.api));
        }
        record(ctx, &pod, &node_name, container_events);
        let status = build_status(&pod, &node, &runtime, now, None);
        if pod.status.as_ref() != Some(&status) {
            let _ = ctx
                .api
                .modify_status::<Pod>(&object_key, |stored| stored.status = Some(status));
        }
        if let Some(wake) = next_wakeup(&runtime, &pod, now) {
            ctx.requeue_at(key, wake);
        }
        self.pods.insert(key.to_string(), runtime);
    }
}

impl Kubelet {
    pub(crate) fn next_node_index(&mut self) -> u32 {
        self.nodes_registered += 1;
        self.nodes_registered - 1
    }

    /// Gives back the index [`Kubelet::next_node_index`] handed out, for a node the API server
    /// refused: the next node gets it, as if the refused one had never been asked for.
    pub(crate) fn give_back_node_index(&mut self) {
        self.nodes_registered = self.nodes_registered.saturating_sub(1);
    }

    pub fn is_stopped(&self, node: &str) -> bool {
        self.stopped.contains_key(node)
    }

    pub fn runtime(&self, key: &ObjectKey) -> Option<&PodRuntime> {
        self.pods.get(&key.queue_key())
    }

    /// The kubelet of `node` stops: no more status, no more starts or stops.
    pub(crate) fn stop_node(&mut self, node: &str, now: Millis) {
        self.stopped.entry(node.to_string()).or_insert(now);
    }

    /// The kubelet of `node` comes back and catches up with every pod bound there.
    pub(crate) fn start_node(&mut self, node: &str, api: &ApiServer) -> bool {
        let was_stopped = self.stopped.remove(node).is_some();
        for pod in api.table::<Pod>().on_node(node) {
            self.queue.add(pod.key().queue_key());
        }
        was_stopped
    }

    /// `sim pod fail` / `sim pod succeed`: the pod's running containers exit now with `code`.
    pub(crate) fn exit_containers(&mut self, key: &ObjectKey, code: i32, now: Millis) -> bool {
        let Some(runtime) = self.pods.get_mut(&key.queue_key()) else {
            return false;
        };
        let mut any = false;
        for container in &mut runtime.containers {
            if let RunState::Running {
                exits_at,
                exit_code,
                ..
            } = &mut container.state
            {
                *exits_at = Some(now);
                *exit_code = code;
                any = true;
            }
        }
        self.queue.add(key.queue_key());
        any
    }

    /// `sim pod ready` / `sim pod unready`: the readiness probe starts passing or failing.
    pub(crate) fn set_ready(&mut self, key: &ObjectKey, ready: bool) -> bool {
        let Some(runtime) = self.pods.get_mut(&key.queue_key()) else {
            return false;
        };
        runtime.ready_override = Some(ready);
        self.queue.add(key.queue_key());
        true
    }

    fn admit(&self, pod: &Pod, now: Millis) -> PodRuntime {
        let containers = pod
            .spec
            .iter()
            .flat_map(|spec| spec.containers.iter())
            .map(|container| ContainerRuntime {
                name: container.name.clone(),
                state: RunState::Creating,
                restart_count: 0,
                last_terminated: None,
                backoff: None,
                logs: Vec::new(),
            })
            .collect();
        PodRuntime {
            uid: pod.uid().to_string(),
            start_time: now,
            start_at: now + STARTUP_DELAY,
            started: false,
            ip: None,
            containers,
            ready_override: None,
            stop_at: None,
        }
    }

    fn allocate_ip(&mut self, node: &Node, api: &ApiServer) -> String {
        let cidr = node
            .spec
            .as_ref()
            .and_then(|spec| spec.pod_cidr.clone())
            .unwrap_or_else(|| "10.244.0.0/24".into());
        let prefix = cidr.trim_end_matches("0/24");
        // A finished pod's sandbox is gone, so its address is free again.
        let used: std::collections::BTreeSet<String> = api
            .table::<Pod>()
            .on_node(node.name())
            .filter(|pod| !matches!(phase(pod), "Succeeded" | "Failed"))
            .filter_map(|pod| pod.status.as_ref()?.pod_ip.clone())
            .collect();
        let next = self.next_ip.entry(node.name().to_string()).or_insert(2);
        for _ in 0..253 {
            let candidate = format!("{prefix}{next}");
            *next = if *next >= 254 { 2 } else { *next + 1 };
            if !used.contains(&candidate) {
                return candidate;
            }
        }
        format!("{prefix}{next}")
    }
}

fn record(ctx: &mut Context, pod: &Pod, node: &str, events: Vec<ContainerEvent>) {
    if events.is_empty() {
        return;
    }
    let reference = crate::events::object_reference(&Pod::wrap(std::sync::Arc::new(pod.clone())));
    for event in events {
        let mut reference = reference.clone();
        reference.field_path = Some(format!("spec.containers{{{}}}", event.container));
        let event_type = if event.warning { WARNING } else { NORMAL };
        ctx.api.record_event_from(
            reference,
            event_type,
            event.reason,
            &event.message,
            "kubelet",
            Some(node),
        );
    }
}

fn container_spec<'a>(pod: &'a Pod, name: &str) -> Option<&'a Container> {
    pod.spec
        .as_ref()?
        .containers
        .iter()
        .find(|container| container.name == name)
}

fn in_job(pod: &Pod) -> bool {
    meta::controller_of(&pod.metadata).is_some_and(|owner| owner.kind == "Job")
}

/// The container's environment as its process sees it, with downward-API label and annotation refs resolved.
fn environment(pod: &Pod, container: &Container) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    env.insert(
        "HOSTNAME".to_string(),
        pod.spec
            .as_ref()
            .and_then(|spec| spec.hostname.clone())
            .unwrap_or_else(|| pod.name().to_string()),
    );
    for variable in container.env.iter().flatten() {
        let value = match (&variable.value, &variable.value_from) {
            (Some(value), _) => value.clone(),
            (None, Some(source)) => source
                .field_ref
                .as_ref()
                .map(|field| resolve_field_path(pod, &field.field_path))
                .unwrap_or_default(),
            _ => String::new(),
        };
        env.insert(variable.name.clone(), value);
    }
    env
}

fn resolve_field_path(pod: &Pod, path: &str) -> String {
    let lookup =
        |map: &BTreeMap<String, String>, key: &str| map.get(key).cloned().unwrap_or_default();
    if let Some(key) = path
        .strip_prefix("metadata.labels['")
        .and_then(|rest| rest.strip_suffix("']"))
    {
        return lookup(meta::labels(&pod.metadata), key);
    }
    if let Some(key) = path
        .strip_prefix("metadata.annotations['")
        .and_then(|rest| rest.strip_suffix("']"))
    {
        return lookup(meta::annotations(&pod.metadata), key);
    }
    match path {
        "metadata.name" => pod.name().to_string(),
        "metadata.namespace" => pod.namespace().to_string(),
        "metadata.uid" => pod.uid().to_string(),
        "spec.nodeName" => pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .unwrap_or_default(),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|spec| spec.service_account_name.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn restart_policy(pod: &Pod) -> &str {
    pod.spec
        .as_ref()
        .and_then(|spec| spec.restart_policy.as_deref())
        .unwrap_or("Always")
}

/// Plays every container forward to `now`: starts, exits, restarts after back-off.
fn advance(runtime: &mut PodRuntime, pod: &Pod, now: Millis, events: &mut Vec<ContainerEvent>) {
    if !runtime.started {
        if now < runtime.start_at {
            return;
        }
        runtime.started = true;
        let start = runtime.start_at;
        for container in &mut runtime.containers {
            if let Some(spec) = container_spec(pod, &container.name) {
                let image = spec.image.clone().unwrap_or_default();
                if spec.image_pull_policy.as_deref() == Some("Always") {
                    events.push(ContainerEvent::normal(
                        "Pulling",
                        &container.name,
                        format!("Pulling image \"{image}\""),
                    ));
                    events.push(ContainerEvent::normal(
                        "Pulled",
                        &container.name,
                        format!("Successfully pulled image \"{image}\" in 1.2s (1.2s including waiting). Image size: 0 bytes."),
                    ));
                } else {
                    events.push(ContainerEvent::normal(
                        "Pulled",
                        &container.name,
                        format!("Container image \"{image}\" already present on machine"),
                    ));
                }
            }
            start_container(container, pod, start, events);
        }
    }
    let policy = restart_policy(pod).to_string();
    for container in &mut runtime.containers {
        loop {
            match container.state.clone() {
                RunState::Running {
                    started,
                    exits_at: Some(exits_at),
                    exit_code,
                } if exits_at <= now => {
                    let terminated = Terminated {
                        exit_code,
                        reason: if exit_code == 0 {
                            "Completed".into()
                        } else {
                            "Error".into()
                        },
                        started,
                        finished: exits_at,
                    };
                    let restarts = policy == "Always" || (policy == "OnFailure" && exit_code != 0);
                    if !restarts {
                        container.state = RunState::Terminated(terminated);
                        break;
                    }
                    // kubelet `doBackOff`: the first restart is immediate, later ones wait 10 s, 20 s, ... 5 min.
                    let delay = match container.backoff {
                        Some((delay, last)) if exits_at - last <= 2 * BACKOFF_MAX => {
                            (delay * 2).min(BACKOFF_MAX)
                        }
                        Some(_) | None => 0,
                    };
                    if delay == 0 {
                        container.backoff = Some((BACKOFF_INITIAL, exits_at));
                        container.last_terminated = Some(terminated);
                        container.restart_count += 1;
                        start_container(container, pod, exits_at, events);
                    } else {
                        let restart_at = exits_at
                            + container
                                .backoff
                                .map_or(BACKOFF_INITIAL, |(current, _)| current);
                        container.backoff = Some((delay, exits_at));
                        events.push(ContainerEvent {
                            warning: true,
                            reason: "BackOff",
                            message: format!(
                                "Back-off restarting failed container {} in pod {}_{}({})",
                                container.name,
                                pod.name(),
                                pod.namespace(),
                                pod.uid()
                            ),
                            container: container.name.clone(),
                        });
                        container.state = RunState::BackOff {
                            terminated,
                            restart_at,
                        };
                    }
                }
                RunState::BackOff {
                    terminated,
                    restart_at,
                } if restart_at <= now => {
                    container.last_terminated = Some(terminated);
                    container.restart_count += 1;
                    start_container(container, pod, restart_at, events);
                }
                _ => break,
            }
        }
    }
}

fn start_container(
    container: &mut ContainerRuntime,
    pod: &Pod,
    at: Millis,
    events: &mut Vec<ContainerEvent>,
) {
    let Some(spec) = container_spec(pod, &container.name) else {
        return;
    };
    let outcome = container::run(
        spec.command.as_deref().unwrap_or_default(),
        spec.args.as_deref().unwrap_or_default(),
        &environment(pod, spec),
        in_job(pod),
        at,
    );
    let run = container.restart_count;
    container.logs.extend(
        outcome
            .output
            .into_iter()
            .map(|(offset, line)| (run, at.saturating_add(offset), line)),
    );
    if container.logs.len() > MAX_LOG_LINES {
        let excess = container.logs.len() - MAX_LOG_LINES;
        container.logs.drain(..excess);
    }
    events.push(ContainerEvent::normal(
        "Created",
        &container.name,
        format!("Created container: {}", container.name),
    ));
    events.push(ContainerEvent::normal(
        "Started",
        &container.name,
        format!("Started container {}", container.name),
    ));
    container.state = RunState::Running {
        started: at,
        exits_at: outcome.runs_for.map(|runs_for| at.saturating_add(runs_for)),
        exit_code: outcome.exit_code,
    };
}

/// When a container becomes ready: at start, or once its readiness probe's initial delay has passed.
fn ready_at(pod: &Pod, container: &ContainerRuntime) -> Option<Millis> {
    let RunState::Running { started, .. } = container.state else {
        return None;
    };
    let delay = container_spec(pod, &container.name)
        .and_then(|spec| spec.readiness_probe.as_ref())
        .map(|probe| i64::from(probe.initial_delay_seconds.unwrap_or(0)) * SECOND)
        .unwrap_or(0);
    Some(started + delay)
}

fn next_wakeup(runtime: &PodRuntime, pod: &Pod, now: Millis) -> Option<Millis> {
    if !runtime.started {
        return Some(runtime.start_at);
    }
    runtime
        .containers
        .iter()
        .filter_map(|container| match &container.state {
            RunState::Running { exits_at, .. } => {
                let ready = ready_at(pod, container).filter(|at| *at > now);
                match (exits_at, ready) {
                    (Some(exit), Some(ready)) => Some((*exit).min(ready)),
                    (Some(exit), None) => Some(*exit),
                    (None, ready) => ready,
                }
            }
            RunState::BackOff { restart_at, .. } => Some(*restart_at),
            _ => None,
        })
        .min()
}

fn time(millis: Millis) -> Time {
    Time(clock::to_timestamp(millis.div_euclid(SECOND) * SECOND))
}

/// A stable container ID: the same pod, container and restart always get the same one.
fn container_id(pod: &Pod, name: &str, restart: i32) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut digest = String::new();
    for round in 0..4u64 {
        for byte in pod
            .uid()
            .bytes()
            .chain(name.bytes())
            .chain(restart.to_le_bytes())
            .chain(round.to_le_bytes())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        digest.push_str(&format!("{hash:016x}"));
    }
    format!("containerd://{digest}")
}

fn terminated_state(
    terminated: &Terminated,
    pod: &Pod,
    name: &str,
    restart: i32,
) -> ContainerStateTerminated {
    ContainerStateTerminated {
        exit_code: terminated.exit_code,
        reason: Some(terminated.reason.clone()),
        started_at: Some(time(terminated.started)),
        finished_at: Some(time(terminated.finished)),
        container_id: Some(container_id(pod, name, restart)),
        ..ContainerStateTerminated::default()
    }
}

/// The pod status the kubelet reports for `runtime` at `now`; `final_phase` when it is being stopped.
fn build_status(
    pod: &Pod,
    node: &Node,
    runtime: &PodRuntime,
    now: Millis,
    final_phase: Option<&str>,
) -> PodStatus {
    let mut status = pod.status.clone().unwrap_or_default();
    let mut statuses = Vec::new();
    let mut unready = Vec::new();
    for container in &runtime.containers {
        let image = container_spec(pod, &container.name)
            .and_then(|spec| spec.image.clone())
            .unwrap_or_default();
        let mut container_status = ContainerStatus {
            name: container.name.clone(),
            image: image.clone(),
            image_id: String::new(),
            restart_count: container.restart_count,
            ready: false,
            started: Some(false),
            last_state: Some(ContainerState {
                terminated: container.last_terminated.as_ref().map(|terminated| {
                    terminated_state(
                        terminated,
                        pod,
                        &container.name,
                        container.restart_count - 1,
                    )
                }),
                ..ContainerState::default()
            }),
            ..ContainerStatus::default()
        };
        let state = match &container.state {
            RunState::Creating => ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("ContainerCreating".into()),
                    message: None,
                }),
                ..ContainerState::default()
            },
            RunState::Running { started, .. } => {
                container_status.container_id =
                    Some(container_id(pod, &container.name, container.restart_count));
                container_status.image_id = format!(
                    "docker.io/library/{image}@sha256:{}",
                    &container_id(pod, &image, -1)[13..77]
                );
                container_status.started = Some(true);
                let ready = ready_at(pod, container).is_some_and(|at| at <= now);
                container_status.ready = match runtime.ready_override {
                    Some(forced) => forced,
                    None => ready,
                };
                ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: Some(time(*started)),
                    }),
                    ..ContainerState::default()
                }
            }
            RunState::Terminated(terminated) => {
                container_status.container_id =
                    Some(container_id(pod, &container.name, container.restart_count));
                ContainerState {
                    terminated: Some(terminated_state(
                        terminated,
                        pod,
                        &container.name,
                        container.restart_count,
                    )),
                    ..ContainerState::default()
                }
            }
            RunState::BackOff { .. } => ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: Some(format!(
                        "back-off {} restarting failed container={} pod={}_{}({})",
                        clock::go_duration(
                            container
                                .backoff
                                .map_or(BACKOFF_INITIAL, |(delay, _)| delay)
                        ),
                        container.name,
                        pod.name(),
                        pod.namespace(),
                        pod.uid()
                    )),
                }),
                ..ContainerState::default()
            },
        };
        if !container_status.ready {
            unready.push(container.name.clone());
        }
        container_status.state = Some(state);
        statuses.push(container_status);
    }
    let all_terminated = runtime
        .containers
        .iter()
        .all(|container| matches!(container.state, RunState::Terminated(_)));
    let all_succeeded = runtime
        .containers
        .iter()
        .all(|container| matches!(&container.state, RunState::Terminated(t) if t.exit_code == 0));
    let phase = match final_phase {
        Some(phase) => phase,
        None if !runtime.started => "Pending",
        None if all_terminated && !runtime.containers.is_empty() => {
            if all_succeeded {
                "Succeeded"
            } else {
                "Failed"
            }
        }
        None => "Running",
    };
    let completed = matches!(phase, "Succeeded" | "Failed");
    let now_time = time(now);
    let condition =
        |type_: &str, ok: bool, reason: Option<&str>, message: Option<String>| PodCondition {
            type_: type_.into(),
            status: if ok { "True".into() } else { "False".into() },
            reason: if ok { None } else { reason.map(str::to_string) },
            message: if ok { None } else { message },
            last_transition_time: Some(now_time.clone()),
            last_probe_time: None,
            observed_generation: None,
        };
    let ready = runtime.started && unready.is_empty() && !completed;
    let (reason, message) = if completed {
        (Some("PodCompleted"), None)
    } else {
        (
            Some("ContainersNotReady"),
            Some(format!(
                "containers with unready status: [{}]",
                unready.join(" ")
            )),
        )
    };
    set_pod_condition(
        &mut status,
        condition(
            "PodReadyToStartContainers",
            runtime.started && !completed,
            None,
            None,
        ),
    );
    set_pod_condition(&mut status, condition("Initialized", true, None, None));
    set_pod_condition(
        &mut status,
        condition("Ready", ready, reason, message.clone()),
    );
    set_pod_condition(
        &mut status,
        condition("ContainersReady", ready, reason, message),
    );
    order_conditions(&mut status);
    status.phase = Some(phase.into());
    let host_ip = node
        .status
        .as_ref()
        .and_then(|status| status.addresses.as_ref())
        .and_then(|addresses| {
            addresses
                .iter()
                .find(|address| address.type_ == "InternalIP")
        })
        .map(|address| address.address.clone());
    status.host_ip = host_ip.clone();
    status.host_ips = host_ip.map(|ip| vec![HostIP { ip }]);
    status.pod_ip = runtime.ip.clone();
    status.pod_ips = runtime.ip.clone().map(|ip| vec![PodIP { ip }]);
    status.start_time = Some(time(runtime.start_time));
    status.container_statuses = Some(statuses);
    status
}

/// The order kubectl shows pod conditions in.
fn order_conditions(status: &mut PodStatus) {
    const ORDER: [&str; 5] = [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ];
    if let Some(conditions) = status.conditions.as_mut() {
        conditions.sort_by_key(|condition| {
            ORDER
                .iter()
                .position(|name| *name == condition.type_)
                .unwrap_or(ORDER.len())
        });
    }
}

/// What a container has printed by `now`, in its current run or (`previous`) the run before.
pub fn logs_until(
    runtime: &PodRuntime,
    container: &str,
    now: Millis,
    previous: bool,
) -> Option<Vec<String>> {
    let container = runtime
        .containers
        .iter()
        .find(|candidate| candidate.name == container)?;
    let run = if previous {
        container.restart_count - 1
    } else {
        container.restart_count
    };
    Some(
        container
            .logs
            .iter()
            .filter(|(of, at, _)| *of == run && *at <= now)
            .map(|(_, _, line)| line.clone())
            .collect(),
    )
}
