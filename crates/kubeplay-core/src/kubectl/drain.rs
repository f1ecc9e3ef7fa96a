//! `kubectl cordon`, `uncordon` and `drain` (kubectl `pkg/drain`): drain cordons, refuses or skips
//! the pods its filters name, evicts the rest and waits for them to go.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod, PodCondition};

use super::args::Args;
use super::delete::{WAIT_LIMIT, wait_until_gone};
use super::get::select;
use super::{Output, Target, targets};
use crate::api::{AnyObject, ApiObject, Kind, ObjectKey, meta};
use crate::apiserver::DeleteOptions;
use crate::apiserver::registry::pod::{phase, set_pod_condition};
use crate::clock::MAX_ADVANCE;
use crate::cluster::Cluster;

fn nodes(cluster: &Cluster, args: &Args) -> Result<Vec<AnyObject>, Output> {
    let words = &args.positional[1..];
    let targets: Vec<Target> = if words.is_empty() {
        if !args.has("selector") {
            return Err(Output::failure(
                "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples",
            ));
        }
        vec![Target {
            kind: Kind::Node,
            name: None,
        }]
    } else {
        let words: Vec<String> = if words[0].contains('/') {
            words.to_vec()
        } else {
            words.iter().map(|name| format!("node/{name}")).collect()
        };
        targets(&words).map_err(Output::failure)?
    };
    let selection = select(cluster, args, &targets).map_err(Output::failure)?;
    if let Some(error) = selection.errors.first() {
        return Err(Output::failure(error));
    }
    Ok(selection.objects)
}

fn set_unschedulable(
    cluster: &mut Cluster,
    node: &str,
    unschedulable: bool,
) -> Result<bool, String> {
    let key = ObjectKey::cluster(node);
    let current = cluster
        .api()
        .get_by_key::<Node>(&key)
        .and_then(|node| node.spec.as_ref()?.unschedulable)
        .unwrap_or(false);
    if current == unschedulable {
        return Ok(false);
    }
    cluster
        .act(|api| {
            api.modify::<Node>(&key, |stored| {
                stored
                    .spec
                    .get_or_insert_with(Default::default)
                    .unschedulable = unschedulable.then_some(true)
            })
        })
        .map_err(|error| error.to_string())?;
    Ok(true)
}

pub fn cordon(cluster: &mut Cluster, args: &Args, unschedulable: bool) -> Output {
    let nodes = match nodes(cluster, args) {
        Ok(nodes) => nodes,
        Err(output) => return output,
    };
    let verb = if unschedulable {
        "cordoned"
    } else {
        "uncordoned"
    };
    let mut output = Output::default();
    for node in nodes {
        match set_unschedulable(cluster, node.name(), unschedulable) {
            Ok(true) => output.line(format!("node/{} {verb}", node.name())),
            Ok(false) => output.line(format!("node/{} already {verb}", node.name())),
            Err(message) => output.error(message),
        }
    }
    output
}

