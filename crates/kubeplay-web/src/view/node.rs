//! What a node card shows, read off a `Node`, its pods and the DaemonSets; and the command lines
//! the card's menu and the "Add node" dialog run.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod, Taint};
use kubeplay_core::Cluster;
use kubeplay_core::controller::daemon::{NoDaemonPod, Unfit, WhyNoDaemonPod};
use kubeplay_core::kubectl::describe::{allocated_resources, taint_string};
use kubeplay_core::kubectl::printers::{find_node_roles, node_status};
use kubeplay_core::shell::quote;

use super::GridView;
use super::pod::{PodView, workload_hue};

/// Label prefixes the kubelet and the well-known-labels list own: grouped behind a disclosure so
/// the labels a person set stand out.
const STANDARD_LABEL_PREFIXES: [&str; 3] = [
    "kubernetes.io/",
    "beta.kubernetes.io/",
    "node.kubernetes.io/",
];

/// Up to this many nodes the cards show everything.
const COMFORTABLE_UP_TO: usize = 8;
/// Up to this many nodes the cards fold their labels; beyond, pods shrink to dots.
const DENSE_UP_TO: usize = 24;

/// How much each card shows, from the number of nodes, so 1 to 100 nodes fit one screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Density {
    Comfortable,
    Dense,
    Compact,
}

impl Density {
    pub fn for_nodes(count: usize) -> Density {
        if count <= COMFORTABLE_UP_TO {
            Density::Comfortable
        } else if count <= DENSE_UP_TO {
            Density::Dense
        } else {
            Density::Compact
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Density::Comfortable => "comfortable",
            Density::Dense => "dense",
            Density::Compact => "compact",
        }
    }
}

/// The first word of `kubectl get nodes`' STATUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    NotReady,
    Unknown,
}

