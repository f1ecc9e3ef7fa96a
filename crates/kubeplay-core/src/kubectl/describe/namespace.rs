//! `kubectl describe namespace`: `describeNamespace`. kubeplay serves no ResourceQuotas or
//! LimitRanges, so both lists are empty, as on a cluster that has none.

use k8s_openapi::api::core::v1::Namespace;

use super::{
    LEVEL_0, LEVEL_1, PrefixWriter, go_time, print_annotations_multiline, print_labels_multiline,
};

pub(super) fn describe_namespace(namespace: &Namespace, w: &mut PrefixWriter) {
    let meta = &namespace.metadata;
    let status = namespace.status.clone().unwrap_or_default();
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()),
    );
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!("Status:\t{}\n", status.phase.as_deref().unwrap_or_default()),
    );
    if let Some(conditions) = status.conditions.as_deref().filter(|c| !c.is_empty()) {
        w.write(LEVEL_0, "Conditions:\n");
        w.write(
            LEVEL_1,
            "Type\tStatus\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            LEVEL_1,
            "----\t------\t------------------\t------\t-------\n",
        );
        for condition in conditions {
            w.write(
                LEVEL_1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    condition.type_,
                    condition.status,
                    go_time(condition.last_transition_time.as_ref()),
                    condition.reason.as_deref().unwrap_or_default(),
                    condition.message.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    w.write(LEVEL_0, "\n");
    w.write(LEVEL_0, "No resource quota.\n");
    w.write(LEVEL_0, "\n");
    w.write(LEVEL_0, "No LimitRange resource.\n");
}

#[cfg(test)]
mod tests {
    use super::super::describe;
    use crate::api::Kind;
    use crate::cluster::Cluster;

    #[test]
    fn describes_a_namespace() {
        let cluster = Cluster::empty();
        let namespace = cluster.get_any(Kind::Namespace, "", "kube-system").unwrap();
        assert_eq!(
            describe(cluster.api(), &namespace),
            "Name:         kube-system
Labels:       kubernetes.io/metadata.name=kube-system
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"
        );
    }
}
