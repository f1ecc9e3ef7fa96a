//! Tab completion for `kubectl`, as kubectl's hidden `__complete` command gives it to shells:
//! subcommands, resource types (`kubectl api-resources`'s names and short names), names of
//! objects of the given type from the store, flags and their fixed values.

use std::collections::BTreeSet;

use super::args::Args;
use crate::api::{AnyObject, Kind};
use crate::cluster::Cluster;
use crate::shell::Candidate;

/// The subcommands kubeplay runs, with kubectl's one-line help for each.
pub const COMMANDS: &[(&str, &str)] = &[
    ("annotate", "Update the annotations on a resource"),
    (
        "api-resources",
        "Print the supported API resources on the server",
    ),
    (
        "apply",
        "Apply a configuration to a resource by file name or stdin",
    ),
    ("cordon", "Mark node as unschedulable"),
    ("create", "Create a resource from a file or from stdin"),
    (
        "delete",
        "Delete resources by file names, stdin, resources and names, or by resources and label selector",
    ),
    (
        "describe",
        "Show details of a specific resource or group of resources",
    ),
    ("drain", "Drain node in preparation for maintenance"),
    ("get", "Display one or many resources"),
    ("label", "Update the labels on a resource"),
    ("logs", "Print the logs for a container in a pod"),
    ("patch", "Update fields of a resource"),
    ("rollout", "Manage the rollout of a resource"),
    ("set", "Set specific features on objects"),
    ("taint", "Update the taints on one or more nodes"),
    ("uncordon", "Mark node as schedulable"),
    ("version", "Print the client and server version information"),
    (
        "wait",
        "Experimental: Wait for a specific condition on one or many resources",
    ),
];

const ROLLOUT_COMMANDS: &[(&str, &str)] = &[
    ("history", "View rollout history"),
    ("restart", "Restart a resource"),
    ("status", "Show the status of the rollout"),
    ("undo", "Undo a previous rollout"),
];

const CREATE_COMMANDS: &[(&str, &str)] = &[
    ("job", "Create a job with the specified name"),
    ("namespace", "Create a namespace with the specified name"),
];

/// The flags each command reads, long names as `--name`, the ones taking a value ending in `=`
/// only in the value list below.
fn flags(command: &str) -> &'static [&'static str] {
    match command {
        "get" => &[
            "--all-namespaces",
            "--field-selector",
            "--namespace",
            "--no-headers",
            "--output",
            "--selector",
            "--show-labels",
            "--sort-by",
            "--label-columns",
            "--watch",
        ],
        "describe" => &["--all-namespaces", "--namespace", "--selector"],
        "apply" => &["--dry-run", "--filename", "--namespace"],
        "create" => &[
            "--dry-run",
            "--filename",
            "--from",
            "--image",
            "--namespace",
            "--output",
        ],
        "delete" => &[
            "--all",
            "--cascade",
            "--field-selector",
            "--filename",
            "--force",
            "--grace-period",
            "--namespace",
            "--output",
            "--selector",
            "--wait",
        ],
        "label" | "annotate" => &["--all", "--namespace", "--overwrite", "--selector"],
        "taint" => &["--all", "--overwrite", "--selector"],
        "drain" => &[
            "--delete-emptydir-data",
            "--force",
            "--ignore-daemonsets",
            "--selector",
        ],
        "cordon" | "uncordon" => &["--selector"],
        "patch" => &["--namespace", "--patch", "--type"],
        "set" => &["--namespace"],
        "rollout" => &[
            "--namespace",
            "--revision",
            "--selector",
            "--timeout",
            "--to-revision",
            "--watch",
        ],
        "wait" => &["--all", "--for", "--namespace", "--selector", "--timeout"],
        "logs" => &[
            "--container",
            "--namespace",
            "--previous",
            "--since",
            "--tail",
        ],
        "version" => &["--client"],
        _ => &["--namespace"],
    }
}

