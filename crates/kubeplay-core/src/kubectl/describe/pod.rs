//! `kubectl describe pod` (`describePod`) and the pieces other describers share: containers
//! (`describeContainers`), volumes (`describeVolumes`) and pod templates (`DescribePodTemplate`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, EnvVar, Pod, PodTemplateSpec, Probe,
    ResourceRequirements, TopologySpreadConstraint, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::Kind;
use crate::apiserver::ApiServer;
use crate::kubectl::gofmt::go_quote;
use crate::kubectl::gosort;
use crate::kubectl::human::{rfc1123z, since};
use crate::kubectl::printers::format_label_selector;
use crate::kubectl::quantity::{Quantity, canonical};

use super::{
    LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, PrefixWriter, describe_events, go_time,
    print_annotations_multiline, print_bool, print_controller, print_labels_multiline,
    print_tolerations_multiline, search_events, write_name_and_namespace,
};

/// The annotation a mirror pod carries its static pod's uid in (`corev1.MirrorPodAnnotationKey`).
const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

pub(super) fn describe_pod(api: &ApiServer, pod: &Pod, w: &mut PrefixWriter) {
    let now = api.now();
    let meta = &pod.metadata;
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    write_name_and_namespace(w, meta);
    if let Some(priority) = spec.priority {
        w.write(LEVEL_0, &format!("Priority:\t{priority}\n"));
    }
    if let Some(class) = spec
        .priority_class_name
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        w.write(LEVEL_0, &format!("Priority Class Name:\t{class}\n"));
    }
    if let Some(class) = spec.runtime_class_name.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, &format!("Runtime Class Name:\t{class}\n"));
    }
    if let Some(account) = spec
        .service_account_name
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        w.write(LEVEL_0, &format!("Service Account:\t{account}\n"));
    }
    match spec.node_name.as_deref().filter(|node| !node.is_empty()) {
        None => w.write(LEVEL_0, "Node:\t<none>\n"),
        Some(node) => w.write(
            LEVEL_0,
            &format!(
                "Node:\t{node}/{}\n",
                status.host_ip.as_deref().unwrap_or_default()
            ),
        ),
    }
    if let Some(start) = &status.start_time {
        w.write(LEVEL_0, &format!("Start Time:\t{}\n", rfc1123z(start)));
    }
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    let phase = status.phase.as_deref().unwrap_or_default();
    match &meta.deletion_timestamp {
        Some(deletion) if phase != "Failed" && phase != "Succeeded" => {
            w.write(
                LEVEL_0,
                &format!(
                    "Status:\tTerminating (lasts {})\n",
                    since(now, Some(deletion))
                ),
            );
            w.write(
                LEVEL_0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    meta.deletion_grace_period_seconds.unwrap_or(0)
                ),
            );
        }
        _ => w.write(LEVEL_0, &format!("Status:\t{phase}\n")),
    }
    if let Some(reason) = status.reason.as_deref().filter(|r| !r.is_empty()) {
        w.write(LEVEL_0, &format!("Reason:\t{reason}\n"));
    }
    if let Some(message) = status.message.as_deref().filter(|m| !m.is_empty()) {
        w.write(LEVEL_0, &format!("Message:\t{message}\n"));
    }
    if let Some(profile) = spec
        .security_context
        .as_ref()
        .and_then(|context| context.seccomp_profile.as_ref())
    {
        describe_seccomp(w, profile, LEVEL_0, LEVEL_0);
    }
    w.write(
        LEVEL_0,
        &format!("IP:\t{}\n", status.pod_ip.as_deref().unwrap_or_default()),
    );
    match status.pod_ips.as_deref().unwrap_or_default() {
        [] => w.write(LEVEL_0, "IPs:\t<none>\n"),
        ips => {
            w.write(LEVEL_0, "IPs:\n");
            for ip in ips {
                w.write(LEVEL_1, &format!("IP:\t{}\n", ip.ip));
            }
        }
    }
    if let Some(controller) = print_controller(meta) {
        w.write(LEVEL_0, &format!("Controlled By:\t{controller}\n"));
    }
    if let Some(nominated) = status
        .nominated_node_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        w.write(LEVEL_0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    if let Some(resources) = &spec.resources {
        w.write(LEVEL_0, "Resources:\n");
        describe_resources(Some(resources), w, LEVEL_1);
    }
    let resolver = Some(pod);
    if let Some(init) = spec.init_containers.as_deref().filter(|c| !c.is_empty()) {
        let statuses = status
            .init_container_statuses
            .as_deref()
            .unwrap_or_default();
        describe_containers("Init Containers", init, statuses, resolver, w, "");
    }
    let statuses = status.container_statuses.as_deref().unwrap_or_default();
    describe_containers("Containers", &spec.containers, statuses, resolver, w, "");
    if let Some(gates) = spec.readiness_gates.as_deref().filter(|g| !g.is_empty()) {
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
        for gate in gates {
            let state = status
                .conditions
                .iter()
                .flatten()
                .find(|condition| condition.type_ == gate.condition_type)
                .map_or("<none>", |condition| condition.status.as_str());
            w.write(LEVEL_1, &format!("{} \t{state} \n", gate.condition_type));
        }
    }
    if let Some(conditions) = status.conditions.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
        for condition in conditions {
            w.write(
                LEVEL_1,
                &format!("{} \t{} \n", condition.type_, condition.status),
            );
        }
    }
    describe_volumes(spec.volumes.as_deref().unwrap_or_default(), w, "");
    let qos = status
        .qos_class
        .clone()
        .unwrap_or_else(|| crate::apiserver::registry::pod::qos_class(&spec).to_string());
    w.write(LEVEL_0, &format!("QoS Class:\t{qos}\n"));
    print_labels_multiline(w, "Node-Selectors", spec.node_selector.as_ref());
    print_tolerations_multiline(
        w,
        "Tolerations",
        spec.tolerations.as_deref().unwrap_or_default(),
    );
    describe_topology_spread_constraints(
        spec.topology_spread_constraints
            .as_deref()
            .unwrap_or_default(),
        w,
        "",
    );
    let uid = match crate::api::meta::annotations(meta).get(MIRROR_POD_ANNOTATION) {
        Some(mirror) => mirror.clone(),
        None => meta.uid.clone().unwrap_or_default(),
    };
    describe_events(now, search_events(api, Kind::Pod, meta, &uid), w);
}

