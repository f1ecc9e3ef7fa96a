//! The virtual cluster: the API server, the clock's timers and every component, wired as a real
//! control plane is: components learn of changes through watch events, act through the API, and
//! wait on the virtual clock. Nothing scans the cluster per tick; time jumps from timer to timer.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::Timestamp;
use k8s_openapi::api::batch::v1::CronJob;
use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, Kind, ObjectKey};
use crate::apiserver::{ApiError, ApiServer, DeleteOptions, Store, WatchEvent};
use crate::clock::{self, Component, Millis, Timers};
use crate::controller::cronjob::CronJobController;
use crate::controller::daemon::DaemonSetsController;
use crate::controller::eventttl::EventTtl;
use crate::controller::garbagecollector::GarbageCollector;
use crate::controller::job::JobController;
use crate::controller::namespace::NamespaceController;
use crate::controller::nodelifecycle::NodeLifecycleController;
use crate::controller::podgc::PodGcController;
use crate::controller::tainteviction::TaintEvictionController;
use crate::controller::ttlafterfinished::TtlAfterFinishedController;
use crate::controller::{Context, Controller};
use crate::history::History;
use crate::kubelet::Kubelet;
use crate::scheduler::Scheduler;

pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";
/// Where the clock starts unless told otherwise: a Monday morning, so weekly schedules read naturally.
pub const DEFAULT_START: &str = "2026-01-05T09:00:00Z";
pub const DEFAULT_SEED: u64 = 1;
/// A bound on the syncs one instant may take, so a livelock shows up as a stop, never a hang.
const MAX_SYNCS_PER_INSTANT: usize = 5_000_000;

/// What a new node is made of (`sim node add`).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeConfig {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub cpu: String,
    pub memory: String,
    pub pods: String,
}

impl NodeConfig {
    pub fn new(name: impl Into<String>) -> NodeConfig {
        NodeConfig {
            name: name.into(),
            labels: BTreeMap::new(),
            taints: Vec::new(),
            cpu: "4".into(),
            memory: "16Gi".into(),
            pods: "110".into(),
        }
    }

    /// The control-plane node of the default cluster.
    pub fn control_plane(name: impl Into<String>) -> NodeConfig {
        let mut config = NodeConfig::new(name);
        config
            .labels
            .insert(CONTROL_PLANE_LABEL.into(), String::new());
        config.taints.push(Taint {
            key: CONTROL_PLANE_LABEL.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        });
        config
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterOptions {
    pub seed: u64,
    pub start: Timestamp,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            seed: DEFAULT_SEED,
            start: DEFAULT_START.parse().unwrap_or(Timestamp::UNIX_EPOCH),
        }
    }
}

macro_rules! components {
    ($($field:ident: $type:ty => $component:ident),* $(,)?) => {
        /// Every control-plane and node component, each with its own work queue and memory.
        /// A component missing from a saved state starts empty, so adding one keeps old files loadable.
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(default)]
        pub struct Components {
            $(pub(crate) $field: $type,)*
        }

        impl Components {
            /// Rebuilds every cache derived from the store, after loading a state.
            pub(crate) fn rebuild_caches(&mut self, api: &ApiServer) {
                self.scheduler.rebuild_cache(api);
                self.garbage_collector.rebuild_cache(api);
                self.pod_gc.rebuild_cache(api);
                self.job.rebuild_cache(api);
            }

            fn handle(&mut self, event: &WatchEvent, api: &ApiServer, timers: &mut Timers) {
                $(
                    self.$field.handle(event, api);
                    for (at, key) in self.$field.take_delayed() {
                        timers.add(at, Component::$component, key);
                    }
                )*
            }

            fn enqueue(&mut self, component: Component, key: String) {
                match component {
                    $(Component::$component => self.$field.queue().add(key),)*
                    #[allow(unreachable_patterns)]
                    _ => {}
                }
            }

            /// Runs one queued sync, components in a fixed order; false when every queue is empty.
            fn sync_one(&mut self, api: &mut ApiServer, timers: &mut Timers) -> bool {
                $(
                    if let Some(key) = self.$field.queue().pop() {
                        let mut ctx = Context { api, timers, component: Component::$component };
                        self.$field.sync(&key, &mut ctx);
                        return true;
                    }
                )*
                false
            }
        }
    };
}

