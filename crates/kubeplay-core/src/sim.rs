//! `sim` commands: what happens to a cluster from outside it (machines join, leave, fail and
//! recover; containers crash or pass their probes) and the passing of virtual time.

use k8s_openapi::api::core::v1::Taint;

use crate::apiserver::pod_spec::TAINT_EFFECTS;
use crate::clock::{self, Millis};
use crate::cluster::{Cluster, NodeConfig};
use crate::kubectl::args::Args;
use crate::kubectl::{Output, namespace, parse_duration};
use crate::shell::{Candidate, CommandOutput};

pub const USAGE: &str = "sim commands:
  sim node add NAME [--label K=V]... [--taint K[=V]:EFFECT]... [--cpu Q] [--memory Q] [--pods N]
  sim node remove NAME | sim node fail NAME | sim node recover NAME
  sim advance DURATION            (90s, 5m, 1h30m, 7d)
  sim step                        (run to the next scheduled event)
  sim time
  sim pod fail NAME [--exit-code N] | sim pod succeed NAME | sim pod ready NAME | sim pod unready NAME";

/// Completes the word being typed (`current`) after `sim` and the `words` before it.
pub fn complete(cluster: &Cluster, words: &[String], current: &str) -> Vec<Candidate> {
    let args = Args::parse(words).unwrap_or_default();
    let positional: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    let fixed = |values: &[(&str, &str)]| -> Vec<Candidate> {
        values
            .iter()
            .map(|(value, description)| Candidate::new(*value, *description))
            .collect()
    };
    let candidates = if current.starts_with('-') {
        match positional.as_slice() {
            ["node", "add", ..] => fixed(&[
                ("--cpu", "allocatable cpu, such as 4 or 500m"),
                ("--label", "KEY=VALUE"),
                ("--memory", "allocatable memory, such as 8Gi"),
                ("--pods", "how many pods fit"),
                ("--taint", "KEY[=VALUE]:EFFECT"),
            ]),
            ["pod", "fail", ..] => fixed(&[
                ("--exit-code", "the container's exit code"),
                ("--namespace", ""),
            ]),
            ["pod", ..] => fixed(&[("--namespace", "")]),
            _ => Vec::new(),
        }
    } else {
        match positional.as_slice() {
            [] => fixed(&[
                ("advance", "Let virtual time pass"),
                ("help", "List the sim commands"),
                ("node", "Nodes join, leave, fail and recover"),
                ("pod", "Containers exit or change readiness"),
                ("step", "Run to the next scheduled event"),
                ("time", "Print the virtual time"),
            ]),
            ["node"] => fixed(&[
                ("add", "A machine joins the cluster"),
                ("fail", "The kubelet stops posting status"),
                ("recover", "The kubelet posts status again"),
                ("remove", "The machine leaves and its Node is deleted"),
            ]),
            ["node", "remove" | "fail" | "recover"] => cluster
                .nodes()
                .filter_map(|node| node.metadata.name.clone())
                .map(|name| Candidate::new(name, ""))
                .collect(),
            ["pod"] => fixed(&[
                ("fail", "The container exits with an error"),
                ("ready", "The readiness probe passes"),
                ("succeed", "The container exits with code 0"),
                ("unready", "The readiness probe fails"),
            ]),
            ["pod", _] => cluster
                .store()
                .list_any(crate::api::Kind::Pod, Some(&namespace(&args)))
                .iter()
                .map(|pod| Candidate::new(pod.name(), ""))
                .collect(),
            ["advance"] => fixed(&[("30s", ""), ("5m", ""), ("1h", ""), ("1d", "")]),
            _ => Vec::new(),
        }
    };
    candidates
        .into_iter()
        .filter(|candidate| candidate.value.starts_with(current))
        .collect()
}

pub fn run(cluster: &mut Cluster, words: &[String]) -> CommandOutput {
    let output = match Args::parse(words) {
        Ok(args) => dispatch(cluster, &args),
        Err(message) => Output::failure(message),
    };
    CommandOutput {
        stdout: output.stdout,
        stderr: output.stderr,
        exit_code: i32::from(output.failed),
    }
}

