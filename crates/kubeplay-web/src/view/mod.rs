//! Plain view data read off the cluster: what the node grid, its cards and pod chips show. No
//! browser types, so every rule of presentation is unit-tested natively; the rules about the
//! cluster itself (a pod's STATUS, a node's allocated resources, why a node has no daemon pod)
//! come from `kubeplay-core`.

pub mod editor;
pub mod events;
pub mod inspector;
pub mod lesson;
pub mod node;
pub mod pod;
pub mod time;
pub mod timeline;
pub mod workloads;

pub use node::{
    Density, GhostView, NodeView, Readiness, ResourceBar, TaintChip, TaintEffect, grid_view,
    next_node_name,
};
pub use pod::{OwnerKind, OwnerView, PodState, PodView};

/// The whole grid: one card per node, the pods no node has taken, and how dense to draw it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridView {
    pub nodes: Vec<NodeView>,
    /// Pending pods without a node, oldest first, each with the scheduler's reason.
    pub unscheduled: Vec<PodView>,
    pub density: Density,
}