components!(
    garbage_collector: GarbageCollector => GarbageCollector,
    namespace: NamespaceController => Namespace,
    job: JobController => Job,
    cron_job: CronJobController => CronJob,
    ttl_after_finished: TtlAfterFinishedController => TtlAfterFinished,
    node_lifecycle: NodeLifecycleController => NodeLifecycle,
    taint_eviction: TaintEvictionController => TaintEviction,
    pod_gc: PodGcController => PodGc,
    scheduler: Scheduler => Scheduler,
    kubelet: Kubelet => Kubelet,
    event_ttl: EventTtl => EventTtl,
    daemon: DaemonSetsController => DaemonSet,
);

#[derive(Clone)]
pub struct Cluster {
    pub(crate) api: ApiServer,
    pub(crate) timers: Timers,
    pub(crate) components: Components,
    /// What each workload did over time, recorded from the watch events for timelines.
    pub(crate) history: History,
    /// Watch events kept for a viewer (the UI) that asked for them; not part of the state.
    watch_log: Option<Vec<WatchEvent>>,
    /// The virtual instant time may not pass on this copy (a lesson check's fork): every command
    /// that waits stops there, so a check can never run for longer than its bound.
    horizon: Option<Millis>,
}

impl Cluster {
    /// A cluster with its namespaces and no nodes.
    pub fn new(options: ClusterOptions) -> Cluster {
        let api = ApiServer::new(clock::to_millis(options.start), options.seed);
        Cluster {
            api,
            timers: Timers::default(),
            components: Components::default(),
            history: History::default(),
            watch_log: None,
            horizon: None,
        }
    }

    pub fn empty() -> Cluster {
        Cluster::new(ClusterOptions::default())
    }

    /// A control-plane node tainted NoSchedule and workers `node-1`…`node-N`.
    pub fn with_workers(options: ClusterOptions, workers: usize) -> Cluster {
        let mut cluster = Cluster::new(options);
        let configs = std::iter::once(NodeConfig::control_plane("control-plane"))
            .chain((1..=workers).map(|i| NodeConfig::new(format!("node-{i}"))));
        for config in configs {
            if let Err(error) = cluster.add_node(config) {
                unreachable!("default nodes are valid and distinct: {error}");
            }
        }
        cluster
    }

    /// The default cluster: `control-plane` and three workers.
    pub fn default_cluster() -> Cluster {
        Cluster::with_workers(ClusterOptions::default(), 3)
    }

    pub fn api(&self) -> &ApiServer {
        &self.api
    }

    pub fn store(&self) -> &Store {
        self.api.store()
    }

    pub fn now(&self) -> Millis {
        self.api.now()
    }

