//! `kubectl patch` (strategic merge, JSON merge and JSON patch) and `kubectl set image`.

use serde_json::Value;

use super::args::Args;
use super::{Output, get_object, namespace, targets};
use crate::api::{AnyObject, Kind, for_kind};
use crate::apiserver::{Registry, decode, merge_patch};
use crate::cluster::Cluster;

/// List fields that strategic merge patch merges by a key instead of replacing (`patchMergeKey`).
const MERGE_KEYS: &[(&str, &str)] = &[
    ("containers", "name"),
    ("initContainers", "name"),
    ("ephemeralContainers", "name"),
    ("env", "name"),
    ("ports", "containerPort"),
    ("volumes", "name"),
    ("volumeMounts", "mountPath"),
    ("imagePullSecrets", "name"),
    ("conditions", "type"),
    ("ownerReferences", "uid"),
];

/// Strategic merge patch for the list fields above; everything else merges like a JSON merge patch.
pub fn strategic_merge(target: &mut Value, patch: &Value) {
    let (Value::Object(target_fields), Value::Object(patch_fields)) = (&mut *target, patch) else {
        merge_patch::apply(target, patch);
        return;
    };
    for (key, value) in patch_fields {
        if value.is_null() {
            target_fields.remove(key);
            continue;
        }
        let merge_key = MERGE_KEYS
            .iter()
            .find(|(field, _)| field == key)
            .map(|(_, merge_key)| *merge_key);
        match (target_fields.get_mut(key), value, merge_key) {
            (Some(Value::Array(existing)), Value::Array(items), Some(merge_key)) => {
                for item in items {
                    let id = item.get(merge_key);
                    match existing
                        .iter_mut()
                        .find(|candidate| id.is_some() && candidate.get(merge_key) == id)
                    {
                        Some(candidate) => strategic_merge(candidate, item),
                        None => existing.push(item.clone()),
                    }
                }
            }
            (Some(existing @ Value::Object(_)), Value::Object(_), _) => {
                strategic_merge(existing, value)
            }
            _ => {
                target_fields.insert(key.clone(), value.clone());
            }
        }
    }
}

