//! The API server: create, get, list, update, patch and delete with the registry's per-kind rules
//! (defaulting, validation, generation, graceful deletion, finalizers), and a watch event for every
//! change. Controllers and the UI learn about the cluster only through these events.

pub mod batch_validation;
pub mod decode;
pub mod merge_patch;
pub mod pod_spec;
pub mod registry;
pub mod store;

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::{Deserialize, Serialize};

use crate::api::field::{ErrorList, FieldError, go_quote};
use crate::api::{AnyObject, Kind, ObjectKey, meta};
use crate::clock::{self, Millis};
use crate::rand::Rng;
pub use registry::Registry;
pub use store::{Store, Stored, Table};

pub const FINALIZER_ORPHAN: &str = "orphan";
pub const FINALIZER_FOREGROUND: &str = "foregroundDeletion";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusReason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    InternalError,
}

impl StatusReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Conflict => "Conflict",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::Forbidden => "Forbidden",
            StatusReason::MethodNotAllowed => "MethodNotAllowed",
            StatusReason::InternalError => "InternalError",
        }
    }
}

/// An API server error (`metav1.Status`). Its `Display` is what kubectl prints for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub reason: StatusReason,
    pub message: String,
    pub kind: Option<Kind>,
    pub name: String,
    pub causes: ErrorList,
}

impl ApiError {
    pub fn new(reason: StatusReason, message: impl Into<String>) -> ApiError {
        ApiError {
            reason,
            message: message.into(),
            kind: None,
            name: String::new(),
            causes: Vec::new(),
        }
    }

    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            kind: Some(kind),
            name: name.to_string(),
            ..ApiError::new(
                StatusReason::NotFound,
                format!("{} {} not found", kind.qualified_plural(), go_quote(name)),
            )
        }
    }

    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            kind: Some(kind),
            name: name.to_string(),
            ..ApiError::new(
                StatusReason::AlreadyExists,
                format!(
                    "{} {} already exists",
                    kind.qualified_plural(),
                    go_quote(name)
                ),
            )
        }
    }

    pub fn invalid(kind: Kind, name: &str, causes: ErrorList) -> ApiError {
        let joined: Vec<String> = causes.iter().map(FieldError::to_string).collect();
        let message = if joined.len() == 1 {
            joined[0].clone()
        } else {
            format!("[{}]", joined.join(", "))
        };
        ApiError {
            kind: Some(kind),
            name: name.to_string(),
            causes,
            ..ApiError::new(
                StatusReason::Invalid,
                format!("{} {} is invalid: {message}", kind.name(), go_quote(name)),
            )
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusReason::BadRequest, message)
    }

    pub fn conflict(kind: Kind, name: &str, detail: &str) -> ApiError {
        ApiError {
            kind: Some(kind),
            name: name.to_string(),
            ..ApiError::new(
                StatusReason::Conflict,
                format!(
                    "Operation cannot be fulfilled on {} {}: {detail}",
                    kind.qualified_plural(),
                    go_quote(name)
                ),
            )
        }
    }

    pub fn forbidden(kind: Kind, name: &str, detail: &str) -> ApiError {
        ApiError {
            kind: Some(kind),
            name: name.to_string(),
            ..ApiError::new(
                StatusReason::Forbidden,
                format!(
                    "{} {} is forbidden: {detail}",
                    kind.qualified_plural(),
                    go_quote(name)
                ),
            )
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.reason == StatusReason::NotFound
    }

    pub fn is_already_exists(&self) -> bool {
        self.reason == StatusReason::AlreadyExists
    }
}

