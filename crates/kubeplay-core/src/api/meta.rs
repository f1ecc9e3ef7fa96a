//! Small readers of `ObjectMeta` that every controller needs: owner references, labels, deletion.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::ApiObject;

/// `metav1.GetControllerOf`.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|reference| reference.controller == Some(true))
}

/// `metav1.NewControllerRef`: controller and blockOwnerDeletion both true.
pub fn new_controller_ref<K: ApiObject>(owner: &K) -> OwnerReference {
    OwnerReference {
        api_version: K::OBJECT_KIND.api_version().to_string(),
        kind: K::OBJECT_KIND.name().to_string(),
        name: owner.name().to_string(),
        uid: owner.uid().to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub fn is_being_deleted(meta: &ObjectMeta) -> bool {
    meta.deletion_timestamp.is_some()
}

pub fn labels(meta: &ObjectMeta) -> &BTreeMap<String, String> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    meta.labels.as_ref().unwrap_or(&EMPTY)
}

pub fn annotations(meta: &ObjectMeta) -> &BTreeMap<String, String> {
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    meta.annotations.as_ref().unwrap_or(&EMPTY)
}

pub fn has_finalizer(meta: &ObjectMeta, finalizer: &str) -> bool {
    meta.finalizers
        .iter()
        .flatten()
        .any(|existing| existing == finalizer)
}

pub fn add_finalizer(meta: &mut ObjectMeta, finalizer: &str) {
    if !has_finalizer(meta, finalizer) {
        meta.finalizers
            .get_or_insert_with(Vec::new)
            .push(finalizer.to_string());
    }
}

pub fn remove_finalizer(meta: &mut ObjectMeta, finalizer: &str) {
    if let Some(finalizers) = meta.finalizers.as_mut() {
        finalizers.retain(|existing| existing != finalizer);
        if finalizers.is_empty() {
            meta.finalizers = None;
        }
    }
}
