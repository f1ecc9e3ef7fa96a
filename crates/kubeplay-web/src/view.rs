//! What a node card shows, read off a `Node`. Plain data with no browser types, so it is tested natively.

use k8s_openapi::api::core::v1::Node;

pub mod editor;
pub mod events;
pub mod inspector;
pub mod time;
pub mod timeline;
pub mod workloads;

pub use workloads::owner_hue;

const ROLE_LABEL_PREFIX: &str = "node-role.kubernetes.io/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    NotReady,
    Unknown,
}

impl Readiness {
    pub fn text(self) -> &'static str {
        match self {
            Readiness::Ready => "Ready",
            Readiness::NotReady => "NotReady",
            Readiness::Unknown => "Unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
    Other,
}

impl TaintEffect {
    fn parse(effect: &str) -> TaintEffect {
        match effect {
            "NoSchedule" => TaintEffect::NoSchedule,
            "PreferNoSchedule" => TaintEffect::PreferNoSchedule,
            "NoExecute" => TaintEffect::NoExecute,
            _ => TaintEffect::Other,
        }
    }

    /// The CSS modifier that colours the chip.
    pub fn class(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "no-schedule",
            TaintEffect::PreferNoSchedule => "prefer-no-schedule",
            TaintEffect::NoExecute => "no-execute",
            TaintEffect::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintChip {
    /// `key=value:Effect`, as kubectl writes a taint.
    pub text: String,
    pub effect: TaintEffect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// Roles from `node-role.kubernetes.io/<role>` labels, comma separated; `worker` when there are none.
    pub role: String,
    pub readiness: Readiness,
    /// `key=value`, or just `key` for an empty value.
    pub labels: Vec<String>,
    pub taints: Vec<TaintChip>,
}

impl From<&Node> for NodeView {
    fn from(node: &Node) -> NodeView {
        let labels = node.metadata.labels.clone().unwrap_or_default();
        let roles: Vec<&str> = labels
            .keys()
            .filter_map(|key| key.strip_prefix(ROLE_LABEL_PREFIX))
            .filter(|role| !role.is_empty())
            .collect();
        let readiness = node
            .status
            .as_ref()
            .and_then(|status| status.conditions.as_ref())
            .and_then(|conditions| conditions.iter().find(|c| c.type_ == "Ready"))
            .map_or(Readiness::Unknown, |ready| match ready.status.as_str() {
                "True" => Readiness::Ready,
                "False" => Readiness::NotReady,
                _ => Readiness::Unknown,
            });
        let taints = node
            .spec
            .as_ref()
            .and_then(|spec| spec.taints.as_ref())
            .into_iter()
            .flatten()
            .map(|taint| TaintChip {
                text: match taint.value.as_deref() {
                    Some(value) if !value.is_empty() => {
                        format!("{}={value}:{}", taint.key, taint.effect)
                    }
                    _ => format!("{}:{}", taint.key, taint.effect),
                },
                effect: TaintEffect::parse(&taint.effect),
            })
            .collect();
        NodeView {
            name: node.metadata.name.clone().unwrap_or_default(),
            role: if roles.is_empty() {
                "worker".into()
            } else {
                roles.join(",")
            },
            readiness,
            labels: labels
                .iter()
                .map(|(key, value)| {
                    if value.is_empty() {
                        key.clone()
                    } else {
                        format!("{key}={value}")
                    }
                })
                .collect(),
            taints,
        }
    }
}

/// The first `node-N` (N from 1) that no node has taken: what "Add node" asks the cluster for.
pub fn next_node_name<'a>(taken: impl IntoIterator<Item = &'a str>) -> String {
    let taken: std::collections::BTreeSet<&str> = taken.into_iter().collect();
    let mut n = 1;
    loop {
        let name = format!("node-{n}");
        if !taken.contains(name.as_str()) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::Cluster;

    fn views(cluster: &Cluster) -> Vec<NodeView> {
        cluster
            .nodes()
            .map(|node| NodeView::from(&**node))
            .collect()
    }

    #[test]
    fn default_cluster_reads_as_one_tainted_control_plane_and_three_workers() {
        let views = views(&Cluster::default_cluster());
        let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["control-plane", "node-1", "node-2", "node-3"]);

        let control_plane = &views[0];
        assert_eq!(control_plane.role, "control-plane");
        assert!(
            control_plane
                .labels
                .contains(&"node-role.kubernetes.io/control-plane".to_string())
        );
        assert_eq!(
            control_plane.taints,
            [TaintChip {
                text: "node-role.kubernetes.io/control-plane:NoSchedule".into(),
                effect: TaintEffect::NoSchedule,
            }]
        );

        let worker = &views[1];
        assert_eq!(worker.role, "worker");
        assert!(
            worker
                .labels
                .contains(&"kubernetes.io/hostname=node-1".to_string()),
            "{:?}",
            worker.labels
        );
        assert!(worker.taints.is_empty());
        assert_eq!(worker.readiness, Readiness::Ready);
    }

    #[test]
    fn next_node_name_fills_the_first_gap() {
        assert_eq!(next_node_name([]), "node-1");
        assert_eq!(
            next_node_name(["control-plane", "node-1", "node-2", "node-3"]),
            "node-4"
        );
        assert_eq!(next_node_name(["node-1", "node-3"]), "node-2");
    }
}
