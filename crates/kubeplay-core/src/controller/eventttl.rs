//! Event expiry: the API server stores events with a one-hour TTL (`--event-ttl`), so an event
//! disappears an hour after it was last recorded.

use k8s_openapi::api::core::v1::Event;
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, ObjectKey};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent, WatchEventType};
use crate::clock::{self, HOUR, Millis};
use crate::controller::{Context, Controller, WorkQueue};

pub const EVENT_TTL: Millis = HOUR;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTtl {
    queue: WorkQueue,
}

fn expiry(event: &Event) -> Millis {
    let last = event
        .last_timestamp
        .as_ref()
        .or(event.first_timestamp.as_ref())
        .or(event.metadata.creation_timestamp.as_ref());
    last.map_or(0, |time| clock::to_millis(time.0)) + EVENT_TTL
}

impl Controller for EventTtl {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, _api: &ApiServer) {
        if let (AnyObject::Event(stored), WatchEventType::Added | WatchEventType::Modified) =
            (&event.object, event.event_type)
        {
            self.queue.add(stored.key().queue_key());
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let object_key = ObjectKey::from_queue_key(key);
        let Some(event) = ctx.api.get_by_key::<Event>(&object_key).cloned() else {
            return;
        };
        let expires = expiry(&event);
        if ctx.now() >= expires {
            let _ = ctx
                .api
                .delete::<Event>(&object_key, &DeleteOptions::default());
        } else {
            ctx.requeue_at(key, expires);
        }
    }
}
