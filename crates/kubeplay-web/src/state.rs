//! The one place the playground's state lives. Components receive plain data and callbacks;
//! every change to the cluster is one command line through `Cluster::exec`, the same line the
//! terminal would run.

use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;

use kubeplay_core::{Cluster, CommandOutput};
use yew::Reducible;

use crate::view::NodeView;

/// How many commands the log keeps; older ones scroll away.
const LOG_LENGTH: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// Stable key for rendering.
    pub id: u64,
    pub line: String,
    pub output: CommandOutput,
}

#[derive(Clone)]
pub struct Playground {
    // Shared with the previous state: `Cluster` is not `Clone`, and nothing reads a state
    // once the next one exists.
    cluster: Rc<RefCell<Cluster>>,
    /// Nodes whose card is playing its leave animation; the animation's end removes them.
    leaving: BTreeSet<String>,
    /// Newest first.
    log: VecDeque<LogEntry>,
    commands_run: u64,
}

impl Default for Playground {
    fn default() -> Playground {
        Playground {
            cluster: Rc::new(RefCell::new(Cluster::default_cluster())),
            leaving: BTreeSet::new(),
            log: VecDeque::new(),
            commands_run: 0,
        }
    }
}

pub enum Action {
    /// Run a command line, exactly as the terminal would.
    Exec(String),
    /// Start a node card's leave animation; when it ends the card sends `sim node remove`.
    Leave(String),
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        match action {
            Action::Exec(line) => {
                let output = next.cluster.borrow_mut().exec(&line, "");
                let cluster = next.cluster.borrow();
                next.leaving.retain(|name| {
                    cluster
                        .nodes()
                        .any(|node| node.metadata.name.as_ref() == Some(name))
                });
                drop(cluster);
                next.commands_run += 1;
                next.log.push_front(LogEntry {
                    id: next.commands_run,
                    line,
                    output,
                });
                next.log.truncate(LOG_LENGTH);
            }
            Action::Leave(name) => {
                next.leaving.insert(name);
            }
        }
        Rc::new(next)
    }
}

impl Playground {
    pub fn nodes(&self) -> Vec<NodeView> {
        self.cluster
            .borrow()
            .nodes()
            .map(|node| NodeView::from(&**node))
            .collect()
    }

    pub fn is_leaving(&self, name: &str) -> bool {
        self.leaving.contains(name)
    }

    pub fn log(&self) -> &VecDeque<LogEntry> {
        &self.log
    }
}
