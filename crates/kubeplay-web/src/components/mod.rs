//! Render-only components: props in, HTML and callbacks out. None of them hold cluster state.

mod editor;
mod events_panel;
mod header;
mod inspector;
mod node_card;
mod side_panel;
mod terminal;
mod time_controls;
mod timeline;
mod workloads;

pub use editor::Editor;
pub use events_panel::EventsPanel;
pub use header::Header;
pub use inspector::Inspector;
pub use node_card::NodeCard;
pub use side_panel::SidePanel;
pub use terminal::Terminal;
pub use time_controls::TimeControls;
pub use workloads::Workloads;
