//! API objects: the kinds kubeplay serves (k8s-openapi types), a handle that holds any of them,
//! and the helpers every component shares (keys, owner references, quantities, selectors).

pub mod field;
pub mod kind;
pub mod labels;
pub mod meta;
pub mod quantity;
pub mod validation;

use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use kind::Kind;

/// Where an object lives: its namespace (empty for cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> ObjectKey {
        ObjectKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    pub fn cluster(name: impl Into<String>) -> ObjectKey {
        ObjectKey {
            namespace: String::new(),
            name: name.into(),
        }
    }

    pub fn of(meta: &ObjectMeta) -> ObjectKey {
        ObjectKey {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
        }
    }

    /// The work-queue key upstream controllers use: `namespace/name`, or `name` when cluster-scoped.
    pub fn queue_key(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }

    pub fn from_queue_key(key: &str) -> ObjectKey {
        match key.split_once('/') {
            Some((namespace, name)) => ObjectKey::new(namespace, name),
            None => ObjectKey::cluster(key),
        }
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.queue_key())
    }
}

/// Runs `$body` with `$type` bound to the k8s-openapi type of a runtime `Kind`.
macro_rules! for_kind {
    ($kind:expr, $type:ident => $body:expr) => {
        match $kind {
            Kind::Namespace => {
                type $type = k8s_openapi::api::core::v1::Namespace;
                $body
            }
            Kind::Node => {
                type $type = k8s_openapi::api::core::v1::Node;
                $body
            }
            Kind::Pod => {
                type $type = k8s_openapi::api::core::v1::Pod;
                $body
            }
            Kind::Event => {
                type $type = k8s_openapi::api::core::v1::Event;
                $body
            }
            Kind::DaemonSet => {
                type $type = k8s_openapi::api::apps::v1::DaemonSet;
                $body
            }
            Kind::ControllerRevision => {
                type $type = k8s_openapi::api::apps::v1::ControllerRevision;
                $body
            }
            Kind::Job => {
                type $type = k8s_openapi::api::batch::v1::Job;
                $body
            }
            Kind::CronJob => {
                type $type = k8s_openapi::api::batch::v1::CronJob;
                $body
            }
        }
    };
}
pub(crate) use for_kind;

/// A k8s-openapi type that kubeplay stores.
pub trait ApiObject:
    k8s_openapi::Resource
    + k8s_openapi::Metadata<Ty = ObjectMeta>
    + Clone
    + PartialEq
    + fmt::Debug
    + Default
    + Serialize
    + DeserializeOwned
    + 'static
{
    const OBJECT_KIND: Kind;
    fn wrap(object: Arc<Self>) -> AnyObject;
    fn unwrap(object: &AnyObject) -> Option<&Arc<Self>>;

    fn key(&self) -> ObjectKey {
        ObjectKey::of(self.metadata())
    }

    fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or_default()
    }

    fn namespace(&self) -> &str {
        self.metadata().namespace.as_deref().unwrap_or_default()
    }

    fn uid(&self) -> &str {
        self.metadata().uid.as_deref().unwrap_or_default()
    }
}

macro_rules! any_object {
    ($($kind:ident),* $(,)?) => {
        /// Any stored object, shared cheaply: watch events and snapshots hold these.
        #[derive(Debug, Clone, PartialEq)]
        pub enum AnyObject {
            $($kind(Arc<$kind>),)*
        }

        $(
            impl ApiObject for $kind {
                const OBJECT_KIND: Kind = Kind::$kind;
                fn wrap(object: Arc<Self>) -> AnyObject {
                    AnyObject::$kind(object)
                }
                fn unwrap(object: &AnyObject) -> Option<&Arc<Self>> {
                    match object {
                        AnyObject::$kind(inner) => Some(inner),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*

        impl AnyObject {
            pub fn kind(&self) -> Kind {
                match self {
                    $(AnyObject::$kind(_) => Kind::$kind,)*
                }
            }

            pub fn meta(&self) -> &ObjectMeta {
                match self {
                    $(AnyObject::$kind(inner) => &inner.metadata,)*
                }
            }

            /// The object as the API server returns it: with `apiVersion` and `kind` first.
            pub fn to_json(&self) -> serde_json::Value {
                match self {
                    $(AnyObject::$kind(inner) => to_json(inner.as_ref()),)*
                }
            }
        }
    };
}

any_object!(
    Namespace,
    Node,
    Pod,
    Event,
    DaemonSet,
    ControllerRevision,
    Job,
    CronJob
);

impl AnyObject {
    pub fn key(&self) -> ObjectKey {
        ObjectKey::of(self.meta())
    }

    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or_default()
    }

    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or_default()
    }

    pub fn uid(&self) -> &str {
        self.meta().uid.as_deref().unwrap_or_default()
    }
}

/// Serializes an object as the API server returns it. Keys come out sorted, as kubectl prints them.
pub fn to_json<K: ApiObject>(object: &K) -> serde_json::Value {
    serde_json::to_value(object).unwrap_or(serde_json::Value::Null)
}