/// RFC 6902 JSON patch: add, remove, replace, copy, move, test.
fn json_patch(target: &mut Value, operations: &Value) -> Result<(), String> {
    let Value::Array(operations) = operations else {
        return Err("error: unable to parse patch: json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    for operation in operations {
        let op = operation
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let path = operation
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let value = operation.get("value").cloned();
        match op {
            "add" | "replace" => {
                let value =
                    value.ok_or_else(|| format!("error: missing value for {op} operation"))?;
                let (parent, last) = split_pointer(path);
                let container = target.pointer_mut(&parent).ok_or_else(|| format!("error: add operation does not apply: doc is missing path: \"{path}\": missing value"))?;
                match container {
                    Value::Object(map) => {
                        if op == "replace" && !map.contains_key(&last) {
                            return Err(format!(
                                "error: replace operation does not apply: doc is missing key: {path}: missing value"
                            ));
                        }
                        map.insert(last, value);
                    }
                    Value::Array(list) => {
                        if last == "-" {
                            list.push(value);
                        } else {
                            let index: usize = last
                                .parse()
                                .map_err(|_| format!("error: invalid array index {last}"))?;
                            if op == "replace" && index < list.len() {
                                list[index] = value;
                            } else if index <= list.len() {
                                list.insert(index, value);
                            } else {
                                return Err(format!(
                                    "error: {op} operation does not apply: index out of range"
                                ));
                            }
                        }
                    }
                    _ => {
                        return Err(format!(
                            "error: {op} operation does not apply: doc is missing path: \"{path}\""
                        ));
                    }
                }
            }
            "remove" => {
                let (parent, last) = split_pointer(path);
                let removed = match target.pointer_mut(&parent) {
                    Some(Value::Object(map)) => map.remove(&last).is_some(),
                    Some(Value::Array(list)) => match last.parse::<usize>() {
                        Ok(index) if index < list.len() => {
                            list.remove(index);
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !removed {
                    return Err(format!(
                        "error: remove operation does not apply: doc is missing path: \"{path}\": missing value"
                    ));
                }
            }
            "test" => {
                if target.pointer(path) != value.as_ref() {
                    return Err(format!("error: testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("error: Unexpected kind: {other}")),
        }
    }
    Ok(())
}

fn split_pointer(path: &str) -> (String, String) {
    match path.rsplit_once('/') {
        Some((parent, last)) => (
            parent.to_string(),
            last.replace("~1", "/").replace("~0", "~"),
        ),
        None => (String::new(), path.to_string()),
    }
}

fn replace_object<K: Registry>(
    cluster: &mut Cluster,
    value: Value,
    kind: Kind,
    name: &str,
) -> Result<bool, String> {
    let object: K = decode::decode_strict(value, kind, name).map_err(|error| error.to_string())?;
    let before = object.metadata().resource_version.clone();
    let updated = cluster
        .act(|api| api.update(object))
        .map_err(|error| error.to_string())?;
    Ok(updated.metadata().resource_version != before)
}

fn write(cluster: &mut Cluster, object: &AnyObject, value: Value) -> Result<bool, String> {
    let kind = object.kind();
    for_kind!(kind, K => replace_object::<K>(cluster, value, kind, object.name()))
}

pub fn patch(cluster: &mut Cluster, args: &Args) -> Output {
    let words = &args.positional[1..];
    let Some(patch_text) = args.value("patch") else {
        return Output::failure("error: must specify -p to patch");
    };
    let targets = match targets(words) {
        Ok(targets)
            if !targets.is_empty() && targets.iter().all(|target| target.name.is_some()) =>
        {
            targets
        }
        Ok(_) => {
            return Output::failure("error: resource(s) were provided, but no name was specified");
        }
        Err(message) => return Output::failure(message),
    };
    let patch: Value = match serde_json::from_str(patch_text)
        .or_else(|_| serde_saphyr::from_str::<Value>(patch_text).map_err(|error| error.to_string()))
    {
        Ok(patch) => patch,
        Err(error) => {
            return Output::failure(format!("error: unable to parse \"{patch_text}\": {error}"));
        }
    };
    let mut output = Output::default();
    for target in targets {
        let name = target.name.clone().unwrap_or_default();
        let object = match get_object(cluster, target.kind, &namespace(args), &name) {
            Ok(object) => object,
            Err(message) => {
                output.error(message);
                continue;
            }
        };
        let mut value = object.to_json();
        let applied = match args.value("type").unwrap_or("strategic") {
            "merge" => {
                merge_patch::apply(&mut value, &patch);
                Ok(())
            }
            "strategic" => {
                strategic_merge(&mut value, &patch);
                Ok(())
            }
            "json" => json_patch(&mut value, &patch),
            other => Err(format!(
                "error: --type must be one of [json merge strategic], not {}",
                super::gofmt::go_quote(other)
            )),
        };
        if let Err(message) = applied {
            output.error(message);
            continue;
        }
        let resource = super::resource_name(&object);
        if value == object.to_json() {
            output.line(format!("{resource} patched (no change)"));
            continue;
        }
        match write(cluster, &object, value) {
            Ok(true) => output.line(format!("{resource} patched")),
            Ok(false) => output.line(format!("{resource} patched (no change)")),
            Err(message) => output.error(message),
        }
    }
    output
}

/// `kubectl set image TYPE NAME CONTAINER=IMAGE...` (`*` names every container).
pub fn set(cluster: &mut Cluster, args: &Args) -> Output {
    if args.positional.get(1).map(String::as_str) != Some("image") {
        return Output::failure("error: kubeplay supports `kubectl set image`");
    }
    let words = &args.positional[2..];
    let split = words
        .iter()
        .position(|word| word.contains('='))
        .unwrap_or(words.len());
    let (resources, assignments) = words.split_at(split);
    if assignments.is_empty() {
        return Output::failure("error: at least one image update is required");
    }
    let targets = match targets(resources) {
        Ok(targets) => targets,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    for target in targets {
        let Some(name) = target.name.clone() else {
            output.error("error: resource(s) were provided, but no name was specified");
            continue;
        };
        let object = match get_object(cluster, target.kind, &namespace(args), &name) {
            Ok(object) => object,
            Err(message) => {
                output.error(message);
                continue;
            }
        };
        let mut value = object.to_json();
        let pod_spec_path = match object.kind() {
            Kind::Pod => "/spec",
            Kind::DaemonSet | Kind::Job => "/spec/template/spec",
            Kind::CronJob => "/spec/jobTemplate/spec/template/spec",
            other => {
                output.error(format!(
                    "error: {} is not a resource with a pod template",
                    other.plural()
                ));
                continue;
            }
        };
        let mut missing = None;
        if let Some(spec) = value
            .pointer_mut(pod_spec_path)
            .and_then(Value::as_object_mut)
        {
            for assignment in assignments {
                let (container, image) = assignment.split_once('=').unwrap_or((assignment, ""));
                let mut found = false;
                for field in ["initContainers", "containers"] {
                    for entry in spec
                        .get_mut(field)
                        .and_then(Value::as_array_mut)
                        .into_iter()
                        .flatten()
                    {
                        if container == "*"
                            || entry.get("name").and_then(Value::as_str) == Some(container)
                        {
                            if let Some(map) = entry.as_object_mut() {
                                map.insert("image".into(), Value::String(image.to_string()));
                            }
                            found = true;
                        }
                    }
                }
                if !found {
                    missing = Some(container.to_string());
                }
            }
        }
        if let Some(container) = missing {
            output.error(format!(
                "error: unable to find container named {}",
                super::gofmt::go_quote(&container)
            ));
            continue;
        }
        match write(cluster, &object, value) {
            Ok(_) => output.line(format!("{} image updated", super::resource_name(&object))),
            Err(message) => output.error(message),
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let mut target = json!({"spec": {"containers": [{"name": "a", "image": "x:1", "ports": [{"containerPort": 80}]}, {"name": "b", "image": "y"}]}});
        strategic_merge(
            &mut target,
            &json!({"spec": {"containers": [{"name": "a", "image": "x:2"}]}}),
        );
        assert_eq!(
            target,
            json!({"spec": {"containers": [{"name": "a", "image": "x:2", "ports": [{"containerPort": 80}]}, {"name": "b", "image": "y"}]}})
        );
    }

    #[test]
    fn json_patch_operations() {
        let mut target = json!({"spec": {"parallelism": 1, "list": [1, 2]}});
        json_patch(&mut target, &json!([{"op": "replace", "path": "/spec/parallelism", "value": 3}, {"op": "add", "path": "/spec/list/-", "value": 3}, {"op": "remove", "path": "/spec/list/0"}])).unwrap();
        assert_eq!(target, json!({"spec": {"parallelism": 3, "list": [2, 3]}}));
        assert!(json_patch(&mut target, &json!([{"op": "remove", "path": "/nope"}])).is_err());
    }
}
