//! Storage: one table per kind, keyed by namespace and name, with the indexes controllers look up
//! instead of scanning (by controller owner, by node, by uid).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod};

use crate::api::{AnyObject, ApiObject, Kind, ObjectKey, meta};

#[derive(Debug, Clone)]
pub struct Table<K> {
    objects: BTreeMap<ObjectKey, Arc<K>>,
    by_controller: BTreeMap<String, BTreeSet<ObjectKey>>,
    by_node: BTreeMap<String, BTreeSet<ObjectKey>>,
}

impl<K> Default for Table<K> {
    fn default() -> Self {
        Table {
            objects: BTreeMap::new(),
            by_controller: BTreeMap::new(),
            by_node: BTreeMap::new(),
        }
    }
}

impl<K: ApiObject> Table<K> {
    pub fn get(&self, key: &ObjectKey) -> Option<&Arc<K>> {
        self.objects.get(key)
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<K>> {
        self.objects.values()
    }

    /// Objects of one namespace, in name order.
    pub fn in_namespace<'a>(&'a self, namespace: &str) -> impl Iterator<Item = &'a Arc<K>> + 'a {
        let start = ObjectKey::new(namespace, "");
        let namespace = namespace.to_string();
        self.objects
            .range(start..)
            .take_while(move |(key, _)| key.namespace == namespace)
            .map(|(_, object)| object)
    }

    /// The greatest key in `range`, if any object lies there.
    pub fn last_in(&self, range: std::ops::Range<ObjectKey>) -> Option<&ObjectKey> {
        self.objects.range(range).next_back().map(|(key, _)| key)
    }

    /// Objects whose controller owner has this uid.
    pub fn controlled_by<'a>(&'a self, owner_uid: &str) -> impl Iterator<Item = &'a Arc<K>> + 'a {
        self.by_controller
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter_map(|key| self.objects.get(key))
    }

    /// Pods bound to this node (other kinds are never indexed by node).
    pub fn on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Arc<K>> + 'a {
        self.by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|key| self.objects.get(key))
    }

    pub fn count_on_node(&self, node: &str) -> usize {
        self.by_node.get(node).map_or(0, BTreeSet::len)
    }

    pub(crate) fn insert(&mut self, object: Arc<K>) -> Option<Arc<K>> {
        let key = object.key();
        let previous = self.objects.insert(key.clone(), object.clone());
        if let Some(previous) = &previous {
            self.unindex(&key, previous);
        }
        if let Some(owner) = meta::controller_of(object.metadata()) {
            self.by_controller
                .entry(owner.uid.clone())
                .or_default()
                .insert(key.clone());
        }
        if let Some(node) = node_name_of(&K::wrap(object)) {
            self.by_node.entry(node).or_default().insert(key);
        }
        previous
    }

    pub(crate) fn remove(&mut self, key: &ObjectKey) -> Option<Arc<K>> {
        let removed = self.objects.remove(key)?;
        self.unindex(key, &removed);
        Some(removed)
    }

    fn unindex(&mut self, key: &ObjectKey, object: &Arc<K>) {
        if let Some(owner) = meta::controller_of(object.metadata()) {
            remove_from_index(&mut self.by_controller, &owner.uid, key);
        }
        if let Some(node) = node_name_of(&K::wrap(object.clone())) {
            remove_from_index(&mut self.by_node, &node, key);
        }
    }
}

fn remove_from_index(
    index: &mut BTreeMap<String, BTreeSet<ObjectKey>>,
    entry: &str,
    key: &ObjectKey,
) {
    if let Some(keys) = index.get_mut(entry) {
        keys.remove(key);
        if keys.is_empty() {
            index.remove(entry);
        }
    }
}

fn node_name_of(object: &AnyObject) -> Option<String> {
    match object {
        AnyObject::Pod(pod) => pod
            .spec
            .as_ref()?
            .node_name
            .clone()
            .filter(|name| !name.is_empty()),
        _ => None,
    }
}

/// Every stored object, by kind.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub namespaces: Table<Namespace>,
    pub nodes: Table<Node>,
    pub pods: Table<Pod>,
    pub events: Table<Event>,
    pub daemonsets: Table<DaemonSet>,
    pub controller_revisions: Table<ControllerRevision>,
    pub jobs: Table<Job>,
    pub cronjobs: Table<CronJob>,
    uids: BTreeMap<String, (Kind, ObjectKey)>,
}

/// Maps a kind's type to its table.
pub trait Stored: ApiObject {
    fn table(store: &Store) -> &Table<Self>;
    fn table_mut(store: &mut Store) -> &mut Table<Self>;
}

macro_rules! stored {
    ($($kind:ident => $field:ident),* $(,)?) => {
        $(
            impl Stored for $kind {
                fn table(store: &Store) -> &Table<Self> {
                    &store.$field
                }
                fn table_mut(store: &mut Store) -> &mut Table<Self> {
                    &mut store.$field
                }
            }
        )*

        impl Store {
            pub fn get_any(&self, kind: Kind, key: &ObjectKey) -> Option<AnyObject> {
                match kind {
                    $(Kind::$kind => self.$field.get(key).cloned().map(AnyObject::$kind),)*
                }
            }

            /// Every object of a kind, optionally in one namespace, in key order.
            pub fn list_any(&self, kind: Kind, namespace: Option<&str>) -> Vec<AnyObject> {
                match (kind, namespace) {
                    $(
                        (Kind::$kind, None) => self.$field.iter().cloned().map(AnyObject::$kind).collect(),
                        (Kind::$kind, Some(namespace)) => self.$field.in_namespace(namespace).cloned().map(AnyObject::$kind).collect(),
                    )*
                }
            }

            pub(crate) fn insert_any(&mut self, object: AnyObject) -> Option<AnyObject> {
                self.uids.insert(object.uid().to_string(), (object.kind(), object.key()));
                match object {
                    $(AnyObject::$kind(inner) => self.$field.insert(inner).map(AnyObject::$kind),)*
                }
            }

            pub(crate) fn remove_any(&mut self, kind: Kind, key: &ObjectKey) -> Option<AnyObject> {
                let removed = match kind {
                    $(Kind::$kind => self.$field.remove(key).map(AnyObject::$kind),)*
                }?;
                self.uids.remove(removed.uid());
                Some(removed)
            }

            pub fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$kind => self.$field.len(),)*
                }
            }
        }
    };
}

stored!(
    Namespace => namespaces,
    Node => nodes,
    Pod => pods,
    Event => events,
    DaemonSet => daemonsets,
    ControllerRevision => controller_revisions,
    Job => jobs,
    CronJob => cronjobs,
);

impl Store {
    pub fn table<K: Stored>(&self) -> &Table<K> {
        K::table(self)
    }

    /// Finds any object by uid, as the garbage collector resolves owner references.
    pub fn by_uid(&self, uid: &str) -> Option<AnyObject> {
        let (kind, key) = self.uids.get(uid)?;
        self.get_any(*kind, key)
    }
}
