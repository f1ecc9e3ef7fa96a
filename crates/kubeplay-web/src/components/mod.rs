//! Render-only components: props in, HTML and callbacks out. None of them hold cluster state.

mod header;
mod node_card;
mod side_panel;
mod terminal;

pub use header::Header;
pub use node_card::NodeCard;
pub use side_panel::SidePanel;
pub use terminal::Terminal;
