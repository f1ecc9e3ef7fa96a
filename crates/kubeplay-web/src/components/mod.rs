//! Render-only components: props in, HTML and callbacks out. None of them hold cluster state.

mod editor;
mod events_panel;
mod header;
mod inspector;
mod lesson_list;
mod lesson_panel;
mod node_card;
mod node_dialog;
mod node_grid;
mod node_menu;
mod pod_chip;
mod prose;
mod side_panel;
mod terminal;
mod time_controls;
mod timeline;
mod unscheduled_lane;
mod workloads;

pub use editor::Editor;
pub use events_panel::EventsPanel;
pub use header::Header;
pub use inspector::Inspector;
pub use lesson_list::LessonList;
pub use lesson_panel::{LessonPanel, LessonPanelProps};
pub use node_card::{NodeCard, NodeCardProps};
pub use node_grid::NodeGrid;
pub use node_menu::EditKind;
pub use pod_chip::{PodChip, PodChipProps};
pub use prose::Prose;
pub use side_panel::SidePanel;
pub use terminal::Terminal;
pub use time_controls::TimeControls;
pub use workloads::Workloads;