impl Readiness {
    pub fn class(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::NotReady => "not-ready",
            Readiness::Unknown => "unknown",
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

/// A taint as kubectl writes it: `key=value:Effect`, or `key:Effect` without a value.
fn taint_text(key: &str, value: &str, effect: &str) -> String {
    taint_string(&Taint {
        key: key.to_string(),
        value: Some(value.to_string()),
        effect: effect.to_string(),
        time_added: None,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintChip {
    pub key: String,
    pub value: String,
    pub effect_name: String,
    /// `key=value:Effect`, as kubectl writes a taint.
    pub text: String,
    pub effect: TaintEffect,
}

impl From<&Taint> for TaintChip {
    fn from(taint: &Taint) -> TaintChip {
        TaintChip {
            text: taint_string(taint),
            key: taint.key.clone(),
            value: taint.value.clone().unwrap_or_default(),
            effect_name: taint.effect.clone(),
            effect: TaintEffect::parse(&taint.effect),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelChip {
    pub key: String,
    pub value: String,
}

impl LabelChip {
    /// `key=value`, or `key=` for an empty value, as `kubectl describe` writes labels.
    pub fn text(&self) -> String {
        format!("{}={}", self.key, self.value)
    }

    fn is_standard(&self) -> bool {
        STANDARD_LABEL_PREFIXES
            .iter()
            .any(|prefix| self.key.starts_with(prefix))
    }
}

/// Requests against allocatable for one resource, as `kubectl describe node` adds them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceBar {
    pub resource: &'static str,
    pub requested: String,
    pub allocatable: String,
    /// Whole percent, as describe prints it.
    pub percent: i64,
}

impl ResourceBar {
    /// `cpu 250m / 4 (6%)`: the bar's accessible text.
    pub fn text(&self) -> String {
        format!(
            "{} requested {} of {} ({}%)",
            self.resource, self.requested, self.allocatable, self.percent
        )
    }
}

/// A DaemonSet that has no running pod on a node (or is about to lose it), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GhostView {
    pub ds_uid: String,
    pub ds_name: String,
    pub hue: u16,
    /// A few words: `taint gpu:NoSchedule`, `needs disktype=ssd`, `evicted in 42s`.
    pub short: String,
    /// The whole sentence from core.
    pub detail: String,
    /// `unfit`, `pending`, `evicting` or `waiting`: how the slot is drawn.
    pub class: &'static str,
}

impl GhostView {
    fn new(ds: &DaemonSet, why: &NoDaemonPod, now: i64) -> GhostView {
        let (short, class) = match why {
            NoDaemonPod::Unfit { reasons, .. } => {
                let short = match reasons.first() {
                    Some(Unfit::NodeSelector { key, wanted, .. }) => {
                        format!("needs {key}={wanted}")
                    }
                    Some(Unfit::NodeAffinity(unmet)) => match unmet.first() {
                        Some(requirement) => format!("affinity {requirement}"),
                        None => "affinity matches no node".into(),
                    },
                    Some(Unfit::Taint(taint)) => format!("taint {}", taint_string(taint)),
                    Some(Unfit::NodeName(name)) => format!("nodeName {name}"),
                    None => "not for this node".into(),
                };
                (short, "unfit")
            }
            NoDaemonPod::Pending { .. } => ("Pending".into(), "pending"),
            NoDaemonPod::Evicting { taint, .. } => (
                format!(
                    "evicted in {}s · {}",
                    why.eviction_seconds_left(now).unwrap_or(0),
                    taint.key
                ),
                "evicting",
            ),
            NoDaemonPod::Terminating { .. } => ("replacing".into(), "waiting"),
            NoDaemonPod::NotCreated => ("creating".into(), "waiting"),
            NoDaemonPod::Failed { .. } => ("failed, recreating".into(), "waiting"),
            NoDaemonPod::Succeeded { .. } => ("exited, recreating".into(), "waiting"),
            NoDaemonPod::DaemonSetDeleting => ("DaemonSet deleting".into(), "waiting"),
            NoDaemonPod::NoSuchNode(_) => ("no such node".into(), "waiting"),
        };
        let name = ds.metadata.name.clone().unwrap_or_default();
        let namespace = ds.metadata.namespace.as_deref().unwrap_or_default();
        GhostView {
            ds_uid: ds.metadata.uid.clone().unwrap_or_default(),
            hue: workload_hue(namespace, "DaemonSet", &name),
            ds_name: name,
            short,
            detail: why.to_string(),
            class,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub name: String,
    /// Roles from `node-role.kubernetes.io/<role>` labels, comma separated; `worker` when there are none.
    pub role: String,
    /// `kubectl get nodes`' STATUS: `Ready`, `NotReady,SchedulingDisabled`...
    pub status: String,
    pub readiness: Readiness,
    pub cordoned: bool,
    /// Its kubelet was stopped (`sim node fail`); `sim node recover` brings it back.
    pub failed: bool,
    /// The Ready condition's reason and message, for the status tooltip.
    pub condition: String,
    /// Labels a person set, then the standard ones, both sorted by key.
    pub labels: Vec<LabelChip>,
    pub standard_labels: Vec<LabelChip>,
    pub taints: Vec<TaintChip>,
    pub cpu: ResourceBar,
    pub memory: ResourceBar,
    /// `3/110`: non-terminated pods against the pod capacity.
    pub pod_count: String,
    /// Oldest first, so a new pod joins at the end and nothing moves.
    pub pods: Vec<PodView>,
    pub ghosts: Vec<GhostView>,
}

impl NodeView {
    fn read(
        cluster: &Cluster,
        node: &Node,
        pods: Vec<PodView>,
        ghosts: Vec<GhostView>,
    ) -> NodeView {
        let name = node.metadata.name.clone().unwrap_or_default();
        let status = node_status(node);
        let readiness = match status.split(',').next() {
            Some("Ready") => Readiness::Ready,
            Some("NotReady") => Readiness::NotReady,
            _ => Readiness::Unknown,
        };
        let condition = node
            .status
            .as_ref()
            .and_then(|status| status.conditions.as_ref())
            .and_then(|conditions| conditions.iter().rev().find(|c| c.type_ == "Ready"))
            .map(|ready| {
                format!(
                    "Ready={}: {}: {}",
                    ready.status,
                    ready.reason.as_deref().unwrap_or_default(),
                    ready.message.as_deref().unwrap_or_default()
                )
            })
            .unwrap_or_else(|| "No Ready condition reported".into());
        let (standard_labels, labels): (Vec<LabelChip>, Vec<LabelChip>) = node
            .metadata
            .labels
            .iter()
            .flatten()
            .map(|(key, value)| LabelChip {
                key: key.clone(),
                value: value.clone(),
            })
            .partition(LabelChip::is_standard);
        let taints = node
            .spec
            .as_ref()
            .and_then(|spec| spec.taints.as_ref())
            .into_iter()
            .flatten()
            .map(TaintChip::from)
            .collect();
        let allocated = allocated_resources(cluster.api(), node);
        let bar = |resource: &'static str| ResourceBar {
            resource,
            requested: allocated.request(resource).to_string(),
            allocatable: allocated.allocatable(resource).to_string(),
            percent: allocated.request_percent(resource),
        };
        let roles = find_node_roles(node);
        NodeView {
            role: if roles.is_empty() {
                "worker".into()
            } else {
                roles.join(",")
            },
            status,
            readiness,
            cordoned: node
                .spec
                .as_ref()
                .and_then(|spec| spec.unschedulable)
                .unwrap_or(false),
            failed: cluster.kubelet().is_stopped(&name),
            condition,
            labels,
            standard_labels,
            taints,
            cpu: bar("cpu"),
            memory: bar("memory"),
            pod_count: format!("{}/{}", allocated.pods, allocated.allocatable("pods")),
            pods,
            ghosts,
            name,
        }
    }

    /// `control-plane: Ready, 3 pods`: the card's accessible name.
    pub fn summary(&self) -> String {
        format!(
            "node {}: {}, {} {}",
            self.name,
            self.status,
            self.pods.len(),
            if self.pods.len() == 1 { "pod" } else { "pods" }
        )
    }
}

/// Creation time, then name: the order pods joined, stable as the list changes.
fn by_age(pod: &Pod) -> (String, String) {
    (
        pod.metadata
            .creation_timestamp
            .as_ref()
            .map(|time| time.0.to_string())
            .unwrap_or_default(),
        pod.metadata.name.clone().unwrap_or_default(),
    )
}

/// Reads the grid off the cluster: every node with its pods and the DaemonSets it lacks, and the
/// pods waiting for a node.
pub fn grid_view(cluster: &Cluster) -> GridView {
    let store = cluster.store();
    let mut pods: Vec<&Pod> = store.table::<Pod>().iter().map(|pod| &**pod).collect();
    pods.sort_by_key(|pod| by_age(pod));
    let mut on_node: BTreeMap<&str, Vec<PodView>> = BTreeMap::new();
    let mut unscheduled = Vec::new();
    for pod in pods {
        let node = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.as_deref())
            .filter(|node| !node.is_empty());
        match node {
            Some(node) => on_node
                .entry(node)
                .or_default()
                .push(PodView::read(pod, store)),
            None if pod.metadata.deletion_timestamp.is_none() => {
                unscheduled.push(PodView::read(pod, store));
            }
            None => {}
        }
    }
    let daemon_sets: Vec<(&DaemonSet, WhyNoDaemonPod)> = store
        .table::<DaemonSet>()
        .iter()
        .map(|ds| {
            (
                &**ds,
                WhyNoDaemonPod::new(cluster.api(), Some(cluster.taint_eviction()), ds),
            )
        })
        .collect();
    let now = cluster.now();
    let mut nodes: Vec<&Node> = cluster.nodes().map(|node| &**node).collect();
    nodes.sort_by(|a, b| natural_order(name_of(a), name_of(b)));
    let nodes: Vec<NodeView> = nodes
        .into_iter()
        .map(|node| {
            let name = node.metadata.name.as_deref().unwrap_or_default();
            let ghosts = daemon_sets
                .iter()
                .filter_map(|(ds, why)| Some(GhostView::new(ds, &why.on(node)?, now)))
                .collect();
            let pods = on_node.remove(name).unwrap_or_default();
            NodeView::read(cluster, node, pods, ghosts)
        })
        .collect();
    GridView {
        density: Density::for_nodes(nodes.len()),
        nodes,
        unscheduled,
    }
}

fn name_of(node: &Node) -> &str {
    node.metadata.name.as_deref().unwrap_or_default()
}

/// Names compared with their runs of digits as numbers: `node-2` before `node-10`, as a person
/// counts the cards.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(text: &str) -> Vec<(bool, &str)> {
        let mut chunks = Vec::new();
        let mut start = 0;
        for (index, c) in text.char_indices().skip(1) {
            let previous = text[..index]
                .chars()
                .next_back()
                .is_some_and(|p| p.is_ascii_digit());
            if c.is_ascii_digit() != previous {
                chunks.push((previous, &text[start..index]));
                start = index;
            }
        }
        if start < text.len() {
            let digits = text[start..].chars().all(|c| c.is_ascii_digit());
            chunks.push((digits, &text[start..]));
        }
        chunks
    }
    let (left, right) = (chunks(a), chunks(b));
    for ((left_digits, left), (right_digits, right)) in left.iter().zip(&right) {
        let order = if *left_digits && *right_digits {
            let (left, right) = (left.trim_start_matches('0'), right.trim_start_matches('0'));
            left.len().cmp(&right.len()).then_with(|| left.cmp(right))
        } else {
            left.cmp(right)
        };
        if order.is_ne() {
            return order;
        }
    }
    left.len().cmp(&right.len()).then_with(|| a.cmp(b))
}

/// The first `node-N` (N from 1) that no node has taken: the name "Add node" proposes.
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

/// The taint effects kubectl accepts, in the order a picker offers them.
pub const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// What a node's menu does, each one command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeAction {
    Cordon,
    Uncordon,
    Drain,
    Fail,
    Recover,
    Remove,
}

impl NodeAction {
    pub fn line(self, node: &str) -> String {
        let node = quote(node);
        match self {
            NodeAction::Cordon => format!("kubectl cordon {node}"),
            NodeAction::Uncordon => format!("kubectl uncordon {node}"),
            NodeAction::Drain => {
                format!("kubectl drain {node} --ignore-daemonsets --delete-emptydir-data")
            }
            NodeAction::Fail => format!("sim node fail {node}"),
            NodeAction::Recover => format!("sim node recover {node}"),
            NodeAction::Remove => format!("sim node remove {node}"),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            NodeAction::Cordon => "Cordon",
            NodeAction::Uncordon => "Uncordon",
            NodeAction::Drain => "Drain",
            NodeAction::Fail => "Fail node",
            NodeAction::Recover => "Recover node",
            NodeAction::Remove => "Remove node",
        }
    }

    /// What the node's state offers: cordon or uncordon, fail or recover.
    pub fn offered(cordoned: bool, failed: bool) -> [NodeAction; 4] {
        [
            if cordoned {
                NodeAction::Uncordon
            } else {
                NodeAction::Cordon
            },
            NodeAction::Drain,
            if failed {
                NodeAction::Recover
            } else {
                NodeAction::Fail
            },
            NodeAction::Remove,
        ]
    }
}

/// `kubectl label node N key=value`, with `--overwrite` when the node already has the key.
pub fn label_line(node: &str, key: &str, value: &str, overwrite: bool) -> String {
    let overwrite = if overwrite { " --overwrite" } else { "" };
    format!(
        "kubectl label node {} {}{overwrite}",
        quote(node),
        quote(&format!("{key}={value}"))
    )
}

/// `kubectl label node N key-`.
pub fn unlabel_line(node: &str, key: &str) -> String {
    format!(
        "kubectl label node {} {}",
        quote(node),
        quote(&format!("{key}-"))
    )
}

/// `kubectl taint node N key=value:Effect`.
pub fn taint_line(node: &str, key: &str, value: &str, effect: &str) -> String {
    format!(
        "kubectl taint node {} {}",
        quote(node),
        quote(&taint_text(key, value, effect))
    )
}

/// `kubectl taint node N key:Effect-`.
pub fn untaint_line(node: &str, key: &str, effect: &str) -> String {
    format!(
        "kubectl taint node {} {}",
        quote(node),
        quote(&format!("{key}:{effect}-"))
    )
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaintRow {
    pub key: String,
    pub value: String,
    pub effect: String,
}

/// The "Add node" dialog's fields: what `sim node add` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeForm {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<TaintRow>,
    pub cpu: String,
    pub memory: String,
    pub pods: String,
}

/// Ready-made nodes: only sets of `sim node add` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Worker,
    Gpu,
    Small,
    ControlPlane,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Worker,
        Preset::Gpu,
        Preset::Small,
        Preset::ControlPlane,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Preset::Worker => "Plain worker",
            Preset::Gpu => "GPU node",
            Preset::Small => "Small node",
            Preset::ControlPlane => "Control plane",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Preset::Worker => "4 cpu, 16Gi",
            Preset::Gpu => "16 cpu, 64Gi, tainted for GPU pods",
            Preset::Small => "1 cpu, 1Gi",
            Preset::ControlPlane => "role label, NoSchedule taint",
        }
    }

