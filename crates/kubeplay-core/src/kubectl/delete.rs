//! `kubectl delete`: by name, by file, by label or all, with the cascade and grace period asked
//! for; like kubectl it waits (on the virtual clock) until the objects are gone.

use super::apply::{identify, read_sources};
use super::args::Args;
use super::get::select;
use super::{Output, namespace, targets};
use crate::api::{AnyObject, Kind, ObjectKey};
use crate::apiserver::{DeleteOptions, Propagation};
use crate::clock::{MAX_ADVANCE, MINUTE, Millis};
use crate::cluster::Cluster;
use crate::controller::garbagecollector::delete_any;
use crate::shell::Files;

/// How long `delete` and `drain` wait for objects to go before giving up without a
/// `--timeout` (kubectl itself waits a week, or forever).
pub(crate) const WAIT_LIMIT: Millis = 10 * MINUTE;

pub fn delete(cluster: &mut Cluster, args: &Args, stdin: &str, files: &dyn Files) -> Output {
    let force = args.flag("force");
    // Flags are parsed before anything is chosen or deleted, as cobra parses them.
    let grace_period = match super::flags::int(args, "grace-period") {
        Ok(Some(seconds)) if seconds >= 0 => Some(seconds),
        Ok(Some(_)) => None,
        Ok(None) if force => Some(0),
        Ok(None) => None,
        Err(message) => return Output::failure(message),
    };
    // How long to wait for the objects to go: `--timeout`, or WAIT_LIMIT for zero; never more
    // than one command may move the clock.
    let wait_limit = match super::flags::duration(args, "timeout") {
        Ok(Some(timeout)) if timeout > 0 => timeout.min(MAX_ADVANCE),
        Ok(_) => WAIT_LIMIT,
        Err(message) => return Output::failure(message),
    };
    let propagation = match args.value("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => {
            return Output::failure(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ));
        }
    };
    if grace_period == Some(0) && !force {
        return Output::failure("error: --grace-period=0 must have --force specified");
    }
    let mut output = Output::default();
    let mut chosen: Vec<(Kind, ObjectKey)> = Vec::new();
    if args.has("filename") {
        let sources = match read_sources(args, stdin, files) {
            Ok(sources) => sources,
            Err(output) => return output,
        };
        for source in &sources {
            match identify(source, args) {
                Ok(identity) => {
                    if cluster
                        .store()
                        .get_any(identity.kind, &identity.key)
                        .is_some()
                    {
                        chosen.push((identity.kind, identity.key));
                    } else {
                        output.error(format!(
                            "Error from server (NotFound): error when deleting {}: {}",
                            super::gofmt::go_quote(&source.name),
                            crate::apiserver::ApiError::not_found(
                                identity.kind,
                                &identity.key.name
                            )
                            .message
                        ));
                    }
                }
                Err(message) => output.error(message),
            }
        }
    } else {
        let words = &args.positional[1..];
        if words.is_empty() {
            return Output::failure(
                "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
            );
        }
        let targets = match targets(words) {
            Ok(targets) => targets,
            Err(message) => return Output::failure(message),
        };
        let listing = targets.iter().any(|target| target.name.is_none());
        if listing && !args.flag("all") && !args.has("selector") && !args.has("field-selector") {
            return Output::failure("error: resource(s) were provided, but no name was specified");
        }
        let selection = match select(cluster, args, &targets) {
            Ok(selection) => selection,
            Err(message) => return Output::failure(message),
        };
        for error in selection.errors {
            output.error(error);
        }
        if selection.objects.is_empty() && listing {
            output.line("No resources found");
        }
        chosen.extend(
            selection
                .objects
                .iter()
                .map(|object| (object.kind(), object.key())),
        );
    }
    if force && grace_period == Some(0) && !chosen.is_empty() {
        output.note("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let options = DeleteOptions {
        propagation: Some(propagation),
        grace_period_seconds: grace_period,
        uid_precondition: None,
    };
    let mut deleted = Vec::new();
    for (kind, key) in chosen {
        let result = cluster.act(|api| delete_any(api, kind, &key, &options));
        match result {
            Ok(gone) => {
                let object = match &gone {
                    crate::apiserver::Deleted::Gone(object)
                    | crate::apiserver::Deleted::Pending(object) => object.clone(),
                };
                output.line(deleted_line(
                    &object,
                    grace_period == Some(0),
                    args.value("output") == Some("name"),
                ));
                deleted.push((kind, key));
            }
            Err(error) => output.error(error.to_string()),
        }
    }
    if args.value("wait") != Some("false") && !deleted.is_empty() {
        wait_until_gone(cluster, &deleted, wait_limit, &mut output);
    }
    let _ = namespace(args);
    output
}

/// kubectl's `PrintObj` for deletions: `pod "web" deleted from default namespace`.
fn deleted_line(object: &AnyObject, forced: bool, name_only: bool) -> String {
    let kind = object.kind().qualified_singular();
    if name_only {
        return format!("{kind}/{}", object.name());
    }
    let mut operation = if forced {
        "force deleted".to_string()
    } else {
        "deleted".to_string()
    };
    if object.kind().namespaced() {
        operation = format!("{operation} from {} namespace", object.namespace());
    }
    format!("{kind} \"{}\" {operation}", object.name())
}

/// Advances the virtual clock until every object is gone, as `kubectl delete --wait` blocks.
pub fn wait_until_gone(
    cluster: &mut Cluster,
    objects: &[(Kind, ObjectKey)],
    limit: Millis,
    output: &mut Output,
) {
    let deadline = cluster.now().saturating_add(limit);
    loop {
        let remaining: Vec<&(Kind, ObjectKey)> = objects
            .iter()
            .filter(|(kind, key)| cluster.store().get_any(*kind, key).is_some())
            .collect();
        let Some((kind, key)) = remaining.first() else {
            return;
        };
        let next = cluster.next_timer().filter(|next| *next <= deadline);
        match next {
            Some(next) => cluster.run_until(next),
            None => {
                cluster.run_until(deadline);
                output.error(format!(
                    "error: timed out waiting for the condition on {}/{}",
                    kind.qualified_plural(),
                    key.name
                ));
                return;
            }
        }
    }
}
