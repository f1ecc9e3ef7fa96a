//! The playground inside someone else's page: the options a host passes (`options.rs`) and what
//! the playground tells it (`events.rs`).

pub mod events;
pub mod options;
