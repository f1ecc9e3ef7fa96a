//! The DaemonSet controller (kube-controller-manager's `pkg/controller/daemon`): one pod on every
//! node that should run it, following nodes as they come, go, change labels and get tainted, and
//! rolling template changes out node by node.
//!
//! - `daemon_controller`: event handlers and the sync (`syncDaemonSet`, `manage`, `syncNodes`,
//!   `updateDaemonSetStatus`).
//! - `update`: `rollingUpdate` and the ControllerRevision history.
//! - `util`: the daemon pod's shape and `NodeShouldRunDaemonPod`, with the why-not explanation.
//! - `rollout`: what `kubectl rollout history|undo|status` and the UI read (pure functions).

mod daemon_controller;
pub mod rollout;
pub mod update;
pub mod util;

pub use daemon_controller::{BURST_REPLICAS, COMPONENT, DaemonSetsController};
pub use rollout::{
    HistoryEntry, Rollback, daemon_set_history, history_entries, history_template, plan_rollback,
    rollout_status, rollout_undo, why_no_pod,
};
pub use util::{
    DaemonPodPredicates, NoDaemonPod, Unfit, WhyNoDaemonPod, node_should_run_daemon_pod,
    why_no_daemon_pod,
};
