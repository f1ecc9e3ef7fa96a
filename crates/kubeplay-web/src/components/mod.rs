//! Render-only components: props in, HTML and callbacks out. None of them hold cluster state.

mod command_log;
mod header;
mod node_card;
mod side_panel;
mod time_controls;
mod timeline;
mod workloads;

pub use command_log::CommandLog;
pub use header::Header;
pub use node_card::NodeCard;
pub use side_panel::SidePanel;
pub use time_controls::TimeControls;
pub use workloads::Workloads;