    pub fn form(self, name: &str) -> NodeForm {
        let mut form = NodeForm::new(name);
        match self {
            Preset::Worker => {}
            Preset::Gpu => {
                form.labels = vec![("nvidia.com/gpu.present".into(), "true".into())];
                form.taints = vec![TaintRow {
                    key: "nvidia.com/gpu".into(),
                    value: "present".into(),
                    effect: "NoSchedule".into(),
                }];
                form.cpu = "16".into();
                form.memory = "64Gi".into();
            }
            Preset::Small => {
                form.cpu = "1".into();
                form.memory = "1Gi".into();
            }
            Preset::ControlPlane => {
                form.labels = vec![(CONTROL_PLANE.into(), String::new())];
                form.taints = vec![TaintRow {
                    key: CONTROL_PLANE.into(),
                    value: String::new(),
                    effect: "NoSchedule".into(),
                }];
            }
        }
        form
    }
}

const CONTROL_PLANE: &str = kubeplay_core::cluster::CONTROL_PLANE_LABEL;

impl NodeForm {
    /// A plain worker with the engine's default capacity.
    pub fn new(name: &str) -> NodeForm {
        let defaults = kubeplay_core::NodeConfig::new(name);
        NodeForm {
            name: name.to_string(),
            labels: Vec::new(),
            taints: Vec::new(),
            cpu: defaults.cpu,
            memory: defaults.memory,
            pods: defaults.pods,
        }
    }

