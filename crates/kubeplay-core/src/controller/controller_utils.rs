//! What upstream's `pkg/controller/controller_utils.go`, `controller_ref_manager.go`,
//! `pkg/api/v1/pod` and client-go's `flowcontrol.Backoff` give every workload controller:
//! expectations, the slow-start batch size, the template hash, pod readiness and availability,
//! the failed-pod backoff, and claiming (adopting and releasing) dependents by selector.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Pod, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use serde::{Deserialize, Serialize};

use crate::api::labels::Selector;
use crate::api::{ApiObject, meta};
use crate::apiserver::{ApiServer, Registry, Stored};
use crate::clock::{self, MINUTE, Millis, SECOND};

/// `SlowStartInitialBatchSize`: creates go in batches of 1, 2, 4, …
pub const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;
/// `ExpectationsTimeout`: unobserved expectations stop blocking a controller after this long.
pub const EXPECTATIONS_TIMEOUT: Millis = 5 * MINUTE;

/// The creates and deletes one controller key still waits to observe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Expectation {
    add: i64,
    del: i64,
    timestamp: Millis,
}

/// `ControllerExpectations`: a controller sets how many creates and deletes it issued, watch
/// events lower the counts, and the next full sync waits until both reach zero (or 5 minutes pass).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControllerExpectations {
    records: BTreeMap<String, Expectation>,
}

impl ControllerExpectations {
    /// `SatisfiedExpectations`: no record, all observed, or expired.
    pub fn satisfied(&self, key: &str, now: Millis) -> bool {
        match self.records.get(key) {
            None => true,
            Some(record) => {
                (record.add <= 0 && record.del <= 0)
                    || now - record.timestamp > EXPECTATIONS_TIMEOUT
            }
        }
    }

    /// `SetExpectations`: a fresh record, timestamped now.
    pub fn set(&mut self, key: &str, add: usize, del: usize, now: Millis) {
        self.records.insert(
            key.to_string(),
            Expectation {
                add: add as i64,
                del: del as i64,
                timestamp: now,
            },
        );
    }

    /// `LowerExpectations`: a no-op for a key without a record.
    pub fn lower(&mut self, key: &str, add: usize, del: usize) {
        if let Some(record) = self.records.get_mut(key) {
            record.add -= add as i64;
            record.del -= del as i64;
        }
    }

    pub fn creation_observed(&mut self, key: &str) {
        self.lower(key, 1, 0);
    }

    pub fn deletion_observed(&mut self, key: &str) {
        self.lower(key, 0, 1);
    }

    pub fn delete(&mut self, key: &str) {
        self.records.remove(key);
    }
}

/// One entry of `flowcontrol.Backoff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct BackoffEntry {
    backoff: Millis,
    last_update: Millis,
}

/// client-go's `flowcontrol.Backoff` without jitter: each `next` doubles the delay up to `max`,
/// and an entry untouched for twice `max` starts over (and is garbage collected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backoff {
    initial: Millis,
    max: Millis,
    entries: BTreeMap<String, BackoffEntry>,
}

impl Backoff {
    pub fn new(initial: Millis, max: Millis) -> Backoff {
        Backoff {
            initial,
            max,
            entries: BTreeMap::new(),
        }
    }

    fn has_expired(&self, now: Millis, last_update: Millis) -> bool {
        now - last_update > self.max * 2
    }

    /// `IsInBackOffSinceUpdate`.
    pub fn is_in_backoff_since_update(&self, id: &str, now: Millis) -> bool {
        match self.entries.get(id) {
            Some(entry) if !self.has_expired(now, entry.last_update) => {
                now - entry.last_update < entry.backoff
            }
            _ => false,
        }
    }

    /// `Get`: the current delay, zero without an entry.
    pub fn get(&self, id: &str) -> Millis {
        self.entries.get(id).map_or(0, |entry| entry.backoff)
    }

    /// `Next`: start at the initial delay, or double it.
    pub fn next(&mut self, id: &str, now: Millis) {
        let expired = self
            .entries
            .get(id)
            .is_none_or(|entry| self.has_expired(now, entry.last_update));
        let backoff = match self.entries.get(id) {
            Some(entry) if !expired => (entry.backoff * 2).min(self.max),
            _ => self.initial,
        };
        self.entries.insert(
            id.to_string(),
            BackoffEntry {
                backoff,
                last_update: now,
            },
        );
    }

