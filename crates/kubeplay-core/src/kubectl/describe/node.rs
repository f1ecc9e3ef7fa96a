//! `kubectl describe node`: `describeNode` and `describeNodeResource`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Node, Pod};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;

use crate::api::Kind;
use crate::apiserver::ApiServer;
use crate::clock::Millis;
use crate::kubectl::human::since;
use crate::kubectl::printers::find_node_roles;
use crate::kubectl::quantity::{Quantity, canonical};

use super::{
    LEVEL_0, LEVEL_1, PrefixWriter, describe_events, go_time, print_annotations_multiline,
    print_labels_multiline, print_taints_multiline, search_events,
};

pub(super) fn describe_node(api: &ApiServer, node: &Node, w: &mut PrefixWriter) {
    let now = api.now();
    let meta = &node.metadata;
    let name = meta.name.as_deref().unwrap_or_default();
    let spec = node.spec.clone().unwrap_or_default();
    let status = node.status.clone().unwrap_or_default();
    w.write(LEVEL_0, &format!("Name:\t{name}\n"));
    let roles = find_node_roles(node);
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    };
    w.write(LEVEL_0, &format!("Roles:\t{roles}\n"));
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!(
            "CreationTimestamp:\t{}\n",
            go_time(meta.creation_timestamp.as_ref())
        ),
    );
    print_taints_multiline(w, "Taints", spec.taints.as_deref().unwrap_or_default());
    w.write(
        LEVEL_0,
        &format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)),
    );
    let conditions = status.conditions.as_deref().unwrap_or_default();
    // kubeplay keeps no Lease objects: the kubelet's lease is shown as renewed with its heartbeat.
    let renewed = conditions
        .iter()
        .find(|condition| condition.type_ == "Ready")
        .and_then(|condition| condition.last_heartbeat_time.as_ref())
        .map_or_else(|| "<unset>".to_string(), |time| go_time(Some(time)));
    w.write(LEVEL_0, "Lease:\n");
    w.write(LEVEL_1, &format!("HolderIdentity:\t{name}\n"));
    w.write(LEVEL_1, "AcquireTime:\t<unset>\n");
    w.write(LEVEL_1, &format!("RenewTime:\t{renewed}\n"));
    if !conditions.is_empty() {
        w.write(
            LEVEL_0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for condition in conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    condition.type_,
                    condition.status,
                    go_time(condition.last_heartbeat_time.as_ref()),
                    go_time(condition.last_transition_time.as_ref()),
                    condition.reason.as_deref().unwrap_or_default(),
                    condition.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    w.write(LEVEL_0, "Addresses:\n");
    for address in status.addresses.iter().flatten() {
        w.write(
            LEVEL_1,
            &format!("{}:\t{}\n", address.type_, address.address),
        );
    }
    for (title, list) in [
        ("Capacity", &status.capacity),
        ("Allocatable", &status.allocatable),
    ] {
        if let Some(list) = list.as_ref().filter(|list| !list.is_empty()) {
            w.write(LEVEL_0, &format!("{title}:\n"));
            for (resource, quantity) in list {
                w.write(
                    LEVEL_0,
                    &format!("  {resource}:\t{}\n", canonical(&quantity.0)),
                );
            }
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w.write(LEVEL_0, "System Info:\n");
    for (label, value) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        // Deprecated and left empty by 1.34 kubelets, but kubectl 1.34 still prints the line.
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.write(LEVEL_0, &format!("  {label}:\t{value}\n"));
    }
    if let Some(cidr) = spec.pod_cidr.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("PodCIDR:\t{cidr}\n"));
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(provider) = spec.provider_id.as_deref().filter(|p| !p.is_empty()) {
        w.write(LEVEL_0, &format!("ProviderID:\t{provider}\n"));
    }
    let pods = non_terminated_pods(api, name);
    let allocatable = allocatable_of(node);
    describe_node_resource(now, &pods, &allocatable, w);
    let uid = meta.uid.clone().unwrap_or_default();
    // Controllers name a node by its uid, the kubelet by its name: describe asks for both.
    let mut events = search_events(api, Kind::Node, meta, &uid);
    events.extend(search_events(api, Kind::Node, meta, name));
    describe_events(now, events, w);
}

type ResourceList = BTreeMap<String, ApiQuantity>;

/// `describeNodeResource`: each non-terminated pod's requests and limits, then the totals.
fn describe_node_resource(
    now: Millis,
    pods: &[&Pod],
    allocatable: &ResourceList,
    w: &mut PrefixWriter,
) {
    w.write(
        LEVEL_0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        LEVEL_1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        LEVEL_1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let total = |name: &str| quantity_of(allocatable, name);
    let (alloc_cpu, alloc_memory) = (total("cpu").milli_value(), total("memory").value());
    for pod in pods {
        let (requests, limits) = (pod_requests(pod), pod_limits(pod));
        let get = |list: &BTreeMap<String, Quantity>, name: &str| {
            list.get(name).cloned().unwrap_or_default()
        };
        let (cpu_request, cpu_limit) = (get(&requests, "cpu"), get(&limits, "cpu"));
        let (memory_request, memory_limit) = (get(&requests, "memory"), get(&limits, "memory"));
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t\t{cpu_request} ({}%)\t{cpu_limit} ({}%)\t{memory_request} ({}%)\t{memory_limit} ({}%)\t{}\n",
                pod.metadata.namespace.as_deref().unwrap_or_default(),
                pod.metadata.name.as_deref().unwrap_or_default(),
                percent(cpu_request.milli_value(), alloc_cpu),
                percent(cpu_limit.milli_value(), alloc_cpu),
                percent(memory_request.value(), alloc_memory),
                percent(memory_limit.value(), alloc_memory),
                since(now, pod.metadata.creation_timestamp.as_ref()),
            ),
        );
    }
    w.write(
        LEVEL_0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
    w.write(LEVEL_1, "--------\t--------\t------\n");
    let allocated = AllocatedResources::of(pods, allocatable);
    let total_row = |w: &mut PrefixWriter, name: &str| {
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{} ({}%)\t{} ({}%)\n",
                allocated.request(name),
                allocated.request_percent(name),
                allocated.limit(name),
                allocated.limit_percent(name),
            ),
        );
    };
    for name in ["cpu", "memory", "ephemeral-storage"] {
        total_row(w, name);
    }
    for name in allocatable
        .keys()
        .filter(|name| name.starts_with("hugepages-"))
    {
        total_row(w, name);
    }
    for name in allocatable.keys().filter(|name| {
        !name.starts_with("hugepages-")
            && !matches!(
                name.as_str(),
                "cpu" | "memory" | "ephemeral-storage" | "pods"
            )
    }) {
        w.write(
            LEVEL_1,
            &format!(
                "{name}\t{}\t{}\n",
                allocated.request(name),
                allocated.limit(name)
            ),
        );
    }
}