/// What drain's filters decide for one pod.
enum Verdict {
    Evict,
    Skip(Option<&'static str>),
    Refuse(&'static str),
}

const DAEMONSET_ERROR: &str =
    "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const UNREPLICATED_ERROR: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNREPLICATED_WARNING: &str = "deleting Pods that declare no controller";
const LOCAL_STORAGE_ERROR: &str =
    "cannot delete Pods with local storage (use --delete-emptydir-data to override)";

/// The filters of kubectl's `drain.Helper`, in order: DaemonSet, mirror, local storage, unreplicated.
fn verdict(cluster: &Cluster, pod: &Pod, args: &Args) -> (Verdict, Option<&'static str>) {
    let finished = matches!(phase(pod), "Succeeded" | "Failed");
    let controller = meta::controller_of(&pod.metadata);
    // A pod whose DaemonSet is gone is treated like any other controlled pod.
    if let Some(owner) = controller.filter(|owner| owner.kind == "DaemonSet")
        && cluster
            .api()
            .get::<DaemonSet>(pod.namespace(), &owner.name)
            .is_some()
    {
        if !args.flag("ignore-daemonsets") {
            return (Verdict::Refuse(DAEMONSET_ERROR), None);
        }
        return (Verdict::Skip(Some(DAEMONSET_WARNING)), None);
    }
    if meta::annotations(&pod.metadata).contains_key("kubernetes.io/config.mirror") {
        return (Verdict::Skip(None), None);
    }
    let local_storage = pod
        .spec
        .iter()
        .flat_map(|spec| spec.volumes.iter().flatten())
        .any(|volume| volume.empty_dir.is_some());
    if local_storage && !finished && !args.flag("delete-emptydir-data") {
        return (Verdict::Refuse(LOCAL_STORAGE_ERROR), None);
    }
    if controller.is_none() && !finished {
        if !args.flag("force") {
            return (Verdict::Refuse(UNREPLICATED_ERROR), None);
        }
        return (Verdict::Evict, Some(UNREPLICATED_WARNING));
    }
    (Verdict::Evict, None)
}

fn pod_list(pods: &[String]) -> String {
    pods.join(", ")
}

pub fn drain(cluster: &mut Cluster, args: &Args) -> Output {
    // Flags are parsed before any node is cordoned, as cobra parses them: `--timeout` bounds
    // the wait for the evicted pods (zero: the usual limit); `--grace-period` is an int.
    let wait_limit = match super::flags::duration(args, "timeout") {
        Ok(Some(timeout)) if timeout > 0 => timeout.min(MAX_ADVANCE),
        Ok(_) => WAIT_LIMIT,
        Err(message) => return Output::failure(message),
    };
    if let Err(message) = super::flags::int(args, "grace-period") {
        return Output::failure(message);
    }
    let nodes = match nodes(cluster, args) {
        Ok(nodes) => nodes,
        Err(output) => return output,
    };
    let mut output = Output::default();
    for node in nodes {
        let name = node.name().to_string();
        match set_unschedulable(cluster, &name, true) {
            Ok(true) => output.line(format!("node/{name} cordoned")),
            Ok(false) => output.line(format!("node/{name} already cordoned")),
            Err(message) => {
                output.error(message);
                continue;
            }
        }
        let pods: Vec<Pod> = cluster
            .api()
            .table::<Pod>()
            .on_node(&name)
            .map(|pod| pod.as_ref().clone())
            .collect();
        let mut refusals: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut warnings: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut evict = Vec::new();
        for pod in &pods {
            if pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            let id = format!("{}/{}", pod.namespace(), pod.name());
            let (decision, warning) = verdict(cluster, pod, args);
            let note =
                |list: &mut Vec<(&'static str, Vec<String>)>, message: &'static str| match list
                    .iter_mut()
                    .find(|(existing, _)| *existing == message)
                {
                    Some((_, pods)) => pods.push(id.clone()),
                    None => list.push((message, vec![id.clone()])),
                };
            if let Some(warning) = warning {
                note(&mut warnings, warning);
            }
            match decision {
                Verdict::Evict => evict.push(pod.key()),
                Verdict::Skip(Some(warning)) => note(&mut warnings, warning),
                Verdict::Skip(None) => {}
                Verdict::Refuse(message) => note(&mut refusals, message),
            }
        }
        if !refusals.is_empty() {
            let reasons: Vec<String> = refusals
                .iter()
                .map(|(message, pods)| format!("{message}: {}", pod_list(pods)))
                .collect();
            let joined = if reasons.len() == 1 {
                reasons[0].clone()
            } else {
                format!("[{}]", reasons.join(", "))
            };
            output.error(format!(
                "error: unable to drain node {} due to error: {joined}, continuing command...",
                super::gofmt::go_quote(&name)
            ));
            output.error(format!("There are pending nodes to be drained:\n {name}"));
            for reason in reasons {
                output.error(reason);
            }
            continue;
        }
        if !warnings.is_empty() {
            let text: Vec<String> = warnings
                .iter()
                .map(|(message, pods)| format!("{message}: {}", pod_list(pods)))
                .collect();
            output.note(format!("Warning: {}", text.join("; ")));
        }
        let now = cluster.api().now_time();
        for key in &evict {
            output.line(format!("evicting pod {}/{}", key.namespace, key.name));
            let _ = cluster.act(|api| {
                let _ = api.modify_status::<Pod>(key, |pod| {
                    let status = pod.status.get_or_insert_with(Default::default);
                    set_pod_condition(
                        status,
                        PodCondition {
                            type_: "DisruptionTarget".into(),
                            status: "True".into(),
                            reason: Some("EvictionByEvictionAPI".into()),
                            message: Some("Eviction API: evicting".into()),
                            last_transition_time: Some(now.clone()),
                            ..PodCondition::default()
                        },
                    );
                });
                api.delete::<Pod>(key, &DeleteOptions::default())
            });
        }
        let waiting: Vec<(Kind, ObjectKey)> =
            evict.iter().map(|key| (Kind::Pod, key.clone())).collect();
        let mut wait_output = Output::default();
        wait_until_gone(cluster, &waiting, wait_limit, &mut wait_output);
        for key in &evict {
            if cluster.api().get_by_key::<Pod>(key).is_none() {
                output.line(format!("pod/{} evicted", key.name));
            }
        }
        if wait_output.failed {
            output.error(wait_output.stderr.trim_end());
            continue;
        }
        output.line(format!("node/{name} drained"));
    }
    output
}
