//! `kubectl describe`: kubectl's `pkg/describe/describe.go`. Each describer writes lines through a
//! prefix writer (two spaces a level) into Go's tabwriter (`tabbedString`: min width 0, padding 2),
//! and ends with the Events block of the events that name the object.

mod generic;
mod namespace;
mod node;
mod pod;
mod workloads;

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Event, Pod, Taint, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::api::{AnyObject, Kind};
use crate::apiserver::ApiServer;
use crate::clock::Millis;

pub use node::{AllocatedResources, allocated_resources};

use super::gosort;
use super::human::{rfc1123z, since, since_micro};
use super::tabwriter::{self, escape_terminal};

/// The annotation `printAnnotationsMultiline` never shows.
const LAST_APPLIED_CONFIG: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Longer annotations print on lines of their own, cut at this length.
const MAX_ANNOTATION_LEN: usize = 140;

/// `kubectl describe <kind> <name>` for every kind, Events block included.
pub fn describe(api: &ApiServer, object: &AnyObject) -> String {
    let mut w = PrefixWriter::default();
    match object {
        AnyObject::Pod(pod) => pod::describe_pod(api, pod, &mut w),
        AnyObject::Node(node) => node::describe_node(api, node, &mut w),
        AnyObject::Namespace(namespace) => namespace::describe_namespace(namespace, &mut w),
        AnyObject::DaemonSet(daemon_set) => workloads::describe_daemon_set(api, daemon_set, &mut w),
        AnyObject::Job(job) => workloads::describe_job(api, job, &mut w),
        AnyObject::CronJob(cron_job) => workloads::describe_cron_job(api, cron_job, &mut w),
        AnyObject::Event(_) | AnyObject::ControllerRevision(_) => {
            generic::describe_generic(api, object, &mut w)
        }
    }
    tabwriter::DESCRIBE.format(&w.out)
}

/// `DescribePodTemplate` written straight into a buffer, without the tabwriter: history.go's
/// `printTemplate`, which `kubectl rollout history --revision=N` prints, tabs and all.
pub(crate) fn pod_template_text(template: &k8s_openapi::api::core::v1::PodTemplateSpec) -> String {
    let mut w = PrefixWriter::default();
    pod::describe_pod_template(template, &mut w);
    w.out
}

/// describe's `prefixWriter`: text at a level of two-space indentation, terminal controls escaped.
#[derive(Debug, Default)]
pub(crate) struct PrefixWriter {
    out: String,
}

pub(crate) const LEVEL_0: usize = 0;
pub(crate) const LEVEL_1: usize = 1;
pub(crate) const LEVEL_2: usize = 2;
pub(crate) const LEVEL_3: usize = 3;

impl PrefixWriter {
    pub(crate) fn write(&mut self, level: usize, text: &str) {
        let prefixed = format!("{}{text}", "  ".repeat(level));
        self.out.push_str(&escape_terminal(&prefixed));
    }

    /// `WriteLine`: the text and a newline, at no level.
    pub(crate) fn write_line(&mut self, text: &str) {
        self.out.push_str(&escape_terminal(text));
        self.out.push('\n');
    }
}

/// The `Name:` and `Namespace:` lines most describers open with.
pub(crate) fn write_name_and_namespace(w: &mut PrefixWriter, meta: &ObjectMeta) {
    w.write(
        LEVEL_0,
        &format!("Name:\t{}\n", meta.name.as_deref().unwrap_or_default()),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Namespace:\t{}\n",
            meta.namespace.as_deref().unwrap_or_default()
        ),
    );
}

/// `printLabelsMultiline`.
pub(crate) fn print_labels_multiline(
    w: &mut PrefixWriter,
    title: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    print_labels_multiline_with_indent(w, "", title, "\t", labels);
}

/// `printLabelsMultilineWithIndent`: the first label on the title's line, the rest below it.
pub(crate) fn print_labels_multiline_with_indent(
    w: &mut PrefixWriter,
    initial_indent: &str,
    title: &str,
    inner_indent: &str,
    labels: Option<&BTreeMap<String, String>>,
) {
    w.write(LEVEL_0, &format!("{initial_indent}{title}:{inner_indent}"));
    let labels = labels.filter(|labels| !labels.is_empty());
    let Some(labels) = labels else {
        w.write_line("<none>");
        return;
    };
    for (index, (key, value)) in labels.iter().enumerate() {
        if index != 0 {
            w.write(LEVEL_0, initial_indent);
            w.write(LEVEL_0, inner_indent);
        }
        w.write(LEVEL_0, &format!("{key}={value}\n"));
    }
}

