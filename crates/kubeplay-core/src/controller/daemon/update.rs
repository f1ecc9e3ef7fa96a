//! Rolling updates and history (upstream's `update.go`): `rollingUpdate` with maxUnavailable or
//! maxSurge, and the ControllerRevisions that record each template (`constructHistory`,
//! `snapshot`, `dedupCurHistories`, `cleanupHistory`).

use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
use serde_json::{Value, json};

use crate::api::{ApiObject, ObjectKey, meta};
use crate::apiserver::DeleteOptions;
use crate::controller::Context;
use crate::controller::controller_utils::{claim_objects, compute_hash, is_pod_available};

use super::daemon_controller::{
    DaemonSetsController, NodePodsCache, NodeToDaemonPods, min_ready_seconds, selector_of,
};
use super::util::{
    CONTROLLER_REVISION_HASH_LABEL, DaemonPodPredicates, get_template_generation, is_pod_updated,
    surge_count, unavailable_count,
};

/// `getPatch`: the revision data, `{"spec":{"template":{…,"$patch":"replace"}}}`, which restores
/// the template when applied as a strategic merge patch. Keys are sorted, as Go marshals maps.
pub fn get_patch(ds: &DaemonSet) -> Value {
    let mut template = ds
        .spec
        .as_ref()
        .map(|spec| serde_json::to_value(&spec.template).unwrap_or(Value::Null))
        .unwrap_or_else(|| json!({}));
    if let Value::Object(fields) = &mut template {
        fields.insert("$patch".into(), Value::String("replace".into()));
    }
    json!({ "spec": { "template": template } })
}

/// `Match`: whether the revision stores exactly the DaemonSet's current template.
pub fn matches(ds: &DaemonSet, history: &ControllerRevision) -> bool {
    history.data.as_ref().map(|data| &data.0) == Some(&get_patch(ds))
}

/// `findUpdatedPodsOnNode`: the node's one new and one old non-deleted pod, or None when it has
/// more than one of either (the manage loop prunes those first).
type UpdatedPods<'a> = (Option<&'a Arc<Pod>>, Option<&'a Arc<Pod>>);

fn find_updated_pods_on_node<'a>(
    ds: &DaemonSet,
    pods: &'a [Arc<Pod>],
    hash: &str,
) -> Option<UpdatedPods<'a>> {
    let generation = get_template_generation(ds).map(|generation| generation.to_string());
    let mut new_pod = None;
    let mut old_pod = None;
    for pod in pods {
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let slot = if is_pod_updated(pod, hash, generation.as_deref()) {
            &mut new_pod
        } else {
            &mut old_pod
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(pod);
    }
    Some((new_pod, old_pod))
}