    /// `GC`: drops the entries that have expired (upstream runs it every minute; running it at
    /// another moment changes nothing observable, since an expired entry acts as no entry).
    pub fn gc(&mut self, now: Millis) {
        let max = self.max;
        self.entries
            .retain(|_, entry| now - entry.last_update <= max * 2);
    }
}

/// `ComputeHash`: FNV-32a over the template, then the collision count as 8 little-endian bytes,
/// printed in decimal and encoded with `rand.SafeEncodeString`.
///
/// Upstream hashes the template as `spew` prints the Go struct (`DeepHashObject`), which cannot be
/// reproduced outside Go; kubeplay hashes the template's canonical JSON (keys sorted, as
/// `serde_json` writes them) instead. The hash has the same form (`6d5f8b7c9`-like), is stable for
/// equal templates and changes whenever the template changes, which is all any behaviour relies on.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut hasher = Fnv32a::new();
    // Through `Value`, whose serializer the API server already carries (one copy in the wasm).
    let text = serde_json::to_value(template)
        .map(|value| value.to_string())
        .unwrap_or_default();
    hasher.write(text.as_bytes());
    if let Some(count) = collision_count {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(count as u32).to_le_bytes());
        hasher.write(&bytes);
    }
    safe_encode_string(&hasher.sum32().to_string())
}

/// apimachinery's `rand.SafeEncodeString`: each character mapped into the alphabet without vowels.
pub fn safe_encode_string(text: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    text.chars()
        .map(|c| ALPHANUMS[c as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// Go's `hash/fnv` 32-bit FNV-1a.
struct Fnv32a(u32);

impl Fnv32a {
    fn new() -> Fnv32a {
        Fnv32a(0x811c_9dc5)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u32::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }

    fn sum32(&self) -> u32 {
        self.0
    }
}

/// The pod's `Ready` condition, if it has one.
/// The pod's Ready condition, if reported.
pub fn ready_condition(pod: &Pod) -> Option<&k8s_openapi::api::core::v1::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|condition| condition.type_ == "Ready")
}

/// `podutil.IsPodReady`.
pub fn is_pod_ready(pod: &Pod) -> bool {
    ready_condition(pod).is_some_and(|condition| condition.status == "True")
}

/// `podutil.IsPodAvailable`: Ready, and Ready for longer than `min_ready_seconds` (strictly).
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i32, now: Millis) -> bool {
    let Some(condition) = ready_condition(pod).filter(|condition| condition.status == "True")
    else {
        return false;
    };
    if min_ready_seconds == 0 {
        return true;
    }
    condition
        .last_transition_time
        .as_ref()
        .is_some_and(|time| clock::to_millis(time.0) + i64::from(min_ready_seconds) * SECOND < now)
}

/// `podutil.IsPodTerminal`.
pub fn is_pod_terminal(pod: &Pod) -> bool {
    matches!(
        crate::apiserver::registry::pod::phase(pod),
        "Succeeded" | "Failed"
    )
}

/// `BaseControllerRefManager.ClaimObject` over a list of candidates: keeps what `owner` already
/// controls and still selects, adopts matching orphans (unless the owner or the object is being
/// deleted), and releases what it controls but no longer selects. Returns the claimed objects, as
/// they are after adoption. Adopted objects also get `finalizers` (the Job's tracking finalizer),
/// in the same write as upstream's adoption patch.
pub fn claim_objects<O: ApiObject, K: Registry>(
    api: &mut ApiServer,
    owner: &O,
    selector: &Selector,
    candidates: Vec<Arc<K>>,
    finalizers: &[&str],
) -> Vec<Arc<K>> {
    let owner_uid = owner.uid().to_string();
    let owner_deleting = meta::is_being_deleted(owner.metadata());
    let mut claimed = Vec::new();
    for object in candidates {
        let matches = selector.matches(object.metadata().labels.as_ref());
        match meta::controller_of(object.metadata()) {
            Some(reference) if reference.uid != owner_uid => {}
            Some(_) if matches => claimed.push(object),
            Some(_) => {
                if owner_deleting {
                    continue;
                }
                // Release: drop our reference; a vanished object or a lost race is ignored.
                let _ = api.modify::<K>(&object.key(), |stored| {
                    let metadata = stored.metadata_mut();
                    if let Some(references) = metadata.owner_references.as_mut() {
                        references.retain(|reference| reference.uid != owner_uid);
                        if references.is_empty() {
                            metadata.owner_references = None;
                        }
                    }
                });
            }
            None => {
                if owner_deleting
                    || !matches
                    || meta::is_being_deleted(object.metadata())
                    || object.namespace() != owner.namespace()
                {
                    continue;
                }
                let reference = meta::new_controller_ref(owner);
                let adopted = api.modify::<K>(&object.key(), |stored| {
                    let metadata = stored.metadata_mut();
                    metadata
                        .owner_references
                        .get_or_insert_with(Vec::new)
                        .push(reference);
                    for finalizer in finalizers {
                        meta::add_finalizer(metadata, finalizer);
                    }
                });
                if let Ok(adopted) = adopted {
                    claimed.push(adopted);
                }
            }
        }
    }
    claimed
}

