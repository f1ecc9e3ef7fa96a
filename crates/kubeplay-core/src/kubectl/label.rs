//! `kubectl label` and `kubectl annotate`: `key=value` sets, `key-` removes, `--overwrite` replaces.

use std::collections::BTreeMap;

use super::args::Args;
use super::get::select;
use super::{Output, targets};
use crate::api::validation::{is_qualified_name, is_valid_label_value};
use crate::cluster::Cluster;
use crate::controller::garbagecollector::modify_meta;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

enum Change {
    Set(String, String),
    Remove(String),
}

fn is_change(word: &str) -> bool {
    word.contains('=') || (word.ends_with('-') && !word.contains('/'))
}

pub fn label(cluster: &mut Cluster, args: &Args, target: Field) -> Output {
    let (noun, past) = match target {
        Field::Labels => ("label", "labeled"),
        Field::Annotations => ("annotation", "annotated"),
    };
    let words = &args.positional[1..];
    let split = words
        .iter()
        .position(|word| is_change(word))
        .unwrap_or(words.len());
    let (resources, changes) = words.split_at(split);
    if resources.is_empty() {
        return Output::failure(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if changes.is_empty() {
        return Output::failure(format!("error: at least one {noun} update is required"));
    }
    let mut parsed = Vec::new();
    for change in changes {
        if let Some((key, value)) = change.split_once('=') {
            let problems: Vec<String> = is_qualified_name(key)
                .into_iter()
                .chain(if target == Field::Labels {
                    is_valid_label_value(value)
                } else {
                    Vec::new()
                })
                .collect();
            if !problems.is_empty() {
                return Output::failure(format!(
                    "error: invalid {noun} spec: {change}, {}",
                    problems.join("; ")
                ));
            }
            parsed.push(Change::Set(key.to_string(), value.to_string()));
        } else if let Some(key) = change.strip_suffix('-') {
            parsed.push(Change::Remove(key.to_string()));
        }
    }
    let resource_targets: Vec<super::Target> = match targets(resources) {
        Ok(targets) => targets,
        Err(message) => return Output::failure(message),
    };
    if resource_targets
        .iter()
        .any(|target: &super::Target| target.name.is_none())
        && !args.flag("all")
        && !args.has("selector")
    {
        return Output::failure("error: resource(s) were provided, but no name was specified");
    }
    let selection = match select(cluster, args, &resource_targets) {
        Ok(selection) => selection,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    for error in &selection.errors {
        output.error(error);
    }
    let overwrite = args.flag("overwrite");
    for object in selection.objects {
        let current: BTreeMap<String, String> = match target {
            Field::Labels => object.meta().labels.clone(),
            Field::Annotations => object.meta().annotations.clone(),
        }
        .unwrap_or_default();
        let mut updated = current.clone();
        let mut conflict = None;
        let mut only_removals = true;
        for change in &parsed {
            match change {
                Change::Set(key, value) => {
                    only_removals = false;
                    if let Some(existing) = current.get(key)
                        && existing != value
                        && !overwrite
                    {
                        conflict = Some(match target {
                            Field::Labels => format!(
                                "error: '{key}' already has a value ({existing}), and --overwrite is false"
                            ),
                            Field::Annotations => format!(
                                "error: --overwrite is false but found the following declared annotation(s): '{key}' already has a value ({existing})"
                            ),
                        });
                    }
                    updated.insert(key.clone(), value.clone());
                }
                Change::Remove(key) => {
                    if updated.remove(key).is_none() {
                        output.line(format!("{noun} {} not found.", super::gofmt::go_quote(key)));
                    }
                }
            }
        }
        if let Some(message) = conflict {
            output.error(message);
            continue;
        }
        let name = super::resource_name(&object);
        if updated == current {
            output.line(format!("{name} not {past}"));
            continue;
        }
        let result = cluster.act(|api| {
            modify_meta(api, object.kind(), &object.key(), |meta| {
                let map = (!updated.is_empty()).then(|| updated.clone());
                match target {
                    Field::Labels => meta.labels = map,
                    Field::Annotations => meta.annotations = map,
                }
            })
        });
        match result {
            Ok(()) => output.line(format!(
                "{name} {}",
                if only_removals {
                    format!("un{past}")
                } else {
                    past.to_string()
                }
            )),
            Err(error) => output.error(error.to_string()),
        }
    }
    output
}