/// `DescribePodTemplate`, as the workload describers print their pod template.
pub(super) fn describe_pod_template(template: &PodTemplateSpec, w: &mut PrefixWriter) {
    w.write(LEVEL_0, "Pod Template:\n");
    let meta = template.metadata.clone().unwrap_or_default();
    let spec = template.spec.clone().unwrap_or_default();
    print_labels_multiline(w, "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        print_annotations_multiline(w, "  Annotations", meta.annotations.as_ref());
    }
    if let Some(account) = spec
        .service_account_name
        .as_deref()
        .filter(|a| !a.is_empty())
    {
        w.write(LEVEL_1, &format!("Service Account:\t{account}\n"));
    }
    if let Some(init) = spec.init_containers.as_deref().filter(|c| !c.is_empty()) {
        describe_containers("Init Containers", init, &[], None, w, "  ");
    }
    describe_containers("Containers", &spec.containers, &[], None, w, "  ");
    describe_volumes(spec.volumes.as_deref().unwrap_or_default(), w, "  ");
    describe_topology_spread_constraints(
        spec.topology_spread_constraints
            .as_deref()
            .unwrap_or_default(),
        w,
        "  ",
    );
    if let Some(class) = spec
        .priority_class_name
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        w.write(LEVEL_1, &format!("Priority Class Name:\t{class}\n"));
    }
    print_labels_multiline(w, "  Node-Selectors", spec.node_selector.as_ref());
    print_tolerations_multiline(
        w,
        "  Tolerations",
        spec.tolerations.as_deref().unwrap_or_default(),
    );
}