    /// The `sim node add` line: a flag per label and taint, and capacity flags only where they
    /// differ from the defaults, so the line is the shortest that makes this node.
    pub fn command_line(&self) -> String {
        let defaults = kubeplay_core::NodeConfig::new(&self.name);
        let mut words = vec![
            "sim".to_string(),
            "node".into(),
            "add".into(),
            quote(self.name.trim()),
        ];
        for (key, value) in &self.labels {
            if !key.trim().is_empty() || !value.trim().is_empty() {
                words.push("--label".into());
                words.push(quote(&format!("{}={}", key.trim(), value.trim())));
            }
        }
        for taint in &self.taints {
            if !taint.key.trim().is_empty() || !taint.value.trim().is_empty() {
                words.push("--taint".into());
                words.push(quote(&taint_text(
                    taint.key.trim(),
                    taint.value.trim(),
                    &taint.effect,
                )));
            }
        }
        for (flag, value, default) in [
            ("--cpu", &self.cpu, &defaults.cpu),
            ("--memory", &self.memory, &defaults.memory),
            ("--pods", &self.pods, &defaults.pods),
        ] {
            if value.trim() != default {
                words.push(flag.into());
                words.push(quote(value.trim()));
            }
        }
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(cluster: &mut Cluster, manifest: &str) {
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
    }

    #[test]
    fn default_cluster_reads_as_one_tainted_control_plane_and_three_workers() {
        let grid = grid_view(&Cluster::default_cluster());
        let names: Vec<&str> = grid.nodes.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["control-plane", "node-1", "node-2", "node-3"]);
        assert_eq!(grid.density, Density::Comfortable);

        let control_plane = &grid.nodes[0];
        assert_eq!(control_plane.role, "control-plane");
        assert_eq!(
            control_plane.labels,
            [LabelChip {
                key: "node-role.kubernetes.io/control-plane".into(),
                value: String::new(),
            }]
        );
        assert_eq!(control_plane.taints.len(), 1);
        assert_eq!(
            control_plane.taints[0].text,
            "node-role.kubernetes.io/control-plane:NoSchedule"
        );
        assert_eq!(control_plane.taints[0].effect, TaintEffect::NoSchedule);

        let worker = &grid.nodes[1];
        assert_eq!(worker.role, "worker");
        assert!(worker.labels.is_empty());
        let standard: Vec<String> = worker.standard_labels.iter().map(LabelChip::text).collect();
        assert!(standard.contains(&"kubernetes.io/hostname=node-1".to_string()));
        assert_eq!(standard.len(), 5);
        assert!(worker.taints.is_empty());
        assert_eq!(worker.status, "Ready");
        assert_eq!(worker.readiness, Readiness::Ready);
        assert_eq!(worker.cpu.text(), "cpu requested 0 of 4 (0%)");
        assert_eq!(worker.memory.allocatable, "16Gi");
        assert_eq!(worker.pod_count, "0/110");
        assert!(worker.ghosts.is_empty());
    }