/// The pods bound to a node that have not finished (neither Succeeded nor Failed): those whose
/// requests count against it.
fn non_terminated_pods<'a>(api: &'a ApiServer, node_name: &str) -> Vec<&'a Pod> {
    api.table::<Pod>()
        .on_node(node_name)
        .map(|pod| pod.as_ref())
        .filter(|pod| {
            !matches!(
                pod.status
                    .as_ref()
                    .and_then(|status| status.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect()
}

/// A node's allocatable, or its capacity when it reports no allocatable.
fn allocatable_of(node: &Node) -> ResourceList {
    let status = node.status.as_ref();
    status
        .and_then(|status| status.allocatable.clone())
        .filter(|list| !list.is_empty())
        .or_else(|| status.and_then(|status| status.capacity.clone()))
        .unwrap_or_default()
}

/// What `kubectl describe node` adds up under "Allocated resources": the requests and limits of
/// the node's non-terminated pods, against what the node can allocate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocatedResources {
    /// How many non-terminated pods are on the node.
    pub pods: usize,
    pub requests: BTreeMap<String, Quantity>,
    pub limits: BTreeMap<String, Quantity>,
    pub allocatable: BTreeMap<String, Quantity>,
}

/// The "Allocated resources" of a node, read from the store as `kubectl describe node` reads it.
pub fn allocated_resources(api: &ApiServer, node: &Node) -> AllocatedResources {
    let name = node.metadata.name.as_deref().unwrap_or_default();
    AllocatedResources::of(&non_terminated_pods(api, name), &allocatable_of(node))
}

impl AllocatedResources {
    fn of(pods: &[&Pod], allocatable: &ResourceList) -> AllocatedResources {
        let mut requests = BTreeMap::new();
        let mut limits = BTreeMap::new();
        for pod in pods {
            add_resource_list(&mut requests, &pod_requests(pod));
            add_resource_list(&mut limits, &pod_limits(pod));
        }
        AllocatedResources {
            pods: pods.len(),
            requests,
            limits,
            allocatable: parse_list(Some(allocatable)),
        }
    }

    fn get(list: &BTreeMap<String, Quantity>, name: &str) -> Quantity {
        list.get(name).cloned().unwrap_or_default()
    }

    /// The summed requests of a resource (zero when no pod asks for it).
    pub fn request(&self, name: &str) -> Quantity {
        Self::get(&self.requests, name)
    }

    pub fn limit(&self, name: &str) -> Quantity {
        Self::get(&self.limits, name)
    }

    pub fn allocatable(&self, name: &str) -> Quantity {
        Self::get(&self.allocatable, name)
    }

    /// The requests as a whole percentage of allocatable, as describe prints it (0 when the node
    /// has none of the resource).
    pub fn request_percent(&self, name: &str) -> i64 {
        self.share(&self.request(name), name)
    }

    pub fn limit_percent(&self, name: &str) -> i64 {
        self.share(&self.limit(name), name)
    }

    /// cpu is compared in millicores, everything else in whole units, as describe does.
    fn share(&self, amount: &Quantity, name: &str) -> i64 {
        let scale = if name == "cpu" {
            Quantity::milli_value
        } else {
            Quantity::value
        };
        let available = scale(&self.allocatable(name));
        if available == 0 {
            0
        } else {
            percent(scale(amount), available)
        }
    }
}

/// `int64(float64(amount) / float64(total) * 100)`, as Go computes it on amd64 (where a
/// conversion of infinity or NaN gives the smallest int64).
fn percent(amount: i128, total: i128) -> i64 {
    let fraction = amount as f64 / total as f64 * 100.0;
    if fraction.is_finite() && fraction.abs() < 9.2e18 {
        fraction as i64
    } else {
        i64::MIN
    }
}

fn quantity_of(list: &ResourceList, name: &str) -> Quantity {
    list.get(name)
        .and_then(|quantity| Quantity::parse(&quantity.0))
        .unwrap_or_default()
}

fn parse_list(list: Option<&ResourceList>) -> BTreeMap<String, Quantity> {
    list.into_iter()
        .flatten()
        .filter_map(|(name, quantity)| Some((name.clone(), Quantity::parse(&quantity.0)?)))
        .collect()
}

/// `addResourceList`.
fn add_resource_list(list: &mut BTreeMap<String, Quantity>, new: &BTreeMap<String, Quantity>) {
    for (name, quantity) in new {
        match list.get_mut(name) {
            Some(existing) => existing.add(quantity),
            None => {
                list.insert(name.clone(), quantity.clone());
            }
        }
    }
}

/// `maxResourceList`.
fn max_resource_list(list: &mut BTreeMap<String, Quantity>, new: &BTreeMap<String, Quantity>) {
    for (name, quantity) in new {
        if list.get(name).is_none_or(|existing| quantity > existing) {
            list.insert(name.clone(), quantity.clone());
        }
    }
}

/// component-helpers `AggregateContainerRequests` / `AggregateContainerLimits`: containers add
/// up, sidecars (restartable init containers) too, and each init container sets a floor.
fn aggregate(
    pod: &Pod,
    pick: fn(&Container) -> Option<&ResourceList>,
) -> BTreeMap<String, Quantity> {
    let spec = pod.spec.clone().unwrap_or_default();
    let mut total = BTreeMap::new();
    for container in &spec.containers {
        add_resource_list(&mut total, &parse_list(pick(container)));
    }
    let mut sidecars = BTreeMap::new();
    let mut init_floor = BTreeMap::new();
    for container in spec.init_containers.iter().flatten() {
        let own = parse_list(pick(container));
        let usage = if container.restart_policy.as_deref() == Some("Always") {
            add_resource_list(&mut total, &own);
            add_resource_list(&mut sidecars, &own);
            sidecars.clone()
        } else {
            let mut usage = own;
            add_resource_list(&mut usage, &sidecars);
            usage
        };
        max_resource_list(&mut init_floor, &usage);
    }
    max_resource_list(&mut total, &init_floor);
    total
}

/// Which of a container's resource lists `PodRequests` and `PodLimits` add up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Requests,
    Limits,
}

/// `resourcehelper.PodRequests` / `PodLimits`: pod-level values win; overhead is added to
/// requests, and to the limits that are set.
fn pod_resources(pod: &Pod, side: Side) -> BTreeMap<String, Quantity> {
    let pick = |resources: &k8s_openapi::api::core::v1::ResourceRequirements| match side {
        Side::Requests => resources.requests.clone(),
        Side::Limits => resources.limits.clone(),
    };
    let mut total = match side {
        Side::Requests => aggregate(pod, |c| c.resources.as_ref()?.requests.as_ref()),
        Side::Limits => aggregate(pod, |c| c.resources.as_ref()?.limits.as_ref()),
    };
    let spec = pod.spec.as_ref();
    let pod_level = spec.and_then(|spec| spec.resources.as_ref()).and_then(pick);
    for (name, quantity) in parse_list(pod_level.as_ref()) {
        if matches!(
            name.as_str(),
            "cpu" | "memory" | "hugepages-2Mi" | "hugepages-1Gi"
        ) {
            total.insert(name, quantity);
        }
    }
    let overhead = parse_list(spec.and_then(|spec| spec.overhead.as_ref()));
    match side {
        Side::Requests => add_resource_list(&mut total, &overhead),
        Side::Limits => {
            for (name, quantity) in overhead {
                if let Some(limit) = total.get_mut(&name) {
                    limit.add(&quantity);
                }
            }
        }
    }
    total
}

fn pod_requests(pod: &Pod) -> BTreeMap<String, Quantity> {
    pod_resources(pod, Side::Requests)
}

fn pod_limits(pod: &Pod) -> BTreeMap<String, Quantity> {
    pod_resources(pod, Side::Limits)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::ObjectReference;
    use serde_json::json;

    use super::super::describe;
    use super::super::fixtures::{START, api, object, record};
    use super::*;
    use crate::api::AnyObject;

    fn node() -> Node {
        object(json!({
            "metadata": {"name": "control-plane", "uid": "uid-cp", "creationTimestamp": "2026-01-05T09:00:00Z",
                         "labels": {"kubernetes.io/hostname": "control-plane", "node-role.kubernetes.io/control-plane": ""}},
            "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"], "providerID": "kubeplay://control-plane",
                     "unschedulable": true,
                     "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"},
                                {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
            "status": {
                "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}, {"type": "Hostname", "address": "control-plane"}],
                "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"},
                "allocatable": {"cpu": "4", "memory": "16Gi", "pods": "110", "ephemeral-storage": "100Gi"},
                "conditions": [
                    {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                     "message": "kubelet has sufficient memory available",
                     "lastHeartbeatTime": "2026-01-05T09:00:00Z", "lastTransitionTime": "2026-01-05T09:00:00Z"},
                    {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                     "lastHeartbeatTime": "2026-01-05T09:00:40Z", "lastTransitionTime": "2026-01-05T09:00:00Z"}
                ],
                "nodeInfo": {"machineID": "m1", "systemUUID": "s1", "bootID": "b1", "kernelVersion": "6.8.0",
                             "osImage": "Debian GNU/Linux 12 (bookworm)", "operatingSystem": "linux", "architecture": "amd64",
                             "containerRuntimeVersion": "containerd://2.1.1", "kubeletVersion": "v1.34.0", "kubeProxyVersion": ""}
            }
        }))
    }

    fn pod_on_node(namespace: &str, name: &str, resources: serde_json::Value) -> Pod {
        object(json!({
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"nodeName": "control-plane", "containers": [{"name": "c", "image": "busybox", "resources": resources}]}
        }))
    }

    /// A pod that requested 2 cpus and succeeded: it no longer counts against the node.
    fn add_finished_pod(api: &mut ApiServer) {
        api.create(pod_on_node(
            "default",
            "done",
            json!({"requests": {"cpu": "2"}}),
        ))
        .unwrap();
        api.modify_status::<Pod>(&crate::api::ObjectKey::new("default", "done"), |pod| {
            pod.status.get_or_insert_with(Default::default).phase = Some("Succeeded".into());
        })
        .unwrap();
    }

    #[test]
    fn describes_a_node() {
        let mut api = api();
        api.create(pod_on_node("default", "web", json!({"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "1", "memory": "128Mi"}}))).unwrap();
        api.create(pod_on_node("kube-system", "proxy", json!({})))
            .unwrap();
        add_finished_pod(&mut api);
        let node = node();
        record(
            &mut api,
            &node,
            (
                "Normal",
                "NodeNotSchedulable",
                "Node control-plane status is now: NodeNotSchedulable",
                "node-controller",
            ),
            1,
            START + 10_000,
            START + 10_000,
        );
        api.set_now(START + 5_000);
        api.record_event_from(
            ObjectReference {
                kind: Some("Node".into()),
                name: Some("control-plane".into()),
                uid: Some("control-plane".into()),
                ..ObjectReference::default()
            },
            "Normal",
            "Starting",
            "Starting kubelet.",
            "kubelet",
            Some("control-plane"),
        );
        api.set_now(START + 2 * 60_000);
        let out = describe(&api, &AnyObject::Node(std::sync::Arc::new(node)));
        assert_eq!(
            out,
            "Name:               control-plane
Roles:              control-plane
Labels:             kubernetes.io/hostname=control-plane
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Mon, 05 Jan 2026 09:00:00 +0000
Taints:             node-role.kubernetes.io/control-plane:NoSchedule
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  control-plane
  AcquireTime:     <unset>
  RenewTime:       Mon, 05 Jan 2026 09:00:40 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 05 Jan 2026 09:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Mon, 05 Jan 2026 09:00:40 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.2
  Hostname:    control-plane
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
System Info:
  Machine ID:                 m1
  System UUID:                s1
  Boot ID:                    b1
  Kernel Version:             6.8.0
  OS Image:                   Debian GNU/Linux 12 (bookworm)
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://2.1.1
  Kubelet Version:            v1.34.0
  Kube-Proxy Version:         
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
ProviderID:                   kubeplay://control-plane
Non-terminated Pods:          (2 in total)
  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----     ------------  ----------  ---------------  -------------  ---
  default                     web      250m (6%)     1 (25%)     64Mi (0%)        128Mi (0%)     2m
  kube-system                 proxy    0 (0%)        0 (0%)      0 (0%)           0 (0%)         2m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests   Limits
  --------           --------   ------
  cpu                250m (6%)  1 (25%)
  memory             64Mi (0%)  128Mi (0%)
  ephemeral-storage  0 (0%)     0 (0%)
Events:
  Type    Reason              Age   From             Message
  ----    ------              ----  ----             -------
  Normal  Starting            115s  kubelet          Starting kubelet.
  Normal  NodeNotSchedulable  110s  node-controller  Node control-plane status is now: NodeNotSchedulable
"
        );
    }

    #[test]
    fn allocated_resources_add_up_the_unfinished_pods() {
        let mut api = api();
        api.create(pod_on_node(
            "default",
            "web",
            json!({"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "1"}}),
        ))
        .unwrap();
        api.create(pod_on_node(
            "default",
            "db",
            json!({"requests": {"cpu": "750m", "memory": "1Gi"}}),
        ))
        .unwrap();
        add_finished_pod(&mut api);
        let allocated = allocated_resources(&api, &node());
        assert_eq!(allocated.pods, 2);
        assert_eq!(allocated.request("cpu").to_string(), "1");
        assert_eq!(allocated.request_percent("cpu"), 25);
        assert_eq!(allocated.request("memory").to_string(), "1088Mi");
        assert_eq!(allocated.request_percent("memory"), 6);
        assert_eq!(allocated.allocatable("memory").to_string(), "16Gi");
        assert_eq!(allocated.limit_percent("cpu"), 25);
        assert_eq!(allocated.request_percent("nvidia.com/gpu"), 0);
    }
}
