//! The events panel's rows: each Event's `kubectl get events` columns, newest first, with the
//! object it is about.

use kubeplay_core::Cluster;
use kubeplay_core::api::{AnyObject, Kind};
use kubeplay_core::kubectl::printers::{EventColumns, event_columns, event_last_seen};

use crate::state::ObjectRef;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// Stable key for rendering: the event's uid.
    pub key: String,
    pub warning: bool,
    pub columns: EventColumns,
    /// The involved object's kind as the event names it (`Pod`).
    pub kind: String,
    /// The involved object, when it is of a kind the playground serves.
    pub object: Option<ObjectRef>,
}

impl EventRow {
    /// Repeats folded into this event; kubectl describe shows them as `(x3 over 2m)`.
    pub fn count(&self) -> u32 {
        self.columns.count.parse().unwrap_or(1)
    }

    /// Whether the row is about `kind` (empty for any) and its object contains `text`.
    pub fn matches(&self, kind: &str, text: &str) -> bool {
        (kind.is_empty() || self.kind == kind)
            && (text.is_empty()
                || self
                    .columns
                    .object
                    .to_lowercase()
                    .contains(&text.trim().to_lowercase()))
    }
}

/// Every event in every namespace, newest first.
pub fn event_rows(cluster: &Cluster) -> Vec<EventRow> {
    let now = cluster.now();
    let mut events: Vec<_> = cluster
        .store()
        .list_any(Kind::Event, None)
        .into_iter()
        .filter_map(|object| match object {
            AnyObject::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    // Newest first; the name breaks ties so rows keep their order between renders.
    events.sort_by(|a, b| {
        event_last_seen(b)
            .cmp(&event_last_seen(a))
            .then_with(|| b.metadata.name.cmp(&a.metadata.name))
    });
    events
        .iter()
        .map(|event| {
            let involved = &event.involved_object;
            let kind = involved.kind.clone().unwrap_or_default();
            let object = Kind::from_kind_name(&kind).map(|kind| ObjectRef {
                kind,
                namespace: if kind.namespaced() {
                    involved.namespace.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                name: involved.name.clone().unwrap_or_default(),
            });
            EventRow {
                key: event
                    .metadata
                    .uid
                    .clone()
                    .or_else(|| event.metadata.name.clone())
                    .unwrap_or_default(),
                warning: event.type_.as_deref() == Some(kubeplay_core::events::WARNING),
                columns: event_columns(now, event),
                kind,
                object,
            }
        })
        .collect()
}

/// The kinds the events are about, for the kind filter.
pub fn kinds(rows: &[EventRow]) -> Vec<String> {
    let mut kinds: Vec<String> = rows.iter().map(|row| row.kind.clone()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster_with_a_daemonset() -> Cluster {
        let mut cluster = Cluster::default_cluster();
        let manifest = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels:
      app: fluentd
  template:
    metadata:
      labels:
        app: fluentd
    spec:
      containers:
      - name: fluentd
        image: fluentd:v1
";
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{output:?}");
        cluster.advance(5_000);
        cluster
    }

    #[test]
    fn newest_first_with_their_objects() {
        let mut cluster = cluster_with_a_daemonset();
        cluster.advance(30_000);
        cluster.exec("sim node fail node-2", "");
        cluster.advance(60_000);
        let rows = event_rows(&cluster);
        assert!(rows.len() > 3, "{rows:?}");
        let created = rows
            .iter()
            .find(|row| row.columns.reason == "SuccessfulCreate")
            .expect("the DaemonSet controller records its pods");
        assert_eq!(created.kind, "DaemonSet");
        assert_eq!(
            created.object,
            Some(ObjectRef {
                kind: Kind::DaemonSet,
                namespace: "default".into(),
                name: "fluentd".into()
            })
        );
        assert!(created.columns.object.starts_with("daemonset/fluentd"));
        // The node's failure came last, so its events are on top.
        assert_eq!(rows[0].kind, "Node", "{:?}", rows[0]);
        assert_eq!(
            rows[0].object.as_ref().map(|o| o.namespace.as_str()),
            Some("")
        );
        let last_seen: Vec<&str> = rows
            .iter()
            .map(|row| row.columns.last_seen.as_str())
            .collect();
        assert_eq!(last_seen.last(), Some(&"95s"), "{last_seen:?}");
    }

    #[test]
    fn filters_by_kind_and_object_text() {
        let cluster = cluster_with_a_daemonset();
        let rows = event_rows(&cluster);
        assert!(
            kinds(&rows).contains(&"Pod".to_string()),
            "{:?}",
            kinds(&rows)
        );
        let pods: Vec<&EventRow> = rows.iter().filter(|row| row.matches("Pod", "")).collect();
        assert!(!pods.is_empty());
        assert!(
            pods.iter()
                .all(|row| row.columns.object.starts_with("pod/fluentd-"))
        );
        assert!(rows.iter().any(|row| row.matches("", "DAEMONSET/flu")));
        assert!(!rows.iter().any(|row| row.matches("Node", "fluentd")));
        assert!(rows.iter().all(|row| row.count() >= 1));
    }
}
