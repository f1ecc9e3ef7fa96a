//! `kubectl logs`: what a container printed, from the kubelet's record of its runs.

use k8s_openapi::api::core::v1::Pod;

use super::args::Args;
use super::{Output, get_object, namespace};
use crate::api::{AnyObject, ApiObject, Kind, ObjectKey};
use crate::cluster::Cluster;
use crate::kubelet::logs_until;

/// The pod `kubectl logs TYPE/NAME` reads: the named pod, or the first pod a workload owns.
fn pod_for(cluster: &Cluster, args: &Args, target: &str) -> Result<(Pod, Option<String>), String> {
    let namespace = namespace(args);
    let Some((resource, name)) = target.split_once('/') else {
        return match get_object(cluster, Kind::Pod, &namespace, target)? {
            AnyObject::Pod(pod) => Ok((pod.as_ref().clone(), None)),
            _ => Err(format!("error: {target} is not a pod")),
        };
    };
    let kind =
        Kind::from_resource_arg(resource).ok_or_else(|| super::unknown_resource(resource))?;
    let owner = get_object(cluster, kind, &namespace, name)?;
    if let AnyObject::Pod(pod) = owner {
        return Ok((pod.as_ref().clone(), None));
    }
    let mut pods: Vec<&std::sync::Arc<Pod>> = cluster
        .api()
        .table::<Pod>()
        .controlled_by(owner.uid())
        .collect();
    pods.sort_by(|a, b| {
        a.metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0)
            .cmp(&b.metadata.creation_timestamp.as_ref().map(|t| t.0))
            .then(a.name().cmp(b.name()))
    });
    let count = pods.len();
    let pod = pods
        .first()
        .ok_or_else(|| "error: timed out waiting for the condition".to_string())?;
    let note = (count > 1).then(|| format!("Found {count} pods, using pod/{}", pod.name()));
    Ok((pod.as_ref().clone(), note))
}

pub fn logs(cluster: &mut Cluster, args: &Args) -> Output {
    // `--tail` is an int64 flag: a value that does not parse stops the command.
    let tail = match super::flags::int(args, "tail") {
        Ok(tail) => tail.filter(|tail| *tail >= 0),
        Err(message) => return Output::failure(message),
    };
    let Some(target) = args.positional.get(1) else {
        return Output::failure(
            "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
        );
    };
    let (pod, note) = match pod_for(cluster, args, target) {
        Ok(found) => found,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    if let Some(note) = note {
        output.note(note);
    }
    let names: Vec<String> = pod
        .spec
        .iter()
        .flat_map(|spec| spec.containers.iter())
        .map(|container| container.name.clone())
        .collect();
    let container = match args
        .value("container")
        .or_else(|| args.positional.get(2).map(String::as_str))
    {
        Some(container) => {
            if !names.iter().any(|name| name == container) {
                return Output::failure(format!(
                    "error: container {container} is not valid for pod {}",
                    pod.name()
                ));
            }
            container.to_string()
        }
        None => {
            let Some(first) = names.first() else {
                return Output::failure("error: the pod has no containers");
            };
            if names.len() > 1 {
                output.note(format!(
                    "Defaulted container \"{first}\" out of: {}",
                    names.join(", ")
                ));
            }
            first.clone()
        }
    };
    let previous = args.flag("previous");
    let key = ObjectKey::new(pod.namespace(), pod.name());
    let waiting_reason = pod
        .status
        .as_ref()
        .and_then(|status| status.container_statuses.as_ref())
        .and_then(|statuses| statuses.iter().find(|status| status.name == container))
        .and_then(|status| status.state.as_ref()?.waiting.as_ref()?.reason.clone());
    let lines = cluster
        .kubelet()
        .runtime(&key)
        .and_then(|runtime| logs_until(runtime, &container, cluster.now(), previous));
    match lines {
        Some(lines)
            if !(previous && lines.is_empty() && !has_previous(cluster, &key, &container)) =>
        {
            let skip = tail.map_or(0, |tail| lines.len().saturating_sub(tail as usize));
            for line in lines.into_iter().skip(skip) {
                output.line(line);
            }
        }
        Some(_) => {
            return Output::failure(format!(
                "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{}\" not found",
                pod.name()
            ));
        }
        None => {
            let reason = waiting_reason.unwrap_or_else(|| "ContainerCreating".into());
            return Output::failure(format!(
                "Error from server (BadRequest): container \"{container}\" in pod \"{}\" is waiting to start: {reason}",
                pod.name()
            ));
        }
    }
    output
}

fn has_previous(cluster: &Cluster, key: &ObjectKey, container: &str) -> bool {
    cluster
        .kubelet()
        .runtime(key)
        .and_then(|runtime| {
            runtime
                .containers
                .iter()
                .find(|candidate| candidate.name == container)
        })
        .is_some_and(|container| container.restart_count > 0)
}
