//! `kubectl rollout history|undo|restart|status` for DaemonSets (kubectl's `pkg/cmd/rollout`),
//! over the controller's pure helpers in `controller::daemon::rollout`. `status` watches by
//! advancing the virtual clock from timer to timer, as the real one blocks on a watch.

use k8s_openapi::api::apps::v1::DaemonSet;

use super::args::Args;
use super::get::select;
use super::{Output, namespace, targets};
use crate::api::{AnyObject, Kind};
use crate::clock::{MAX_ADVANCE, MINUTE, Millis};
use crate::cluster::Cluster;
use crate::controller::daemon::rollout::{
    history_entries, history_template, rollout_status, rollout_undo,
};

/// How long `rollout status` watches without `--timeout` (kubectl itself waits forever).
const WAIT_LIMIT: Millis = 10 * MINUTE;

/// The template annotation `rollout restart` sets (objectrestarter.go).
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

const USAGE: &str = "Manage the rollout of one or many resources.\n\nAvailable Commands:\n  history     View rollout history\n  restart     Restart a resource\n  status      Show the status of the rollout\n  undo        Undo a previous rollout";

pub fn rollout(cluster: &mut Cluster, args: &Args) -> Output {
    let Some(command) = args.positional.get(1) else {
        return Output::failure(USAGE);
    };
    let (known, verb): (&[&str], Verb) = match command.as_str() {
        "history" => (&["revision", "selector"], Verb::History),
        "undo" => (&["to-revision", "selector"], Verb::Undo),
        "restart" => (&["selector"], Verb::Restart),
        "status" => (&["timeout", "watch", "revision", "selector"], Verb::Status),
        other => {
            return Output::failure(format!(
                "error: unknown command {} for \"kubectl rollout\"\n\n{USAGE}",
                super::gofmt::go_quote(other)
            ));
        }
    };
    if let Some(message) = args.unknown_flags(known) {
        return Output::failure(message);
    }
    let objects = match resolve(cluster, args) {
        Ok(objects) => objects,
        Err(output) => return output,
    };
    match verb {
        Verb::History => history(cluster, args, objects),
        Verb::Undo => undo(cluster, args, objects),
        Verb::Restart => restart(cluster, args, objects),
        Verb::Status => status(cluster, args, objects),
    }
}

enum Verb {
    History,
    Undo,
    Restart,
    Status,
}

/// The objects named on the command line, and the lookup errors to report among them (kubectl
/// goes on with the objects it found, then fails).
struct Resolved {
    objects: Vec<AnyObject>,
    errors: Vec<String>,
}

fn resolve(cluster: &Cluster, args: &Args) -> Result<Resolved, Output> {
    let words = &args.positional[2..];
    if words.is_empty() {
        return Err(Output::failure("error: required resource not specified"));
    }
    let targets = targets(words).map_err(Output::failure)?;
    let selection = select(cluster, args, &targets).map_err(Output::failure)?;
    Ok(Resolved {
        objects: selection.objects,
        errors: selection.errors,
    })
}

/// `schema.GroupKind.String()`: `DaemonSet.apps`, or `Pod` for the core group.
fn group_kind(kind: Kind) -> String {
    match kind.group() {
        "" => kind.name().to_string(),
        group => format!("{}.{group}", kind.name()),
    }
}

/// A flag that cobra parses as an int64, with its parse error; 0 when not given.
fn int_flag(args: &Args, name: &str) -> Result<i64, String> {
    super::flags::int(args, name).map(Option::unwrap_or_default)
}

/// `no history viewer has been implemented for "Pod"`: what kubectl says of a kind it cannot
/// do `what` for.
fn not_implemented(what: &str, object: &AnyObject) -> String {
    format!(
        "error: no {what} has been implemented for \"{}\"",
        group_kind(object.kind())
    )
}

/// Visits the objects as kubectl's builder does: lookup errors first, then each DaemonSet's line
/// from `act`, and `unsupported`'s error for objects of other kinds.
fn each_daemon_set(
    resolved: &Resolved,
    unsupported: impl Fn(&AnyObject) -> String,
    mut act: impl FnMut(&AnyObject, &DaemonSet) -> Result<String, String>,
) -> Output {
    let mut output = Output::default();
    for error in &resolved.errors {
        output.error(error);
    }
    for object in &resolved.objects {
        let result = match object {
            AnyObject::DaemonSet(ds) => act(object, ds),
            _ => Err(unsupported(object)),
        };
        match result {
            Ok(line) => output.line(line),
            Err(message) => output.error(message),
        }
    }
    output
}

/// The NamePrinter line kubectl prints for a result: `daemonset.apps/X <operation>`.
fn name_line(object: &AnyObject, operation: &str) -> String {
    format!("{} {operation}", super::resource_name(object))
}

fn history(cluster: &Cluster, args: &Args, resolved: Resolved) -> Output {
    let revision = match int_flag(args, "revision") {
        Ok(revision) if revision < 0 => {
            return Output::failure(format!(
                "error: revision must be a positive integer: {revision}"
            ));
        }
        Ok(revision) => revision,
        Err(message) => return Output::failure(message),
    };
    each_daemon_set(
        &resolved,
        |object| not_implemented("history viewer", object),
        // rollout_history.go prints "<withRevision>\n<history>" as the NamePrinter's operation,
        // hence the space after the name even without a revision, and the closing blank line.
        |object, _| {
            let text = view_history(cluster, object, revision)?;
            let with_revision = if revision > 0 {
                format!("with revision #{revision}")
            } else {
                String::new()
            };
            Ok(name_line(object, &format!("{with_revision}\n{text}")))
        },
    )
}

