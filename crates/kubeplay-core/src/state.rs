//! The state file: the whole cluster (every object, the clock, the timers, the random source and
//! each component's memory) as JSON. Loading a state and saving it again gives the same bytes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::{Kind, ObjectKey, for_kind};
use crate::apiserver::{ApiServer, Store, decode};
use crate::clock::{self, Timers};
use crate::cluster::{Cluster, Components};
use crate::history::History;
use crate::rand::Rng;

/// Bumped when the layout changes, so an old file is refused with a clear message, never misread.
pub const STATE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StateFile {
    kubeplay_state_version: u32,
    now: String,
    rng: Rng,
    resource_version: u64,
    timers: Timers,
    components: Components,
    /// Absent from states saved before timelines existed.
    #[serde(default)]
    history: History,
    objects: Vec<Value>,
}

impl Cluster {
    pub fn save_state(&self) -> String {
        let api = self.api();
        let objects = Kind::ALL
            .iter()
            .flat_map(|kind| api.store().list_any(*kind, None))
            .map(|object| object.to_json())
            .collect();
        let file = StateFile {
            kubeplay_state_version: STATE_VERSION,
            now: clock::to_timestamp(api.now()).to_string(),
            rng: api.rng.clone(),
            resource_version: api.resource_version(),
            timers: self.timers.clone(),
            components: self.components.clone(),
            history: self.history.clone(),
            objects,
        };
        // Every map in the state has string keys, so serializing cannot fail.
        let mut text = serde_json::to_string_pretty(&file)
            .unwrap_or_else(|error| unreachable!("the state serializes: {error}"));
        text.push('\n');
        text
    }

    pub fn load_state(text: &str) -> Result<Cluster, String> {
        let file: StateFile = serde_json::from_str(text)
            .map_err(|error| format!("the state file is not a kubeplay state: {error}"))?;
        if file.kubeplay_state_version != STATE_VERSION {
            return Err(format!(
                "the state file has version {}, this kubeplay reads version {STATE_VERSION}; run `kubeplay init` to start a new one",
                file.kubeplay_state_version
            ));
        }
        let now: jiff::Timestamp = file.now.parse().map_err(|error| {
            format!(
                "the state file's time {:?} is unreadable: {error}",
                file.now
            )
        })?;
        let mut store = Store::default();
        for object in file.objects {
            let api_version = object
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let kind_name = object
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let kind = Kind::from_type_meta(&api_version, &kind_name).ok_or_else(|| {
                format!("the state file holds an object of unknown kind {kind_name:?}")
            })?;
            let any = for_kind!(kind, K => {
                let typed: K = decode::decode_strict(object, kind, "").map_err(|error| format!("the state file holds a bad {kind_name}: {}", error.message))?;
                <K as crate::api::ApiObject>::wrap(std::sync::Arc::new(typed))
            });
            let key: ObjectKey = any.key();
            if store.get_any(kind, &key).is_some() {
                return Err(format!("the state file holds {kind_name} {key} twice"));
            }
            store.insert_any(any);
        }
        let api = ApiServer::restore(
            store,
            clock::to_millis(now),
            file.rng,
            file.resource_version,
        );
        let mut components = file.components;
        components.rebuild_caches(&api);
        Ok(Cluster::restore(api, file.timers, components, file.history))
    }
}
