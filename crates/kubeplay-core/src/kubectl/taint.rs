//! `kubectl taint nodes NAME key[=value]:Effect` to add, `key[:Effect]-` to remove, `--overwrite` to change.

use k8s_openapi::api::core::v1::{Node, Taint};

use super::args::Args;
use super::get::select;
use super::{Output, targets};
use crate::api::validation::{is_qualified_name, is_valid_label_value};
use crate::api::{AnyObject, Kind};
use crate::apiserver::pod_spec::TAINT_EFFECTS;
use crate::cluster::Cluster;

enum Spec {
    Add(Taint),
    Remove(String, Option<String>),
}

fn parse_spec(word: &str) -> Result<Spec, String> {
    if let Some(rest) = word.strip_suffix('-') {
        let (key, effect) = match rest.split_once(':') {
            Some((key, effect)) => (key, Some(effect.to_string())),
            None => (rest, None),
        };
        // As kubectl's parseTaints, a removal keeps only the key and effect: `key=value:Effect-`
        // removes the `key:Effect` taint whatever its value.
        let key = key.split_once('=').map_or(key, |(key, _)| key);
        if let Some(effect) = &effect
            && !TAINT_EFFECTS.contains(&effect.as_str())
        {
            return Err(format!(
                "error: invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        return Ok(Spec::Remove(key.to_string(), effect));
    }
    let Some((key_value, effect)) = word.rsplit_once(':') else {
        return Err(format!(
            "error: invalid taint spec: {word}, at least one taint update is required"
        ));
    };
    if !TAINT_EFFECTS.contains(&effect) {
        return Err(format!(
            "error: invalid taint effect: {effect}, unsupported taint effect"
        ));
    }
    let (key, value) = match key_value.split_once('=') {
        Some((key, value)) => (key, Some(value.to_string())),
        None => (key_value, None),
    };
    let mut problems = is_qualified_name(key);
    if let Some(value) = &value {
        problems.extend(is_valid_label_value(value));
    }
    if !problems.is_empty() {
        return Err(format!(
            "error: invalid taint spec: {word}, {}",
            problems.join("; ")
        ));
    }
    Ok(Spec::Add(Taint {
        key: key.to_string(),
        value: value.filter(|value| !value.is_empty()),
        effect: effect.to_string(),
        time_added: None,
    }))
}

pub fn taint(cluster: &mut Cluster, args: &Args) -> Output {
    let words = &args.positional[1..];
    let split = words
        .iter()
        .position(|word| word.contains(':') || word.ends_with('-') || word.contains('='))
        .unwrap_or(words.len());
    let (resources, specs) = words.split_at(split);
    if resources.is_empty() {
        return Output::failure(
            "error: at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    if specs.is_empty() {
        return Output::failure("error: at least one taint update is required");
    }
    let parsed = match specs
        .iter()
        .map(|word| parse_spec(word))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(parsed) => parsed,
        Err(message) => return Output::failure(message),
    };
    let targets = match targets(resources) {
        Ok(targets) => targets,
        Err(message) => return Output::failure(message),
    };
    if let Some(target) = targets.iter().find(|target| target.kind != Kind::Node) {
        return Output::failure(format!(
            "error: invalid resource type {}, only node types are supported",
            target.kind.plural()
        ));
    }
    if targets.iter().any(|target| target.name.is_none())
        && !args.flag("all")
        && !args.has("selector")
    {
        return Output::failure(
            "error: at least one resource name must be specified since 'all' parameter is not set",
        );
    }
    let selection = match select(cluster, args, &targets) {
        Ok(selection) => selection,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    for error in &selection.errors {
        output.error(error);
    }
    let overwrite = args.flag("overwrite");
    let now = cluster.api().now_time();
    for object in selection.objects {
        let AnyObject::Node(node) = &object else {
            continue;
        };
        let mut taints: Vec<Taint> = node
            .spec
            .as_ref()
            .and_then(|spec| spec.taints.clone())
            .unwrap_or_default();
        let mut added = false;
        let mut modified = false;
        let mut removed = false;
        let mut failure = None;
        for spec in &parsed {
            match spec {
                Spec::Add(taint) => {
                    let mut taint = taint.clone();
                    if taint.effect == "NoExecute" {
                        taint.time_added = Some(now.clone());
                    }
                    match taints.iter_mut().find(|existing| {
                        existing.key == taint.key && existing.effect == taint.effect
                    }) {
                        Some(existing) if !overwrite => {
                            let _ = existing;
                            failure = Some(format!(
                                "error: node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                                node.metadata.name.as_deref().unwrap_or_default(),
                                taint.key
                            ));
                        }
                        Some(existing) => {
                            *existing = taint;
                            modified = true;
                        }
                        None => {
                            taints.push(taint);
                            added = true;
                        }
                    }
                }
                Spec::Remove(key, effect) => {
                    let before = taints.len();
                    taints.retain(|existing| {
                        !(existing.key == *key
                            && effect
                                .as_ref()
                                .is_none_or(|effect| existing.effect == *effect))
                    });
                    if taints.len() == before {
                        let shown = match effect {
                            Some(effect) => format!("{key}:{effect}"),
                            None => key.clone(),
                        };
                        failure = Some(format!("error: taint {shown:?} not found"));
                    } else {
                        removed = true;
                    }
                }
            }
        }
        if let Some(message) = failure {
            output.error(message);
            continue;
        }
        let operation = if removed && !added && !modified {
            "untainted"
        } else if modified && !added {
            "modified"
        } else {
            "tainted"
        };
        let key = object.key();
        let result = cluster.act(|api| {
            api.modify::<Node>(&key, |stored| {
                stored.spec.get_or_insert_with(Default::default).taints =
                    (!taints.is_empty()).then_some(taints);
            })
        });
        match result {
            Ok(_) => output.line(format!("node/{} {operation}", object.name())),
            Err(error) => output.error(error.to_string()),
        }
    }
    output
}
