//! The inspector's command lines for an object and the objects it offers to pick.

use kubeplay_core::Cluster;
use kubeplay_core::api::Kind;

use crate::state::ObjectRef;

/// How kubectl names the object's type on a command line: `pod`, `daemonset`, `cronjob`.
fn resource(kind: Kind) -> String {
    kind.name().to_lowercase()
}

/// `-n NAMESPACE` for namespaced objects, nothing for nodes and namespaces.
fn namespace_flag(object: &ObjectRef) -> String {
    if object.kind.namespaced() {
        format!(" -n {}", object.namespace)
    } else {
        String::new()
    }
}

/// `kubectl describe pod web -n default`
pub fn describe_command(object: &ObjectRef) -> String {
    format!(
        "kubectl describe {} {}{}",
        resource(object.kind),
        object.name,
        namespace_flag(object)
    )
}

/// `kubectl get pod web -n default -o yaml`
pub fn yaml_command(object: &ObjectRef) -> String {
    format!(
        "kubectl get {} {}{} -o yaml",
        resource(object.kind),
        object.name,
        namespace_flag(object)
    )
}

/// The objects of `kind`, by namespace and name, for the picker.
pub fn objects(cluster: &Cluster, kind: Kind) -> Vec<ObjectRef> {
    let mut objects: Vec<ObjectRef> = cluster
        .store()
        .list_any(kind, None)
        .iter()
        .map(|object| ObjectRef {
            kind,
            namespace: if kind.namespaced() {
                object.key().namespace.clone()
            } else {
                String::new()
            },
            name: object.name().to_string(),
        })
        .collect();
    objects.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    objects
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_name_the_namespace_only_when_the_kind_has_one() {
        let pod = ObjectRef {
            kind: Kind::Pod,
            namespace: "kube-system".into(),
            name: "fluentd-x2k4p".into(),
        };
        assert_eq!(
            describe_command(&pod),
            "kubectl describe pod fluentd-x2k4p -n kube-system"
        );
        assert_eq!(
            yaml_command(&pod),
            "kubectl get pod fluentd-x2k4p -n kube-system -o yaml"
        );
        let node = ObjectRef {
            kind: Kind::Node,
            namespace: String::new(),
            name: "node-1".into(),
        };
        assert_eq!(describe_command(&node), "kubectl describe node node-1");
    }

    #[test]
    fn the_picker_lists_objects_of_a_kind() {
        let mut cluster = Cluster::default_cluster();
        let nodes: Vec<String> = objects(&cluster, Kind::Node)
            .into_iter()
            .map(|object| object.name)
            .collect();
        assert_eq!(nodes, ["control-plane", "node-1", "node-2", "node-3"]);
        let output = cluster.exec("kubectl create job pi --image=perl:5.34.0", "");
        assert_eq!(output.exit_code, 0, "{output:?}");
        let jobs = objects(&cluster, Kind::Job);
        assert_eq!(
            jobs,
            [ObjectRef {
                kind: Kind::Job,
                namespace: "default".into(),
                name: "pi".into()
            }]
        );
        // Every command line the inspector runs works for what the picker offers.
        for object in jobs.iter().chain(&objects(&cluster, Kind::Node)) {
            assert_eq!(cluster.exec(&describe_command(object), "").exit_code, 0);
            assert_eq!(cluster.exec(&yaml_command(object), "").exit_code, 0);
        }
    }
}