impl DaemonSetsController {
    /// `rollingUpdate`: delete old pods (maxSurge 0) or create new ones next to them (maxSurge > 0),
    /// within the strategy's limits; `manage` fills the gaps on later syncs.
    pub(super) fn rolling_update(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
        nodes: &[Arc<Node>],
        hash: &str,
        node_pods: &mut NodePodsCache,
    ) -> Result<(), String> {
        let mut node_to_daemon_pods = node_pods.get(ctx.api, ds).clone();
        let predicates = DaemonPodPredicates::new(ds);
        let (max_surge, max_unavailable, desired) =
            updated_desired_node_counts(ds, nodes, &predicates, &mut node_to_daemon_pods)?;
        let now = ctx.now();
        let min_ready = min_ready_seconds(ds);
        if max_surge == 0 {
            let mut num_unavailable = 0;
            let mut allowed_replacement_pods = Vec::new();
            let mut candidate_pods_to_delete = Vec::new();
            for pods in node_to_daemon_pods.values() {
                let Some((new_pod, old_pod)) = find_updated_pods_on_node(ds, pods, hash) else {
                    num_unavailable += 1;
                    continue;
                };
                match (new_pod, old_pod) {
                    (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                    (Some(new_pod), None) => {
                        if !is_pod_available(new_pod, min_ready, now) {
                            num_unavailable += 1;
                        }
                    }
                    (None, Some(old_pod)) => {
                        if !is_pod_available(old_pod, min_ready, now) {
                            allowed_replacement_pods.push(old_pod.name().to_string());
                            num_unavailable += 1;
                        } else if num_unavailable < max_unavailable {
                            candidate_pods_to_delete.push(old_pod.name().to_string());
                        }
                    }
                }
            }
            let remaining = max_unavailable
                .saturating_sub(num_unavailable)
                .min(candidate_pods_to_delete.len());
            let mut old_pods_to_delete = allowed_replacement_pods;
            old_pods_to_delete.extend(candidate_pods_to_delete.into_iter().take(remaining));
            return self.sync_nodes(ctx, ds, old_pods_to_delete, Vec::new(), hash);
        }

        let mut old_pods_to_delete = Vec::new();
        let mut should_not_run_pods_to_delete = Vec::new();
        let mut candidate_new_nodes = Vec::new();
        let mut allowed_new_nodes = Vec::new();
        let mut num_surge = 0;
        let mut num_available: usize = 0;
        for (node_name, pods) in &node_to_daemon_pods {
            let Some((new_pod, old_pod)) = find_updated_pods_on_node(ds, pods, hash) else {
                num_surge += 1;
                continue;
            };
            // Availability counts every node, even those being left for scheduling reasons.
            if let Some(pod) = old_pod.or(new_pod)
                && is_pod_available(pod, min_ready, now)
            {
                num_available += 1;
            }
            let Some(old_pod) = old_pod else {
                continue;
            };
            let should_run = || {
                ctx.api
                    .get::<Node>("", node_name)
                    .map(|node| predicates.check(node).0)
                    .ok_or_else(|| format!("couldn't get node for nodeName {node_name:?}"))
            };
            match new_pod {
                None if !is_pod_available(old_pod, min_ready, now) => {
                    if should_run()? {
                        allowed_new_nodes.push(node_name.clone());
                    } else {
                        old_pods_to_delete.push(old_pod.name().to_string());
                    }
                }
                None => {
                    if !should_run()? {
                        should_not_run_pods_to_delete.push(old_pod.name().to_string());
                    } else if num_surge < max_surge {
                        candidate_new_nodes.push(node_name.clone());
                    }
                }
                Some(new_pod) => {
                    if is_pod_available(new_pod, min_ready, now) {
                        old_pods_to_delete.push(old_pod.name().to_string());
                    } else {
                        num_surge += 1;
                    }
                }
            }
        }
        // With surge the owner expects full availability: a pod on a node that no longer
        // qualifies goes only while more pods are available than desired.
        let deletable = num_available.saturating_sub(desired);
        old_pods_to_delete.extend(
            should_not_run_pods_to_delete
                .into_iter()
                .take(deletable)
                .filter(|name| ctx.api.get::<Pod>(ds.namespace(), name).is_some()),
        );
        let remaining_surge = max_surge
            .saturating_sub(num_surge)
            .min(candidate_new_nodes.len());
        let mut new_nodes_to_create = allowed_new_nodes;
        new_nodes_to_create.extend(candidate_new_nodes.into_iter().take(remaining_surge));
        self.sync_nodes(ctx, ds, old_pods_to_delete, new_nodes_to_create, hash)
    }

    /// `constructHistory`: the current revision (created, or renumbered to the newest) and the old ones.
    pub(super) fn construct_history(
        &mut self,
        ctx: &mut Context,
        ds: &Arc<DaemonSet>,
    ) -> Result<(Arc<ControllerRevision>, Vec<Arc<ControllerRevision>>), String> {
        let mut current = Vec::new();
        let mut old = Vec::new();
        for history in self.controlled_histories(ctx, ds) {
            let history =
                if meta::labels(&history.metadata).contains_key(CONTROLLER_REVISION_HASH_LABEL) {
                    history
                } else {
                    // The name stands in for the hash, so a collision cannot mislabel it.
                    let name = history.name().to_string();
                    ctx.api
                        .modify::<ControllerRevision>(&history.key(), |stored| {
                            stored
                                .metadata
                                .labels
                                .get_or_insert_with(Default::default)
                                .insert(CONTROLLER_REVISION_HASH_LABEL.into(), name);
                        })
                        .map_err(|error| error.message)?
                };
            if matches(ds, &history) {
                current.push(history);
            } else {
                old.push(history);
            }
        }
        let current_revision = max_revision(&old) + 1;
        let current = if current.is_empty() {
            self.snapshot(ctx, ds, current_revision)?
        } else {
            let current = self.dedup_cur_histories(ctx, ds, current)?;
            if current.revision < current_revision {
                ctx.api
                    .modify::<ControllerRevision>(&current.key(), |stored| {
                        stored.revision = current_revision;
                    })
                    .map_err(|error| error.message)?;
            }
            current
        };
        Ok((current, old))
    }

    /// `controlledHistories`: ClaimControllerRevisions over every revision in the namespace.
    fn controlled_histories(
        &self,
        ctx: &mut Context,
        ds: &DaemonSet,
    ) -> Vec<Arc<ControllerRevision>> {
        let Some(selector) = selector_of(ds) else {
            return Vec::new();
        };
        let candidates: Vec<Arc<ControllerRevision>> = ctx
            .api
            .table::<ControllerRevision>()
            .in_namespace(ds.namespace())
            .cloned()
            .collect();
        claim_objects(ctx.api, ds, &selector, candidates, &[])
    }

    /// `dedupCurHistories`: keep the highest-numbered copy of the current template, relabel the
    /// pods to its hash, delete the other copies.
    fn dedup_cur_histories(
        &self,
        ctx: &mut Context,
        ds: &DaemonSet,
        histories: Vec<Arc<ControllerRevision>>,
    ) -> Result<Arc<ControllerRevision>, String> {
        let Some(keep) = histories
            .iter()
            .fold(
                None::<&Arc<ControllerRevision>>,
                |best, history| match best {
                    Some(best) if history.revision < best.revision => Some(best),
                    _ => Some(history),
                },
            )
            .cloned()
        else {
            return Err("no current revision to keep".into());
        };
        if histories.len() == 1 {
            return Ok(keep);
        }
        let keep_hash = meta::labels(&keep.metadata)
            .get(CONTROLLER_REVISION_HASH_LABEL)
            .cloned()
            .unwrap_or_default();
        for pod in self.get_daemon_pods(ctx.api, ds) {
            if meta::labels(&pod.metadata).get(CONTROLLER_REVISION_HASH_LABEL) != Some(&keep_hash) {
                let patch =
                    json!({"metadata": {"labels": {CONTROLLER_REVISION_HASH_LABEL: keep_hash}}});
                ctx.api
                    .merge_patch::<Pod>(&pod.key(), &patch, false)
                    .map_err(|error| error.message)?;
            }
        }
        for history in &histories {
            if history.name() != keep.name() {
                ctx.api
                    .delete::<ControllerRevision>(&history.key(), &DeleteOptions::default())
                    .map_err(|error| error.message)?;
            }
        }
        Ok(keep)
    }

    /// `snapshot`: records the current template as revision `revision`, named `<ds>-<hash>`. A name
    /// taken by another template is a hash collision: collisionCount goes up and the sync retries.
    fn snapshot(
        &self,
        ctx: &mut Context,
        ds: &DaemonSet,
        revision: i64,
    ) -> Result<Arc<ControllerRevision>, String> {
        let Some(spec) = ds.spec.as_ref() else {
            return Err("the DaemonSet has no spec".into());
        };
        let collision_count = ds.status.as_ref().and_then(|status| status.collision_count);
        let hash = compute_hash(&spec.template, collision_count);
        let name = format!("{}-{hash}", ds.name());
        let mut labels = spec
            .template
            .metadata
            .as_ref()
            .and_then(|meta| meta.labels.clone())
            .unwrap_or_default();
        labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), hash);
        let history = ControllerRevision {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.clone()),
                namespace: Some(ds.namespace().to_string()),
                labels: Some(labels),
                annotations: ds.metadata.annotations.clone(),
                owner_references: Some(vec![meta::new_controller_ref(ds)]),
                ..Default::default()
            },
            data: Some(RawExtension(get_patch(ds))),
            revision,
        };
        match ctx.api.create(history) {
            Ok(created) => Ok(created),
            Err(error) if error.is_already_exists() => {
                let key = ObjectKey::new(ds.namespace(), name);
                let existing = ctx
                    .api
                    .get_by_key::<ControllerRevision>(&key)
                    .cloned()
                    .ok_or_else(|| error.message.clone())?;
                if matches(ds, &existing) {
                    return Ok(existing);
                }
                ctx.api
                    .modify_status::<DaemonSet>(&ds.key(), |stored| {
                        let status = stored.status.get_or_insert_with(Default::default);
                        status.collision_count = Some(status.collision_count.unwrap_or(0) + 1);
                    })
                    .map_err(|error| error.message)?;
                Err(error.message)
            }
            Err(error) => Err(error.message),
        }
    }

    /// `cleanupHistory`: beyond revisionHistoryLimit old revisions, delete the oldest whose hash
    /// no live pod carries.
    pub(super) fn cleanup_history(
        &self,
        ctx: &mut Context,
        ds: &DaemonSet,
        old: &[Arc<ControllerRevision>],
    ) -> Result<(), String> {
        let limit = ds
            .spec
            .as_ref()
            .and_then(|spec| spec.revision_history_limit)
            .unwrap_or(10)
            .max(0) as usize;
        let mut to_kill = old.len().saturating_sub(limit);
        if to_kill == 0 {
            return Ok(());
        }
        let node_to_daemon_pods = Self::get_nodes_to_daemon_pods(ctx.api, ds, true);
        let live_hashes: std::collections::BTreeSet<&String> = node_to_daemon_pods
            .values()
            .flatten()
            .filter_map(|pod| meta::labels(&pod.metadata).get(CONTROLLER_REVISION_HASH_LABEL))
            .filter(|hash| !hash.is_empty())
            .collect();
        let mut old: Vec<&Arc<ControllerRevision>> = old.iter().collect();
        old.sort_by_key(|history| history.revision);
        for history in old {
            if to_kill == 0 {
                break;
            }
            if meta::labels(&history.metadata)
                .get(CONTROLLER_REVISION_HASH_LABEL)
                .is_some_and(|hash| live_hashes.contains(hash))
            {
                continue;
            }
            ctx.api
                .delete::<ControllerRevision>(&history.key(), &DeleteOptions::default())
                .map_err(|error| error.message)?;
            to_kill -= 1;
        }
        Ok(())
    }
}

