//! `kubectl get events`: k8s `printEvent`.

use k8s_openapi::api::core::v1::Event;

use crate::clock::Millis;
use crate::kubectl::human::{since, since_micro};

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

pub(super) fn cells(now: Millis, event: &Event) -> Vec<String> {
    let first = match &event.first_timestamp {
        Some(first) => since(now, Some(first)),
        None => since_micro(now, event.event_time.as_ref()),
    };
    let mut last = match &event.last_timestamp {
        Some(last) => since(now, Some(last)),
        None => first.clone(),
    };
    let mut count = event.count.unwrap_or(0);
    if let Some(series) = &event.series {
        last = since_micro(now, series.last_observed_time.as_ref());
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        // Singleton events of the events.k8s.io API carry no count.
        count = 1;
    }
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
