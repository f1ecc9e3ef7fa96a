//! `kubectl get nodes`: k8s `printNode`.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Node;

use crate::clock::Millis;
use crate::kubectl::human::since;

use super::{Column, column, wide};

pub(super) const COLUMNS: &[Column] = &[
    column("Name"),
    column("Status"),
    column("Roles"),
    column("Age"),
    column("Version"),
    wide("Internal-IP"),
    wide("External-IP"),
    wide("OS-Image"),
    wide("Kernel-Version"),
    wide("Container-Runtime"),
];

const LABEL_NODE_ROLE_PREFIX: &str = "node-role.kubernetes.io/";
const NODE_LABEL_ROLE: &str = "kubernetes.io/role";

pub(super) fn cells(now: Millis, node: &Node) -> Vec<String> {
    let status = node.status.as_ref();
    let roles = find_node_roles(node).join(",");
    let info = status.and_then(|status| status.node_info.as_ref());
    let unknown = |text: Option<&String>| match text {
        Some(text) if !text.is_empty() => text.clone(),
        _ => "<unknown>".to_string(),
    };
    vec![
        node.metadata.name.clone().unwrap_or_default(),
        node_status(node),
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles
        },
        since(now, node.metadata.creation_timestamp.as_ref()),
        info.map(|info| info.kubelet_version.clone())
            .unwrap_or_default(),
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        unknown(info.map(|info| &info.os_image)),
        unknown(info.map(|info| &info.kernel_version)),
        unknown(info.map(|info| &info.container_runtime_version)),
    ]
}

/// The STATUS column of `kubectl get nodes` (`printNode`): `Ready`, `NotReady` (the Ready
/// condition is False or Unknown) or `Unknown` (no Ready condition), then `SchedulingDisabled`
/// for a cordoned node, comma separated.
pub fn node_status(node: &Node) -> String {
    // The last Ready condition wins, as printNode's condition map keeps it.
    let ready = node
        .status
        .as_ref()
        .and_then(|status| status.conditions.as_ref())
        .and_then(|conditions| {
            conditions
                .iter()
                .rev()
                .find(|condition| condition.type_ == "Ready")
        });
    let mut states = vec![match ready {
        Some(condition) if condition.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if node
        .spec
        .as_ref()
        .and_then(|spec| spec.unschedulable)
        .unwrap_or(false)
    {
        states.push("SchedulingDisabled");
    }
    states.join(",")
}

/// The first address of a type, or `<none>` (`getNodeInternalIP`, `getNodeExternalIP`).
fn address(node: &Node, type_: &str) -> String {
    node.status
        .as_ref()
        .and_then(|status| status.addresses.as_ref())
        .and_then(|addresses| addresses.iter().find(|address| address.type_ == type_))
        .map(|address| address.address.clone())
        .unwrap_or_else(|| "<none>".into())
}

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and a `kubernetes.io/role` value, sorted.
pub fn find_node_roles(node: &Node) -> Vec<String> {
    let mut roles = BTreeSet::new();
    for (key, value) in crate::api::meta::labels(&node.metadata) {
        if let Some(role) = key.strip_prefix(LABEL_NODE_ROLE_PREFIX) {
            if !role.is_empty() {
                roles.insert(role.to_string());
            }
        } else if key == NODE_LABEL_ROLE && !value.is_empty() {
            roles.insert(value.clone());
        }
    }
    roles.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::{TableOptions, print_table};
    use crate::api::Kind;
    use crate::cluster::Cluster;

    #[test]
    fn prints_the_default_cluster() {
        let mut cluster = Cluster::default_cluster();
        cluster.advance(3 * 60_000 + 4_000);
        cluster
            .act(|api| {
                api.modify::<k8s_openapi::api::core::v1::Node>(
                    &crate::api::ObjectKey::cluster("node-2"),
                    |node| {
                        node.spec.get_or_insert_with(Default::default).unschedulable = Some(true);
                    },
                )
            })
            .unwrap();
        let nodes = cluster.store().list_any(Kind::Node, None);
        let out = print_table(cluster.api(), Kind::Node, &nodes, &TableOptions::default());
        assert_eq!(
            out,
            "NAME            STATUS                     ROLES           AGE    VERSION\n\
             control-plane   Ready                      control-plane   3m4s   v1.34.0\n\
             node-1          Ready                      <none>          3m4s   v1.34.0\n\
             node-2          Ready,SchedulingDisabled   <none>          3m4s   v1.34.0\n\
             node-3          Ready                      <none>          3m4s   v1.34.0\n"
        );
        let wide = TableOptions {
            wide: true,
            ..TableOptions::default()
        };
        let out = print_table(cluster.api(), Kind::Node, &nodes[..1], &wide);
        assert_eq!(
            out,
            "NAME            STATUS   ROLES           AGE    VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME\n\
             control-plane   Ready    control-plane   3m4s   v1.34.0   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-kubeplay   containerd://2.1.1\n"
        );
    }
}
