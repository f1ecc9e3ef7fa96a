//! One command line (`kubectl ...` or `sim ...`) run against a cluster, as the CLI and the browser terminal do.

use crate::cluster::{Cluster, NodeConfig};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandOutput {
    fn ok(stdout: String) -> CommandOutput {
        CommandOutput {
            stdout,
            stderr: String::new(),
            exit_code: 0,
        }
    }
    fn error(stderr: String) -> CommandOutput {
        CommandOutput {
            stdout: String::new(),
            stderr,
            exit_code: 1,
        }
    }
}

impl Cluster {
    /// Runs one command line; `stdin` is what `-f -` reads.
    pub fn exec(&mut self, line: &str, _stdin: &str) -> CommandOutput {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => CommandOutput::default(),
            ["kubectl", "get", "nodes" | "node" | "no"] => {
                let mut out = String::from("NAME\n");
                for node in self.nodes() {
                    out.push_str(node.metadata.name.as_deref().unwrap_or_default());
                    out.push('\n');
                }
                CommandOutput::ok(out)
            }
            ["sim", "node", "add", name] => match self.add_node(NodeConfig::new(*name)) {
                Ok(_) => CommandOutput::ok(format!("node/{name} added\n")),
                Err(err) => CommandOutput::error(format!("{err}\n")),
            },
            _ => CommandOutput::error(format!("error: unknown command {line:?}\n")),
        }
    }
}
