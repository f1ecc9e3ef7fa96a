//! PodSpec defaulting (`pkg/apis/core/v1/defaults.go`) and validation (`pkg/apis/core/validation`),
//! shared by pods and by the pod templates of DaemonSets, Jobs and CronJobs.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Container, NodeSelector, PodSpec, ResourceRequirements, Toleration,
};

use crate::api::field::{ErrorList, FieldError, Path};
use crate::api::quantity;
use crate::api::validation::{is_dns1123_label, is_qualified_name, validate_labels};

pub const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
pub const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// `SetDefaults_PodSpec` with the container defaults, as a pod read back from the API shows them.
pub fn set_defaults_pod_spec(spec: &mut PodSpec) {
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.security_context.get_or_insert_with(Default::default);
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    spec.enable_service_links.get_or_insert(true);
    let host_network = spec.host_network == Some(true);
    for container in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        set_defaults_container(container, host_network);
    }
}

fn set_defaults_container(container: &mut Container, host_network: bool) {
    container
        .termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    container
        .termination_message_policy
        .get_or_insert_with(|| "File".into());
    if container.image_pull_policy.is_none() {
        let image = container.image.as_deref().unwrap_or_default();
        let last_segment = image.rsplit('/').next().unwrap_or_default();
        let tag = if image.contains('@') {
            None
        } else {
            last_segment.split_once(':').map(|(_, tag)| tag)
        };
        let policy = match tag {
            None | Some("latest") if !image.contains('@') => "Always",
            _ => "IfNotPresent",
        };
        container.image_pull_policy = Some(policy.into());
    }
    let resources = container
        .resources
        .get_or_insert_with(ResourceRequirements::default);
    // Requests default to limits where only limits are given.
    if let Some(limits) = resources.limits.clone() {
        let requests = resources.requests.get_or_insert_with(BTreeMap::new);
        for (name, limit) in limits {
            requests.entry(name).or_insert(limit);
        }
    }
    for port in container.ports.iter_mut().flatten() {
        port.protocol.get_or_insert_with(|| "TCP".into());
        if host_network && port.host_port.is_none() {
            port.host_port = Some(port.container_port);
        }
    }
}

pub fn validate_pod_spec(spec: &PodSpec, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let volumes: BTreeSet<&str> = spec
        .volumes
        .iter()
        .flatten()
        .map(|volume| volume.name.as_str())
        .collect();
    for (i, volume) in spec.volumes.iter().flatten().enumerate() {
        for message in is_dns1123_label(&volume.name) {
            errors.push(FieldError::invalid(
                path.child("volumes").index(i).child("name"),
                volume.name.as_str(),
                message,
            ));
        }
    }
    if spec.containers.is_empty() {
        errors.push(FieldError::required(path.child("containers"), ""));
    }
    let mut names = BTreeSet::new();
    for (field, containers) in [
        (
            "initContainers",
            spec.init_containers.as_deref().unwrap_or_default(),
        ),
        ("containers", &spec.containers),
    ] {
        for (i, container) in containers.iter().enumerate() {
            let container_path = path.child(field).index(i);
            errors.extend(validate_container(container, &container_path, &volumes));
            if !container.name.is_empty() && !names.insert(container.name.as_str()) {
                errors.push(FieldError::duplicate(
                    container_path.child("name"),
                    container.name.as_str(),
                ));
            }
        }
    }
    if let Some(policy) = spec.restart_policy.as_deref()
        && !RESTART_POLICIES.contains(&policy)
    {
        errors.push(FieldError::not_supported(
            path.child("restartPolicy"),
            policy,
            RESTART_POLICIES,
        ));
    }
    if let Some(policy) = spec.dns_policy.as_deref() {
        const DNS_POLICIES: &[&str] =
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
        if !DNS_POLICIES.contains(&policy) {
            errors.push(FieldError::not_supported(
                path.child("dnsPolicy"),
                policy,
                DNS_POLICIES,
            ));
        }
    }
    if let Some(seconds) = spec.active_deadline_seconds
        && !(1..=i64::from(i32::MAX)).contains(&seconds)
    {
        errors.push(FieldError::invalid(
            path.child("activeDeadlineSeconds"),
            seconds,
            "must be between 1 and 2147483647, inclusive",
        ));
    }
    if let Some(seconds) = spec.termination_grace_period_seconds
        && seconds < 0
    {
        errors.push(FieldError::invalid(
            path.child("terminationGracePeriodSeconds"),
            seconds,
            "must be greater than or equal to 0",
        ));
    }
    errors.extend(validate_labels(
        spec.node_selector.as_ref(),
        &path.child("nodeSelector"),
    ));
    for (i, toleration) in spec.tolerations.iter().flatten().enumerate() {
        errors.extend(validate_toleration(
            toleration,
            &path.child("tolerations").index(i),
        ));
    }
    if let Some(selector) = spec
        .affinity
        .as_ref()
        .and_then(|affinity| affinity.node_affinity.as_ref())
        .and_then(|node_affinity| {
            node_affinity
                .required_during_scheduling_ignored_during_execution
                .as_ref()
        })
    {
        let selector_path = path
            .child("affinity")
            .child("nodeAffinity")
            .child("requiredDuringSchedulingIgnoredDuringExecution");
        errors.extend(validate_node_selector(selector, &selector_path));
    }
    if let Some(hostname) = spec.hostname.as_deref() {
        for message in is_dns1123_label(hostname) {
            errors.push(FieldError::invalid(
                path.child("hostname"),
                hostname,
                message,
            ));
        }
    }
    errors
}

