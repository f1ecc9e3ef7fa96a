//! `kubectl apply -f` and `kubectl create -f | namespace`: manifests decoded strictly, created or
//! changed with the last-applied configuration, each reported as kubectl does.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Map, Value};

use super::args::Args;
use super::{Output, namespace};
use crate::api::{AnyObject, ApiObject, Kind, ObjectKey, for_kind};
use crate::apiserver::{ApiError, Registry, decode, merge_patch};
use crate::cluster::Cluster;
use crate::manifest::{self, Document};
use crate::shell::Files;

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A manifest document with the file it came from (`STDIN` for `-f -`).
pub struct Source {
    pub name: String,
    pub document: Document,
}

/// Reads every `-f` given: files through `files`, `-` from stdin.
pub fn read_sources(args: &Args, stdin: &str, files: &dyn Files) -> Result<Vec<Source>, Output> {
    let filenames = args.values("filename");
    if filenames.is_empty() {
        return Err(Output::failure("error: must specify one of -f and -k"));
    }
    let mut sources = Vec::new();
    for filename in filenames {
        let (name, text) = if filename == "-" {
            ("STDIN".to_string(), stdin.to_string())
        } else {
            match files.read(filename) {
                Ok(text) => (filename.to_string(), text),
                Err(_) => {
                    return Err(Output::failure(format!(
                        "error: the path {} does not exist",
                        super::gofmt::go_quote(filename)
                    )));
                }
            }
        };
        let documents =
            manifest::parse(&text).map_err(|error| Output::failure(parse_error(&name, &error)))?;
        if documents.is_empty() {
            return Err(Output::failure(NO_OBJECTS));
        }
        sources.extend(documents.into_iter().map(|document| Source {
            name: name.clone(),
            document,
        }));
    }
    Ok(sources)
}

const NO_OBJECTS: &str = "error: no objects passed to apply";

fn parse_error(name: &str, error: &manifest::ParseError) -> String {
    format!(
        "error: error parsing {name}: error converting YAML to JSON: yaml: line {}: {}",
        error.line, error.message
    )
}

/// Why a document was not applied: kubectl's message, and the fields the server named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    /// Each field path with its cause as kubectl words it (`spec.x: Required value`), or empty
    /// when the message names the field itself (decoding errors).
    pub fields: Vec<(String, String)>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            fields: Vec::new(),
        }
    }
}

/// One document of `kubectl apply --dry-run=server -f -`, for an editor that points at lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The document's first line in the manifest.
    pub line: usize,
    /// What kubectl prints for it: `daemonset.apps/fluentd created (server dry run)`, or the error.
    pub message: String,
    pub ok: bool,
    /// The fields an error names, each with the line it is written on.
    pub fields: Vec<FieldLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLine {
    pub line: usize,
    pub path: String,
    /// The cause as kubectl words it, or empty when `message` says it.
    pub text: String,
}

/// What `kubectl apply --dry-run=server -f -` with `manifest` on stdin says about each document,
/// without changing the cluster. A manifest that cannot be read is one result at the bad line.
pub fn dry_run(cluster: &Cluster, manifest: &str) -> Vec<Checked> {
    dry_run_file(cluster, "STDIN", manifest)
}

/// [`dry_run`] of a manifest read from the file `name`, which the messages name as kubectl does.
pub fn dry_run_file(cluster: &Cluster, name: &str, manifest: &str) -> Vec<Checked> {
    let unreadable = |line: usize, message: String| {
        vec![Checked {
            line,
            message,
            ok: false,
            fields: Vec::new(),
        }]
    };
    let documents = match manifest::parse(manifest) {
        Ok(documents) if documents.is_empty() => return unreadable(1, NO_OBJECTS.to_string()),
        Ok(documents) => documents,
        Err(error) => return unreadable(error.line, parse_error(name, &error)),
    };
    let args =
        Args::parse(&["apply".to_string(), "--dry-run=server".to_string()]).unwrap_or_default();
    let mut scratch = cluster.clone();
    documents
        .into_iter()
        .map(|document| {
            let line = document.line;
            let source = Source {
                name: name.to_string(),
                document,
            };
            match apply_one(&mut scratch, &args, &source) {
                Ok((identity, verb)) => Checked {
                    line,
                    message: applied_line(&identity, verb, true),
                    ok: true,
                    fields: Vec::new(),
                },
                Err(failure) => Checked {
                    line,
                    fields: failure
                        .fields
                        .into_iter()
                        .map(|(path, text)| FieldLine {
                            line: manifest::field_line(manifest, line, &path),
                            path,
                            text,
                        })
                        .collect(),
                    message: failure.message,
                    ok: false,
                },
            }
        })
        .collect()
}