impl fmt::Display for ApiError {
    /// kubectl's `CheckErr`: invalid objects list their causes, the rest print `Error from server (Reason): message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reason == StatusReason::Invalid && !self.causes.is_empty() {
            let kind = self.kind.map(Kind::name).unwrap_or_default();
            write!(f, "The {kind} {} is invalid: ", go_quote(&self.name))?;
            if let [only] = self.causes.as_slice() {
                return write!(f, "{only}");
            }
            for cause in &self.causes {
                write!(f, "\n* {cause}")?;
            }
            return Ok(());
        }
        write!(
            f,
            "Error from server ({}): {}",
            self.reason.as_str(),
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    pub propagation: Option<Propagation>,
    pub grace_period_seconds: Option<i64>,
    /// Delete only if the object still has this uid (as the TTL controller and PodGC do).
    pub uid_precondition: Option<String>,
}

impl DeleteOptions {
    pub fn background() -> DeleteOptions {
        DeleteOptions {
            propagation: Some(Propagation::Background),
            ..DeleteOptions::default()
        }
    }

    pub fn foreground() -> DeleteOptions {
        DeleteOptions {
            propagation: Some(Propagation::Foreground),
            ..DeleteOptions::default()
        }
    }

    pub fn force() -> DeleteOptions {
        DeleteOptions {
            grace_period_seconds: Some(0),
            ..DeleteOptions::default()
        }
    }
}

/// What a delete did: the object is gone, or it waits (graceful termination or finalizers).
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    Gone(AnyObject),
    Pending(AnyObject),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

/// One change. `old` is the previous state for Modified and Deleted, as informers deliver it.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEvent {
    pub event_type: WatchEventType,
    pub object: AnyObject,
    pub old: Option<AnyObject>,
}

impl WatchEvent {
    pub fn kind(&self) -> Kind {
        self.object.kind()
    }
}

/// The API server's whole state: objects, the resourceVersion counter, the clock and the random source.
#[derive(Debug, Clone)]
pub struct ApiServer {
    pub(crate) store: Store,
    now: Millis,
    pub(crate) rng: Rng,
    resource_version: u64,
    pending: VecDeque<WatchEvent>,
    pub(crate) correlator: crate::events::Correlator,
}

