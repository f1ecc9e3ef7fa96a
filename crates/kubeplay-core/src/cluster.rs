//! The virtual cluster: every object, the clock and the controllers, behind one handle.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, NodeSpec, Taint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

/// What `sim node add` asks for.
#[derive(Debug, Clone, Default)]
pub struct NodeConfig {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
}

#[derive(Debug, Default)]
pub struct Cluster {
    nodes: BTreeMap<String, Arc<Node>>,
}

impl Cluster {
    pub fn empty() -> Cluster {
        Cluster::default()
    }

    /// A control-plane node tainted NoSchedule and three workers, as `kubeplay init` makes.
    pub fn default_cluster() -> Cluster {
        let mut cluster = Cluster::empty();
        let mut control_plane = NodeConfig {
            name: "control-plane".into(),
            ..NodeConfig::default()
        };
        control_plane
            .labels
            .insert(CONTROL_PLANE_LABEL.into(), String::new());
        control_plane.taints.push(Taint {
            key: CONTROL_PLANE_LABEL.into(),
            effect: "NoSchedule".into(),
            ..Taint::default()
        });
        let defaults = [control_plane]
            .into_iter()
            .chain((1..=3).map(|i| NodeConfig {
                name: format!("node-{i}"),
                ..NodeConfig::default()
            }));
        for config in defaults {
            if let Err(err) = cluster.add_node(config) {
                unreachable!("default nodes have distinct names: {err}");
            }
        }
        cluster
    }

    pub fn add_node(&mut self, config: NodeConfig) -> Result<(), String> {
        if self.nodes.contains_key(&config.name) {
            return Err(format!(
                "Error from server (AlreadyExists): nodes \"{}\" already exists",
                config.name
            ));
        }
        let mut labels = config.labels;
        labels.insert("kubernetes.io/hostname".into(), config.name.clone());
        let node = Node {
            metadata: ObjectMeta {
                name: Some(config.name.clone()),
                labels: Some(labels),
                ..ObjectMeta::default()
            },
            spec: Some(NodeSpec {
                taints: (!config.taints.is_empty()).then_some(config.taints),
                ..NodeSpec::default()
            }),
            status: None,
        };
        self.nodes.insert(config.name, Arc::new(node));
        Ok(())
    }

    pub fn remove_node(&mut self, name: &str) -> Result<(), String> {
        self.nodes
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| format!("Error from server (NotFound): nodes \"{name}\" not found"))
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Arc<Node>> {
        self.nodes.values()
    }
}
