//! Render-only components: props in, HTML and callbacks out. None of them hold cluster state.

mod header;
mod node_card;
mod node_dialog;
mod node_grid;
mod node_menu;
mod pod_chip;
mod side_panel;
mod terminal;
mod unscheduled_lane;

pub use header::Header;
pub use node_card::{NodeCard, NodeCardProps};
pub use node_grid::NodeGrid;
pub use node_menu::EditKind;
pub use pod_chip::{PodChip, PodChipProps};
pub use side_panel::SidePanel;
pub use terminal::Terminal;