    #[test]
    fn cordon_and_failure_show_as_kubectl_get_nodes_does() {
        let mut cluster = Cluster::default_cluster();
        cluster.exec("kubectl cordon node-1", "");
        cluster.exec("sim node fail node-2", "");
        let grid = grid_view(&cluster);
        assert_eq!(grid.nodes[1].status, "Ready,SchedulingDisabled");
        assert!(grid.nodes[1].cordoned);
        assert_eq!(
            NodeAction::offered(grid.nodes[1].cordoned, grid.nodes[1].failed)[0],
            NodeAction::Uncordon
        );
        assert!(grid.nodes[2].failed);
        assert_eq!(grid.nodes[2].status, "Ready");
        assert_eq!(
            NodeAction::offered(grid.nodes[2].cordoned, grid.nodes[2].failed)[2],
            NodeAction::Recover
        );
        cluster.advance(60_000);
        let grid = grid_view(&cluster);
        assert_eq!(grid.nodes[2].status, "NotReady");
        assert_eq!(grid.nodes[2].readiness, Readiness::NotReady);
        assert!(
            grid.nodes[2]
                .condition
                .contains("Kubelet stopped posting node status"),
            "{}",
            grid.nodes[2].condition
        );
    }

    #[test]
    fn pods_sit_in_their_node_and_unplaceable_ones_wait_with_the_reason() {
        let mut cluster = Cluster::default_cluster();
        apply(
            &mut cluster,
            "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluentd}
spec:
  selector: {matchLabels: {app: fluentd}}
  template:
    metadata: {labels: {app: fluentd}}
    spec:
      containers: [{name: fluentd, image: fluentd, resources: {requests: {cpu: 500m, memory: 200Mi}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: busybox, resources: {requests: {cpu: '64'}}}]
",
        );
        cluster.advance(5_000);
        let grid = grid_view(&cluster);
        let node = &grid.nodes[1];
        assert_eq!(node.pods.len(), 1);
        let pod = &node.pods[0];
        assert!(pod.name.starts_with("fluentd-"));
        assert_eq!(pod.status, "Running");
        assert_eq!(pod.state, super::super::PodState::Ready);
        assert_eq!(pod.owner.kind, super::super::OwnerKind::DaemonSet);
        assert_eq!(pod.owner.description, "DaemonSet fluentd");
        assert_eq!(pod.label(), format!("pod {}: Running", pod.name));
        assert_eq!(node.cpu.requested, "500m");
        assert_eq!(node.cpu.percent, 12);
        assert_eq!(node.memory.requested, "200Mi");
        assert_eq!(node.pod_count, "1/110");

        // The control plane's taint keeps the DaemonSet off, and its card says which taint.
        let ghost = &grid.nodes[0].ghosts[0];
        assert_eq!(ghost.ds_name, "fluentd");
        assert_eq!(
            ghost.short,
            "taint node-role.kubernetes.io/control-plane:NoSchedule"
        );
        assert_eq!(ghost.class, "unfit");
        assert_eq!(ghost.hue, pod.owner.hue.unwrap_or_default());

        assert_eq!(grid.unscheduled.len(), 1);
        let huge = &grid.unscheduled[0];
        assert_eq!(huge.name, "huge");
        assert_eq!(huge.status, "Pending");
        assert_eq!(huge.owner.kind, super::super::OwnerKind::None);
        let reason = huge.unschedulable.as_deref().unwrap_or_default();
        assert!(
            reason.starts_with("0/4 nodes are available: 1 node(s) had untolerated taint"),
            "{reason}"
        );
    }

    #[test]
    fn nodes_read_in_natural_order() {
        let mut names = vec![
            "node-10",
            "node-2",
            "control-plane",
            "node-1",
            "gpu-1",
            "node-02",
        ];
        names.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            names,
            [
                "control-plane",
                "gpu-1",
                "node-1",
                "node-02",
                "node-2",
                "node-10"
            ]
        );
    }

