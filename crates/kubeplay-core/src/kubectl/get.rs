//! `kubectl get` and `kubectl describe`: choosing objects by name, label and field selectors,
//! and printing them as tables, JSON, YAML, names or JSONPath.

use serde_json::{Value, json};

use super::args::Args;
use super::printers::{self, TableOptions};
use super::{Output, Target, get_object, namespace, resource_name, targets};
use crate::api::labels::Selector;
use crate::api::{AnyObject, Kind};
use crate::cluster::Cluster;

const ALL_KINDS: [Kind; 4] = [Kind::Pod, Kind::DaemonSet, Kind::Job, Kind::CronJob];

/// A field selector: `spec.nodeName=node-1,status.phase!=Running`.
#[derive(Debug, Clone, Default)]
pub struct FieldSelector {
    terms: Vec<(String, bool, String)>,
}

impl FieldSelector {
    pub fn parse(text: &str, kind: Kind) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        for term in text.split(',').filter(|term| !term.trim().is_empty()) {
            let (field, equal, value) = if let Some((field, value)) = term.split_once("!=") {
                (field, false, value)
            } else if let Some((field, value)) = term.split_once("==") {
                (field, true, value)
            } else if let Some((field, value)) = term.split_once('=') {
                (field, true, value)
            } else {
                return Err(format!(
                    "Error from server (BadRequest): invalid selector: '{term}'; can't understand '{term}'"
                ));
            };
            let field = field.trim();
            if !supported_fields(kind).contains(&field) {
                return Err(format!(
                    "Error from server (BadRequest): Unable to find \"{}, Resource={}\" that match label selector \"\", field selector \"{text}\": \"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                    group_version(kind),
                    kind.plural()
                ));
            }
            terms.push((field.to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector { terms })
    }

    pub fn matches(&self, object: &AnyObject) -> bool {
        self.terms.iter().all(|(field, equal, value)| {
            (field_value(object, field).as_deref() == Some(value.as_str())) == *equal
        })
    }
}

fn group_version(kind: Kind) -> String {
    match kind.group() {
        "" => "/v1".into(),
        group => format!("{group}/v1"),
    }
}

fn supported_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Pod => &[
            "metadata.name",
            "metadata.namespace",
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Node => &["metadata.name", "spec.unschedulable"],
        Kind::Event => &[
            "metadata.name",
            "metadata.namespace",
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "reason",
            "type",
            "source",
        ],
        Kind::Job => &["metadata.name", "metadata.namespace", "status.successful"],
        _ => &["metadata.name", "metadata.namespace"],
    }
}

fn field_value(object: &AnyObject, field: &str) -> Option<String> {
    let json = object.to_json();
    let mut current = &json;
    for part in field.split('.') {
        current = current.get(part)?;
    }
    Some(match current {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    })
    .or_else(|| (field == "spec.nodeName").then(String::new))
}

/// The objects a command names: by name, or listed with selectors.
pub struct Selection {
    pub objects: Vec<AnyObject>,
    pub errors: Vec<String>,
}

pub fn select(cluster: &Cluster, args: &Args, targets: &[Target]) -> Result<Selection, String> {
    let namespace = namespace(args);
    let all_namespaces = args.flag("all-namespaces");
    let selector = match args.value("selector") {
        Some(text) => Some(Selector::parse(text).map_err(|message| format!("error: {message}"))?),
        None => None,
    };
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for target in targets {
        match &target.name {
            Some(name) => {
                if selector.is_some() {
                    return Err(
                        "error: when specifying a selector, you may not also specify names".into(),
                    );
                }
                match get_object(cluster, target.kind, &namespace, name) {
                    Ok(object) => objects.push(object),
                    Err(message) => errors.push(message),
                }
            }
            None => {
                let fields = match args.value("field-selector") {
                    Some(text) => Some(FieldSelector::parse(text, target.kind)?),
                    None => None,
                };
                let scope = if target.kind.namespaced() && !all_namespaces {
                    Some(namespace.as_str())
                } else {
                    None
                };
                for object in cluster.store().list_any(target.kind, scope) {
                    if selector
                        .as_ref()
                        .is_some_and(|selector| !selector.matches(object.meta().labels.as_ref()))
                    {
                        continue;
                    }
                    if fields
                        .as_ref()
                        .is_some_and(|fields| !fields.matches(&object))
                    {
                        continue;
                    }
                    objects.push(object);
                }
            }
        }
    }
    Ok(Selection { objects, errors })
}

fn no_resources(args: &Args, kinds: &[Kind]) -> String {
    if args.flag("all-namespaces") || kinds.iter().all(|kind| !kind.namespaced()) {
        "No resources found".into()
    } else {
        format!("No resources found in {} namespace.", namespace(args))
    }
}

