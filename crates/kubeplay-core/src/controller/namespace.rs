//! The namespace controller (`pkg/controller/namespace`): a namespace being deleted stays
//! Terminating while everything in it is deleted, then its `kubernetes` finalizer is cleared.

use k8s_openapi::api::core::v1::Namespace;
use serde::{Deserialize, Serialize};

use crate::api::{AnyObject, ApiObject, Kind, ObjectKey};
use crate::apiserver::{ApiServer, DeleteOptions, WatchEvent, WatchEventType};
use crate::controller::garbagecollector::delete_any;
use crate::controller::{Context, Controller, WorkQueue};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamespaceController {
    queue: WorkQueue,
}

impl Controller for NamespaceController {
    fn queue(&mut self) -> &mut WorkQueue {
        &mut self.queue
    }

    fn handle(&mut self, event: &WatchEvent, api: &ApiServer) {
        match &event.object {
            AnyObject::Namespace(namespace) if namespace.metadata.deletion_timestamp.is_some() => {
                self.queue.add(namespace.name())
            }
            object if event.event_type == WatchEventType::Deleted && object.kind().namespaced() => {
                let terminating = api
                    .get::<Namespace>("", object.namespace())
                    .is_some_and(|namespace| namespace.metadata.deletion_timestamp.is_some());
                if terminating {
                    self.queue.add(object.namespace());
                }
            }
            _ => {}
        }
    }

    fn sync(&mut self, key: &str, ctx: &mut Context) {
        let Some(namespace) = ctx.api.get::<Namespace>("", key).cloned() else {
            return;
        };
        if namespace.metadata.deletion_timestamp.is_none() {
            return;
        }
        let mut remaining = 0;
        for kind in Kind::ALL.into_iter().filter(|kind| kind.namespaced()) {
            for object in ctx.api.store().list_any(kind, Some(key)) {
                remaining += 1;
                if object.meta().deletion_timestamp.is_none() {
                    let _ = delete_any(ctx.api, kind, &object.key(), &DeleteOptions::background());
                }
            }
        }
        if remaining == 0 {
            let _ = ctx
                .api
                .modify::<Namespace>(&ObjectKey::cluster(key), |stored| {
                    if let Some(spec) = stored.spec.as_mut() {
                        spec.finalizers = None;
                    }
                });
        }
    }
}