    pub fn now_timestamp(&self) -> Timestamp {
        self.api.now_timestamp()
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Arc<Node>> {
        self.api.table::<Node>().iter()
    }

    /// When the next timer fires, if any is waiting before the horizon and the end of time
    /// ([`clock::LATEST`]).
    pub fn next_timer(&self) -> Option<Millis> {
        self.timers.next_due().filter(|due| {
            *due <= clock::LATEST && self.horizon.is_none_or(|horizon| *due <= horizon)
        })
    }

    /// Stops virtual time at `horizon` on this cluster: `run_until` and every command that waits
    /// go no further, as if nothing were scheduled after it.
    pub fn set_horizon(&mut self, horizon: Millis) {
        self.horizon = Some(horizon);
    }

    pub fn horizon(&self) -> Option<Millis> {
        self.horizon
    }

    pub fn timers(&self) -> &Timers {
        &self.timers
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Starts keeping watch events for [`Cluster::take_watch_events`].
    pub fn record_watch_events(&mut self) {
        self.watch_log.get_or_insert_with(Vec::new);
    }

    pub fn take_watch_events(&mut self) -> Vec<WatchEvent> {
        self.watch_log
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Delivers every pending watch event and runs every queued sync, at the current instant.
    pub fn settle(&mut self) {
        for _ in 0..MAX_SYNCS_PER_INSTANT {
            while let Some(event) = self.api.take_event() {
                self.components.handle(&event, &self.api, &mut self.timers);
                self.history.observe(&event, &self.api);
                if let Some(log) = self.watch_log.as_mut() {
                    log.push(event);
                }
            }
            if !self.components.sync_one(&mut self.api, &mut self.timers) {
                return;
            }
        }
    }

    /// Moves the clock to `target`, firing every timer due on the way in order.
    pub fn run_until(&mut self, target: Millis) {
        self.run_until_or_stop(target, || true);
    }

    /// Like [`Cluster::run_until`], but asks `go_on` before each instant that has timers to fire,
    /// and stops at the last instant run when it says no: a front end pacing the clock to its
    /// frames bounds the work per frame, and the virtual clock falls behind rather than the page.
    /// True when the clock reached `target`.
    pub fn run_until_or_stop(&mut self, target: Millis, mut go_on: impl FnMut() -> bool) -> bool {
        let target = self
            .horizon
            .map_or(target, |horizon| target.min(horizon))
            .min(clock::LATEST);
        self.settle();
        while let Some(due) = self.next_timer().filter(|due| *due <= target) {
            if !go_on() {
                return false;
            }
            self.api.set_now(due.max(self.api.now()));
            while let Some((component, key)) = self.timers.pop_due(due) {
                self.components.enqueue(component, key);
            }
            self.settle();
        }
        if target > self.api.now() {
            self.api.set_now(target);
        }
        true
    }

    pub fn advance(&mut self, duration: Millis) {
        self.run_until(self.api.now().saturating_add(duration.max(0)));
    }

    /// Jumps to the next timer and runs it; false when nothing is waiting.
    pub fn step(&mut self) -> bool {
        match self.next_timer() {
            Some(due) => {
                self.run_until(due);
                true
            }
            None => false,
        }
    }

    /// Runs `change` against the API server, then lets the cluster react at the same instant.
    pub fn act<T>(&mut self, change: impl FnOnce(&mut ApiServer) -> T) -> T {
        let result = change(&mut self.api);
        self.settle();
        result
    }

    /// Registers a node as its kubelet would, with capacity and a Ready condition.
    pub fn add_node(&mut self, config: NodeConfig) -> Result<Arc<Node>, ApiError> {
        // A refused node (a name taken, a label or taint the API server rejects) changes
        // nothing: the kubelet's count and the random source (the node's ids) are as they were,
        // as the API server leaves them for any create it rejects.
        let rng = self.api.rng.clone();
        let index = self.components.kubelet.next_node_index();
        let node = crate::kubelet::node_status::new_node(&config, index, &mut self.api);
        let created = match self.api.create(node) {
            Ok(created) => created,
            Err(error) => {
                self.api.rng = rng;
                self.components.kubelet.give_back_node_index();
                return Err(error);
            }
        };
        self.settle();
        Ok(created)
    }

    /// `sim node remove`: the node object is deleted, as when a machine is decommissioned.
    pub fn remove_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.api
            .delete::<Node>(&ObjectKey::cluster(name), &DeleteOptions::background())?;
        self.settle();
        Ok(())
    }

    /// `sim node fail`: the node's kubelet stops; the control plane notices after the grace period.
    pub fn fail_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.require_node(name)?;
        let now = self.api.now();
        self.components.kubelet.stop_node(name, now);
        self.components.node_lifecycle.heartbeat_stopped(name, now);
        self.settle();
        Ok(())
    }

    /// `sim node recover`: the kubelet comes back, posts a Ready status and catches up with its pods.
    pub fn recover_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.require_node(name)?;
        let now = self.api.now_time();
        self.api
            .modify_status::<Node>(&ObjectKey::cluster(name), |node| {
                let conditions = crate::kubelet::node_status::healthy_conditions(&now);
                let status = node.status.get_or_insert_with(Default::default);
                let previous = status.conditions.clone().unwrap_or_default();
                status.conditions = Some(
                    conditions
                        .into_iter()
                        .map(|mut condition| {
                            if let Some(old) = previous.iter().find(|old| {
                                old.type_ == condition.type_ && old.status == condition.status
                            }) {
                                condition.last_transition_time = old.last_transition_time.clone();
                            }
                            condition
                        })
                        .collect(),
                );
            })?;
        self.components.kubelet.start_node(name, &self.api);
        self.components.node_lifecycle.heartbeat_resumed(name);
        self.settle();
        Ok(())
    }

