//! The kinds kubeplay serves, with the names kubectl and the API server use for them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Event,
    DaemonSet,
    ControllerRevision,
    Job,
    CronJob,
}

struct KindInfo {
    kind: Kind,
    name: &'static str,
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
}

const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: Kind::Namespace,
        name: "Namespace",
        group: "",
        version: "v1",
        plural: "namespaces",
        short_names: &["ns"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::Node,
        name: "Node",
        group: "",
        version: "v1",
        plural: "nodes",
        short_names: &["no"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::Pod,
        name: "Pod",
        group: "",
        version: "v1",
        plural: "pods",
        short_names: &["po"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Event,
        name: "Event",
        group: "",
        version: "v1",
        plural: "events",
        short_names: &["ev"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::DaemonSet,
        name: "DaemonSet",
        group: "apps",
        version: "v1",
        plural: "daemonsets",
        short_names: &["ds"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::ControllerRevision,
        name: "ControllerRevision",
        group: "apps",
        version: "v1",
        plural: "controllerrevisions",
        short_names: &[],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Job,
        name: "Job",
        group: "batch",
        version: "v1",
        plural: "jobs",
        short_names: &[],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::CronJob,
        name: "CronJob",
        group: "batch",
        version: "v1",
        plural: "cronjobs",
        short_names: &["cj"],
        namespaced: true,
    },
];

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Event,
        Kind::DaemonSet,
        Kind::ControllerRevision,
        Kind::Job,
        Kind::CronJob,
    ];

    fn info(self) -> &'static KindInfo {
        // KINDS lists every variant in declaration order.
        &KINDS[self as usize]
    }

    /// `DaemonSet`
    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn group(self) -> &'static str {
        self.info().group
    }

    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(self) -> &'static str {
        match self.info().group {
            "" => self.info().version,
            "apps" => "apps/v1",
            _ => "batch/v1",
        }
    }

    /// `daemonsets`
    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    /// `daemonsets.apps`, as the API server names a resource in its messages.
    pub fn qualified_plural(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            group => format!("{}.{group}", self.plural()),
        }
    }

    /// `daemonset.apps`, as kubectl prefixes names in `-o name` and in its messages.
    pub fn qualified_singular(self) -> String {
        let singular = self.name().to_ascii_lowercase();
        match self.group() {
            "" => singular,
            group => format!("{singular}.{group}"),
        }
    }

    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    pub fn short_names(self) -> &'static [&'static str] {
        self.info().short_names
    }

    /// Resolves what a user types after `kubectl get`: `ds`, `daemonset`, `daemonsets`, `daemonsets.apps`.
    pub fn from_resource_arg(arg: &str) -> Option<Kind> {
        let lower = arg.to_ascii_lowercase();
        let (resource, group) = match lower.split_once('.') {
            Some((resource, group)) => (resource.to_string(), Some(group.to_string())),
            None => (lower, None),
        };
        KINDS
            .iter()
            .find(|info| {
                let names_match = resource == info.plural
                    || resource == info.name.to_ascii_lowercase()
                    || info.short_names.contains(&resource.as_str());
                let group_matches = match &group {
                    None => true,
                    Some(group) => {
                        group == info.group
                            || (info.group.is_empty() && group == "v1")
                            || format!("{}/{}", info.group, info.version) == *group
                    }
                };
                names_match && group_matches
            })
            .map(|info| info.kind)
    }

    /// Resolves a manifest's `apiVersion` and `kind`.
    pub fn from_type_meta(api_version: &str, kind: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|info| info.name == kind && info.kind.api_version() == api_version)
            .map(|info| info.kind)
    }

    /// Whether `kind` names a kind kubeplay knows under another apiVersion (for a clearer error).
    pub fn from_kind_name(kind: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|info| info.name == kind)
            .map(|info| info.kind)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order() {
        for kind in Kind::ALL {
            assert_eq!(kind.info().kind, kind);
        }
    }

    #[test]
    fn resolves_kubectl_resource_names() {
        assert_eq!(Kind::from_resource_arg("ds"), Some(Kind::DaemonSet));
        assert_eq!(
            Kind::from_resource_arg("daemonsets.apps"),
            Some(Kind::DaemonSet)
        );
        assert_eq!(Kind::from_resource_arg("DaemonSet"), Some(Kind::DaemonSet));
        assert_eq!(Kind::from_resource_arg("jobs.batch"), Some(Kind::Job));
        assert_eq!(Kind::from_resource_arg("po"), Some(Kind::Pod));
        assert_eq!(Kind::from_resource_arg("cj"), Some(Kind::CronJob));
        assert_eq!(Kind::from_resource_arg("jobs.apps"), None);
        assert_eq!(Kind::from_resource_arg("deployments"), None);
    }

    #[test]
    fn names_resources_as_the_api_server_does() {
        assert_eq!(Kind::DaemonSet.qualified_plural(), "daemonsets.apps");
        assert_eq!(Kind::Pod.qualified_plural(), "pods");
        assert_eq!(Kind::Job.qualified_singular(), "job.batch");
        assert_eq!(Kind::CronJob.api_version(), "batch/v1");
    }
}