/// `describeContainers`; `pod` resolves `fieldRef` environment values (None for templates).
fn describe_containers(
    label: &str,
    containers: &[Container],
    statuses: &[ContainerStatus],
    pod: Option<&Pod>,
    w: &mut PrefixWriter,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(LEVEL_0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for container in containers {
        let status = statuses.iter().find(|status| status.name == container.name);
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", container.name));
        if let Some(status) = status {
            w.write(
                LEVEL_2,
                &format!(
                    "Container ID:\t{}\n",
                    status.container_id.as_deref().unwrap_or_default()
                ),
            );
        }
        w.write(
            LEVEL_2,
            &format!(
                "Image:\t{}\n",
                container.image.as_deref().unwrap_or_default()
            ),
        );
        if let Some(status) = status {
            w.write(LEVEL_2, &format!("Image ID:\t{}\n", status.image_id));
        }
        describe_ports(container, w);
        if let Some(profile) = container
            .security_context
            .as_ref()
            .and_then(|context| context.seccomp_profile.as_ref())
        {
            describe_seccomp(w, profile, LEVEL_2, LEVEL_3);
        }
        for (title, lines) in [("Command", &container.command), ("Args", &container.args)] {
            let lines = lines.as_deref().unwrap_or_default();
            if lines.is_empty() {
                continue;
            }
            w.write(LEVEL_2, &format!("{title}:\n"));
            for line in lines.iter().flat_map(|line| line.split('\n')) {
                w.write(LEVEL_3, &format!("{line}\n"));
            }
        }
        if let Some(status) = status {
            describe_status(
                "State",
                status.state.as_ref().unwrap_or(&ContainerState::default()),
                w,
            );
            if let Some(last) = status
                .last_state
                .as_ref()
                .filter(|last| last.terminated.is_some())
            {
                describe_status("Last State", last, w);
            }
            w.write(LEVEL_2, &format!("Ready:\t{}\n", print_bool(status.ready)));
            w.write(
                LEVEL_2,
                &format!("Restart Count:\t{}\n", status.restart_count),
            );
        }
        describe_resources(container.resources.as_ref(), w, LEVEL_2);
        for (title, probe) in [
            ("Liveness", &container.liveness_probe),
            ("Readiness", &container.readiness_probe),
            ("Startup", &container.startup_probe),
        ] {
            if let Some(probe) = probe {
                w.write(LEVEL_2, &format!("{title}:\t{}\n", describe_probe(probe)));
            }
        }
        describe_env_from(container, w);
        describe_env(container, pod, w);
        describe_mounts(container, w);
    }
}

/// The SeccompProfile line, and the profile's path when it is a Localhost one.
fn describe_seccomp(
    w: &mut PrefixWriter,
    profile: &k8s_openapi::api::core::v1::SeccompProfile,
    level: usize,
    localhost_level: usize,
) {
    w.write(level, &format!("SeccompProfile:\t{}\n", profile.type_));
    if profile.type_ == "Localhost" {
        w.write(
            localhost_level,
            &format!(
                "LocalhostProfile:\t{}\n",
                profile.localhost_profile.as_deref().unwrap_or_default()
            ),
        );
    }
}

/// The Port and Host Port lines (`describeContainerPorts`, `describeContainerHostPorts`).
fn describe_ports(container: &Container, w: &mut PrefixWriter) {
    let ports = container.ports.as_deref().unwrap_or_default();
    let describe = |number: &dyn Fn(&k8s_openapi::api::core::v1::ContainerPort) -> i32| {
        ports
            .iter()
            .map(|port| {
                let text = format!(
                    "{}/{}",
                    number(port),
                    port.protocol.as_deref().unwrap_or_default()
                );
                match port.name.as_deref().filter(|name| !name.is_empty()) {
                    Some(name) => format!("{text} ({name})"),
                    None => text,
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (single, plural, text) in [
        ("Port", "Ports", describe(&|port| port.container_port)),
        (
            "Host Port",
            "Host Ports",
            describe(&|port| port.host_port.unwrap_or(0)),
        ),
    ] {
        if text.contains(',') {
            w.write(LEVEL_2, &format!("{plural}:\t{text}\n"));
        } else if text.is_empty() {
            w.write(LEVEL_2, &format!("{single}:\t<none>\n"));
        } else {
            w.write(LEVEL_2, &format!("{single}:\t{text}\n"));
        }
    }
}

/// `describeStatus`: a container state with its reason, exit code and times.
fn describe_status(name: &str, state: &ContainerState, w: &mut PrefixWriter) {
    if let Some(running) = &state.running {
        w.write(LEVEL_2, &format!("{name}:\tRunning\n"));
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", go_time(running.started_at.as_ref())),
        );
    } else if let Some(waiting) = &state.waiting {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
        if let Some(reason) = waiting.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(terminated) = &state.terminated {
        w.write(LEVEL_2, &format!("{name}:\tTerminated\n"));
        if let Some(reason) = terminated.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(LEVEL_3, &format!("Reason:\t{reason}\n"));
        }
        if let Some(message) = terminated.message.as_deref().filter(|m| !m.is_empty()) {
            w.write(LEVEL_3, &format!("Message:\t{message}\n"));
        }
        w.write(LEVEL_3, &format!("Exit Code:\t{}\n", terminated.exit_code));
        if let Some(signal) = terminated.signal.filter(|signal| *signal > 0) {
            w.write(LEVEL_3, &format!("Signal:\t{signal}\n"));
        }
        w.write(
            LEVEL_3,
            &format!("Started:\t{}\n", go_time(terminated.started_at.as_ref())),
        );
        w.write(
            LEVEL_3,
            &format!("Finished:\t{}\n", go_time(terminated.finished_at.as_ref())),
        );
    } else {
        w.write(LEVEL_2, &format!("{name}:\tWaiting\n"));
    }
}

/// `describeResources`: Limits then Requests, resources in name order.
fn describe_resources(
    resources: Option<&ResourceRequirements>,
    w: &mut PrefixWriter,
    level: usize,
) {
    let Some(resources) = resources else {
        return;
    };
    for (title, list) in [
        ("Limits", &resources.limits),
        ("Requests", &resources.requests),
    ] {
        let Some(list) = list.as_ref().filter(|list| !list.is_empty()) else {
            continue;
        };
        w.write(level, &format!("{title}:\n"));
        for (name, quantity) in list {
            w.write(level + 1, &format!("{name}:\t{}\n", canonical(&quantity.0)));
        }
    }
}

/// `DescribeProbe`.
fn describe_probe(probe: &Probe) -> String {
    let attributes = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds.unwrap_or(0),
        probe.timeout_seconds.unwrap_or(0),
        probe.period_seconds.unwrap_or(0),
        probe.success_threshold.unwrap_or(0),
        probe.failure_threshold.unwrap_or(0)
    );
    let port_text = |port: &IntOrString| match port {
        IntOrString::Int(number) => number.to_string(),
        IntOrString::String(name) => name.clone(),
    };
    if let Some(exec) = &probe.exec {
        format!(
            "exec [{}] {attributes}",
            exec.command.as_deref().unwrap_or_default().join(" ")
        )
    } else if let Some(http) = &probe.http_get {
        let scheme = http.scheme.as_deref().unwrap_or_default().to_lowercase();
        let host = http.host.as_deref().unwrap_or_default();
        let port = port_text(&http.port);
        let authority = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = http.path.as_deref().unwrap_or_default();
        let scheme = if scheme.is_empty() {
            String::new()
        } else {
            format!("{scheme}:")
        };
        let slash = if path.is_empty() || path.starts_with('/') {
            ""
        } else {
            "/"
        };
        format!("http-get {scheme}//{authority}{slash}{path} {attributes}")
    } else if let Some(tcp) = &probe.tcp_socket {
        format!(
            "tcp-socket {}:{} {attributes}",
            tcp.host.as_deref().unwrap_or_default(),
            port_text(&tcp.port)
        )
    } else if let Some(grpc) = &probe.grpc {
        format!(
            "grpc <pod>:{} {} {attributes}",
            grpc.port,
            grpc.service.as_deref().unwrap_or_default()
        )
    } else {
        format!("unknown {attributes}")
    }
}

/// `describeContainerEnvFrom`.
fn describe_env_from(container: &Container, w: &mut PrefixWriter) {
    let sources = container.env_from.as_deref().unwrap_or_default();
    if sources.is_empty() {
        return;
    }
    w.write(LEVEL_2, "Environment Variables from:\n");
    for source in sources {
        let (from, name, optional) = if let Some(map) = &source.config_map_ref {
            (
                "ConfigMap",
                map.name.as_str(),
                map.optional.unwrap_or(false),
            )
        } else if let Some(secret) = &source.secret_ref {
            (
                "Secret",
                secret.name.as_str(),
                secret.optional.unwrap_or(false),
            )
        } else {
            ("", "", false)
        };
        match source.prefix.as_deref().filter(|prefix| !prefix.is_empty()) {
            None => w.write(LEVEL_3, &format!("{name}\t{from}\tOptional: {optional}\n")),
            Some(prefix) => w.write(
                LEVEL_3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            ),
        }
    }
}

/// `describeContainerEnvVars`.
fn describe_env(container: &Container, pod: Option<&Pod>, w: &mut PrefixWriter) {
    let env = container.env.as_deref().unwrap_or_default();
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Environment:{none}\n"));
    for variable in env {
        let Some(source) = &variable.value_from else {
            let value = variable.value.as_deref().unwrap_or_default();
            for (index, line) in value.split('\n').enumerate() {
                if index == 0 {
                    w.write(LEVEL_3, &format!("{}:\t{line}\n", variable.name));
                } else {
                    w.write(LEVEL_3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(field) = &source.field_ref {
            let value = pod
                .map(|pod| field_value(pod, variable))
                .unwrap_or_default();
            w.write(
                LEVEL_3,
                &format!(
                    "{}:\t{value} ({}:{})\n",
                    variable.name,
                    field.api_version.as_deref().unwrap_or_default(),
                    field.field_path
                ),
            );
        } else if let Some(resource) = &source.resource_field_ref {
            let mut value = container_resource_value(container, resource);
            if value == "0" && matches!(resource.resource.as_str(), "limits.cpu" | "limits.memory")
            {
                value = "node allocatable".into();
            }
            w.write(
                LEVEL_3,
                &format!("{}:\t{value} ({})\n", variable.name, resource.resource),
            );
        } else if let Some(secret) = &source.secret_key_ref {
            w.write(
                LEVEL_3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    variable.name,
                    secret.key,
                    secret.name,
                    secret.optional.unwrap_or(false)
                ),
            );
        } else if let Some(map) = &source.config_map_key_ref {
            w.write(
                LEVEL_3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    variable.name,
                    map.key,
                    map.name,
                    map.optional.unwrap_or(false)
                ),
            );
        }
    }
}

/// `EnvValueRetriever`: the pod field a `fieldRef` names (`fieldpath.ExtractFieldPathAsString`).
fn field_value(pod: &Pod, variable: &EnvVar) -> String {
    let Some(path) = variable
        .value_from
        .as_ref()
        .and_then(|source| source.field_ref.as_ref())
        .map(|field| field.field_path.as_str())
    else {
        return String::new();
    };
    let meta = &pod.metadata;
    let status = pod.status.as_ref();
    let bracketed = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("']"))
            .map(str::to_string)
    };
    if let Some(key) = bracketed("metadata.labels['") {
        return crate::api::meta::labels(meta)
            .get(&key)
            .cloned()
            .unwrap_or_default();
    }
    if let Some(key) = bracketed("metadata.annotations['") {
        return crate::api::meta::annotations(meta)
            .get(&key)
            .cloned()
            .unwrap_or_default();
    }
    let join_map = |map: &BTreeMap<String, String>| {
        map.iter()
            .map(|(key, value)| format!("{key}={}", go_quote(value)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match path {
        "metadata.name" => meta.name.clone().unwrap_or_default(),
        "metadata.namespace" => meta.namespace.clone().unwrap_or_default(),
        "metadata.uid" => meta.uid.clone().unwrap_or_default(),
        "metadata.labels" => join_map(crate::api::meta::labels(meta)),
        "metadata.annotations" => join_map(crate::api::meta::annotations(meta)),
        "spec.nodeName" => pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .unwrap_or_default(),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|spec| spec.service_account_name.clone())
            .unwrap_or_default(),
        "status.hostIP" => status.and_then(|s| s.host_ip.clone()).unwrap_or_default(),
        "status.podIP" => status.and_then(|s| s.pod_ip.clone()).unwrap_or_default(),
        "status.hostIPs" => status
            .and_then(|s| s.host_ips.as_ref())
            .map(|ips| {
                ips.iter()
                    .map(|ip| ip.ip.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        "status.podIPs" => status
            .and_then(|s| s.pod_ips.as_ref())
            .map(|ips| {
                ips.iter()
                    .map(|ip| ip.ip.clone())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// kubectl's `ExtractContainerResourceValue`: a container's request or limit over the divisor,
/// rounded up.
fn container_resource_value(
    container: &Container,
    selector: &k8s_openapi::api::core::v1::ResourceFieldSelector,
) -> String {
    let divisor = selector
        .divisor
        .as_ref()
        .and_then(|divisor| Quantity::parse(&divisor.0))
        .filter(|divisor| !divisor.is_zero())
        .unwrap_or_else(|| Quantity::parse("1").unwrap_or_default());
    let Some((list, name)) = selector.resource.split_once('.') else {
        return String::new();
    };
    let resources = container.resources.as_ref();
    let list = match list {
        "limits" => resources.and_then(|r| r.limits.as_ref()),
        "requests" => resources.and_then(|r| r.requests.as_ref()),
        _ => return String::new(),
    };
    let quantity = list
        .and_then(|list| list.get(name))
        .and_then(|quantity: &ApiQuantity| Quantity::parse(&quantity.0))
        .unwrap_or_default();
    let (amount, unit) = if name == "cpu" {
        (quantity.milli_value(), divisor.milli_value())
    } else {
        (quantity.value(), divisor.value())
    };
    if unit == 0 {
        return String::new();
    }
    ((amount as f64 / unit as f64).ceil() as i64).to_string()
}

/// `describeContainerVolumes`: mounts in mount path order.
fn describe_mounts(container: &Container, w: &mut PrefixWriter) {
    let mut mounts: Vec<_> = container.volume_mounts.iter().flatten().collect();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.write(LEVEL_2, &format!("Mounts:{none}\n"));
    gosort::sort_by(&mut mounts, |a, b| a.mount_path < b.mount_path);
    for mount in mounts {
        let mut flags = vec![
            if mount.read_only.unwrap_or(false) {
                "ro"
            } else {
                "rw"
            }
            .to_string(),
        ];
        if let Some(sub_path) = mount.sub_path.as_deref().filter(|p| !p.is_empty()) {
            flags.push(format!("path={}", go_quote(sub_path)));
        }
        w.write(
            LEVEL_3,
            &format!(
                "{} from {} ({})\n",
                mount.mount_path,
                mount.name,
                flags.join(",")
            ),
        );
    }
    let mut devices: Vec<_> = container.volume_devices.iter().flatten().collect();
    if !devices.is_empty() {
        w.write(LEVEL_2, "Devices:\n");
        gosort::sort_by(&mut devices, |a, b| a.device_path < b.device_path);
        for device in devices {
            w.write(
                LEVEL_3,
                &format!("{} from {}\n", device.device_path, device.name),
            );
        }
    }
}

/// `describeVolumes` for the volume sources kubeplay's pods use; others print `<unknown>`.
fn describe_volumes(volumes: &[Volume], w: &mut PrefixWriter, space: &str) {
    if volumes.is_empty() {
        w.write(LEVEL_0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(LEVEL_0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for volume in volumes {
        w.write(LEVEL_1, &format!("{name_indent}{}:\n", volume.name));
        if let Some(host_path) = &volume.host_path {
            write_volume(
                w,
                "HostPath (bare host directory volume)",
                &[
                    ("Path", host_path.path.clone()),
                    (
                        "HostPathType",
                        host_path.type_.clone().unwrap_or_else(|| "<none>".into()),
                    ),
                ],
            );
        } else if let Some(empty_dir) = &volume.empty_dir {
            let size_limit = empty_dir
                .size_limit
                .as_ref()
                .and_then(|limit| Quantity::parse(&limit.0))
                .filter(|limit| *limit > Quantity::default())
                .map_or_else(|| "<unset>".to_string(), |limit| limit.to_string());
            write_volume(
                w,
                "EmptyDir (a temporary directory that shares a pod's lifetime)",
                &[
                    ("Medium", empty_dir.medium.clone().unwrap_or_default()),
                    ("SizeLimit", size_limit),
                ],
            );
        } else if let Some(secret) = &volume.secret {
            write_volume(
                w,
                "Secret (a volume populated by a Secret)",
                &[
                    ("SecretName", secret.secret_name.clone().unwrap_or_default()),
                    ("Optional", secret.optional.unwrap_or(false).to_string()),
                ],
            );
        } else if let Some(map) = &volume.config_map {
            write_volume(
                w,
                "ConfigMap (a volume populated by a ConfigMap)",
                &[
                    ("Name", map.name.clone()),
                    ("Optional", map.optional.unwrap_or(false).to_string()),
                ],
            );
        } else if let Some(claim) = &volume.persistent_volume_claim {
            write_volume(
                w,
                "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                &[
                    ("ClaimName", claim.claim_name.clone()),
                    ("ReadOnly", claim.read_only.unwrap_or(false).to_string()),
                ],
            );
        } else if let Some(downward) = &volume.downward_api {
            w.write(
                LEVEL_2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in downward.items.iter().flatten() {
                if let Some(field) = &item.field_ref {
                    w.write(LEVEL_3, &format!("{} -> {}\n", field.field_path, item.path));
                }
                if let Some(resource) = &item.resource_field_ref {
                    w.write(
                        LEVEL_3,
                        &format!("{} -> {}\n", resource.resource, item.path),
                    );
                }
            }
        } else if let Some(projected) = &volume.projected {
            w.write(
                LEVEL_2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for source in projected.sources.iter().flatten() {
                if let Some(secret) = &source.secret {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            secret.name,
                            secret.optional.unwrap_or(false)
                        ),
                    );
                } else if source.downward_api.is_some() {
                    w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
                } else if let Some(map) = &source.config_map {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            map.name,
                            map.optional.unwrap_or(false)
                        ),
                    );
                } else if let Some(token) = &source.service_account_token {
                    w.write(
                        LEVEL_2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            token.expiration_seconds.unwrap_or(0)
                        ),
                    );
                }
            }
        } else if let Some(nfs) = &volume.nfs {
            write_volume(
                w,
                "NFS (an NFS mount that lasts the lifetime of a pod)",
                &[
                    ("Server", nfs.server.clone()),
                    ("Path", nfs.path.clone()),
                    ("ReadOnly", nfs.read_only.unwrap_or(false).to_string()),
                ],
            );
        } else {
            w.write(LEVEL_1, "<unknown>\n");
        }
    }
}

/// A volume's `Type:` line and its fields, as the `print<Type>VolumeSource` functions write them.
fn write_volume(w: &mut PrefixWriter, description: &str, fields: &[(&str, String)]) {
    let mut text = format!("Type:\t{description}\n");
    for (label, value) in fields {
        text.push_str(&format!("    {label}:\t{value}\n"));
    }
    w.write(LEVEL_2, &text);
}

/// `describeTopologySpreadConstraints`, ordered by topology key.
fn describe_topology_spread_constraints(
    constraints: &[TopologySpreadConstraint],
    w: &mut PrefixWriter,
    space: &str,
) {
    if constraints.is_empty() {
        return;
    }
    let mut constraints: Vec<&TopologySpreadConstraint> = constraints.iter().collect();
    gosort::sort_by(&mut constraints, |a, b| a.topology_key < b.topology_key);
    w.write(LEVEL_0, &format!("{space}Topology Spread Constraints:\t"));
    for (index, constraint) in constraints.into_iter().enumerate() {
        if index != 0 {
            w.write(LEVEL_0, space);
            w.write(LEVEL_0, "\t");
        }
        let mut line = format!(
            "{}:{} when max skew {} is exceeded",
            constraint.topology_key, constraint.when_unsatisfiable, constraint.max_skew
        );
        if let Some(selector) = &constraint.label_selector {
            line.push_str(&format!(
                " for selector {}",
                format_label_selector(Some(selector))
            ));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::describe;
    use super::super::fixtures::{START, api, object, record};
    use super::*;
    use crate::api::AnyObject;

    fn web_pod() -> Pod {
        object(json!({
            "metadata": {
                "name": "web-1", "namespace": "default", "uid": "uid-web-1",
                "creationTimestamp": "2026-01-05T09:00:00Z",
                "labels": {"app": "web", "pod-template-hash": "5d9f"},
                "annotations": {"note": "hello"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "web",
                                     "uid": "uid-ds", "controller": true}]
            },
            "spec": {
                "containers": [{
                    "name": "nginx", "image": "nginx:1.27",
                    "command": ["sh", "-c"], "args": ["echo hi\nsleep 3600"],
                    "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443, "name": "https", "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "0.25", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                                       "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                    "env": [
                        {"name": "MODE", "value": "prod"},
                        {"name": "NODE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                        {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                        {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}
                    ],
                    "volumeMounts": [{"name": "data", "mountPath": "/var/data"}, {"name": "config", "mountPath": "/etc/config", "readOnly": true}]
                }],
                "volumes": [
                    {"name": "data", "emptyDir": {}},
                    {"name": "config", "configMap": {"name": "web-config"}}
                ],
                "nodeName": "node-1",
                "serviceAccountName": "default",
                "priority": 0,
                "nodeSelector": {"disk": "ssd"},
                "tolerations": [
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}
                ]
            },
            "status": {
                "phase": "Running",
                "hostIP": "172.18.0.3",
                "podIP": "10.244.1.5",
                "podIPs": [{"ip": "10.244.1.5"}],
                "startTime": "2026-01-05T09:00:00Z",
                "qosClass": "Burstable",
                "conditions": [
                    {"type": "Initialized", "status": "True"},
                    {"type": "Ready", "status": "True"},
                    {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{
                    "name": "nginx", "ready": true, "restartCount": 2, "image": "nginx:1.27",
                    "imageID": "docker.io/library/nginx@sha256:abc",
                    "containerID": "containerd://123",
                    "state": {"running": {"startedAt": "2026-01-05T09:03:00Z"}},
                    "lastState": {"terminated": {"exitCode": 137, "reason": "Error",
                        "startedAt": "2026-01-05T09:01:00Z", "finishedAt": "2026-01-05T09:02:50Z"}}
                }]
            }
        }))
    }

    #[test]
    fn describes_a_running_pod() {
        let mut api = api();
        let pod = web_pod();
        record(
            &mut api,
            &pod,
            (
                "Normal",
                "Scheduled",
                "Successfully assigned default/web-1 to node-1",
                "default-scheduler",
            ),
            1,
            START,
            START,
        );
        record(
            &mut api,
            &pod,
            (
                "Warning",
                "BackOff",
                "Back-off restarting failed container nginx in pod web-1_default(uid-web-1)",
                "kubelet",
            ),
            3,
            START + 60_000,
            START + 170_000,
        );
        record(
            &mut api,
            &pod,
            (
                "Normal",
                "Pulled",
                "Container image \"nginx:1.27\" already present on machine",
                "kubelet",
            ),
            3,
            START + 2_000,
            START + 180_000,
        );
        api.set_now(START + 5 * 60_000);
        let out = describe(&api, &AnyObject::Pod(std::sync::Arc::new(pod)));
        assert_eq!(
            out,
            "Name:             web-1
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/172.18.0.3
Start Time:       Mon, 05 Jan 2026 09:00:00 +0000
Labels:           app=web
                  pod-template-hash=5d9f
Annotations:      note: hello
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  DaemonSet/web
Containers:
  nginx:
    Container ID:  containerd://123
    Image:         nginx:1.27
    Image ID:      docker.io/library/nginx@sha256:abc
    Ports:         80/TCP, 443/TCP (https)
    Host Ports:    0/TCP, 0/TCP (https)
    Command:
      sh
      -c
    Args:
      echo hi
      sleep 3600
    State:          Running
      Started:      Mon, 05 Jan 2026 09:03:00 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Mon, 05 Jan 2026 09:01:00 +0000
      Finished:     Mon, 05 Jan 2026 09:02:50 +0000
    Ready:          True
    Restart Count:  2
    Limits:
      memory:  128Mi
    Requests:
      cpu:      250m
      memory:   64Mi
    Readiness:  http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:  prod
      NODE:  node-1 (v1:spec.nodeName)
      MEM:   128 (limits.memory)
      CPU:   node allocatable (limits.cpu)
    Mounts:
      /etc/config from config (ro)
      /var/data from data (rw)
Conditions:
  Type           Status
  Initialized    True 
  Ready          True 
  PodScheduled   True 
Volumes:
  data:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  config:
    Type:        ConfigMap (a volume populated by a ConfigMap)
    Name:        web-config
    Optional:    false
QoS Class:       Burstable
Node-Selectors:  disk=ssd
Tolerations:     dedicated=web:NoSchedule
                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                 From               Message
  ----     ------     ----                ----               -------
  Normal   Scheduled  5m                  default-scheduler  Successfully assigned default/web-1 to node-1
  Warning  BackOff    2m10s (x3 over 4m)  kubelet            Back-off restarting failed container nginx in pod web-1_default(uid-web-1)
  Normal   Pulled     2m (x3 over 4m58s)  kubelet            Container image \"nginx:1.27\" already present on machine
"
        );
    }

    #[test]
    fn describes_pending_and_terminating_pods() {
        let mut api = api();
        let pending: Pod = object(json!({
            "metadata": {"name": "queued", "namespace": "default", "uid": "uid-q",
                         "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"containers": [{"name": "app", "image": "busybox"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False"}]}
        }));
        record(
            &mut api,
            &pending,
            (
                "Warning",
                "FailedScheduling",
                "0/4 nodes are available: 4 Insufficient cpu.",
                "default-scheduler",
            ),
            1,
            START,
            START,
        );
        api.set_now(START + 30_000);
        let out = describe(&api, &AnyObject::Pod(std::sync::Arc::new(pending)));
        assert_eq!(
            out,
            "Name:         queued
Namespace:    default
Node:         <none>
Labels:       <none>
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  app:
    Image:        busybox
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  30s   default-scheduler  0/4 nodes are available: 4 Insufficient cpu.
"
        );
        let mut going = web_pod();
        going.metadata.deletion_timestamp =
            Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                crate::clock::to_timestamp(START + 60_000),
            ));
        going.metadata.deletion_grace_period_seconds = Some(30);
        let out = describe(&api, &AnyObject::Pod(std::sync::Arc::new(going)));
        // The deletion time is in the future, so kubectl prints `<invalid>` for how long it lasts.
        assert!(out.contains("Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n"), "{out}");
    }
}
