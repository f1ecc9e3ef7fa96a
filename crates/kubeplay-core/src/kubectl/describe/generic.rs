//! `kubectl describe` of kinds without a describer of their own (Event, ControllerRevision):
//! `genericDescriber`, which walks the object's unstructured content (`printUnstructuredContent`)
//! and labels each field with `smartLabelFor`.

use serde_json::{Map, Value};

use crate::api::AnyObject;
use crate::apiserver::ApiServer;
use crate::kubectl::gofmt::GoNumber;

use super::{
    LEVEL_0, PrefixWriter, describe_events, print_annotations_multiline, print_labels_multiline,
    search_events,
};

/// Fields the generic describer prints elsewhere or never.
const SKIPPED: [&str; 5] = [
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

pub(super) fn describe_generic(api: &ApiServer, object: &AnyObject, w: &mut PrefixWriter) {
    let meta = object.meta();
    w.write(LEVEL_0, &format!("Name:\t{}\n", object.name()));
    w.write(LEVEL_0, &format!("Namespace:\t{}\n", object.namespace()));
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    if let Value::Object(content) = object.to_json() {
        print_unstructured_content(w, LEVEL_0, &content, "");
    }
    describe_events(
        api.now(),
        search_events(api, object.kind(), meta, object.uid()),
        w,
    );
}

/// `printUnstructuredContent`: fields in order, maps and lists as nested blocks.
fn print_unstructured_content(
    w: &mut PrefixWriter,
    level: usize,
    content: &Map<String, Value>,
    skip_prefix: &str,
) {
    for (field, value) in content {
        let path = format!("{skip_prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Object(map) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                print_unstructured_content(w, level + 1, map, &path);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label_for(field)));
                for item in items {
                    match item {
                        Value::Object(map) => print_unstructured_content(w, level + 1, map, &path),
                        other => w.write(level + 1, &format!("{}\n", go_v(other))),
                    }
                }
            }
            scalar => w.write(
                level,
                &format!("{}:\t{}\n", smart_label_for(field), go_v(scalar)),
            ),
        }
    }
}

/// `fmt`'s `%v` of an unstructured value.
fn go_v(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".into(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => GoNumber::of(number).to_text(),
        Value::String(text) => text.clone(),
        Value::Array(items) => {
            format!("[{}]", items.iter().map(go_v).collect::<Vec<_>>().join(" "))
        }
        Value::Object(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(key, item)| format!("{key}:{}", go_v(item)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// `smartLabelFor`: `apiVersion` reads `API Version`; names with other than letters and `-` stay.
fn smart_label_for(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camelcase_split(field)
        .into_iter()
        .filter(|part| part != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                title(&part)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `strings.Title`: the first letter of each word upper-cased.
fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// fatih/camelcase `Split`: runs of lower, upper, digits and others; an upper run gives its last
/// letter to a lower run after it (`PDFLoader` → `PDF`, `Loader`).
fn camelcase_split(text: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last_class = 0;
    for c in text.chars() {
        let current = class(c);
        match runs.last_mut() {
            Some(run) if current == last_class => run.push(c),
            _ => runs.push(vec![c]),
        }
        last_class = current;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower && let Some(moved) = runs[i].pop() {
            runs[i + 1].insert(0, moved);
        }
    }
    runs.into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| run.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fields_like_kubectl() {
        assert_eq!(smart_label_for("apiVersion"), "API Version");
        assert_eq!(smart_label_for("uid"), "UID");
        assert_eq!(smart_label_for("involvedObject"), "Involved Object");
        assert_eq!(smart_label_for("PDFLoader"), "PDF Loader");
        assert_eq!(smart_label_for("podIPs"), "Pod I Ps");
        assert_eq!(smart_label_for("$patch"), "$patch");
        assert_eq!(
            smart_label_for("app.kubernetes.io/name"),
            "app.kubernetes.io/name"
        );
    }
}

#[cfg(test)]
mod generic_tests {
    use std::sync::Arc;

    use k8s_openapi::api::apps::v1::ControllerRevision;
    use serde_json::json;

    use super::super::describe;
    use super::super::fixtures::{START, api, object, record};
    use crate::api::AnyObject;

    #[test]
    fn describes_a_controller_revision() {
        let mut api = api();
        let revision: ControllerRevision = object(json!({
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": {"name": "fluentd-5d8f9c7b6", "namespace": "kube-system", "uid": "uid-cr",
                         "creationTimestamp": "2026-01-05T09:00:00Z", "resourceVersion": "12",
                         "labels": {"controller-revision-hash": "5d8f9c7b6", "name": "fluentd"},
                         "annotations": {"deprecated.daemonset.template.generation": "1"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd",
                                              "uid": "uid-ds", "controller": true, "blockOwnerDeletion": true}]},
            "data": {"spec": {"template": {"$patch": "replace", "metadata": {"creationTimestamp": null, "labels": {"name": "fluentd"}},
                     "spec": {"containers": [{"image": "fluentd:1.0", "name": "fluentd", "args": ["-v", "-q"]}],
                              "terminationGracePeriodSeconds": 30}}}},
            "revision": 1
        }));
        record(
            &mut api,
            &revision,
            ("Normal", "Touched", "Something happened", "tester"),
            1,
            START,
            START,
        );
        let out = describe(&api, &AnyObject::ControllerRevision(Arc::new(revision)));
        assert_eq!(
            out,
            "Name:         fluentd-5d8f9c7b6
Namespace:    kube-system
Labels:       controller-revision-hash=5d8f9c7b6
              name=fluentd
Annotations:  deprecated.daemonset.template.generation: 1
API Version:  apps/v1
Data:
  Spec:
    Template:
      $patch:  replace
      Metadata:
        Creation Timestamp:  <nil>
        Labels:
          Name:  fluentd
      Spec:
        Containers:
          Args:
            -v
            -q
          Image:                           fluentd:1.0
          Name:                            fluentd
        Termination Grace Period Seconds:  30
Kind:                                      ControllerRevision
Metadata:
  Creation Timestamp:  2026-01-05T09:00:00Z
  Owner References:
    API Version:           apps/v1
    Block Owner Deletion:  true
    Controller:            true
    Kind:                  DaemonSet
    Name:                  fluentd
    UID:                   uid-ds
  Resource Version:        12
  UID:                     uid-cr
Revision:                  1
Events:
  Type    Reason   Age   From    Message
  ----    ------   ----  ----    -------
  Normal  Touched  0s    tester  Something happened
"
        );
    }
}
