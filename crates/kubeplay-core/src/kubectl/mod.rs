//! kubectl, one implementation for the CLI and the browser terminal: the same commands, flags,
//! output and errors as the real one, run against the virtual cluster. The command modules parse
//! arguments, choose objects and act through the API server; the output modules (`printers`,
//! `describe`, `human`, `tabwriter`) print exactly what kubectl prints.

pub mod apply;
pub mod args;
pub mod completion;
pub mod create_job;
pub mod delete;
pub mod describe;
pub mod drain;
pub mod flags;
pub mod get;
pub(crate) mod gofmt;
pub(crate) mod gosort;
pub mod human;
pub mod label;
pub mod logs;
pub mod patch;
pub mod printers;
pub mod quantity;
pub mod rollout;
pub mod tabwriter;
pub mod taint;
pub mod wait;

pub use describe::describe;
pub use human::{age, human_duration};
pub use printers::{TableOptions, jsonpath, print_table, to_json, to_yaml};

use crate::api::{AnyObject, Kind, ObjectKey};
use crate::cluster::Cluster;
use crate::shell::{CommandOutput, Files};
use args::Args;

pub const CLIENT_VERSION: &str = "v1.34.0";

/// What a command printed, and whether it failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub failed: bool,
}

impl Output {
    pub fn out(&mut self, text: impl AsRef<str>) {
        self.stdout.push_str(text.as_ref());
    }

    pub fn line(&mut self, text: impl AsRef<str>) {
        self.stdout.push_str(text.as_ref());
        self.stdout.push('\n');
    }

    /// An error line on stderr; the command exits non-zero.
    pub fn error(&mut self, text: impl AsRef<str>) {
        self.stderr.push_str(text.as_ref());
        self.stderr.push('\n');
        self.failed = true;
    }

    /// A line on stderr that does not fail the command (warnings, "No resources found").
    pub fn note(&mut self, text: impl AsRef<str>) {
        self.stderr.push_str(text.as_ref());
        self.stderr.push('\n');
    }

    pub fn failure(text: impl AsRef<str>) -> Output {
        let mut output = Output::default();
        output.error(text);
        output
    }

    fn into_command_output(self) -> CommandOutput {
        CommandOutput {
            stdout: self.stdout,
            stderr: self.stderr,
            exit_code: i32::from(self.failed),
        }
    }
}

/// Runs `kubectl <words>`; `stdin` is what `-f -` reads.
pub fn run(
    cluster: &mut Cluster,
    words: &[String],
    stdin: &str,
    files: &dyn Files,
) -> CommandOutput {
    let args = match Args::parse(words) {
        Ok(args) => args,
        Err(message) => return Output::failure(message).into_command_output(),
    };
    let Some(command) = args.positional.first().cloned() else {
        return Output::failure(USAGE).into_command_output();
    };
    let output = match command.as_str() {
        "get" => get::get(cluster, &args),
        "describe" => get::describe(cluster, &args),
        "apply" => apply::apply(cluster, &args, stdin, files),
        "create" => apply::create(cluster, &args, stdin, files),
        "delete" => delete::delete(cluster, &args, stdin, files),
        "label" => label::label(cluster, &args, label::Field::Labels),
        "annotate" => label::label(cluster, &args, label::Field::Annotations),
        "taint" => taint::taint(cluster, &args),
        "cordon" => drain::cordon(cluster, &args, true),
        "uncordon" => drain::cordon(cluster, &args, false),
        "drain" => drain::drain(cluster, &args),
        "patch" => patch::patch(cluster, &args),
        "set" => patch::set(cluster, &args),
        "rollout" => rollout::rollout(cluster, &args),
        "wait" => wait::wait(cluster, &args),
        "logs" => logs::logs(cluster, &args),
        "version" => version(&args),
        "api-resources" => api_resources(),
        other => Output::failure(format!(
            "error: unknown command {} for \"kubectl\"\n\nDid you mean this?\n{}",
            gofmt::go_quote(other),
            suggest(other)
        )),
    };
    output.into_command_output()
}

const USAGE: &str = "kubectl controls the Kubernetes cluster manager.\n\nBasic Commands: create, get, describe, delete, apply, label, annotate, taint, cordon, uncordon, drain, patch, set image, rollout, wait, logs, version";