fn applied_line(identity: &Identity, verb: &str, dry_run: bool) -> String {
    let suffix = if dry_run { " (server dry run)" } else { "" };
    format!(
        "{}/{} {verb}{suffix}",
        identity.kind.qualified_singular(),
        identity.key.name
    )
}

/// The kind, namespace and name a document names, checked as kubectl checks them before sending.
pub struct Identity {
    pub kind: Kind,
    pub key: ObjectKey,
}

pub fn identify(source: &Source, args: &Args) -> Result<Identity, String> {
    let value = &source.document.value;
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind_name = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut missing = Vec::new();
    if api_version.is_empty() {
        missing.push("apiVersion not set");
    }
    if kind_name.is_empty() {
        missing.push("kind not set");
    }
    if !missing.is_empty() {
        return Err(format!(
            "error: error validating \"{}\": error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false",
            source.name,
            missing.join(", ")
        ));
    }
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(kind) = Kind::from_type_meta(api_version, kind_name) else {
        let namespace = value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(format!(
            "error: resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first",
            source.name
        ));
    };
    let flag_namespace = args.value("namespace");
    let namespace = match value.pointer("/metadata/namespace").and_then(Value::as_str) {
        Some(own) if kind.namespaced() => {
            if let Some(flag) = flag_namespace
                && flag != own
            {
                return Err(format!(
                    "error: the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
                ));
            }
            own.to_string()
        }
        _ if kind.namespaced() => namespace(args),
        _ => String::new(),
    };
    Ok(Identity {
        kind,
        key: ObjectKey::new(namespace, name),
    })
}

/// `kubectl apply -f`.
pub fn apply(cluster: &mut Cluster, args: &Args, stdin: &str, files: &dyn Files) -> Output {
    let sources = match read_sources(args, stdin, files) {
        Ok(sources) => sources,
        Err(output) => return output,
    };
    let dry_run = args
        .value("dry-run")
        .is_some_and(|mode| mode == "server" || mode == "client" || mode == "true");
    let mut output = Output::default();
    let mut scratch;
    let target: &mut Cluster = if dry_run {
        scratch = cluster.clone();
        &mut scratch
    } else {
        cluster
    };
    for source in &sources {
        match apply_one(target, args, source) {
            Ok((identity, verb)) => output.line(applied_line(&identity, verb, dry_run)),
            Err(failure) => output.error(failure.message),
        }
    }
    output
}

fn apply_one(
    cluster: &mut Cluster,
    args: &Args,
    source: &Source,
) -> Result<(Identity, &'static str), Failure> {
    let identity = identify(source, args)?;
    if identity.key.name.is_empty() {
        return Err(Failure::from(format!(
            "error: error when retrieving current configuration of:\nResource: \"{}\", GroupVersionKind: \"{}\"\nName: \"\", Namespace: \"{}\"\nfrom server for: \"{}\": resource name may not be empty",
            identity.kind.qualified_plural(),
            identity.kind.name(),
            identity.key.namespace,
            source.name
        )));
    }
    let mut document = source.document.value.clone();
    if identity.kind.namespaced() {
        set_path(
            &mut document,
            &["metadata", "namespace"],
            Value::String(identity.key.namespace.clone()),
        );
    }
    let last_applied = last_applied_configuration(&document);
    set_path(
        &mut document,
        &["metadata", "annotations", LAST_APPLIED],
        Value::String(last_applied.clone()),
    );
    let existing = cluster.store().get_any(identity.kind, &identity.key);
    let result = match existing {
        None => {
            for_kind!(identity.kind, K => create_value::<K>(cluster, document, &identity, &source.name).map(|_| "created"))
        }
        Some(live) => {
            let live_json = live.to_json();
            let previous: Value = live
                .meta()
                .annotations
                .as_ref()
                .and_then(|annotations| annotations.get(LAST_APPLIED))
                .and_then(|text| serde_json::from_str(text).ok())
                .unwrap_or(Value::Object(Map::new()));
            let patch = three_way_patch(&previous, &document);
            let mut merged = live_json.clone();
            merge_patch::apply(&mut merged, &patch);
            if merged == live_json {
                Ok("unchanged")
            } else {
                for_kind!(identity.kind, K => update_value::<K>(cluster, merged, &identity, &source.name)).map(|changed| if changed { "configured" } else { "unchanged" })
            }
        }
    };
    result.map(|verb| (identity, verb))
}

