//! The event recorder (client-go `tools/record`): Kubernetes Events written for objects, with
//! repeats of the same event folded into one whose count and lastTimestamp grow.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::api::{AnyObject, ObjectKey};
use crate::apiserver::ApiServer;

pub const NORMAL: &str = "Normal";
pub const WARNING: &str = "Warning";

/// Finds the event a repeat folds into: source, object, type, reason and message
/// (the correlator's `getEventKey`). Derived from the stored events, so never saved.
#[derive(Debug, Clone, Default)]
pub struct Correlator {
    by_key: BTreeMap<String, ObjectKey>,
}

fn correlation_key(event: &Event) -> String {
    let involved = &event.involved_object;
    let source = event.source.as_ref();
    [
        source
            .and_then(|source| source.component.as_deref())
            .unwrap_or_default(),
        source
            .and_then(|source| source.host.as_deref())
            .unwrap_or_default(),
        involved.kind.as_deref().unwrap_or_default(),
        involved.namespace.as_deref().unwrap_or_default(),
        involved.name.as_deref().unwrap_or_default(),
        involved.uid.as_deref().unwrap_or_default(),
        involved.api_version.as_deref().unwrap_or_default(),
        event.type_.as_deref().unwrap_or_default(),
        event.reason.as_deref().unwrap_or_default(),
        event.message.as_deref().unwrap_or_default(),
    ]
    .join("\u{1f}")
}

impl Correlator {
    pub fn rebuild(events: impl Iterator<Item = Event>) -> Correlator {
        let mut correlator = Correlator::default();
        for event in events {
            correlator
                .by_key
                .insert(correlation_key(&event), ObjectKey::of(&event.metadata));
        }
        correlator
    }

    pub fn forget(&mut self, event: &Event) {
        let key = correlation_key(event);
        if self.by_key.get(&key) == Some(&ObjectKey::of(&event.metadata)) {
            self.by_key.remove(&key);
        }
    }
}

pub fn object_reference(object: &AnyObject) -> ObjectReference {
    let meta = object.meta();
    ObjectReference {
        api_version: Some(object.kind().api_version().to_string()),
        kind: Some(object.kind().name().to_string()),
        name: meta.name.clone(),
        namespace: meta.namespace.clone(),
        uid: meta.uid.clone(),
        resource_version: meta.resource_version.clone(),
        field_path: None,
    }
}

impl ApiServer {
    /// Records an event about `object` from `component` (`daemonset-controller`, `default-scheduler`, ...).
    pub fn record_event(
        &mut self,
        object: &AnyObject,
        event_type: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        self.record_event_from(
            object_reference(object),
            event_type,
            reason,
            message,
            component,
            None,
        );
    }

    pub fn record_event_from(
        &mut self,
        involved: ObjectReference,
        event_type: &str,
        reason: &str,
        message: &str,
        component: &str,
        host: Option<&str>,
    ) {
        let namespace = involved
            .namespace
            .clone()
            .filter(|namespace| !namespace.is_empty())
            .unwrap_or_else(|| "default".into());
        let now = self.now_time();
        let mut event = Event {
            metadata: ObjectMeta {
                namespace: Some(namespace.clone()),
                ..ObjectMeta::default()
            },
            involved_object: involved,
            reason: Some(reason.to_string()),
            message: Some(message.to_string()),
            source: Some(EventSource {
                component: Some(component.to_string()),
                host: host.map(str::to_string),
            }),
            first_timestamp: Some(now.clone()),
            last_timestamp: Some(now),
            count: Some(1),
            type_: Some(event_type.to_string()),
            reporting_component: Some(String::new()),
            reporting_instance: Some(String::new()),
            ..Event::default()
        };
        let key = correlation_key(&event);
        if let Some(existing_key) = self.correlator.by_key.get(&key).cloned() {
            let last = self.now_time();
            if self
                .modify::<Event>(&existing_key, |existing| {
                    existing.count = Some(existing.count.unwrap_or(1) + 1);
                    existing.last_timestamp = Some(last);
                })
                .is_ok()
            {
                return;
            }
        }
        // Upstream names events `<object>.<unix nanoseconds in hex>`. Events of one object in one
        // virtual millisecond take the following nanoseconds: the next after the last one taken
        // (hex of equal length sorts as numbers), so a burst of thousands costs no scan.
        let object_name = event.involved_object.name.clone().unwrap_or_default();
        // Go's UnixNano holds 1678 to 2262; outside it the names count on from its ends.
        const LAST_MILLI: i64 = i64::MAX / 1_000_000 - 1;
        let first = self.now().clamp(0, LAST_MILLI) as u64 * 1_000_000;
        let candidate = |nanos: u64| ObjectKey::new(&namespace, format!("{object_name}.{nanos:x}"));
        let prefix = format!("{object_name}.");
        let mut nanos = self
            .store
            .events
            .last_in(candidate(first)..candidate(first + 1_000_000))
            .and_then(|last| last.name.strip_prefix(&prefix))
            .and_then(|hex| u64::from_str_radix(hex, 16).ok())
            .map_or(first, |taken| taken + 1);
        while self
            .get::<Event>(&namespace, &candidate(nanos).name)
            .is_some()
        {
            nanos += 1;
        }
        event.metadata.name = Some(candidate(nanos).name);
        if let Ok(created) = self.create(event) {
            self.correlator
                .by_key
                .insert(key, ObjectKey::of(&created.metadata));
        }
    }
}