    #[test]
    fn density_follows_the_node_count() {
        assert_eq!(Density::for_nodes(1), Density::Comfortable);
        assert_eq!(Density::for_nodes(8), Density::Comfortable);
        assert_eq!(Density::for_nodes(9), Density::Dense);
        assert_eq!(Density::for_nodes(24), Density::Dense);
        assert_eq!(Density::for_nodes(100), Density::Compact);
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

    #[test]
    fn presets_are_flag_sets_of_sim_node_add() {
        assert_eq!(
            Preset::Worker.form("node-4").command_line(),
            "sim node add node-4"
        );
        assert_eq!(
            Preset::Gpu.form("node-4").command_line(),
            "sim node add node-4 --label nvidia.com/gpu.present=true --taint nvidia.com/gpu=present:NoSchedule --cpu 16 --memory 64Gi"
        );
        assert_eq!(
            Preset::Small.form("tiny").command_line(),
            "sim node add tiny --cpu 1 --memory 1Gi"
        );
        assert_eq!(
            Preset::ControlPlane.form("cp-2").command_line(),
            "sim node add cp-2 --label node-role.kubernetes.io/control-plane= --taint node-role.kubernetes.io/control-plane:NoSchedule"
        );
        let mut form = NodeForm::new("odd one");
        form.labels.push(("team".into(), "a b".into()));
        form.labels.push((String::new(), String::new()));
        form.pods = "20".into();
        assert_eq!(
            form.command_line(),
            "sim node add 'odd one' --label 'team=a b' --pods 20"
        );
    }

    #[test]
    fn every_preset_line_adds_the_node_it_shows() {
        let mut cluster = Cluster::default_cluster();
        for (preset, name) in Preset::ALL.into_iter().zip(["w", "gpu", "small", "cp-2"]) {
            let output = cluster.exec(&preset.form(name).command_line(), "");
            assert_eq!(output.exit_code, 0, "{preset:?}: {}", output.stderr);
        }
        let grid = grid_view(&cluster);
        let gpu = grid.nodes.iter().find(|node| node.name == "gpu");
        let gpu = gpu.expect("the GPU node joined");
        assert_eq!(gpu.taints[0].text, "nvidia.com/gpu=present:NoSchedule");
        assert_eq!(gpu.cpu.allocatable, "16");
        let cp = grid.nodes.iter().find(|node| node.name == "cp-2");
        assert_eq!(cp.map(|node| node.role.as_str()), Some("control-plane"));
    }

    #[test]
    fn menu_lines_run_as_kubectl_and_sim() {
        let mut cluster = Cluster::default_cluster();
        let lines = [
            label_line("node-1", "disktype", "ssd", false),
            label_line("node-1", "disktype", "hdd", true),
            unlabel_line("node-1", "disktype"),
            taint_line("node-1", "dedicated", "db", "NoExecute"),
            untaint_line("node-1", "dedicated", "NoExecute"),
            taint_line("node-1", "maintenance", "", "NoSchedule"),
            NodeAction::Cordon.line("node-1"),
            NodeAction::Uncordon.line("node-1"),
            NodeAction::Drain.line("node-1"),
            NodeAction::Fail.line("node-2"),
            NodeAction::Recover.line("node-2"),
            NodeAction::Remove.line("node-3"),
        ];
        assert_eq!(lines[0], "kubectl label node node-1 disktype=ssd");
        assert_eq!(
            lines[1],
            "kubectl label node node-1 disktype=hdd --overwrite"
        );
        assert_eq!(lines[2], "kubectl label node node-1 disktype-");
        assert_eq!(lines[3], "kubectl taint node node-1 dedicated=db:NoExecute");
        assert_eq!(lines[4], "kubectl taint node node-1 dedicated:NoExecute-");
        assert_eq!(
            lines[8],
            "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data"
        );
        for line in &lines {
            let output = cluster.exec(line, "");
            assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
        }
        let bad = cluster.exec(&label_line("node-1", "bad key", "x", false), "");
        assert_eq!(bad.exit_code, 1);
        assert!(bad.stderr.contains("invalid label spec"), "{}", bad.stderr);
    }
}
