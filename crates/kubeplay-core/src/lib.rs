//! The kubeplay cluster engine. Nothing here touches the browser, the wall clock or OS randomness.

pub mod cluster;
pub mod shell;

pub use cluster::Cluster;
pub use shell::CommandOutput;