/// The fixed values a flag takes; `None` for flags without a short list of them.
fn flag_values(cluster: &Cluster, flag: &str) -> Option<Vec<Candidate>> {
    let fixed = |values: &[(&str, &str)]| {
        values
            .iter()
            .map(|(value, description)| Candidate::new(*value, *description))
            .collect()
    };
    Some(match flag {
        "namespace" => cluster
            .store()
            .list_any(Kind::Namespace, None)
            .iter()
            .map(|namespace| Candidate::new(namespace.name(), ""))
            .collect(),
        "output" => fixed(&[
            ("json", ""),
            ("jsonpath=", "a JSONPath template"),
            ("name", "kind/name only"),
            ("wide", "more columns"),
            ("yaml", ""),
        ]),
        "cascade" => fixed(&[
            ("background", "delete the owner now, its dependents after"),
            ("foreground", "delete the dependents first, then the owner"),
            ("orphan", "keep the dependents"),
        ]),
        "dry-run" => fixed(&[("client", ""), ("none", ""), ("server", "")]),
        "filename" => fixed(&[("-", "read the manifest from stdin")]),
        "type" => fixed(&[("json", ""), ("merge", ""), ("strategic", "")]),
        "for" => fixed(&[
            ("condition=Complete", "a Job finished"),
            ("condition=Failed", "a Job failed"),
            ("condition=Ready", "a pod is ready"),
            ("delete", "the object is gone"),
        ]),
        _ => return None,
    })
}

/// Completes the word being typed (`current`) after `kubectl` and the `words` before it.
pub fn complete(cluster: &Cluster, words: &[String], current: &str) -> Vec<Candidate> {
    // The flag that takes this word as its value: `-n <TAB>`, `--output=<TAB>`.
    if let Some((flag, prefix)) = current
        .strip_prefix("--")
        .and_then(|rest| rest.split_once('='))
    {
        return flag_values(cluster, flag)
            .unwrap_or_default()
            .into_iter()
            .map(|candidate| Candidate {
                value: format!("--{flag}={}", candidate.value),
                ..candidate
            })
            .filter(|candidate| candidate.value.starts_with(&format!("--{flag}={prefix}")))
            .collect();
    }
    if let Some(flag) = words.last().and_then(|word| value_flag(word)) {
        return matching(flag_values(cluster, flag).unwrap_or_default(), current);
    }
    let args = Args::parse(words).unwrap_or_default();
    let positional: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    if current.starts_with('-') {
        let command = positional.first().copied().unwrap_or_default();
        let candidates = flags(command)
            .iter()
            .map(|flag| Candidate::new(*flag, ""))
            .collect();
        return matching(candidates, current);
    }
    let namespace = if args.flag("all-namespaces") {
        None
    } else {
        Some(super::namespace(&args))
    };
    let names = |kind: Kind| names(cluster, kind, namespace.as_deref());
    let candidates = match positional.as_slice() {
        [] => fixed(COMMANDS),
        ["get" | "describe" | "delete" | "wait", resource, rest @ ..] => {
            // Names already typed are not offered again.
            let typed: BTreeSet<&str> = rest.iter().copied().collect();
            match resource_names(cluster, current, namespace.as_deref()) {
                Some(candidates) => candidates,
                None => kind_of(resource)
                    .map(names)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|candidate| !typed.contains(candidate.value.as_str()))
                    .collect(),
            }
        }
        ["get" | "describe" | "delete" | "wait" | "label" | "annotate" | "patch"] => {
            resources(cluster, current, namespace.as_deref(), Kind::ALL.as_slice())
        }
        ["label" | "annotate" | "patch", resource] => {
            match resource_names(cluster, current, namespace.as_deref()) {
                Some(candidates) => candidates,
                None => kind_of(resource).map(names).unwrap_or_default(),
            }
        }
        ["rollout"] => fixed(ROLLOUT_COMMANDS),
        ["rollout", _] => resources(cluster, current, namespace.as_deref(), &[Kind::DaemonSet]),
        ["rollout", _, resource] => kind_of(resource).map(names).unwrap_or_default(),
        ["set"] => vec![Candidate::new(
            "image",
            "Update the image of a pod template",
        )],
        ["set", "image"] => resources(
            cluster,
            current,
            namespace.as_deref(),
            &[Kind::DaemonSet, Kind::Job, Kind::CronJob, Kind::Pod],
        ),
        ["set", "image", resource] if !resource.contains('/') => {
            kind_of(resource).map(names).unwrap_or_default()
        }
        ["create"] => fixed(CREATE_COMMANDS),
        ["taint"] => resources(cluster, current, None, &[Kind::Node]),
        ["taint", _] => names(Kind::Node),
        ["taint", _, node, ..] => removable_taints(cluster, node),
        ["cordon" | "uncordon" | "drain"] => names(Kind::Node),
        ["logs"] => match resource_names(cluster, current, namespace.as_deref()) {
            Some(candidates) => candidates,
            None => names(Kind::Pod),
        },
        _ => Vec::new(),
    };
    matching(candidates, current)
}