impl ApiServer {
    pub fn new(start: Millis, seed: u64) -> ApiServer {
        let mut api = ApiServer {
            store: Store::default(),
            now: start,
            rng: Rng::new(seed),
            resource_version: 0,
            pending: VecDeque::new(),
            correlator: crate::events::Correlator::default(),
        };
        for name in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let namespace = Namespace {
                metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                    name: Some(name.into()),
                    ..Default::default()
                },
                ..Namespace::default()
            };
            if let Err(error) = api.create(namespace) {
                unreachable!("built-in namespaces are valid: {error}");
            }
        }
        api.pending.clear();
        api
    }

    pub(crate) fn restore(store: Store, now: Millis, rng: Rng, resource_version: u64) -> ApiServer {
        let correlator = crate::events::Correlator::rebuild(
            store.events.iter().map(|event| event.as_ref().clone()),
        );
        ApiServer {
            store,
            now,
            rng,
            resource_version,
            pending: VecDeque::new(),
            correlator,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> Millis {
        self.now
    }

    pub fn now_timestamp(&self) -> Timestamp {
        clock::to_timestamp(self.now)
    }

    /// Now as the API server stamps objects: whole seconds, as `metav1.Time` serializes.
    pub fn now_time(&self) -> Time {
        Time(clock::to_timestamp(self.now.div_euclid(1000) * 1000))
    }

    pub(crate) fn set_now(&mut self, now: Millis) {
        self.now = now;
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub(crate) fn take_event(&mut self) -> Option<WatchEvent> {
        self.pending.pop_front()
    }

    pub fn get<K: Stored>(&self, namespace: &str, name: &str) -> Option<&Arc<K>> {
        K::table(&self.store).get(&ObjectKey::new(namespace, name))
    }

    pub fn get_by_key<K: Stored>(&self, key: &ObjectKey) -> Option<&Arc<K>> {
        K::table(&self.store).get(key)
    }

    pub fn table<K: Stored>(&self) -> &Table<K> {
        K::table(&self.store)
    }

    fn next_resource_version(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    fn emit(&mut self, event_type: WatchEventType, object: AnyObject, old: Option<AnyObject>) {
        if let (WatchEventType::Deleted, AnyObject::Event(event)) = (event_type, &object) {
            self.correlator.forget(event);
        }
        self.pending.push_back(WatchEvent {
            event_type,
            object,
            old,
        });
    }

    /// Creates an object: name generation, defaulting, admission, validation, then storage.
    pub fn create<K: Registry>(&mut self, mut object: K) -> Result<Arc<K>, ApiError> {
        let kind = K::OBJECT_KIND;
        {
            let metadata = object.metadata_mut();
            if kind.namespaced() {
                if metadata.namespace.as_deref().unwrap_or_default().is_empty() {
                    metadata.namespace = Some("default".into());
                }
            } else {
                metadata.namespace = None;
            }
        }
        let namespace = object.namespace().to_string();
        if kind.namespaced() {
            match self.get::<Namespace>("", &namespace) {
                None => return Err(ApiError::not_found(Kind::Namespace, &namespace)),
                Some(existing) if existing.metadata.deletion_timestamp.is_some() => {
                    return Err(ApiError::forbidden(
                        kind,
                        object.name(),
                        &format!(
                            "unable to create new content in namespace {namespace} because it is being terminated"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        // A rejected request changes nothing, not even the random source.
        let rng_before = self.rng.clone();
        self.generate_name(&mut object);
        let uid = self.rng.uuid();
        let metadata = object.metadata_mut();
        metadata.uid = Some(uid);
        metadata.resource_version = None;
        metadata.creation_timestamp = None;
        metadata.deletion_timestamp = None;
        metadata.deletion_grace_period_seconds = None;
        metadata.generation = None;
        metadata.managed_fields = None;
        object.prepare_for_create();
        object.apply_defaults();
        object.admit(self);
        let mut errors = object.validate_meta();
        errors.extend(object.validate(self));
        errors.extend(object.validate_create());
        if !errors.is_empty() {
            self.rng = rng_before;
            return Err(ApiError::invalid(kind, object.name(), errors));
        }
        if self.get::<K>(&namespace, object.name()).is_some() {
            self.rng = rng_before;
            return Err(ApiError::already_exists(kind, object.name()));
        }
        let now = self.now_time();
        let resource_version = self.next_resource_version();
        let metadata = object.metadata_mut();
        metadata.creation_timestamp = Some(now);
        metadata.resource_version = Some(resource_version);
        let stored = Arc::new(object);
        self.store.insert_any(K::wrap(stored.clone()));
        self.emit(WatchEventType::Added, K::wrap(stored.clone()), None);
        Ok(stored)
    }

    fn generate_name<K: Stored>(&mut self, object: &mut K) {
        let metadata = object.metadata();
        if metadata
            .name
            .as_deref()
            .is_some_and(|name| !name.is_empty())
        {
            return;
        }
        let Some(prefix) = metadata
            .generate_name
            .clone()
            .filter(|prefix| !prefix.is_empty())
        else {
            return;
        };
        // Upstream truncates the prefix so the generated name stays within 63 characters.
        let prefix: String = prefix.chars().take(58).collect();
        let namespace = object.namespace().to_string();
        loop {
            let candidate = format!("{prefix}{}", self.rng.name_suffix());
            if K::table(&self.store)
                .get(&ObjectKey::new(&namespace, &candidate))
                .is_none()
            {
                object.metadata_mut().name = Some(candidate);
                return;
            }
        }
    }

    /// Replaces an object's metadata and spec; its status is kept (the status has its own call).
    pub fn update<K: Registry>(&mut self, object: K) -> Result<Arc<K>, ApiError> {
        self.write(object, false)
    }

    /// Replaces an object's status; the rest is kept.
    pub fn update_status<K: Registry>(&mut self, object: K) -> Result<Arc<K>, ApiError> {
        self.write(object, true)
    }

    /// Read, change, write: the shape of almost every controller write.
    pub fn modify<K: Registry>(
        &mut self,
        key: &ObjectKey,
        change: impl FnOnce(&mut K),
    ) -> Result<Arc<K>, ApiError> {
        let mut object = self
            .get_by_key::<K>(key)
            .ok_or_else(|| ApiError::not_found(K::OBJECT_KIND, &key.name))?
            .as_ref()
            .clone();
        change(&mut object);
        self.update(object)
    }

    pub fn modify_status<K: Registry>(
        &mut self,
        key: &ObjectKey,
        change: impl FnOnce(&mut K),
    ) -> Result<Arc<K>, ApiError> {
        let mut object = self
            .get_by_key::<K>(key)
            .ok_or_else(|| ApiError::not_found(K::OBJECT_KIND, &key.name))?
            .as_ref()
            .clone();
        change(&mut object);
        self.update_status(object)
    }

    fn write<K: Registry>(&mut self, mut object: K, status: bool) -> Result<Arc<K>, ApiError> {
        let kind = K::OBJECT_KIND;
        let key = object.key();
        let key = if kind.namespaced() && key.namespace.is_empty() {
            ObjectKey::new("default", key.name)
        } else {
            key
        };
        let Some(old) = self.get_by_key::<K>(&key).cloned() else {
            return Err(ApiError::not_found(kind, &key.name));
        };
        if let Some(version) = object
            .metadata()
            .resource_version
            .as_deref()
            .filter(|version| !version.is_empty())
            && Some(version) != old.metadata().resource_version.as_deref()
        {
            return Err(ApiError::conflict(
                kind,
                &key.name,
                "the object has been modified; please apply your changes to the latest version and try again",
            ));
        }
        {
            // Identity and server-owned metadata cannot be changed by a write.
            let metadata = object.metadata_mut();
            metadata.namespace = old.metadata().namespace.clone();
            metadata.name = old.metadata().name.clone();
            metadata.uid = old.metadata().uid.clone();
            metadata.creation_timestamp = old.metadata().creation_timestamp.clone();
            metadata.deletion_timestamp = old.metadata().deletion_timestamp.clone();
            metadata.deletion_grace_period_seconds = old.metadata().deletion_grace_period_seconds;
            metadata.generation = old.metadata().generation;
            metadata.resource_version = old.metadata().resource_version.clone();
            metadata.generate_name = old.metadata().generate_name.clone();
        }
        if status {
            object.prepare_for_status_update(&old);
        } else {
            // Every request body is defaulted when decoded, updates included.
            object.apply_defaults();
            object.prepare_for_update(&old);
            if let Some(added) = added_finalizer_while_deleting(object.metadata(), old.metadata()) {
                return Err(ApiError::invalid(
                    kind,
                    &key.name,
                    vec![FieldError::forbidden(
                        "metadata.finalizers",
                        format!(
                            "no new finalizers can be added if the object is being deleted, found new finalizers []string{{\"{added}\"}}"
                        ),
                    )],
                ));
            }
        }
        let mut errors = object.validate_meta();
        errors.extend(object.validate(self));
        errors.extend(object.validate_update(&old));
        if !errors.is_empty() {
            return Err(ApiError::invalid(kind, &key.name, errors));
        }
        if object == *old {
            return Ok(old);
        }
        if !status && object.generation_changed(&old) {
            object.metadata_mut().generation = Some(old.metadata().generation.unwrap_or(0) + 1);
        }
        let resource_version = self.next_resource_version();
        object.metadata_mut().resource_version = Some(resource_version);
        let stored = Arc::new(object);
        // An object being deleted goes once its last finalizer is removed.
        if stored.metadata().deletion_timestamp.is_some()
            && stored
                .metadata()
                .finalizers
                .as_ref()
                .is_none_or(Vec::is_empty)
            && stored.metadata().deletion_grace_period_seconds.unwrap_or(0) == 0
            && !stored.deletion_blocked()
        {
            self.store.remove_any(kind, &key);
            self.emit(
                WatchEventType::Deleted,
                K::wrap(stored.clone()),
                Some(K::wrap(old)),
            );
            return Ok(stored);
        }
        self.store_modified(stored.clone(), old);
        Ok(stored)
    }

    /// Stores the new state of an object that already had its resourceVersion bumped, and tells
    /// the watchers, with the state it replaces.
    fn store_modified<K: Registry>(&mut self, stored: Arc<K>, old: Arc<K>) {
        self.store.insert_any(K::wrap(stored.clone()));
        self.emit(
            WatchEventType::Modified,
            K::wrap(stored),
            Some(K::wrap(old)),
        );
    }

    /// Gives `object` the next resourceVersion and stores it as the new state of `old`.
    fn store_next_version<K: Registry>(&mut self, mut object: K, old: Arc<K>) -> Arc<K> {
        let resource_version = self.next_resource_version();
        object.metadata_mut().resource_version = Some(resource_version);
        let stored = Arc::new(object);
        self.store_modified(stored.clone(), old);
        stored
    }

    /// Deletes an object the way the API server's generic registry does: graceful deletion for
    /// pods, then the propagation finalizer, then removal once no finalizer remains.
    pub fn delete<K: Registry>(
        &mut self,
        key: &ObjectKey,
        options: &DeleteOptions,
    ) -> Result<Deleted, ApiError> {
        let kind = K::OBJECT_KIND;
        let Some(old) = self.get_by_key::<K>(key).cloned() else {
            return Err(ApiError::not_found(kind, &key.name));
        };
        if let Some(uid) = &options.uid_precondition
            && Some(uid.as_str()) != old.metadata().uid.as_deref()
        {
            return Err(ApiError::conflict(
                kind,
                &key.name,
                &format!(
                    "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                    old.metadata().uid.as_deref().unwrap_or_default()
                ),
            ));
        }
        old.check_delete()?;
        let mut object = old.as_ref().clone();
        let mut changed = false;
        let grace = object.graceful_deletion_seconds(options.grace_period_seconds);
        let already_deleting = object.metadata().deletion_timestamp.is_some();
        if let Some(grace) = grace.filter(|grace| *grace > 0) {
            let current = object.metadata().deletion_grace_period_seconds;
            if !already_deleting || current.is_some_and(|current| grace < current) {
                let deadline =
                    (self.now.div_euclid(1000) * 1000).saturating_add(grace.saturating_mul(1000));
                let metadata = object.metadata_mut();
                metadata.deletion_timestamp = Some(Time(clock::to_timestamp(deadline)));
                metadata.deletion_grace_period_seconds = Some(grace);
                changed = true;
            }
        } else if already_deleting && object.metadata().deletion_grace_period_seconds != Some(0) {
            object.metadata_mut().deletion_grace_period_seconds = Some(0);
            changed = true;
        }
        if !already_deleting {
            let propagation = options.propagation.unwrap_or(K::DEFAULT_PROPAGATION);
            let metadata = object.metadata_mut();
            match propagation {
                Propagation::Orphan => meta::add_finalizer(metadata, FINALIZER_ORPHAN),
                Propagation::Foreground => meta::add_finalizer(metadata, FINALIZER_FOREGROUND),
                Propagation::Background => {}
            }
            let held = metadata
                .finalizers
                .as_ref()
                .is_some_and(|finalizers| !finalizers.is_empty());
            if metadata.deletion_timestamp.is_none() && (held || object.deletion_blocked()) {
                let now = self.now_time();
                let metadata = object.metadata_mut();
                metadata.deletion_timestamp = Some(now);
                metadata.deletion_grace_period_seconds = Some(0);
                object.prepare_for_delete();
            }
            changed = changed || object != *old;
        }
        let waits_for_grace = object
            .metadata()
            .deletion_grace_period_seconds
            .is_some_and(|grace| grace > 0);
        let has_finalizers = object
            .metadata()
            .finalizers
            .as_ref()
            .is_some_and(|finalizers| !finalizers.is_empty())
            || object.deletion_blocked();
        if !waits_for_grace && !has_finalizers {
            let removed = self
                .store
                .remove_any(kind, key)
                .unwrap_or_else(|| K::wrap(old.clone()));
            let resource_version = self.next_resource_version();
            let mut gone = object;
            gone.metadata_mut().resource_version = Some(resource_version);
            if gone.metadata().deletion_timestamp.is_none() {
                gone.metadata_mut().deletion_timestamp = Some(self.now_time());
                gone.metadata_mut().deletion_grace_period_seconds = Some(0);
            }
            let gone = K::wrap(Arc::new(gone));
            self.emit(WatchEventType::Deleted, gone.clone(), Some(removed));
            return Ok(Deleted::Gone(gone));
        }
        if changed {
            let stored = self.store_next_version(object, old);
            return Ok(Deleted::Pending(K::wrap(stored)));
        }
        Ok(Deleted::Pending(K::wrap(old)))
    }

    /// Stores a changed object as it is, for subresources that bypass the main update rules (binding).
    pub(crate) fn replace<K: Registry>(&mut self, object: K) -> Result<Arc<K>, ApiError> {
        let key = object.key();
        let old = self
            .get_by_key::<K>(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(K::OBJECT_KIND, &key.name))?;
        Ok(self.store_next_version(object, old))
    }

    /// Applies a JSON merge patch (RFC 7386) and updates the object (status included when `status`).
    pub fn merge_patch<K: Registry>(
        &mut self,
        key: &ObjectKey,
        patch: &serde_json::Value,
        status: bool,
    ) -> Result<Arc<K>, ApiError> {
        let old = self
            .get_by_key::<K>(key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(K::OBJECT_KIND, &key.name))?;
        let mut document = crate::api::to_json(old.as_ref());
        merge_patch::apply(&mut document, patch);
        let patched: K = decode::decode_strict(document, K::OBJECT_KIND, &key.name)?;
        if status {
            self.update_status(patched)
        } else {
            self.update(patched)
        }
    }
}

fn added_finalizer_while_deleting(
    new: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    old: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<String> {
    old.deletion_timestamp.as_ref()?;
    let before = old.finalizers.clone().unwrap_or_default();
    new.finalizers
        .iter()
        .flatten()
        .find(|finalizer| !before.contains(finalizer))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_status_messages_are_go_quoted() {
        let name = "a\u{1}b\u{1b}[2J";
        assert_eq!(
            ApiError::not_found(Kind::Pod, name).to_string(),
            r#"Error from server (NotFound): pods "a\x01b\x1b[2J" not found"#
        );
        assert_eq!(
            ApiError::already_exists(Kind::Job, name).message,
            r#"jobs.batch "a\x01b\x1b[2J" already exists"#
        );
        let causes = vec![FieldError::invalid("metadata.name", name, "bad")];
        let invalid = ApiError::invalid(Kind::Node, name, causes);
        assert_eq!(
            invalid.message,
            r#"Node "a\x01b\x1b[2J" is invalid: metadata.name: Invalid value: "a\x01b\x1b[2J": bad"#
        );
        assert_eq!(
            invalid.to_string(),
            r#"The Node "a\x01b\x1b[2J" is invalid: metadata.name: Invalid value: "a\x01b\x1b[2J": bad"#
        );
        assert_eq!(
            ApiError::conflict(Kind::Pod, "a\tb", "gone").message,
            r#"Operation cannot be fulfilled on pods "a\tb": gone"#
        );
        assert_eq!(
            ApiError::forbidden(Kind::Pod, "a\nb", "no").message,
            r#"pods "a\nb" is forbidden: no"#
        );
    }
}
