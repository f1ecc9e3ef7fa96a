//! What `kubectl rollout history|undo|status ds/X` and the UI read about a DaemonSet, as pure
//! functions over the API server (kubectl's `polymorphichelpers` history.go, rollback.go and
//! rollout_status.go), and the explanation of why a node has no pod of a DaemonSet.
//!
//! Errors are the whole line kubectl prints: `error: …`, or the API server's error as kubectl
//! shows it (`Error from server (NotFound): …`).

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::Value;

use crate::api::labels::Selector;
use crate::api::{ApiObject, Kind, meta};
use crate::apiserver::{ApiError, ApiServer};

use super::update::matches;
use super::util::why_no_daemon_pod;

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// One row of `kubectl rollout history ds/X`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub revision: i64,
    pub name: String,
    pub change_cause: Option<String>,
}

/// What `kubectl rollout undo` would do.
#[derive(Debug, Clone, PartialEq)]
pub enum Rollback {
    /// The template already is that revision's (`revision` is the one asked for, 0 by default).
    Skipped { revision: i64 },
    /// Restore this template, recorded as `revision`.
    Restore {
        revision: i64,
        template: Box<PodTemplateSpec>,
    },
}

fn not_found(name: &str) -> String {
    ApiError::not_found(Kind::DaemonSet, name).to_string()
}

/// kubectl's `daemonSetHistory`: the DaemonSet and the revisions it controls that its selector
/// matches, oldest revision first.
pub fn daemon_set_history(
    api: &ApiServer,
    namespace: &str,
    name: &str,
) -> Result<(Arc<DaemonSet>, Vec<Arc<ControllerRevision>>), String> {
    let ds = api
        .get::<DaemonSet>(namespace, name)
        .cloned()
        .ok_or_else(|| not_found(name))?;
    let selector = Selector::from_label_selector(ds.spec.as_ref().map(|spec| &spec.selector))
        .map_err(|error| format!("error: {error}"))?;
    let mut histories: Vec<Arc<ControllerRevision>> = api
        .table::<ControllerRevision>()
        .controlled_by(ds.uid())
        .filter(|history| selector.matches(history.metadata.labels.as_ref()))
        .cloned()
        .collect();
    histories.sort_by_key(|history| history.revision);
    Ok((ds, histories))
}

/// The rows of `kubectl rollout history ds/X`; empty means `No rollout history found.`
pub fn history_entries(
    api: &ApiServer,
    namespace: &str,
    name: &str,
) -> Result<Vec<HistoryEntry>, String> {
    let (_, histories) = daemon_set_history(api, namespace, name)?;
    Ok(histories
        .iter()
        .map(|history| HistoryEntry {
            revision: history.revision,
            name: history.name().to_string(),
            change_cause: meta::annotations(&history.metadata)
                .get(CHANGE_CAUSE_ANNOTATION)
                .filter(|cause| !cause.is_empty())
                .cloned(),
        })
        .collect())
}

/// `applyDaemonSetHistory`: the template a revision restores (its data with `$patch` dropped).
pub fn apply_daemon_set_history(history: &ControllerRevision) -> Result<PodTemplateSpec, String> {
    let mut template = history
        .data
        .as_ref()
        .and_then(|data| data.0.get("spec")?.get("template").cloned())
        .ok_or_else(|| format!("error: revision {} holds no template", history.revision))?;
    if let Value::Object(fields) = &mut template {
        fields.remove("$patch");
    }
    crate::apiserver::decode::decode_value(template).map_err(|error| format!("error: {error}"))
}

/// The template of revision `revision`, for `kubectl rollout history ds/X --revision=N`.
pub fn history_template(
    api: &ApiServer,
    namespace: &str,
    name: &str,
    revision: i64,
) -> Result<PodTemplateSpec, String> {
    let (_, histories) = daemon_set_history(api, namespace, name)?;
    let history = histories
        .iter()
        .find(|history| history.revision == revision)
        .ok_or_else(|| "error: unable to find the specified revision".to_string())?;
    apply_daemon_set_history(history)
}

/// `findHistory`: revision `to_revision`, or for 0 the second newest.
fn find_history(
    to_revision: i64,
    histories: &[Arc<ControllerRevision>],
) -> Option<&Arc<ControllerRevision>> {
    if to_revision == 0 {
        let mut sorted: Vec<&Arc<ControllerRevision>> = histories.iter().collect();
        sorted.sort_by_key(|history| history.revision);
        return sorted.len().checked_sub(2).map(|index| sorted[index]);
    }
    histories
        .iter()
        .find(|history| history.revision == to_revision)
}

fn revision_not_found(revision: i64) -> String {
    format!("error: unable to find specified revision {revision} in history")
}

/// `DaemonSetRollbacker.Rollback` without the write: which template `kubectl rollout undo
/// [--to-revision=N]` restores. The controller then renumbers that revision to the newest.
pub fn plan_rollback(
    ds: &DaemonSet,
    histories: &[Arc<ControllerRevision>],
    to_revision: i64,
) -> Result<Rollback, String> {
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    if to_revision == 0 && histories.len() <= 1 {
        return Err("error: no last revision to roll back to".into());
    }
    let history =
        find_history(to_revision, histories).ok_or_else(|| revision_not_found(to_revision))?;
    if matches(ds, history) {
        return Ok(Rollback::Skipped {
            revision: to_revision,
        });
    }
    Ok(Rollback::Restore {
        revision: history.revision,
        template: Box::new(apply_daemon_set_history(history)?),
    })
}