/// The long name of a flag that takes a value, for `-n` and `--namespace` given as a whole word.
fn value_flag(word: &str) -> Option<&'static str> {
    let name = match word.strip_prefix("--") {
        Some(long) if !long.contains('=') => long,
        Some(_) => return None,
        None => match word {
            "-n" => "namespace",
            "-o" => "output",
            "-f" => "filename",
            "-l" => "selector",
            _ => return None,
        },
    };
    [
        "namespace",
        "output",
        "filename",
        "selector",
        "cascade",
        "dry-run",
        "type",
        "for",
    ]
    .into_iter()
    .find(|flag| *flag == name)
}

fn fixed(values: &[(&str, &str)]) -> Vec<Candidate> {
    values
        .iter()
        .map(|(value, description)| Candidate::new(*value, *description))
        .collect()
}

/// The candidates that start with what is typed.
fn matching(candidates: Vec<Candidate>, current: &str) -> Vec<Candidate> {
    candidates
        .into_iter()
        .filter(|candidate| candidate.value.starts_with(current))
        .collect()
}

/// One kind named on the command line (`pods`, `po`, `pod`); `None` for lists (`pods,ds`).
fn kind_of(resource: &str) -> Option<Kind> {
    if resource.contains(',') {
        return None;
    }
    Kind::from_resource_arg(resource)
}

/// Resource types as `kubectl api-resources` lists them: names and short names. A short name
/// that only abbreviates an offered name (`no` for `nodes`) is left out, so `no<TAB>` completes.
/// `TYPE/` completes to `TYPE/NAME`.
fn resources(
    cluster: &Cluster,
    current: &str,
    namespace: Option<&str>,
    kinds: &[Kind],
) -> Vec<Candidate> {
    if let Some(candidates) = resource_names(cluster, current, namespace) {
        return candidates;
    }
    let plurals: Vec<Candidate> = kinds
        .iter()
        .filter(|kind| kind.plural().starts_with(current))
        .map(|kind| Candidate::new(kind.plural(), kind.name()))
        .collect();
    let shorts = kinds.iter().flat_map(|kind| {
        kind.short_names()
            .iter()
            .map(move |short| Candidate::new(*short, kind.name()))
    });
    let shorts: Vec<Candidate> = shorts
        .filter(|short| short.value.starts_with(current))
        .filter(|short| {
            !plurals
                .iter()
                .any(|plural| plural.value.starts_with(&short.value))
        })
        .collect();
    plurals.into_iter().chain(shorts).collect()
}

/// For `TYPE/NAME` words: the names of that type, written `TYPE/NAME`.
fn resource_names(
    cluster: &Cluster,
    current: &str,
    namespace: Option<&str>,
) -> Option<Vec<Candidate>> {
    let (resource, _) = current.split_once('/')?;
    let kind = kind_of(resource)?;
    Some(matching(
        names(cluster, kind, namespace)
            .into_iter()
            .map(|candidate| Candidate {
                value: format!("{resource}/{}", candidate.value),
                ..candidate
            })
            .collect(),
        current,
    ))
}

/// The names of a kind's objects in `namespace` (every namespace for `None`), with the
/// namespace as the description when listing across namespaces.
fn names(cluster: &Cluster, kind: Kind, namespace: Option<&str>) -> Vec<Candidate> {
    let namespace = namespace.filter(|_| kind.namespaced());
    let mut seen = BTreeSet::new();
    cluster
        .store()
        .list_any(kind, namespace)
        .iter()
        .filter(|object| seen.insert(object.name().to_string()))
        .map(|object: &AnyObject| {
            let description = if namespace.is_none() && kind.namespaced() {
                object.key().namespace.clone()
            } else {
                String::new()
            };
            Candidate::new(object.name(), description)
        })
        .collect()
}

