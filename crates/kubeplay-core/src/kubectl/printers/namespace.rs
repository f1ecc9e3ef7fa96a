//! `kubectl get namespaces`: k8s `printNamespace`.

use k8s_openapi::api::core::v1::Namespace;

use crate::clock::Millis;
use crate::kubectl::human::since;

use super::{Column, column};

pub(super) const COLUMNS: &[Column] = &[column("Name"), column("Status"), column("Age")];

pub(super) fn cells(now: Millis, namespace: &Namespace) -> Vec<String> {
    vec![
        namespace.metadata.name.clone().unwrap_or_default(),
        namespace
            .status
            .as_ref()
            .and_then(|status| status.phase.clone())
            .unwrap_or_default(),
        since(now, namespace.metadata.creation_timestamp.as_ref()),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::{TableOptions, print_table};
    use crate::api::Kind;
    use crate::cluster::Cluster;

    #[test]
    fn prints_namespaces() {
        let mut cluster = Cluster::default_cluster();
        cluster.advance(26 * 60 * 60_000);
        let namespaces = cluster.store().list_any(Kind::Namespace, None);
        let out = print_table(
            cluster.api(),
            Kind::Namespace,
            &namespaces,
            &TableOptions::default(),
        );
        assert_eq!(
            out,
            "NAME              STATUS   AGE\n\
             default           Active   26h\n\
             kube-node-lease   Active   26h\n\
             kube-public       Active   26h\n\
             kube-system       Active   26h\n"
        );
    }
}