/// `kubectl rollout undo ds/NAME [--to-revision=N]`: restores the template and returns kubectl's line.
pub fn rollout_undo(
    api: &mut ApiServer,
    namespace: &str,
    name: &str,
    to_revision: i64,
) -> Result<String, String> {
    let (ds, histories) = daemon_set_history(api, namespace, name)?;
    let prefix = format!("{}/{name}", Kind::DaemonSet.qualified_singular());
    match plan_rollback(&ds, &histories, to_revision)? {
        Rollback::Skipped { revision } => Ok(format!(
            "{prefix} skipped rollback (current template already matches revision {revision})"
        )),
        Rollback::Restore { revision, template } => {
            let mut restored = ds.as_ref().clone();
            if let Some(spec) = restored.spec.as_mut() {
                spec.template = *template;
            }
            api.update(restored).map_err(|error| {
                format!(
                    "error: failed restoring revision {revision}: {}",
                    error.message
                )
            })?;
            Ok(format!("{prefix} rolled back"))
        }
    }
}

/// `DaemonSetStatusViewer.Status`: kubectl's progress line (with its newline) and whether the
/// rollout is done.
pub fn rollout_status(ds: &DaemonSet) -> Result<(String, bool), String> {
    let strategy = ds
        .spec
        .as_ref()
        .and_then(|spec| spec.update_strategy.as_ref())
        .and_then(|strategy| strategy.type_.as_deref());
    if strategy != Some("RollingUpdate") {
        return Err(
            "error: rollout status is only available for RollingUpdate strategy type".into(),
        );
    }
    let status = ds.status.clone().unwrap_or_default();
    let name = ds.name();
    if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for daemon set spec update to be observed...\n".into(),
            false,
        ));
    }
    if status.updated_number_scheduled.unwrap_or(0) < status.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {} out of {} new pods have been updated...\n",
                status.updated_number_scheduled.unwrap_or(0),
                status.desired_number_scheduled
            ),
            false,
        ));
    }
    if status.number_available.unwrap_or(0) < status.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set {name:?} rollout to finish: {} of {} updated pods are available...\n",
                status.number_available.unwrap_or(0),
                status.desired_number_scheduled
            ),
            false,
        ));
    }
    Ok((
        format!("daemon set {name:?} successfully rolled out\n"),
        true,
    ))
}

/// Why the DaemonSet has no running pod on `node_name`, in a sentence for the UI; None when its
/// pod runs there as it should.
pub fn why_no_pod(api: &ApiServer, ds: &DaemonSet, node_name: &str) -> Option<String> {
    why_no_daemon_pod(api, None, ds, node_name).map(|why| why.to_string())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::{DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn daemon_set(generation: i64, status: DaemonSetStatus) -> DaemonSet {
        DaemonSet {
            metadata: ObjectMeta {
                name: Some("fluentd".into()),
                generation: Some(generation),
                ..ObjectMeta::default()
            },
            spec: Some(DaemonSetSpec {
                update_strategy: Some(DaemonSetUpdateStrategy {
                    type_: Some("RollingUpdate".into()),
                    rolling_update: None,
                }),
                ..DaemonSetSpec::default()
            }),
            status: Some(status),
        }
    }

    /// DaemonSetStatusViewer's lines, in its order.
    #[test]
    fn rollout_status_lines() {
        let status = |observed: i64, updated: i32, available: i32| DaemonSetStatus {
            observed_generation: Some(observed),
            desired_number_scheduled: 3,
            updated_number_scheduled: Some(updated),
            number_available: Some(available),
            ..DaemonSetStatus::default()
        };
        assert_eq!(
            rollout_status(&daemon_set(2, status(1, 3, 3))),
            Ok((
                "Waiting for daemon set spec update to be observed...\n".into(),
                false
            ))
        );
        assert_eq!(
            rollout_status(&daemon_set(2, status(2, 1, 3))),
            Ok((
                "Waiting for daemon set \"fluentd\" rollout to finish: 1 out of 3 new pods have been updated...\n"
                    .into(),
                false
            ))
        );
        assert_eq!(
            rollout_status(&daemon_set(2, status(2, 3, 2))),
            Ok((
                "Waiting for daemon set \"fluentd\" rollout to finish: 2 of 3 updated pods are available...\n"
                    .into(),
                false
            ))
        );
        assert_eq!(
            rollout_status(&daemon_set(2, status(2, 3, 3))),
            Ok((
                "daemon set \"fluentd\" successfully rolled out\n".into(),
                true
            ))
        );
    }

    #[test]
    fn rollback_needs_history() {
        let ds = daemon_set(1, DaemonSetStatus::default());
        assert_eq!(
            plan_rollback(&ds, &[], 0),
            Err("error: no last revision to roll back to".into())
        );
        assert_eq!(
            plan_rollback(&ds, &[], -1),
            Err("error: unable to find specified revision -1 in history".into())
        );
    }
}
