//! The kubectl output layer: the tables of `kubectl get` (the server-side printers of
//! `pkg/printers/internalversion` with cli-runtime's decorations), `-o json`, `-o yaml`,
//! `-o jsonpath` and `kubectl describe`, each written to print exactly what kubectl prints.
//! The command layer parses arguments, fetches objects and calls these.

pub mod describe;
pub(crate) mod gofmt;
pub(crate) mod gosort;
pub mod human;
pub mod printers;
pub mod quantity;
pub mod tabwriter;

pub use describe::describe;
pub use human::{age, human_duration};
pub use printers::{TableOptions, jsonpath, print_table, to_json, to_yaml};