/// `printAnnotationsMultiline`: long or multi-line values get lines of their own.
pub(crate) fn print_annotations_multiline(
    w: &mut PrefixWriter,
    title: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    let keys: Vec<(&String, &String)> = annotations
        .into_iter()
        .flatten()
        .filter(|(key, _)| key.as_str() != LAST_APPLIED_CONFIG)
        .collect();
    if keys.is_empty() {
        w.write_line("<none>");
        return;
    }
    let indent = "\t";
    for (index, (key, value)) in keys.into_iter().enumerate() {
        if index != 0 {
            w.write(LEVEL_0, indent);
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(LEVEL_0, &format!("{key}:\n"));
            for line in value.split('\n') {
                w.write(
                    LEVEL_0,
                    &format!("{indent}  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.write(LEVEL_0, &format!("{key}: {value}\n"));
        }
    }
}

/// `shorten`: Go cuts at a byte count; a cut inside a character keeps the whole character here.
fn shorten(text: &str, max_length: usize) -> String {
    if text.len() <= max_length {
        return text.to_string();
    }
    let mut end = max_length;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}...", &text[..end])
}

/// `Taint.ToString`: `key=value:effect`, as kubectl writes a taint everywhere.
pub fn taint_string(taint: &Taint) -> String {
    let value = taint.value.as_deref().unwrap_or_default();
    match (taint.effect.is_empty(), value.is_empty()) {
        (true, true) => taint.key.clone(),
        (true, false) => format!("{}={value}:", taint.key),
        (false, true) => format!("{}:{}", taint.key, taint.effect),
        (false, false) => format!("{}={value}:{}", taint.key, taint.effect),
    }
}

/// `printTaintsMultilineWithIndent`, taints ordered by effect then key.
pub(crate) fn print_taints_multiline(w: &mut PrefixWriter, title: &str, taints: &[Taint]) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if taints.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut taints: Vec<&Taint> = taints.iter().collect();
    gosort::sort_by(&mut taints, |a, b| {
        format!("{},{}", a.effect, a.key) < format!("{},{}", b.effect, b.key)
    });
    for (index, taint) in taints.into_iter().enumerate() {
        if index != 0 {
            w.write(LEVEL_0, "\t");
        }
        w.write(LEVEL_0, &format!("{}\n", taint_string(taint)));
    }
}

/// `printTolerationsMultilineWithIndent`, tolerations ordered by key.
pub(crate) fn print_tolerations_multiline(
    w: &mut PrefixWriter,
    title: &str,
    tolerations: &[Toleration],
) {
    w.write(LEVEL_0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut tolerations: Vec<&Toleration> = tolerations.iter().collect();
    gosort::sort_by(&mut tolerations, |a, b| {
        a.key.as_deref().unwrap_or_default() < b.key.as_deref().unwrap_or_default()
    });
    for (index, toleration) in tolerations.into_iter().enumerate() {
        if index != 0 {
            w.write(LEVEL_0, "\t");
        }
        let key = toleration.key.as_deref().unwrap_or_default();
        let value = toleration.value.as_deref().unwrap_or_default();
        let effect = toleration.effect.as_deref().unwrap_or_default();
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        // `operator: Exists` with no value tolerates everything it names.
        if toleration.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(seconds) = toleration.toleration_seconds {
            line.push_str(&format!(" for {seconds}s"));
        }
        w.write(LEVEL_0, &format!("{line}\n"));
    }
}

/// `printController`: `Kind/name` of the controlling owner.
pub(crate) fn print_controller(meta: &ObjectMeta) -> Option<String> {
    crate::api::meta::controller_of(meta).map(|owner| format!("{}/{}", owner.kind, owner.name))
}

/// A time as describe formats it (RFC 1123 with zone); an unset time is Go's zero time.
pub(crate) fn go_time(time: Option<&Time>) -> String {
    match time {
        Some(time) => rfc1123z(time),
        None => "Mon, 01 Jan 0001 00:00:00 +0000".into(),
    }
}

/// `printBool`.
pub(crate) fn print_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// `searchEvents`: the events whose involved object has this name, namespace, kind (any kind for
/// pods, whose reference describe clears) and uid, listed as the API server lists them.
pub(crate) fn search_events(
    api: &ApiServer,
    kind: Kind,
    meta: &ObjectMeta,
    uid: &str,
) -> Vec<Arc<Event>> {
    let name = meta.name.as_deref().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or_default();
    let listed = if namespace.is_empty() {
        api.store().list_any(Kind::Event, None)
    } else {
        api.store().list_any(Kind::Event, Some(namespace))
    };
    let kind = (kind != Kind::Pod).then(|| kind.name());
    listed
        .into_iter()
        .filter_map(|event| match event {
            AnyObject::Event(event) => Some(event),
            _ => None,
        })
        .filter(|event| {
            let involved = &event.involved_object;
            involved.name.as_deref().unwrap_or_default() == name
                && involved.namespace.as_deref().unwrap_or_default() == namespace
                && kind.is_none_or(|kind| involved.kind.as_deref() == Some(kind))
                && involved.uid.as_deref().unwrap_or_default() == uid
        })
        .collect()
}

/// `DescribeEvents`: `Events:  <none>`, or the table ordered by last timestamp.
pub(crate) fn describe_events(now: Millis, mut events: Vec<Arc<Event>>, w: &mut PrefixWriter) {
    if events.is_empty() {
        w.write(LEVEL_0, "Events:\t<none>\n");
        return;
    }
    let last = |event: &Arc<Event>| event.last_timestamp.as_ref().map(|time| time.0);
    gosort::sort_by(&mut events, |a, b| last(a) < last(b));
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
    for event in &events {
        let first = match &event.event_time {
            Some(time) => since_micro(now, Some(time)),
            None => since(now, event.first_timestamp.as_ref()),
        };
        let count = event.count.unwrap_or(0);
        let interval = match &event.series {
            Some(series) => format!(
                "{} (x{} over {first})",
                since_micro(now, series.last_observed_time.as_ref()),
                series.count.unwrap_or(0)
            ),
            None if count > 1 => format!(
                "{} (x{count} over {first})",
                since(now, event.last_timestamp.as_ref())
            ),
            None => first,
        };
        let component = event
            .source
            .as_ref()
            .and_then(|source| source.component.clone())
            .unwrap_or_default();
        let source = if component.is_empty() {
            event.reporting_component.clone().unwrap_or_default()
        } else {
            component
        };
        // kubectl 1.34 shows the message alone (later releases prefix the involved field path).
        let message = event.message.as_deref().unwrap_or_default().trim();
        w.write(
            LEVEL_1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{message}\n",
                event.type_.as_deref().unwrap_or_default(),
                event.reason.as_deref().unwrap_or_default(),
            ),
        );
    }
}

/// `getPodStatusForController`: the phases of the pods the selector picks and the owner controls.
pub(crate) struct PodPhaseCounts {
    pub running: usize,
    pub waiting: usize,
    pub succeeded: usize,
    pub failed: usize,
}

pub(crate) fn pod_status_for_controller(
    api: &ApiServer,
    namespace: &str,
    selector: &crate::api::labels::Selector,
    owner_uid: &str,
) -> PodPhaseCounts {
    let mut counts = PodPhaseCounts {
        running: 0,
        waiting: 0,
        succeeded: 0,
        failed: 0,
    };
    for pod in api.table::<Pod>().in_namespace(namespace) {
        let owned = crate::api::meta::controller_of(&pod.metadata)
            .is_some_and(|owner| owner.uid == owner_uid);
        if !owned || !selector.matches(pod.metadata.labels.as_ref()) {
            continue;
        }
        match pod
            .status
            .as_ref()
            .and_then(|status| status.phase.as_deref())
        {
            Some("Running") => counts.running += 1,
            Some("Pending") => counts.waiting += 1,
            Some("Succeeded") => counts.succeeded += 1,
            Some("Failed") => counts.failed += 1,
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copes_with_empty_objects_of_every_kind() {
        use crate::kubectl::printers::{TableOptions, print_table, to_json, to_yaml};
        let api = ApiServer::new(0, 1);
        let objects = [
            AnyObject::Namespace(Arc::default()),
            AnyObject::Node(Arc::default()),
            AnyObject::Pod(Arc::default()),
            AnyObject::Event(Arc::default()),
            AnyObject::DaemonSet(Arc::default()),
            AnyObject::ControllerRevision(Arc::default()),
            AnyObject::Job(Arc::default()),
            AnyObject::CronJob(Arc::default()),
        ];
        let wide = TableOptions {
            wide: true,
            show_labels: true,
            with_namespace: true,
            with_kind_prefix: true,
            label_columns: vec!["app".into()],
            ..TableOptions::default()
        };
        for object in &objects {
            assert!(describe(&api, object).starts_with("Name:"));
            assert!(
                print_table(&api, object.kind(), std::slice::from_ref(object), &wide)
                    .contains('\n')
            );
            assert!(to_yaml(&object.to_json()).ends_with('\n'));
            assert!(to_json(&object.to_json()).ends_with("}\n"));
        }
    }

    #[test]
    fn writes_label_and_annotation_blocks() {
        let mut w = PrefixWriter::default();
        let labels = BTreeMap::from([
            ("app".to_string(), "web".to_string()),
            ("tier".to_string(), "front".to_string()),
        ]);
        print_labels_multiline(&mut w, "Labels", Some(&labels));
        let annotations = BTreeMap::from([
            ("note".to_string(), "a\nb\n".to_string()),
            ("short".to_string(), "x".to_string()),
            (LAST_APPLIED_CONFIG.to_string(), "{}".to_string()),
        ]);
        print_annotations_multiline(&mut w, "Annotations", Some(&annotations));
        print_labels_multiline(&mut w, "Node-Selectors", None);
        print_taints_multiline(
            &mut w,
            "Taints",
            &[
                Taint {
                    key: "b".into(),
                    effect: "NoSchedule".into(),
                    ..Taint::default()
                },
                Taint {
                    key: "a".into(),
                    value: Some("v".into()),
                    effect: "NoExecute".into(),
                    ..Taint::default()
                },
            ],
        );
        print_tolerations_multiline(
            &mut w,
            "Tolerations",
            &[
                Toleration {
                    key: Some("node.kubernetes.io/unreachable".into()),
                    operator: Some("Exists".into()),
                    effect: Some("NoExecute".into()),
                    toleration_seconds: Some(300),
                    value: None,
                },
                Toleration {
                    operator: Some("Exists".into()),
                    ..Toleration::default()
                },
            ],
        );
        assert_eq!(
            tabwriter::DESCRIBE.format(&w.out),
            "Labels:          app=web\n\
             \x20                tier=front\n\
             Annotations:     note:\n\
             \x20                  a\n\
             \x20                  b\n\
             \x20                short: x\n\
             Node-Selectors:  <none>\n\
             Taints:          a=v:NoExecute\n\
             \x20                b:NoSchedule\n\
             Tolerations:     op=Exists\n\
             \x20                node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        );
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use k8s_openapi::api::core::v1::ObjectReference;
    use serde::de::DeserializeOwned;

    use super::*;
    use crate::api::ApiObject;

    /// 2026-01-05T09:00:00Z.
    pub const START: Millis = 1_767_603_600_000;

    pub fn object<T: DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    pub fn api() -> ApiServer {
        ApiServer::new(START, 1)
    }

    /// Records `count` repeats of an event about `object`, the first at `first`, the last at `last`.
    pub fn record<K: ApiObject>(
        api: &mut ApiServer,
        object: &K,
        (event_type, reason, message, component): (&str, &str, &str, &str),
        count: usize,
        first: Millis,
        last: Millis,
    ) {
        let involved = ObjectReference {
            api_version: Some(K::OBJECT_KIND.api_version().into()),
            kind: Some(K::OBJECT_KIND.name().into()),
            name: Some(object.name().into()),
            namespace: (!object.namespace().is_empty()).then(|| object.namespace().into()),
            uid: Some(object.uid().into()),
            ..ObjectReference::default()
        };
        let now = api.now();
        for i in 0..count {
            api.set_now(if i == 0 { first } else { last });
            api.record_event_from(
                involved.clone(),
                event_type,
                reason,
                message,
                component,
                None,
            );
        }
        api.set_now(now);
    }
}