/// The annotation kubectl stores: the object as given, with the namespace filled in and
/// `annotations: {}` left behind when the annotation itself is the only one.
fn last_applied_configuration(document: &Value) -> String {
    let mut stored = document.clone();
    if let Some(annotations) = stored
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        annotations.remove(LAST_APPLIED);
    } else {
        set_path(
            &mut stored,
            &["metadata", "annotations"],
            Value::Object(Map::new()),
        );
    }
    let mut text = serde_json::to_string(&stored).unwrap_or_default();
    text.push('\n');
    text
}

/// A merge patch taking `previous` (what was applied last) to `current`: fields dropped from the
/// configuration are removed, the rest are set.
fn three_way_patch(previous: &Value, current: &Value) -> Value {
    match (previous, current) {
        (Value::Object(before), Value::Object(after)) => {
            let mut patch = Map::new();
            for key in before.keys() {
                if !after.contains_key(key) {
                    patch.insert(key.clone(), Value::Null);
                }
            }
            for (key, value) in after {
                let nested = match before.get(key) {
                    Some(old) if old.is_object() && value.is_object() => {
                        three_way_patch(old, value)
                    }
                    _ => value.clone(),
                };
                patch.insert(key.clone(), nested);
            }
            Value::Object(patch)
        }
        _ => current.clone(),
    }
}

