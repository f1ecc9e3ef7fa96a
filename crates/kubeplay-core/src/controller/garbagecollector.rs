//! The garbage collector (`pkg/controller/garbagecollector`): it follows ownerReferences. When an
//! owner is gone its dependents are deleted; an owner deleted in the foreground waits for its
//! blocking dependents; an owner deleted with orphan propagation releases its dependents.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, Kind, ObjectKey, for_kind, meta};
use crate::apiserver::{
    ApiError, ApiServer, DeleteOptions, Deleted, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, Registry,
    WatchEvent, WatchEventType,
};
use crate::controller::{Context, Controller, WorkQueue};

type Node = (Kind, ObjectKey);

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GarbageCollector {
    queue: WorkQueue,
    /// The dependency graph: owner uid → objects naming it in ownerReferences. Derived from the store.
    #[serde(skip)]
    dependents: BTreeMap<String, BTreeSet<Node>>,
}

fn queue_key(kind: Kind, key: &ObjectKey) -> String {
    format!("{}/{}", kind.name(), key.queue_key())
}

fn parse_queue_key(key: &str) -> Option<Node> {
    let (kind, rest) = key.split_once('/')?;
    let kind = Kind::from_kind_name(kind)?;
    Some((kind, ObjectKey::from_queue_key(rest)))
}

fn owner_uids(meta: &ObjectMeta) -> impl Iterator<Item = &str> {
    meta.owner_references
        .iter()
        .flatten()
        .map(|reference| reference.uid.as_str())
}

impl Controller for GarbageCollector {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, _api: &ApiServer) {
        let object = &event.object;
        let node = (object.kind(), object.key());
        if let Some(old) = &event.old {
            for uid in owner_uids(old.meta()) {
                if let Some(set) = self.dependents.get_mut(uid) {
                    set.remove(&node);
                    if set.is_empty() {
                        self.dependents.remove(uid);
                    }
                }
            }
        }
        if event.event_type == WatchEventType::Deleted {
            // Dependents of a vanished owner, and owners waiting in the foreground for this one.
            for dependent in self.dependents.get(object.uid()).into_iter().flatten() {
                self.queue.add(queue_key(dependent.0, &dependent.1));
            }
            for reference in object.meta().owner_references.iter().flatten() {
                if let Some(kind) = Kind::from_kind_name(&reference.kind) {
                    let namespace = if kind.namespaced() {
                        object.namespace()
                    } else {
                        ""
                    };
                    self.queue.add(queue_key(
                        kind,
                        &ObjectKey::new(namespace, reference.name.clone()),
                    ));
                }
            }
            return;
        }
        for uid in owner_uids(object.meta()) {
            self.dependents
                .entry(uid.to_string())
                .or_default()
                .insert(node.clone());
        }
        let meta = object.meta();
        let owners_changed = event
            .old
            .as_ref()
            .is_none_or(|old| old.meta().owner_references != meta.owner_references);
        let deleting_with_finalizer = meta.deletion_timestamp.is_some()
            && (meta::has_finalizer(meta, FINALIZER_FOREGROUND)
                || meta::has_finalizer(meta, FINALIZER_ORPHAN));
        if (owners_changed
            && meta
                .owner_references
                .as_ref()
                .is_some_and(|references| !references.is_empty()))
            || deleting_with_finalizer
        {
            self.queue.add(queue_key(node.0, &node.1));
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let Some((kind, object_key)) = parse_queue_key(key) else {
            return;
        };
        let Some(object) = ctx.api.store().get_any(kind, &object_key) else {
            return;
        };
        let meta = object.meta();
        if meta.deletion_timestamp.is_some() && meta::has_finalizer(meta, FINALIZER_ORPHAN) {
            self.orphan_dependents(ctx, &object);
            return;
        }
        if meta.deletion_timestamp.is_some() && meta::has_finalizer(meta, FINALIZER_FOREGROUND) {
            self.delete_dependents(ctx, &object);
            return;
        }
        self.attempt_to_delete(ctx, &object);
    }
}

impl GarbageCollector {
    pub(crate) fn rebuild_cache(&mut self, api: &ApiServer) {
        self.dependents.clear();
        for kind in Kind::ALL {
            for object in api.store().list_any(kind, None) {
                for uid in owner_uids(object.meta()) {
                    self.dependents
                        .entry(uid.to_string())
                        .or_default()
                        .insert((kind, object.key()));
                }
            }
        }
    }

    fn dependents_of(&self, uid: &str) -> Vec<Node> {
        self.dependents
            .get(uid)
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }

    /// `orphanDependents`: strip the owner from each dependent, then drop the orphan finalizer.
    fn orphan_dependents(&mut self, ctx: &mut Context, owner: &AnyObject) {
        let uid = owner.uid().to_string();
        for (kind, key) in self.dependents_of(&uid) {
            let _ = modify_meta(ctx.api, kind, &key, |meta| {
                if let Some(references) = meta.owner_references.as_mut() {
                    references.retain(|reference| reference.uid != uid);
                    if references.is_empty() {
                        meta.owner_references = None;
                    }
                }
            });
        }
        let _ = modify_meta(ctx.api, owner.kind(), &owner.key(), |meta| {
            meta::remove_finalizer(meta, FINALIZER_ORPHAN)
        });
    }

    /// `processDeletingDependentsItem`: delete the dependents; once none blocks, drop the finalizer.
    fn delete_dependents(&mut self, ctx: &mut Context, owner: &AnyObject) {
        let uid = owner.uid().to_string();
        let mut blocking = 0;
        for (kind, key) in self.dependents_of(&uid) {
            let Some(dependent) = ctx.api.store().get_any(kind, &key) else {
                continue;
            };
            let reference = dependent
                .meta()
                .owner_references
                .iter()
                .flatten()
                .find(|reference| reference.uid == uid)
                .cloned();
            let blocks = reference
                .as_ref()
                .is_some_and(|reference| reference.block_owner_deletion == Some(true));
            if blocks {
                blocking += 1;
            }
            if dependent.meta().deletion_timestamp.is_none() {
                let options = if blocks {
                    DeleteOptions::foreground()
                } else {
                    DeleteOptions::background()
                };
                let _ = delete_any(ctx.api, kind, &key, &options);
            }
        }
        if blocking == 0 {
            let _ = modify_meta(ctx.api, owner.kind(), &owner.key(), |meta| {
                meta::remove_finalizer(meta, FINALIZER_FOREGROUND)
            });
        }
    }

    /// `attemptToDeleteItem`: an object whose owners are all gone is deleted; references to
    /// vanished owners are dropped while a live owner remains.
    fn attempt_to_delete(&mut self, ctx: &mut Context, object: &AnyObject) {
        let references: Vec<OwnerReference> =
            object.meta().owner_references.clone().unwrap_or_default();
        if references.is_empty() || object.meta().deletion_timestamp.is_some() {
            return;
        }
        let mut solid = 0;
        let mut dangling = Vec::new();
        let mut waiting = 0;
        for reference in &references {
            match ctx.api.store().by_uid(&reference.uid) {
                None => dangling.push(reference.uid.clone()),
                Some(owner)
                    if owner.meta().deletion_timestamp.is_some()
                        && meta::has_finalizer(owner.meta(), FINALIZER_FOREGROUND) =>
                {
                    waiting += 1
                }
                Some(_) => solid += 1,
            }
        }
        if solid > 0 {
            if !dangling.is_empty() {
                let _ = modify_meta(ctx.api, object.kind(), &object.key(), |meta| {
                    if let Some(references) = meta.owner_references.as_mut() {
                        references.retain(|reference| !dangling.contains(&reference.uid));
                    }
                });
            }
            return;
        }
        if waiting > 0 {
            let has_blocking_dependents =
                self.dependents_of(object.uid()).iter().any(|(kind, key)| {
                    ctx.api
                        .store()
                        .get_any(*kind, key)
                        .is_some_and(|dependent| {
                            dependent
                                .meta()
                                .owner_references
                                .iter()
                                .flatten()
                                .any(|reference| {
                                    reference.uid == object.uid()
                                        && reference.block_owner_deletion == Some(true)
                                })
                        })
                });
            let options = if has_blocking_dependents {
                DeleteOptions::foreground()
            } else {
                DeleteOptions::background()
            };
            let _ = delete_any(ctx.api, object.kind(), &object.key(), &options);
            return;
        }
        if !dangling.is_empty() {
            let _ = delete_any(
                ctx.api,
                object.kind(),
                &object.key(),
                &DeleteOptions::background(),
            );
        }
    }
}

/// Deletes an object of any kind.
pub fn delete_any(
    api: &mut ApiServer,
    kind: Kind,
    key: &ObjectKey,
    options: &DeleteOptions,
) -> Result<Deleted, ApiError> {
    for_kind!(kind, K => api.delete::<K>(key, options))
}

/// Changes an object's metadata, whatever its kind.
pub fn modify_meta(
    api: &mut ApiServer,
    kind: Kind,
    key: &ObjectKey,
    change: impl FnOnce(&mut ObjectMeta),
) -> Result<(), ApiError> {
    fn apply<K: Registry>(
        api: &mut ApiServer,
        key: &ObjectKey,
        change: impl FnOnce(&mut ObjectMeta),
    ) -> Result<(), ApiError> {
        api.modify::<K>(key, |object| change(object.metadata_mut()))
            .map(|_| ())
    }
    for_kind!(kind, K => apply::<K>(api, key, change))
}