    fn require_node(&self, name: &str) -> Result<(), ApiError> {
        match self.api.get::<Node>("", name) {
            Some(_) => Ok(()),
            None => Err(ApiError::not_found(Kind::Node, name)),
        }
    }

    /// `sim pod fail` / `sim pod succeed`: the pod's running containers exit now with `code`.
    pub fn exit_pod(&mut self, namespace: &str, name: &str, code: i32) -> Result<(), String> {
        let key = ObjectKey::new(namespace, name);
        if self.api.get_by_key::<Pod>(&key).is_none() {
            return Err(ApiError::not_found(Kind::Pod, name).to_string());
        }
        let now = self.api.now();
        if !self.components.kubelet.exit_containers(&key, code, now) {
            return Err(format!("error: pod {name} has no running container"));
        }
        self.settle();
        Ok(())
    }

    /// `sim pod ready` / `sim pod unready`: its readiness probe starts passing or failing.
    pub fn set_pod_ready(
        &mut self,
        namespace: &str,
        name: &str,
        ready: bool,
    ) -> Result<(), String> {
        let key = ObjectKey::new(namespace, name);
        if self.api.get_by_key::<Pod>(&key).is_none() {
            return Err(ApiError::not_found(Kind::Pod, name).to_string());
        }
        if !self.components.kubelet.set_ready(&key, ready) {
            return Err(format!("error: pod {name} is not running on a node"));
        }
        self.settle();
        Ok(())
    }

    pub fn kubelet(&self) -> &crate::kubelet::Kubelet {
        &self.components.kubelet
    }

    /// The taint eviction controller, whose pending evictions a viewer counts down.
    pub fn taint_eviction(&self) -> &TaintEvictionController {
        &self.components.taint_eviction
    }

    pub fn get_any(&self, kind: Kind, namespace: &str, name: &str) -> Option<AnyObject> {
        let namespace = if kind.namespaced() { namespace } else { "" };
        self.api
            .store()
            .get_any(kind, &crate::api::ObjectKey::new(namespace, name))
    }

    /// The next `n` times CronJob `namespace/name` will run, in its own time zone (what the UI
    /// shows); none while it is suspended.
    pub fn cron_job_next_runs(
        &self,
        namespace: &str,
        name: &str,
        n: usize,
    ) -> Result<Vec<jiff::Zoned>, String> {
        let cron_job = self
            .api
            .get::<CronJob>(namespace, name)
            .ok_or_else(|| ApiError::not_found(Kind::CronJob, name).to_string())?;
        crate::controller::cronjob::next_schedule_times(cron_job, self.now(), n)
    }