pub fn set_path(value: &mut Value, path: &[&str], leaf: Value) {
    let mut current = value;
    for (i, part) in path.iter().enumerate() {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else {
            return;
        };
        if i + 1 == path.len() {
            map.insert((*part).to_string(), leaf);
            return;
        }
        current = map
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// kubectl's `AddSourceToErr`: the source goes into the server's message.
fn with_source(error: ApiError, verb: &str, source: &str) -> Failure {
    let invalid =
        error.reason == crate::apiserver::StatusReason::Invalid && !error.causes.is_empty();
    let message = if invalid {
        error.to_string()
    } else {
        format!(
            "Error from server ({}): error when {verb} {}: {}",
            error.reason.as_str(),
            super::gofmt::go_quote(source),
            error.message
        )
    };
    let fields = error
        .causes
        .iter()
        .map(|cause| {
            let text = if invalid {
                cause.to_string()
            } else {
                String::new()
            };
            (cause.field.clone(), text)
        })
        .collect();
    Failure { message, fields }
}

fn create_value<K: Registry>(
    cluster: &mut Cluster,
    value: Value,
    identity: &Identity,
    source: &str,
) -> Result<Arc<K>, Failure> {
    let object: K = decode::decode_strict(value, identity.kind, &identity.key.name)
        .map_err(|error| with_source(error, "creating", source))?;
    cluster
        .act(|api| api.create(object))
        .map_err(|error| with_source(error, "creating", source))
}

fn update_value<K: Registry>(
    cluster: &mut Cluster,
    value: Value,
    identity: &Identity,
    source: &str,
) -> Result<bool, Failure> {
    let object: K = decode::decode_strict(value, identity.kind, &identity.key.name)
        .map_err(|error| with_source(error, "applying patch", source))?;
    let before = object.metadata().resource_version.clone();
    let updated = cluster
        .act(|api| api.update(object))
        .map_err(|error| with_source(error, "applying patch", source))?;
    Ok(updated.metadata().resource_version != before)
}

/// `kubectl create -f` and `kubectl create namespace`.
pub fn create(cluster: &mut Cluster, args: &Args, stdin: &str, files: &dyn Files) -> Output {
    match args.positional.get(1).map(String::as_str) {
        Some("namespace" | "ns") => create_namespace(cluster, args),
        Some("job") => super::create_job::create_job(cluster, args),
        Some(other) => Output::failure(format!(
            "error: unknown command {} for \"kubectl create\"",
            super::gofmt::go_quote(other)
        )),
        None => {
            let sources = match read_sources(args, stdin, files) {
                Ok(sources) => sources,
                Err(output) => return output,
            };
            let mut output = Output::default();
            for source in &sources {
                let result = identify(source, args).and_then(|identity| {
                    let mut document = source.document.value.clone();
                    if identity.kind.namespaced() {
                        set_path(&mut document, &["metadata", "namespace"], Value::String(identity.key.namespace.clone()));
                    }
                    let created: AnyObject = for_kind!(identity.kind, K => create_value::<K>(cluster, document, &identity, &source.name).map(K::wrap)).map_err(|failure| failure.message)?;
                    Ok(created)
                });
                match result {
                    Ok(object) => output.line(format!("{} created", super::resource_name(&object))),
                    Err(message) => output.error(message),
                }
            }
            output
        }
    }
}

fn create_namespace(cluster: &mut Cluster, args: &Args) -> Output {
    let Some(name) = args.positional.get(2) else {
        return Output::failure("error: exactly one NAME is required, got 0");
    };
    let namespace = Namespace {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    };
    match cluster.act(|api| api.create(namespace)) {
        Ok(_) => {
            let mut output = Output::default();
            output.line(format!("namespace/{name} created"));
            output
        }
        Err(error) => Output::failure(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NAMESPACE_AND_DAEMONSET: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: logging
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: logging
spec:
  selector:
    matchLabels:
      name: fluentd
  template:
    metadata:
      labels:
        name: fluentd
    spec:
      containers:
      - name: fluentd
        imagee: fluentd:v1
";

    #[test]
    fn a_dry_run_points_at_the_field_and_changes_nothing() {
        let cluster = Cluster::default_cluster();
        let checked = dry_run(&cluster, NAMESPACE_AND_DAEMONSET);
        assert_eq!(checked.len(), 2);
        assert_eq!(
            (checked[0].line, checked[0].ok, checked[0].message.as_str()),
            (1, true, "namespace/logging created (server dry run)")
        );
        // The second document sees the first's namespace, as one `kubectl apply` would.
        let unknown = &checked[1];
        assert_eq!((unknown.line, unknown.ok), (6, false));
        assert_eq!(
            unknown.message,
            "Error from server (BadRequest): error when creating \"STDIN\": DaemonSet in version \"v1\" cannot be handled as a DaemonSet: strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\""
        );
        assert_eq!(
            unknown.fields,
            [FieldLine {
                line: 22,
                path: "spec.template.spec.containers[0].imagee".into(),
                text: String::new()
            }]
        );
        assert!(
            cluster
                .store()
                .list_any(Kind::Namespace, None)
                .iter()
                .all(|ns| ns.name() != "logging")
        );

        // Without the typo, the image is missing: the cause points at the container.
        let missing = NAMESPACE_AND_DAEMONSET.replace("        imagee: fluentd:v1\n", "");
        let checked = dry_run(&cluster, &missing);
        assert_eq!(
            checked[1].message,
            "The DaemonSet \"fluentd\" is invalid: spec.template.spec.containers[0].image: Required value"
        );
        assert_eq!(checked[1].fields[0].line, 21);
        assert_eq!(
            checked[1].fields[0].text,
            "spec.template.spec.containers[0].image: Required value"
        );
    }

    #[test]
    fn a_dry_run_of_unreadable_yaml_gives_the_line() {
        let cluster = Cluster::default_cluster();
        let checked = dry_run(
            &cluster,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [a\n",
        );
        assert_eq!(checked.len(), 1);
        assert!(!checked[0].ok);
        assert!(checked[0].line >= 4, "{checked:?}");
        assert!(
            checked[0].message.starts_with(
                "error: error parsing STDIN: error converting YAML to JSON: yaml: line "
            ),
            "{checked:?}"
        );
        assert_eq!(dry_run(&cluster, "# nothing\n")[0].message, NO_OBJECTS);
    }

    #[test]
    fn removed_fields_are_nulled() {
        let previous = json!({"metadata": {"labels": {"a": "1", "b": "2"}}, "spec": {"x": 1}});
        let current = json!({"metadata": {"labels": {"a": "1"}}, "spec": {"y": 2}});
        assert_eq!(
            three_way_patch(&previous, &current),
            json!({"metadata": {"labels": {"a": "1", "b": null}}, "spec": {"x": null, "y": 2}})
        );
    }

    #[test]
    fn last_applied_keeps_an_empty_annotations_map() {
        let document = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}});
        assert_eq!(
            last_applied_configuration(&document),
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"name\":\"a\"}}\n"
        );
    }
}
