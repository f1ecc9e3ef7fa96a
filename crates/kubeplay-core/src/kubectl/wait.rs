//! `kubectl wait`: on the virtual clock, time runs forward until the condition holds or the timeout passes.

use serde_json::Value;

use super::args::Args;
use super::get::select;
use super::{Output, targets};
use crate::api::AnyObject;
use crate::clock::{DAY, MAX_ADVANCE, Millis, SECOND};
use crate::cluster::Cluster;

/// What a negative `--timeout` means: wait for a week.
const WEEK: Millis = 7 * DAY;

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
    if let Some(input) = text.strip_prefix("jsonpath=") {
        let (path, value) = process_jsonpath_input(input)?;
        // newJSONPathParser: the expression is parsed before anything is waited for.
        if path.is_empty() {
            return Err("error: jsonpath expression cannot be empty".into());
        }
        super::printers::check_jsonpath(&path).map_err(|error| format!("error: {error}"))?;
        return Ok(Condition::JsonPath { path, value });
    }
    Err(format!(
        "error: unrecognized condition: {}",
        super::gofmt::go_quote(text)
    ))
}

/// `processJSONPathInput`: the expression, relaxed as `kubectl get` relaxes it, and the value
/// after a single `=` (`==` inside a filter does not split), trimmed of quotes.
fn process_jsonpath_input(input: &str) -> Result<(String, Option<String>), String> {
    let parts = split_jsonpath_input(input);
    if parts.len() > 2 {
        return Err("error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into());
    }
    let path = relaxed_jsonpath_expression(&parts[0])?;
    let Some(value) = parts.get(1) else {
        return Ok((path, None));
    };
    let value = value.trim_matches(|c| c == '\'' || c == '"');
    if value.is_empty() {
        return Err("error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
    }
    Ok((path, Some(value.to_string())))
}

/// `splitJSONPathInput`: splits on each single `=`; a `==` stays in the part.
fn split_jsonpath_input(input: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("==") {
            parts
                .last_mut()
                .into_iter()
                .for_each(|part| part.push_str("=="));
            rest = after;
        } else if let Some(after) = rest.strip_prefix('=') {
            parts.push(String::new());
            rest = after;
        } else {
            parts.last_mut().into_iter().for_each(|part| part.push(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    parts
}

/// `get.RelaxedJSONPathExpression`: `name1.name2`, `.name1.name2`, `{name1.name2}` or
/// `{.name1.name2}` (no other braces) as `{.name1.name2}`.
fn relaxed_jsonpath_expression(expression: &str) -> Result<String, String> {
    if expression.is_empty() {
        return Ok(String::new());
    }
    let braced = expression
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'));
    let field = braced.unwrap_or(expression);
    // The regexp's optional dot gives way when nothing else would be left: `{.}` is `{..}`.
    let field = field
        .strip_prefix('.')
        .filter(|rest| !rest.is_empty())
        .unwrap_or(field);
    if field.is_empty() || field.contains(['{', '}']) {
        return Err("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".into());
    }
    Ok(format!("{{.{field}}}"))
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
    // Flags first, as cobra parses them. As kubectl: 30s by default, zero checks once,
    // negative means a week; and no wait goes further than one command may move the clock.
    let timeout: Millis = match super::flags::duration(args, "timeout") {
        Ok(timeout) => match timeout.unwrap_or(30 * SECOND) {
            timeout if timeout < 0 => WEEK,
            timeout => timeout.min(MAX_ADVANCE),
        },
        Err(message) => return Output::failure(message),
    };
    let Some(text) = args.value("for") else {
        return Output::failure("error: --for must be specified");
    };
    let condition = match parse_condition(text) {
        Ok(condition) => condition,
        Err(message) => return Output::failure(message),
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
    let deadline = cluster.now().saturating_add(timeout);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonpath_error(text: &str) -> String {
        match parse_condition(text) {
            Ok(_) => panic!("{text} was accepted"),
            Err(message) => message,
        }
    }

    #[test]
    fn a_malformed_jsonpath_is_refused_before_waiting() {
        assert_eq!(
            jsonpath_error("jsonpath={.items["),
            "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        );
        assert_eq!(
            jsonpath_error("jsonpath={.items[}"),
            "error: unterminated array"
        );
        assert_eq!(
            jsonpath_error("jsonpath={.status.x}=a=b"),
            "error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'"
        );
        assert_eq!(
            jsonpath_error("jsonpath={.status.x}=''"),
            "error: jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3"
        );
        assert_eq!(
            jsonpath_error("jsonpath="),
            "error: jsonpath expression cannot be empty"
        );
        assert_eq!(
            jsonpath_error("ready\u{1}"),
            "error: unrecognized condition: \"ready\\x01\""
        );
    }

    #[test]
    fn jsonpath_conditions_are_relaxed_as_kubectl_relaxes_them() {
        for (text, expected_path, expected_value) in [
            ("jsonpath={.status.ready}=1", "{.status.ready}", Some("1")),
            ("jsonpath=status.ready", "{.status.ready}", None),
            ("jsonpath=.status.ready=\"2\"", "{.status.ready}", Some("2")),
            ("jsonpath={status.ready}='3'", "{.status.ready}", Some("3")),
            (
                "jsonpath={.spec.taints[?(@.key==\"a\")].effect}=NoSchedule",
                "{.spec.taints[?(@.key==\"a\")].effect}",
                Some("NoSchedule"),
            ),
            ("jsonpath={.}", "{..}", None),
        ] {
            match parse_condition(text) {
                Ok(Condition::JsonPath { path, value }) => {
                    assert_eq!(path, expected_path, "{text}");
                    assert_eq!(value.as_deref(), expected_value, "{text}");
                }
                _ => panic!("{text} was not a jsonpath condition"),
            }
        }
    }
}