/// history.go `printHistory`: the REVISION / CHANGE-CAUSE table, or one revision's template.
fn view_history(cluster: &Cluster, object: &AnyObject, revision: i64) -> Result<String, String> {
    let api = cluster.api();
    let entries = history_entries(api, object.namespace(), object.name())?;
    if entries.is_empty() {
        return Ok("No rollout history found.".into());
    }
    if revision > 0 {
        let template = history_template(api, object.namespace(), object.name(), revision)?;
        return Ok(super::describe::pod_template_text(&template));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for entry in entries {
        let cause = entry.change_cause.as_deref().unwrap_or("<none>");
        table.push_str(&format!("{}\t{cause}\n", entry.revision));
    }
    Ok(super::tabwriter::DESCRIBE.format(&table))
}

fn undo(cluster: &mut Cluster, args: &Args, resolved: Resolved) -> Output {
    let to_revision = match int_flag(args, "to-revision") {
        Ok(revision) => revision,
        Err(message) => return Output::failure(message),
    };
    each_daemon_set(
        &resolved,
        |object| not_implemented("rollbacker", object),
        |object, _| {
            cluster.act(|api| rollout_undo(api, object.namespace(), object.name(), to_revision))
        },
    )
}

fn restart(cluster: &mut Cluster, args: &Args, resolved: Resolved) -> Output {
    if resolved.objects.is_empty() && resolved.errors.is_empty() {
        let mut output = Output::default();
        output.note(format!(
            "No resources found in {} namespace.",
            namespace(args)
        ));
        return output;
    }
    let now = crate::sim::time_of(cluster.now());
    each_daemon_set(
        &resolved,
        |object| {
            format!(
                "error: {} \"{}\" restarting is not supported",
                object.kind().qualified_plural(),
                object.name()
            )
        },
        |object, ds| {
            let mut restarted = ds.clone();
            let annotations = restarted
                .spec
                .get_or_insert_with(Default::default)
                .template
                .metadata
                .get_or_insert_with(Default::default)
                .annotations
                .get_or_insert_with(Default::default);
            // The annotation has second precision, so a second restart within the same second is
            // no change: kubectl refuses the empty patch rather than sending it.
            if annotations.get(RESTARTED_AT) == Some(&now) {
                return Err(format!(
                    "error: failed to create patch for {}: if restart has already been triggered within the past second, please wait before attempting to trigger another",
                    object.name()
                ));
            }
            annotations.insert(RESTARTED_AT.to_string(), now.clone());
            cluster
                .act(|api| api.update(restarted))
                .map_err(|error| format!("error: failed to patch: {}", error.message))?;
            Ok(name_line(object, "restarted"))
        },
    )
}

fn status(cluster: &mut Cluster, args: &Args, resolved: Resolved) -> Output {
    // A watch longer than one command may move the clock is cut to that bound.
    let timeout = match super::flags::duration(args, "timeout") {
        Ok(Some(timeout)) if timeout > 0 => timeout.min(MAX_ADVANCE),
        Ok(_) => WAIT_LIMIT,
        Err(message) => return Output::failure(message),
    };
    let watch = !matches!(
        args.value("watch"),
        Some("false" | "0" | "f" | "F" | "FALSE" | "False")
    );
    if let Some(error) = resolved.errors.first() {
        return Output::failure(error);
    }
    let [object] = resolved.objects.as_slice() else {
        return Output::failure(format!(
            "error: rollout status is only supported on individual resources and resource collections, but {} resources were found",
            resolved.objects.len()
        ));
    };
    if object.kind() != Kind::DaemonSet {
        return Output::failure(not_implemented("status viewer", object));
    }
    let (namespace, name) = (object.namespace().to_string(), object.name().to_string());
    let deadline = cluster.now().saturating_add(timeout);
    let mut output = Output::default();
    let mut last_line = String::new();
    loop {
        let Some(ds) = cluster.api().get::<DaemonSet>(&namespace, &name).cloned() else {
            output.error("error: object has been deleted");
            return output;
        };
        let (line, done) = match rollout_status(&ds) {
            Ok(status) => status,
            Err(message) => {
                output.error(message);
                return output;
            }
        };
        // The real command prints on every watch event; the virtual one sees the DaemonSet only
        // between timers, so it prints each line that differs from the one before.
        if line != last_line {
            output.out(&line);
            last_line = line;
        }
        if done || !watch {
            return output;
        }
        match cluster.next_timer().filter(|next| *next <= deadline) {
            Some(next) => cluster.run_until(next),
            None => {
                cluster.run_until(deadline);
                let finished = cluster
                    .api()
                    .get::<DaemonSet>(&namespace, &name)
                    .is_some_and(|ds| rollout_status(ds).is_ok_and(|(_, done)| done));
                if !finished {
                    output.error("error: timed out waiting for the condition");
                    return output;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_kinds_print_as_go_does() {
        assert_eq!(group_kind(Kind::DaemonSet), "DaemonSet.apps");
        assert_eq!(group_kind(Kind::Pod), "Pod");
        assert_eq!(group_kind(Kind::Job), "Job.batch");
    }
}