/// `maxRevision`.
pub fn max_revision(histories: &[Arc<ControllerRevision>]) -> i64 {
    histories
        .iter()
        .map(|history| history.revision)
        .max()
        .unwrap_or(0)
}

/// `updatedDesiredNodeCounts`: (maxSurge, maxUnavailable, desired), scaled against the nodes that
/// should run the pod, each of which gets an entry in `node_to_daemon_pods`.
fn updated_desired_node_counts(
    ds: &DaemonSet,
    nodes: &[Arc<Node>],
    predicates: &DaemonPodPredicates,
    node_to_daemon_pods: &mut NodeToDaemonPods,
) -> Result<(usize, usize, usize), String> {
    let mut desired = 0;
    for node in nodes {
        if !predicates.check(node).0 {
            continue;
        }
        desired += 1;
        node_to_daemon_pods
            .entry(node.name().to_string())
            .or_default();
    }
    let mut max_unavailable = unavailable_count(ds, desired)
        .map_err(|error| format!("invalid value for MaxUnavailable: {error}"))?;
    let max_surge =
        surge_count(ds, desired).map_err(|error| format!("invalid value for MaxSurge: {error}"))?;
    // An impossible configuration falls back to one unavailable pod at a time.
    if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        max_unavailable = 1;
    }
    Ok((max_surge, max_unavailable, desired))
}