/// `resolveControllerRef`: the object of kind `K` a controller reference names, if it still has
/// that uid (a name can be reused by a new object).
pub fn resolve_controller_ref<'a, K: Stored>(
    api: &'a ApiServer,
    namespace: &str,
    reference: &OwnerReference,
) -> Option<&'a Arc<K>> {
    if reference.kind != K::OBJECT_KIND.name() {
        return None;
    }
    api.get::<K>(namespace, &reference.name)
        .filter(|object| object.uid() == reference.uid)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    #[test]
    fn fnv32a_matches_go() {
        // Go: fnv.New32a() over "hello" sums to 1335831723.
        let mut hasher = Fnv32a::new();
        hasher.write(b"hello");
        assert_eq!(hasher.sum32(), 1_335_831_723);
    }

    #[test]
    fn safe_encoding_maps_digits_like_upstream() {
        assert_eq!(safe_encode_string("0123456789"), "456789bcdf");
    }

    #[test]
    fn hash_depends_on_template_and_collision_count() {
        let template = |image: &str| PodTemplateSpec {
            metadata: Some(ObjectMeta {
                labels: Some([("app".to_string(), "x".to_string())].into()),
                ..ObjectMeta::default()
            }),
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    image: Some(image.into()),
                    ..Container::default()
                }],
                ..PodSpec::default()
            }),
        };
        let a = compute_hash(&template("httpd:2.4"), None);
        assert_eq!(a, compute_hash(&template("httpd:2.4"), None));
        assert_ne!(a, compute_hash(&template("httpd:2.5"), None));
        assert_ne!(a, compute_hash(&template("httpd:2.4"), Some(1)));
        assert_ne!(
            compute_hash(&template("httpd:2.4"), Some(0)),
            compute_hash(&template("httpd:2.4"), Some(1))
        );
        assert!(a.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)));
    }

    #[test]
    fn expectations_block_until_observed_or_expired() {
        let mut expectations = ControllerExpectations::default();
        assert!(expectations.satisfied("default/ds", 0));
        expectations.set("default/ds", 2, 1, 0);
        assert!(!expectations.satisfied("default/ds", 0));
        expectations.creation_observed("default/ds");
        expectations.creation_observed("default/ds");
        assert!(!expectations.satisfied("default/ds", 0));
        expectations.deletion_observed("default/ds");
        assert!(expectations.satisfied("default/ds", 0));
        expectations.set("default/ds", 1, 0, 0);
        assert!(!expectations.satisfied("default/ds", EXPECTATIONS_TIMEOUT));
        assert!(expectations.satisfied("default/ds", EXPECTATIONS_TIMEOUT + 1));
    }

    #[test]
    fn backoff_doubles_to_its_cap_and_resets_when_stable() {
        let mut backoff = Backoff::new(SECOND, 15 * MINUTE);
        assert!(!backoff.is_in_backoff_since_update("k", 0));
        backoff.next("k", 0);
        assert_eq!(backoff.get("k"), SECOND);
        assert!(backoff.is_in_backoff_since_update("k", 999));
        assert!(!backoff.is_in_backoff_since_update("k", 1000));
        for _ in 0..20 {
            backoff.next("k", 1000);
        }
        assert_eq!(backoff.get("k"), 15 * MINUTE);
        backoff.next("k", 1000 + 30 * MINUTE + 1);
        assert_eq!(backoff.get("k"), SECOND);
        backoff.gc(1000 + 60 * MINUTE + 2);
        assert_eq!(backoff.get("k"), 0);
    }
}