fn validate_container(container: &Container, path: &Path, volumes: &BTreeSet<&str>) -> ErrorList {
    let mut errors = ErrorList::new();
    if container.name.is_empty() {
        errors.push(FieldError::required(path.child("name"), ""));
    } else {
        for message in is_dns1123_label(&container.name) {
            errors.push(FieldError::invalid(
                path.child("name"),
                container.name.as_str(),
                message,
            ));
        }
    }
    if container
        .image
        .as_deref()
        .is_none_or(|image| image.trim().is_empty())
    {
        errors.push(FieldError::required(path.child("image"), ""));
    }
    for (i, port) in container.ports.iter().flatten().enumerate() {
        let port_path = path.child("ports").index(i);
        if !(1..=65535).contains(&port.container_port) {
            errors.push(FieldError::invalid(
                port_path.child("containerPort"),
                port.container_port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        if let Some(host_port) = port.host_port
            && !(1..=65535).contains(&host_port)
        {
            errors.push(FieldError::invalid(
                port_path.child("hostPort"),
                host_port,
                "must be between 1 and 65535, inclusive",
            ));
        }
        if let Some(protocol) = port.protocol.as_deref()
            && !["TCP", "UDP", "SCTP"].contains(&protocol)
        {
            errors.push(FieldError::not_supported(
                port_path.child("protocol"),
                protocol,
                &["SCTP", "TCP", "UDP"],
            ));
        }
    }
    for (i, mount) in container.volume_mounts.iter().flatten().enumerate() {
        if !volumes.contains(mount.name.as_str()) {
            errors.push(FieldError::not_found(
                path.child("volumeMounts").index(i).child("name"),
                mount.name.as_str(),
            ));
        }
    }
    for (i, variable) in container.env.iter().flatten().enumerate() {
        if variable.name.is_empty() {
            errors.push(FieldError::required(
                path.child("env").index(i).child("name"),
                "",
            ));
        }
    }
    if let Some(resources) = &container.resources {
        errors.extend(validate_resources(resources, &path.child("resources")));
    }
    errors
}

fn validate_resources(resources: &ResourceRequirements, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    for (field, list) in [
        ("limits", &resources.limits),
        ("requests", &resources.requests),
    ] {
        for (name, value) in list.iter().flatten() {
            let entry = path.child(field).key(name);
            match quantity::parse_milli(&value.0) {
                Err(message) => errors.push(FieldError::invalid(entry, value.0.as_str(), message)),
                Ok(milli) if milli < 0 => errors.push(FieldError::invalid(
                    entry,
                    value.0.as_str(),
                    "must be greater than or equal to 0",
                )),
                Ok(_) => {}
            }
        }
    }
    for (name, request) in resources.requests.iter().flatten() {
        let Some(limit) = resources
            .limits
            .as_ref()
            .and_then(|limits| limits.get(name))
        else {
            continue;
        };
        if let (Ok(request_milli), Ok(limit_milli)) = (
            quantity::parse_milli(&request.0),
            quantity::parse_milli(&limit.0),
        ) && request_milli > limit_milli
        {
            errors.push(FieldError::invalid(
                path.child("requests"),
                request.0.as_str(),
                format!("must be less than or equal to {name} limit of {}", limit.0),
            ));
        }
    }
    errors
}

/// `ValidateTolerations` for one toleration.
pub fn validate_toleration(toleration: &Toleration, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let key = toleration.key.as_deref().unwrap_or_default();
    let operator = toleration.operator.as_deref().unwrap_or_default();
    let value = toleration.value.as_deref().unwrap_or_default();
    if !key.is_empty() {
        for message in is_qualified_name(key) {
            errors.push(FieldError::invalid(path.child("key"), key, message));
        }
    }
    if key.is_empty() && operator != "Exists" {
        errors.push(FieldError::invalid(
            path.child("operator"),
            operator,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
        ));
    }
    if toleration.toleration_seconds.is_some() && toleration.effect.as_deref() != Some("NoExecute")
    {
        errors.push(FieldError::invalid(
            path.child("effect"),
            toleration.effect.as_deref().unwrap_or_default(),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ));
    }
    match operator {
        "" | "Equal" => {
            for message in crate::api::validation::is_valid_label_value(value) {
                errors.push(FieldError::invalid(path.child("operator"), value, message));
            }
        }
        "Exists" => {
            if !value.is_empty() {
                errors.push(FieldError::invalid(
                    path.child("operator"),
                    value,
                    "value must be empty when `operator` is 'Exists'",
                ));
            }
        }
        other => errors.push(FieldError::not_supported(
            path.child("operator"),
            other,
            &["Equal", "Exists"],
        )),
    }
    if let Some(effect) = toleration.effect.as_deref()
        && !effect.is_empty()
        && !TAINT_EFFECTS.contains(&effect)
    {
        errors.push(FieldError::not_supported(
            path.child("effect"),
            effect,
            TAINT_EFFECTS,
        ));
    }
    errors
}

/// `ValidateNodeSelector` for required node affinity.
pub fn validate_node_selector(selector: &NodeSelector, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let terms_path = path.child("nodeSelectorTerms");
    if selector.node_selector_terms.is_empty() {
        errors.push(FieldError::required(
            terms_path.clone(),
            "must have at least one node selector term",
        ));
    }
    for (i, term) in selector.node_selector_terms.iter().enumerate() {
        let term_path = terms_path.index(i);
        for (j, requirement) in term.match_expressions.iter().flatten().enumerate() {
            let requirement_path = term_path.child("matchExpressions").index(j);
            let values = requirement.values.as_deref().unwrap_or_default();
            match requirement.operator.as_str() {
                "In" | "NotIn" if values.is_empty() => errors.push(FieldError::required(
                    requirement_path.child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                )),
                "Exists" | "DoesNotExist" if !values.is_empty() => {
                    errors.push(FieldError::forbidden(
                        requirement_path.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ))
                }
                "Gt" | "Lt" => {
                    if values.len() != 1 {
                        errors.push(FieldError::required(
                            requirement_path.child("values"),
                            "must be specified single value when `operator` is 'Lt' or 'Gt'",
                        ));
                    } else if values[0].parse::<i64>().is_err() {
                        errors.push(FieldError::invalid(
                            requirement_path.child("values").index(0),
                            values[0].as_str(),
                            "must be an integer",
                        ));
                    }
                }
                "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
                other => errors.push(FieldError::invalid(
                    requirement_path.child("operator"),
                    other,
                    "not a valid selector operator",
                )),
            }
            for message in is_qualified_name(&requirement.key) {
                errors.push(FieldError::invalid(
                    requirement_path.child("key"),
                    requirement.key.as_str(),
                    message,
                ));
            }
        }
        for (j, requirement) in term.match_fields.iter().flatten().enumerate() {
            let requirement_path = term_path.child("matchFields").index(j);
            if requirement.key != "metadata.name" {
                errors.push(FieldError::invalid(
                    requirement_path.child("key"),
                    requirement.key.as_str(),
                    "not a valid field selector key",
                ));
            }
            let values = requirement.values.as_deref().unwrap_or_default();
            if !matches!(requirement.operator.as_str(), "In" | "NotIn") {
                errors.push(FieldError::invalid(
                    requirement_path.child("operator"),
                    requirement.operator.as_str(),
                    "not a valid selector operator",
                ));
            } else if values.len() != 1 {
                errors.push(FieldError::required(requirement_path.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(name: &str, image: &str) -> Container {
        Container {
            name: name.into(),
            image: Some(image.into()),
            ..Container::default()
        }
    }

    #[test]
    fn defaults_match_a_pod_read_back_from_the_api() {
        let mut spec = PodSpec {
            containers: vec![
                container("web", "nginx"),
                container("sidecar", "busybox:1.36"),
            ],
            ..PodSpec::default()
        };
        set_defaults_pod_spec(&mut spec);
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        assert_eq!(
            spec.containers[0].image_pull_policy.as_deref(),
            Some("Always")
        );
        assert_eq!(
            spec.containers[1].image_pull_policy.as_deref(),
            Some("IfNotPresent")
        );
        assert_eq!(
            spec.containers[0].termination_message_path.as_deref(),
            Some("/dev/termination-log")
        );
    }

    #[test]
    fn rejects_missing_image_and_bad_restart_policy() {
        let spec = PodSpec {
            containers: vec![container("web", "")],
            restart_policy: Some("Sometimes".into()),
            ..PodSpec::default()
        };
        let errors: Vec<String> = validate_pod_spec(&spec, &Path::new("spec"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            vec![
                "spec.containers[0].image: Required value".to_string(),
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"".to_string(),
            ]
        );
    }

    #[test]
    fn toleration_rules() {
        let toleration = Toleration {
            key: Some("a".into()),
            operator: Some("Exists".into()),
            value: Some("b".into()),
            ..Toleration::default()
        };
        let errors = validate_toleration(&toleration, &Path::new("spec.tolerations[0]"));
        assert_eq!(
            errors[0].to_string(),
            "spec.tolerations[0].operator: Invalid value: \"b\": value must be empty when `operator` is 'Exists'"
        );
        let toleration = Toleration {
            toleration_seconds: Some(5),
            effect: Some("NoSchedule".into()),
            key: Some("a".into()),
            ..Toleration::default()
        };
        let errors = validate_toleration(&toleration, &Path::new("t"));
        assert_eq!(
            errors[0].to_string(),
            "t.effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"
        );
    }
}
