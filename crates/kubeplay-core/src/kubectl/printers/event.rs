//! `kubectl get events`: k8s `printEvent`.

use k8s_openapi::api::core::v1::Event;

use crate::clock::{self, Millis};
use crate::kubectl::human::human_duration;

use super::{Column, column, wide};

pub(super) const COLUMNS: &[Column] = &[
    column("Last Seen"),
    column("Type"),
    column("Reason"),
    column("Object"),
    wide("Subobject"),
    wide("Source"),
    column("Message"),
    wide("First Seen"),
    wide("Count"),
    wide("Name"),
];

/// The `Format: "name"` column, which `--show-kind` style prefixes apply to.
pub(super) const NAME_COLUMN: usize = 9;

/// When an event first and last happened and how often, as the FIRST SEEN, LAST SEEN and COUNT
/// columns read them: the series' last observation and count for events.k8s.io events, else
/// lastTimestamp and count, falling back to the first time and 1.
fn seen(event: &Event) -> (Option<Millis>, Option<Millis>, i32) {
    let first = match &event.first_timestamp {
        Some(first) => Some(clock::to_millis(first.0)),
        None => event
            .event_time
            .as_ref()
            .map(|time| clock::to_millis(time.0)),
    };
    let mut last = match &event.last_timestamp {
        Some(last) => Some(clock::to_millis(last.0)),
        None => first,
    };
    let mut count = event.count.unwrap_or(0);
    if let Some(series) = &event.series {
        last = series
            .last_observed_time
            .as_ref()
            .map(|time| clock::to_millis(time.0));
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        // Singleton events of the events.k8s.io API carry no count.
        count = 1;
    }
    (first, last, count)
}

/// When an event was last seen, for sorting newest first.
pub fn last_seen(event: &Event) -> Option<Millis> {
    seen(event).1
}

/// One event's columns as `kubectl get events -o wide` prints them, for a front end that lays
/// the table out itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventColumns {
    pub last_seen: String,
    pub event_type: String,
    pub reason: String,
    /// `pod/web-1`.
    pub object: String,
    pub subobject: String,
    pub source: String,
    pub message: String,
    pub first_seen: String,
    pub count: String,
    pub name: String,
}

pub fn event_columns(now: Millis, event: &Event) -> EventColumns {
    let mut cells = cells(now, event).into_iter();
    let mut next = || cells.next().unwrap_or_default();
    EventColumns {
        last_seen: next(),
        event_type: next(),
        reason: next(),
        object: next(),
        subobject: next(),
        source: next(),
        message: next(),
        first_seen: next(),
        count: next(),
        name: next(),
    }
}

pub(super) fn cells(now: Millis, event: &Event) -> Vec<String> {
    let ago = |time: Option<Millis>| match time {
        Some(time) => human_duration(now - time),
        None => "<unknown>".to_string(),
    };
    let (first, last, count) = seen(event);
    let (first, last) = (ago(first), ago(last));
    let involved = &event.involved_object;
    let kind = involved.kind.as_deref().unwrap_or_default().to_lowercase();
    let target = match involved.name.as_deref() {
        Some(name) if !name.is_empty() => format!("{kind}/{name}"),
        _ => kind,
    };
    let event_type = event.type_.clone().unwrap_or_default();
    let reason = event.reason.clone().unwrap_or_default();
    let message = event
        .message
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_string();
    vec![
        last,
        event_type,
        reason,
        target,
        involved.field_path.clone().unwrap_or_default(),
        format_event_source(event),
        message,
        first,
        count.to_string(),
        event.metadata.name.clone().unwrap_or_default(),
    ]
}

/// `formatEventSource`: the component (or reporting controller), then `, host` when there is one.
fn format_event_source(event: &Event) -> String {
    let source = event.source.as_ref();
    let first_non_empty = |a: Option<&String>, b: Option<&String>| {
        [a, b]
            .into_iter()
            .flatten()
            .find(|text| !text.is_empty())
            .cloned()
            .unwrap_or_default()
    };
    let component = first_non_empty(
        source.and_then(|source| source.component.as_ref()),
        event.reporting_component.as_ref(),
    );
    let instance = first_non_empty(
        source.and_then(|source| source.host.as_ref()),
        event.reporting_instance.as_ref(),
    );
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use k8s_openapi::api::core::v1::{EventSource, ObjectReference};

    use super::super::test_support::{START, api_at, meta, time};
    use super::super::{TableOptions, print_table};
    use super::*;
    use crate::api::{AnyObject, Kind};

    fn event(name: &str, reason: &str, count: i32, first: i64, last: i64) -> AnyObject {
        AnyObject::Event(Arc::new(Event {
            metadata: meta("default", name, first),
            involved_object: ObjectReference {
                kind: Some("Pod".into()),
                name: Some("web-1".into()),
                namespace: Some("default".into()),
                field_path: Some("spec.containers{nginx}".into()),
                ..ObjectReference::default()
            },
            reason: Some(reason.into()),
            message: Some(format!(" {reason} happened\n")),
            type_: Some("Normal".into()),
            count: Some(count),
            first_timestamp: Some(time(first)),
            last_timestamp: Some(time(last)),
            source: Some(EventSource {
                component: Some("kubelet".into()),
                host: Some("node-1".into()),
            }),
            ..Event::default()
        }))
    }

    #[test]
    fn columns_for_front_ends() {
        let AnyObject::Event(pulled) = event("web-1.2", "Pulled", 4, START + 1000, START + 90_000)
        else {
            unreachable!()
        };
        let columns = event_columns(START + 150_000, &pulled);
        assert_eq!(
            (
                columns.last_seen.as_str(),
                columns.object.as_str(),
                columns.count.as_str()
            ),
            ("60s", "pod/web-1", "4")
        );
        assert_eq!(columns.message, "Pulled happened");
        assert_eq!(last_seen(&pulled), Some(START + 90_000));
    }

    #[test]
    fn prints_events() {
        let events = vec![
            event("web-1.1", "Scheduled", 1, START, START),
            event("web-1.2", "Pulled", 4, START + 1000, START + 90_000),
        ];
        let api = api_at(START + 150_000);
        let out = print_table(&api, Kind::Event, &events, &TableOptions::default());
        assert_eq!(
            out,
            "LAST SEEN   TYPE     REASON      OBJECT      MESSAGE\n\
             2m30s       Normal   Scheduled   pod/web-1   Scheduled happened\n\
             60s         Normal   Pulled      pod/web-1   Pulled happened\n"
        );
        let wide = TableOptions {
            wide: true,
            ..TableOptions::default()
        };
        let out = print_table(&api, Kind::Event, &events[1..], &wide);
        assert_eq!(
            out,
            "LAST SEEN   TYPE     REASON   OBJECT      SUBOBJECT                SOURCE            MESSAGE           FIRST SEEN   COUNT   NAME\n\
             60s         Normal   Pulled   pod/web-1   spec.containers{nginx}   kubelet, node-1   Pulled happened   2m29s        4       web-1.2\n"
        );
    }
}
