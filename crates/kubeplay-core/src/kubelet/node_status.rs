//! What a kubelet registers for its node: standard labels, capacity, addresses and a Ready condition.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    DaemonEndpoint, Node, NodeAddress, NodeCondition, NodeDaemonEndpoints, NodeSpec, NodeStatus,
    NodeSystemInfo,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::apiserver::ApiServer;
use crate::cluster::NodeConfig;

pub const KUBELET_VERSION: &str = "v1.34.0";

/// The kubelet's node object for `config`, as it posts it when it registers.
pub fn new_node(config: &NodeConfig, index: u32, api: &mut ApiServer) -> Node {
    let mut labels = BTreeMap::from([
        ("beta.kubernetes.io/arch".to_string(), "amd64".to_string()),
        ("beta.kubernetes.io/os".to_string(), "linux".to_string()),
        ("kubernetes.io/arch".to_string(), "amd64".to_string()),
        ("kubernetes.io/hostname".to_string(), config.name.clone()),
        ("kubernetes.io/os".to_string(), "linux".to_string()),
    ]);
    labels.extend(config.labels.clone());
    let now = api.now_time();
    let resources = BTreeMap::from([
        ("cpu".to_string(), Quantity(config.cpu.clone())),
        ("ephemeral-storage".to_string(), Quantity("100Gi".into())),
        ("memory".to_string(), Quantity(config.memory.clone())),
        ("pods".to_string(), Quantity(config.pods.clone())),
    ]);
    // kind's pod range, 10.244.0.0/16, continued into the next blocks for clusters past 256 nodes.
    let pod_cidr = format!("10.{}.{}.0/24", (244 + index / 256) % 256, index % 256);
    let address = format!("172.18.{}.{}", index / 250, index % 250 + 2);
    Node {
        metadata: ObjectMeta {
            name: Some(config.name.clone()),
            labels: Some(labels),
            ..ObjectMeta::default()
        },
        spec: Some(NodeSpec {
            pod_cidr: Some(pod_cidr.clone()),
            pod_cidrs: Some(vec![pod_cidr]),
            provider_id: Some(format!("kubeplay://{}", config.name)),
            taints: (!config.taints.is_empty()).then(|| config.taints.clone()),
            ..NodeSpec::default()
        }),
        status: Some(NodeStatus {
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address,
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: config.name.clone(),
                },
            ]),
            allocatable: Some(resources.clone()),
            capacity: Some(resources),
            conditions: Some(healthy_conditions(&now)),
            daemon_endpoints: Some(NodeDaemonEndpoints {
                kubelet_endpoint: Some(DaemonEndpoint { port: 10250 }),
            }),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                boot_id: api.rng().uuid(),
                container_runtime_version: "containerd://2.1.1".into(),
                kernel_version: "6.8.0-kubeplay".into(),
                kube_proxy_version: String::new(),
                kubelet_version: KUBELET_VERSION.into(),
                machine_id: api.rng().uuid().replace('-', ""),
                operating_system: "linux".into(),
                os_image: "Debian GNU/Linux 12 (bookworm)".into(),
                system_uuid: api.rng().uuid(),
                ..NodeSystemInfo::default()
            }),
            ..NodeStatus::default()
        }),
    }
}

/// The conditions of a node whose kubelet reports all is well.
pub fn healthy_conditions(now: &Time) -> Vec<NodeCondition> {
    let condition = |type_: &str, status: &str, reason: &str, message: &str| NodeCondition {
        type_: type_.into(),
        status: status.into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(now.clone()),
        last_transition_time: Some(now.clone()),
    };
    vec![
        condition(
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        condition(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        condition(
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        condition(
            "Ready",
            "True",
            "KubeletReady",
            "kubelet is posting ready status",
        ),
    ]
}

pub fn condition_status<'a>(node: &'a Node, type_: &str) -> Option<&'a str> {
    node.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|condition| condition.type_ == type_)
        .map(|condition| condition.status.as_str())
}

pub fn is_ready(node: &Node) -> bool {
    condition_status(node, "Ready") == Some("True")
}