    pub(crate) fn restore(
        api: ApiServer,
        timers: Timers,
        components: Components,
        history: History,
    ) -> Cluster {
        Cluster {
            api,
            timers,
            components,
            history,
            watch_log: None,
            horizon: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{HOUR, SECOND};

    #[test]
    fn a_bounded_run_stops_at_the_last_instant_it_ran_and_goes_on_later() {
        let mut cluster = Cluster::default_cluster();
        let output = cluster.exec(
            "kubectl create job work --image=busybox -- sh -c 'sleep 30'",
            "",
        );
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let start = cluster.now();
        let mut instants = 0;
        let reached = cluster.run_until_or_stop(start + HOUR, || {
            instants += 1;
            instants <= 1
        });
        assert!(!reached);
        assert!(cluster.now() > start && cluster.now() < start + HOUR);
        assert!(cluster.run_until_or_stop(start + HOUR, || true));
        assert_eq!(cluster.now(), start + HOUR);
        // Nothing waits any more: a run with no instants to fire never asks.
        assert!(cluster.run_until_or_stop(start + HOUR + SECOND, || false));
        assert_eq!(cluster.now(), start + HOUR + SECOND);
    }

    #[test]
    fn one_advance_is_bounded_and_the_clock_stops_at_its_end() {
        let mut cluster = Cluster::default_cluster();
        let start = cluster.now();
        let before = cluster.save_state();
        let output = cluster.exec("sim advance 99999999999h", "");
        assert_eq!(output.exit_code, 1);
        assert_eq!(
            output.stderr,
            "error: cannot advance \"99999999999h\": one sim advance moves the clock at most 8760h0m0s (365 days)\n"
        );
        let output = cluster.exec("sim advance 9223372036854775807", "");
        assert_eq!(output.exit_code, 1, "{}", output.stdout);
        assert_eq!(cluster.save_state(), before);
        assert_eq!(cluster.exec("sim advance 365d", "").exit_code, 0);
        assert_eq!(cluster.now(), start + clock::MAX_ADVANCE);

        let mut cluster = Cluster::new(ClusterOptions {
            start: "9999-12-30T00:00:00Z".parse().unwrap(),
            ..ClusterOptions::default()
        });
        let before = cluster.save_state();
        let output = cluster.exec("sim advance 23h", "");
        assert_eq!(
            output.stderr,
            "error: cannot advance \"23h\": the virtual clock stops at 9999-12-30T22:00:00Z, 22h0m0s from now\n"
        );
        assert_eq!(cluster.save_state(), before);
        assert_eq!(cluster.exec("sim advance 22h", "").exit_code, 0);
        assert_eq!(
            cluster.exec("sim time", "").stdout,
            "9999-12-30T22:00:00Z\n"
        );
        assert_eq!(cluster.exec("sim advance 1s", "").exit_code, 1);
        // Asked directly, the clock saturates at its end rather than wrapping to 1970.
        cluster.advance(Millis::MAX);
        cluster.run_until(Millis::MAX);
        assert_eq!(cluster.now(), clock::LATEST);
        assert_eq!(cluster.api.now_time().0.to_string(), "9999-12-30T22:00:00Z");
    }

    #[test]
    fn time_stops_at_the_horizon_for_every_command_that_waits() {
        let mut cluster = Cluster::default_cluster();
        let start = cluster.now();
        cluster.set_horizon(start + 10 * SECOND);
        let output = cluster.exec("sim advance 99999h", "");
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        assert_eq!(cluster.now(), start + 10 * SECOND);
        let output = cluster.exec(
            "kubectl create job work --image=busybox -- sh -c 'sleep 300'",
            "",
        );
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let output = cluster.exec(
            "kubectl wait job/work --for=condition=complete --timeout=1h",
            "",
        );
        assert_eq!(output.exit_code, 1);
        assert!(output.stderr.contains("timed out"), "{}", output.stderr);
        assert_eq!(cluster.now(), start + 10 * SECOND);
        assert!(!cluster.step());
    }
}