pub fn get(cluster: &Cluster, args: &Args) -> Output {
    let words = &args.positional[1..];
    if words.is_empty() {
        return Output::failure(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        );
    }
    let all = words[0] == "all";
    let targets = if all {
        if words.len() > 1 {
            return Output::failure("error: you must specify only one resource");
        }
        ALL_KINDS
            .iter()
            .map(|kind| Target {
                kind: *kind,
                name: None,
            })
            .collect()
    } else {
        match targets(words) {
            Ok(targets) => targets,
            Err(message) => return Output::failure(message),
        }
    };
    let selection = match select(cluster, args, &targets) {
        Ok(selection) => selection,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    let format = args.value("output").unwrap_or_default().to_string();
    let named = targets.iter().any(|target| target.name.is_some());
    let single = named && targets.len() == 1;
    match format.as_str() {
        "json" | "yaml" => {
            if !selection.objects.is_empty() || !named {
                let value = if single && selection.objects.len() == 1 {
                    selection.objects[0].to_json()
                } else {
                    json!({
                        "apiVersion": "v1",
                        "items": selection.objects.iter().map(AnyObject::to_json).collect::<Vec<_>>(),
                        "kind": "List",
                        "metadata": {"resourceVersion": ""},
                    })
                };
                output.out(if format == "json" {
                    printers::to_json(&value)
                } else {
                    printers::to_yaml(&value)
                });
            }
        }
        "name" => {
            for object in &selection.objects {
                output.line(resource_name(object));
            }
        }
        "" | "wide" => {
            let kinds: Vec<Kind> = {
                let mut kinds: Vec<Kind> = targets.iter().map(|target| target.kind).collect();
                kinds.dedup();
                kinds
            };
            let mut sections = Vec::new();
            for kind in &kinds {
                let objects: Vec<AnyObject> = selection
                    .objects
                    .iter()
                    .filter(|object| object.kind() == *kind)
                    .cloned()
                    .collect();
                if objects.is_empty() {
                    continue;
                }
                let options = TableOptions {
                    wide: format == "wide",
                    show_labels: args.flag("show-labels"),
                    with_namespace: args.flag("all-namespaces") && kind.namespaced(),
                    no_headers: args.flag("no-headers"),
                    with_kind_prefix: all || kinds.len() > 1,
                    label_columns: args
                        .values("label-columns")
                        .iter()
                        .flat_map(|columns| columns.split(','))
                        .map(str::to_string)
                        .collect(),
                };
                sections.push(printers::print_table(
                    cluster.api(),
                    *kind,
                    &objects,
                    &options,
                ));
            }
            output.out(sections.join("\n"));
        }
        other => match other
            .strip_prefix("jsonpath=")
            .or_else(|| other.strip_prefix("jsonpath-as-json="))
        {
            Some(template) => {
                let template = template.trim_matches('\'');
                let value = if single && selection.objects.len() == 1 {
                    selection.objects[0].to_json()
                } else {
                    json!({"apiVersion": "v1", "items": selection.objects.iter().map(AnyObject::to_json).collect::<Vec<_>>(), "kind": "List", "metadata": {"resourceVersion": ""}})
                };
                match printers::jsonpath(template, &value) {
                    Ok(text) => output.out(text),
                    Err(message) => output.error(message),
                }
            }
            None => {
                return Output::failure(format!(
                    "error: unable to match a printer suitable for the output format {}, allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml",
                    super::gofmt::go_quote(other)
                ));
            }
        },
    }
    for error in &selection.errors {
        output.error(error);
    }
    if selection.objects.is_empty()
        && selection.errors.is_empty()
        && !matches!(format.as_str(), "json" | "yaml")
    {
        let kinds: Vec<Kind> = targets.iter().map(|target| target.kind).collect();
        output.note(no_resources(args, &kinds));
    }
    output
}

pub fn describe(cluster: &Cluster, args: &Args) -> Output {
    let words = &args.positional[1..];
    if words.is_empty() {
        return Output::failure(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
    }
    let mut targets = match targets(words) {
        Ok(targets) => targets,
        Err(message) => return Output::failure(message),
    };
    // `kubectl describe pods web` also finds pods whose names start with "web".
    let mut output = Output::default();
    let mut prefixed = Vec::new();
    targets.retain(|target| match &target.name {
        Some(name) if get_object(cluster, target.kind, &namespace(args), name).is_err() => {
            prefixed.push(target.clone());
            false
        }
        _ => true,
    });
    let mut selection = match select(cluster, args, &targets) {
        Ok(selection) => selection,
        Err(message) => return Output::failure(message),
    };
    for target in prefixed {
        let prefix = target.name.clone().unwrap_or_default();
        let scope = namespace(args);
        let matches: Vec<AnyObject> = cluster
            .store()
            .list_any(
                target.kind,
                target.kind.namespaced().then_some(scope.as_str()),
            )
            .into_iter()
            .filter(|object| object.name().starts_with(&prefix))
            .collect();
        if matches.is_empty() {
            selection
                .errors
                .push(crate::apiserver::ApiError::not_found(target.kind, &prefix).to_string());
        }
        selection.objects.extend(matches);
    }
    let texts: Vec<String> = selection
        .objects
        .iter()
        .map(|object| printers_describe(cluster, object))
        .collect();
    output.out(texts.join("\n\n"));
    for error in &selection.errors {
        output.error(error);
    }
    if selection.objects.is_empty() && selection.errors.is_empty() {
        output.note(no_resources(
            args,
            &targets.iter().map(|target| target.kind).collect::<Vec<_>>(),
        ));
    }
    output
}

fn printers_describe(cluster: &Cluster, object: &AnyObject) -> String {
    super::describe::describe(cluster.api(), object)
}