fn suggest(word: &str) -> String {
    let closest = completion::COMMANDS
        .iter()
        .map(|(command, _)| *command)
        .min_by_key(|command| edit_distance(command, word))
        .unwrap_or("get");
    format!("\t{closest}")
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

fn version(args: &Args) -> Output {
    let mut output = Output::default();
    if args.flag("client") {
        output.line(format!("Client Version: {CLIENT_VERSION}"));
        output.line("Kustomize Version: v5.7.1");
        return output;
    }
    output.line(format!("Client Version: {CLIENT_VERSION}"));
    output.line("Kustomize Version: v5.7.1");
    output.line(format!(
        "Server Version: {}",
        crate::kubelet::node_status::KUBELET_VERSION
    ));
    output
}

fn api_resources() -> Output {
    let mut text = String::from("NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND\n");
    for kind in Kind::ALL {
        let row = [
            kind.plural().to_string(),
            kind.short_names().join(","),
            kind.api_version().to_string(),
            kind.namespaced().to_string(),
            kind.name().to_string(),
        ];
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    let mut output = Output::default();
    output.out(tabwriter::TABLE.format(&text));
    output
}

/// The namespace a command works in: `-n`, or `default`.
pub fn namespace(args: &Args) -> String {
    args.value("namespace")
        .filter(|namespace| !namespace.is_empty())
        .unwrap_or("default")
        .to_string()
}

/// A resource named on the command line: `pods`, `pod/web`, `ds fluentd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: Kind,
    pub name: Option<String>,
}

pub fn unknown_resource(resource: &str) -> String {
    format!(
        "error: the server doesn't have a resource type {}",
        gofmt::go_quote(resource)
    )
}

/// Reads `TYPE[,TYPE] [NAME...]` or `TYPE/NAME...`.
pub fn targets(words: &[String]) -> Result<Vec<Target>, String> {
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if words.iter().all(|word| word.contains('/')) {
        return words
            .iter()
            .map(|word| {
                let (resource, name) = word.split_once('/').unwrap_or((word, ""));
                let kind = Kind::from_resource_arg(resource).ok_or_else(|| unknown_resource(resource))?;
                if name.is_empty() {
                    return Err("error: arguments in resource/name form must have a single resource and name".to_string());
                }
                Ok(Target { kind, name: Some(name.to_string()) })
            })
            .collect();
    }
    if words[1..].iter().any(|word| word.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
    }
    let kinds = first
        .split(',')
        .map(|resource| Kind::from_resource_arg(resource).ok_or_else(|| unknown_resource(resource)))
        .collect::<Result<Vec<_>, _>>()?;
    let names = &words[1..];
    if names.is_empty() {
        return Ok(kinds
            .into_iter()
            .map(|kind| Target { kind, name: None })
            .collect());
    }
    Ok(kinds
        .into_iter()
        .flat_map(|kind| {
            names.iter().map(move |name| Target {
                kind,
                name: Some(name.clone()),
            })
        })
        .collect())
}

/// `-o name` form: `daemonset.apps/fluentd`.
pub fn resource_name(object: &AnyObject) -> String {
    format!("{}/{}", object.kind().qualified_singular(), object.name())
}

pub fn get_object(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<AnyObject, String> {
    let key = if kind.namespaced() {
        ObjectKey::new(namespace, name)
    } else {
        ObjectKey::cluster(name)
    };
    cluster
        .store()
        .get_any(kind, &key)
        .ok_or_else(|| crate::apiserver::ApiError::not_found(kind, name).to_string())
}

/// A duration as kubectl's flags take it (`30s`, `5m`, `1h30m`, `500ms`), also in days (`7d`) for `sim`.
pub fn parse_duration(text: &str) -> Result<crate::clock::Millis, String> {
    let invalid = || format!("invalid duration \"{text}\"");
    if text.is_empty() {
        return Err(invalid());
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return seconds.checked_mul(1000).ok_or_else(invalid);
    }
    let mut total: f64 = 0.0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push('s');
            chars.next();
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        number.clear();
        let scale = match unit.as_str() {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(invalid()),
        };
        total += value * scale;
        any = true;
    }
    if !number.is_empty() || !any {
        return Err(invalid());
    }
    // Past 2^63 ms the float no longer converts: too long, like an overflowing number.
    if total.round() >= 9.223_372_036_854_776e18 {
        return Err(invalid());
    }
    Ok(total.round() as crate::clock::Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(90_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("7d"), Ok(604_800_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("30"), Ok(30_000));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5").is_ok());
        assert!(parse_duration("5x").is_err());
    }

    #[test]
    fn durations_near_the_64_bit_limit_are_refused_not_overflowed() {
        assert_eq!(
            parse_duration("9223372036854775"),
            Ok(9_223_372_036_854_775_000)
        );
        assert!(parse_duration("9223372036854775807").is_err());
        assert!(parse_duration("9223372036854775807h").is_err());
        assert!(parse_duration(&format!("{}d", "9".repeat(400))).is_err());
        assert_eq!(
            parse_duration("99999999999h"),
            Ok(99_999_999_999 * 3_600_000)
        );
    }

    #[test]
    fn resource_arguments() {
        let words = |line: &str| {
            line.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(targets(&words("pods,ds")).unwrap().len(), 2);
        assert_eq!(
            targets(&words("ds/fluentd pod/web")).unwrap()[1],
            Target {
                kind: Kind::Pod,
                name: Some("web".into())
            }
        );
        assert_eq!(targets(&words("nodes node-1 node-2")).unwrap().len(), 2);
        assert_eq!(
            targets(&words("deployments")).unwrap_err(),
            "error: the server doesn't have a resource type \"deployments\""
        );
    }
}
