//! The playground inside someone else's page: the options a host passes (`options.rs`), what the
//! playground tells it (`events.rs`), how the host's script reaches it (`bridge.rs`), and in the
//! browser the API that script calls (`api.rs`) and the standalone page's autosave (`storage.rs`).

#[cfg(target_arch = "wasm32")]
pub mod api;
pub mod bridge;
pub mod events;
pub mod options;
#[cfg(target_arch = "wasm32")]
pub mod storage;
