//! The kubeplay cluster engine. Nothing here touches the browser, the wall clock or OS randomness.

pub mod api;
pub mod apiserver;
pub mod clock;
pub mod cluster;
pub mod controller;
pub mod cron;
pub mod events;
pub mod history;
pub mod kubectl;
pub mod kubelet;
pub mod lesson;
pub mod manifest;
pub mod rand;
pub mod scheduler;
pub mod share;
pub mod shell;
pub mod sim;
pub mod state;

pub use cluster::{Cluster, ClusterOptions, NodeConfig};
pub use shell::CommandOutput;