fn dispatch(cluster: &mut Cluster, args: &Args) -> Output {
    let words: Vec<&str> = args.positional.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["node", "add", name] => node_add(cluster, args, name),
        ["node", "remove", name] => report(
            cluster.remove_node(name).map_err(|error| error.to_string()),
            format!("node/{name} removed"),
        ),
        ["node", "fail", name] => report(
            cluster.fail_node(name).map_err(|error| error.to_string()),
            format!("node/{name} failed: its kubelet stopped posting status"),
        ),
        ["node", "recover", name] => report(
            cluster
                .recover_node(name)
                .map_err(|error| error.to_string()),
            format!("node/{name} recovered"),
        ),
        ["advance", duration] => match parse_duration(duration) {
            Ok(millis) if millis >= 0 => advance(cluster, duration, millis),
            _ => Output::failure(format!(
                "error: invalid duration {duration:?}: use a number with a unit, such as 90s, 5m, 1h30m or 7d"
            )),
        },
        ["step"] => {
            if cluster.step() {
                ok(format!("stepped to {}", time_of(cluster.now())))
            } else {
                ok("nothing is scheduled")
            }
        }
        ["time"] => ok(time_of(cluster.now())),
        ["pod", "fail", name] => {
            let code = match args.value("exit-code").map(str::parse::<i32>).transpose() {
                Ok(code) => code.unwrap_or(1),
                Err(_) => return Output::failure("error: --exit-code must be an integer"),
            };
            report(
                cluster.exit_pod(&namespace(args), name, code),
                format!("pod/{name} failed with exit code {code}"),
            )
        }
        ["pod", "succeed", name] => report(
            cluster.exit_pod(&namespace(args), name, 0),
            format!("pod/{name} succeeded"),
        ),
        ["pod", "ready", name] => report(
            cluster.set_pod_ready(&namespace(args), name, true),
            format!("pod/{name} ready"),
        ),
        ["pod", "unready", name] => report(
            cluster.set_pod_ready(&namespace(args), name, false),
            format!("pod/{name} not ready"),
        ),
        ["help"] | [] => ok(USAGE),
        _ => Output::failure(format!(
            "error: unknown sim command: sim {}\n{USAGE}",
            words.join(" ")
        )),
    }
}

/// `sim advance`: at most [`clock::MAX_ADVANCE`] at a time and never past [`clock::LATEST`];
/// a request beyond either is refused and changes nothing. On a copy with a horizon (a lesson
/// check's) time stops there, so only what it would really advance counts.
fn advance(cluster: &mut Cluster, text: &str, millis: Millis) -> Output {
    let now = cluster.now();
    let reach = cluster.horizon().map_or(millis, |horizon| {
        millis.min(horizon.saturating_sub(now).max(0))
    });
    if reach > clock::MAX_ADVANCE {
        return Output::failure(format!(
            "error: cannot advance {text:?}: one sim advance moves the clock at most {} (365 days)",
            clock::go_duration(clock::MAX_ADVANCE)
        ));
    }
    if now.saturating_add(reach) > clock::LATEST {
        return Output::failure(format!(
            "error: cannot advance {text:?}: the virtual clock stops at {}, {} from now",
            time_of(clock::LATEST),
            clock::go_duration(clock::LATEST - now)
        ));
    }
    cluster.advance(millis);
    ok(format!(
        "advanced {} to {}",
        clock::go_duration(millis),
        time_of(cluster.now())
    ))
}

/// The virtual now in RFC 3339 UTC at second precision, as `sim time` and Go's `time.RFC3339` print it.
pub(crate) fn time_of(now: Millis) -> String {
    clock::to_timestamp(now.div_euclid(1000) * 1000)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn ok(line: impl AsRef<str>) -> Output {
    let mut output = Output::default();
    output.line(line);
    output
}

fn report(result: Result<(), String>, success: String) -> Output {
    match result {
        Ok(()) => ok(success),
        Err(message) => Output::failure(message),
    }
}

fn node_add(cluster: &mut Cluster, args: &Args, name: &str) -> Output {
    let mut config = NodeConfig::new(name);
    for label in args.values("label") {
        let Some((key, value)) = label.split_once('=') else {
            return Output::failure(format!("error: invalid label {label:?}: use KEY=VALUE"));
        };
        config.labels.insert(key.to_string(), value.to_string());
    }
    for taint in args.values("taint") {
        let Some((key_value, effect)) = taint.rsplit_once(':') else {
            return Output::failure(format!(
                "error: invalid taint {taint:?}: use KEY[=VALUE]:EFFECT"
            ));
        };
        if !TAINT_EFFECTS.contains(&effect) {
            return Output::failure(format!(
                "error: invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        let (key, value) = match key_value.split_once('=') {
            Some((key, value)) => (key, Some(value.to_string())),
            None => (key_value, None),
        };
        config.taints.push(Taint {
            key: key.to_string(),
            value,
            effect: effect.to_string(),
            time_added: None,
        });
    }
    for (flag, field) in [
        ("cpu", &mut config.cpu),
        ("memory", &mut config.memory),
        ("pods", &mut config.pods),
    ] {
        if let Some(value) = args.value(flag) {
            if let Err(message) = crate::api::quantity::parse_milli(value) {
                return Output::failure(format!("error: invalid --{flag} {value:?}: {message}"));
            }
            *field = value.to_string();
        }
    }
    report(
        cluster
            .add_node(config)
            .map(|_| ())
            .map_err(|error| error.to_string()),
        format!("node/{name} added"),
    )
}

#[cfg(test)]
mod tests {
    use crate::cluster::Cluster;
    use crate::shell::completions;

    fn values(line: &str) -> Vec<String> {
        completions(&Cluster::default_cluster(), line)
    }

    #[test]
    fn completes_sim_commands_node_names_and_flags() {
        assert_eq!(values("sim n"), ["node"]);
        assert_eq!(values("sim node r"), ["recover", "remove"]);
        assert_eq!(
            values("sim node fail node-"),
            ["node-1", "node-2", "node-3"]
        );
        assert_eq!(values("sim node add gpu-1 --t"), ["--taint"]);
        assert_eq!(values("sim node add "), Vec::<String>::new());
        assert_eq!(values("sim pod fail -"), ["--exit-code", "--namespace"]);
    }
}