/// A node's taints written for removal: `key:Effect-`.
fn removable_taints(cluster: &Cluster, node: &str) -> Vec<Candidate> {
    cluster
        .nodes()
        .filter(|candidate| candidate.metadata.name.as_deref() == Some(node))
        .flat_map(|node| {
            node.spec
                .iter()
                .flat_map(|spec| spec.taints.iter().flatten())
        })
        .map(|taint| {
            Candidate::new(
                format!("{}:{}-", taint.key, taint.effect),
                "remove this taint",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::complete as complete_line;

    fn values(line: &str) -> Vec<String> {
        let cluster = Cluster::default_cluster();
        values_in(&cluster, line)
    }

    fn values_in(cluster: &Cluster, line: &str) -> Vec<String> {
        complete_line(cluster, line, line.len())
            .candidates
            .into_iter()
            .map(|candidate| candidate.value)
            .collect()
    }

    #[test]
    fn subcommands() {
        assert_eq!(values("kubectl ge"), ["get"]);
        assert_eq!(values("kubectl d"), ["delete", "describe", "drain"]);
        assert_eq!(
            values("k rollout "),
            ["history", "restart", "status", "undo"]
        );
        assert_eq!(values("kubectl create "), ["job", "namespace"]);
    }

    #[test]
    fn resource_types_with_short_names() {
        assert_eq!(values("kubectl get no"), ["nodes"]);
        assert_eq!(values("kubectl get d"), ["daemonsets", "ds"]);
        assert_eq!(values("kubectl describe cj"), ["cj"]);
        assert_eq!(values("kubectl rollout status "), ["daemonsets", "ds"]);
        assert_eq!(values("kubectl taint "), ["nodes"]);
    }

    #[test]
    fn object_names_of_the_given_type() {
        assert_eq!(
            values("kubectl get nodes "),
            ["control-plane", "node-1", "node-2", "node-3"]
        );
        assert_eq!(
            values("kubectl describe no node-"),
            ["node-1", "node-2", "node-3"]
        );
        assert_eq!(
            values("kubectl get nodes node-1 node-"),
            ["node-2", "node-3"]
        );
        assert_eq!(values("kubectl cordon c"), ["control-plane"]);
        assert_eq!(values("kubectl get node/node-3"), ["node/node-3"]);
        assert_eq!(
            values("kubectl get ns kube-"),
            ["kube-node-lease", "kube-public", "kube-system"]
        );
    }

    #[test]
    fn names_come_from_the_namespace_given() {
        let mut cluster = Cluster::default_cluster();
        let manifest = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: pi\n        image: perl:5.34.0\n";
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{output:?}");
        assert_eq!(
            values_in(&cluster, "kubectl get jobs "),
            Vec::<String>::new()
        );
        assert_eq!(
            values_in(&cluster, "kubectl get jobs -n kube-system "),
            ["pi"]
        );
        assert_eq!(values_in(&cluster, "kubectl get job -A p"), ["pi"]);
        assert_eq!(
            values_in(&cluster, "kubectl logs -n kube-system job/"),
            ["job/pi"]
        );
    }

    #[test]
    fn flags_and_their_values() {
        assert_eq!(values("kubectl get pods --sh"), ["--show-labels"]);
        assert_eq!(
            values("kubectl get pods -o "),
            ["json", "jsonpath=", "name", "wide", "yaml"]
        );
        assert_eq!(values("kubectl get pods -o y"), ["yaml"]);
        assert_eq!(values("kubectl get pods --output=w"), ["--output=wide"]);
        assert_eq!(
            values("kubectl delete ds x --cascade "),
            ["background", "foreground", "orphan"]
        );
        assert_eq!(values("kubectl apply -f "), ["-"]);
        assert_eq!(
            values("kubectl get pods -n kube-"),
            ["kube-node-lease", "kube-public", "kube-system"]
        );
    }

    #[test]
    fn taints_to_remove() {
        assert_eq!(
            values("kubectl taint nodes control-plane "),
            ["node-role.kubernetes.io/control-plane:NoSchedule-"]
        );
    }
}
