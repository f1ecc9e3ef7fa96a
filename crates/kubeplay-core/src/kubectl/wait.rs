//! `kubectl wait`: on the virtual clock, time runs forward until the condition holds or the timeout passes.

use serde_json::Value;

use super::args::Args;
use super::get::select;
use super::{Output, parse_duration, targets};
use crate::api::AnyObject;
use crate::clock::Millis;
use crate::cluster::Cluster;

enum Condition {
    Delete,
    Type { name: String, status: String },
    JsonPath { path: String, value: Option<String> },
}

fn parse_condition(text: &str) -> Result<Condition, String> {
    if text == "delete" {
        return Ok(Condition::Delete);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, status) = match rest.split_once('=') {
            Some((name, status)) => (name, status),
            None => (rest, "true"),
        };
        return Ok(Condition::Type {
            name: name.to_ascii_lowercase(),
            status: status.to_ascii_lowercase(),
        });
    }
    if let Some(rest) = text.strip_prefix("jsonpath=") {
        let rest = rest.trim_matches('\'');
        let (path, value) = match rest.rfind("}=") {
            Some(index) => (
                &rest[..=index],
                Some(
                    rest[index + 2..]
                        .trim_matches('\'')
                        .trim_matches('"')
                        .to_string(),
                ),
            ),
            None => (rest, None),
        };
        return Ok(Condition::JsonPath {
            path: path.to_string(),
            value,
        });
    }
    Err(format!("error: unrecognized condition: \"{text}\""))
}

fn holds(condition: &Condition, object: Option<&AnyObject>) -> bool {
    match (condition, object) {
        (Condition::Delete, object) => object.is_none(),
        (_, None) => false,
        (Condition::Type { name, status }, Some(object)) => {
            let json = object.to_json();
            json.pointer("/status/conditions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|entry| {
                    entry
                        .get("type")
                        .and_then(Value::as_str)
                        .is_some_and(|kind| kind.to_ascii_lowercase() == *name)
                        && entry
                            .get("status")
                            .and_then(Value::as_str)
                            .is_some_and(|value| value.to_ascii_lowercase() == *status)
                })
        }
        (Condition::JsonPath { path, value }, Some(object)) => {
            match super::printers::jsonpath(path, &object.to_json()) {
                Ok(found) => match value {
                    Some(expected) => found.trim() == expected,
                    None => !found.trim().is_empty(),
                },
                Err(_) => false,
            }
        }
    }
}

pub fn wait(cluster: &mut Cluster, args: &Args) -> Output {
    let Some(text) = args.value("for") else {
        return Output::failure("error: --for must be specified");
    };
    let condition = match parse_condition(text) {
        Ok(condition) => condition,
        Err(message) => return Output::failure(message),
    };
    let timeout: Millis = match args.value("timeout").map(parse_duration).transpose() {
        Ok(timeout) => timeout.unwrap_or(30_000),
        Err(message) => return Output::failure(format!("error: {message}")),
    };
    let targets = match targets(&args.positional[1..]) {
        Ok(targets) if !targets.is_empty() => targets,
        Ok(_) => {
            return Output::failure("error: resource(s) were provided, but no name was specified");
        }
        Err(message) => return Output::failure(message),
    };
    let selection = match select(cluster, args, &targets) {
        Ok(selection) => selection,
        Err(message) => return Output::failure(message),
    };
    let mut output = Output::default();
    if !matches!(condition, Condition::Delete) {
        for error in &selection.errors {
            output.error(error);
        }
    }
    // As RunWait: nothing to wait for is an error, except when waiting for deletion.
    if selection.objects.is_empty() && selection.errors.is_empty() {
        if matches!(condition, Condition::Delete) {
            return output;
        }
        return Output::failure("error: no matching resources found");
    }
    let deadline = cluster.now() + timeout;
    for object in selection.objects {
        let (kind, key) = (object.kind(), object.key());
        loop {
            let current = cluster.store().get_any(kind, &key);
            if holds(&condition, current.as_ref()) {
                output.line(format!("{} condition met", super::resource_name(&object)));
                break;
            }
            let current_uid = current.as_ref().map(|current| current.uid().to_string());
            if current_uid.is_some_and(|uid| uid != object.uid())
                && matches!(condition, Condition::Delete)
            {
                output.line(format!("{} condition met", super::resource_name(&object)));
                break;
            }
            match cluster.next_timer().filter(|next| *next <= deadline) {
                Some(next) => cluster.run_until(next),
                None => {
                    cluster.run_until(deadline);
                    if holds(&condition, cluster.store().get_any(kind, &key).as_ref()) {
                        output.line(format!("{} condition met", super::resource_name(&object)));
                    } else {
                        output.error(format!(
                            "error: timed out waiting for the condition on {}/{}",
                            kind.qualified_plural(),
                            key.name
                        ));
                    }
                    break;
                }
            }
        }
    }
    output
}
