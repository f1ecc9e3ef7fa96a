//! What a playground tells its host page: each command run (with exactly what the terminal
//! shows), a lesson step passing, a lesson finishing, the clock moving. The state pushes them into
//! an outbox as they happen; the host's API drains it after each call and after each render.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use kubeplay_core::CommandOutput;
use kubeplay_core::clock::{self, Millis};
use serde::Serialize;

/// An outbox holds at most this many events; a host that never listens loses the oldest.
const MAX_PENDING: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Event {
    #[serde(rename_all = "camelCase")]
    Command {
        line: String,
        stdout: String,
        stderr: String,
        exit_code: i32,
        /// Where it came from: `page` (the reader), `host` (the host page's script).
        source: &'static str,
    },
    #[serde(rename_all = "camelCase")]
    Step {
        index: usize,
        id: String,
        title: String,
        done: usize,
        total: usize,
    },
    #[serde(rename_all = "camelCase")]
    Lesson {
        title: String,
        done: usize,
        total: usize,
        finished: bool,
    },
    #[serde(rename_all = "camelCase")]
    Time {
        /// RFC 3339, UTC.
        now: String,
        speed: u32,
        playing: bool,
        /// The clock could not keep up with the speed.
        behind: bool,
    },
}

impl Event {
    pub fn command(line: &str, output: &CommandOutput, source: &'static str) -> Event {
        Event::Command {
            line: line.to_string(),
            stdout: output.stdout.clone(),
            stderr: output.stderr.clone(),
            exit_code: output.exit_code,
            source,
        }
    }

    pub fn time(now: Millis, speed: u32, playing: bool, behind: bool) -> Event {
        Event::Time {
            now: clock::to_timestamp(now).to_string(),
            speed,
            playing,
            behind,
        }
    }

    /// The event's name, as `watch(name, fn)` takes it.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Command { .. } => "command",
            Event::Step { .. } => "step",
            Event::Lesson { .. } => "lesson",
            Event::Time { .. } => "time",
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|error| unreachable!("events serialize: {error}"))
    }
}

/// Shared between the state (which fills it) and the host's API (which empties it).
#[derive(Debug, Clone, Default)]
pub struct Outbox(Rc<RefCell<VecDeque<Event>>>);

impl PartialEq for Outbox {
    fn eq(&self, other: &Outbox) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Outbox {
    pub fn push(&self, event: Event) {
        let mut events = self.0.borrow_mut();
        if events.len() == MAX_PENDING {
            events.pop_front();
        }
        events.push_back(event);
    }

    pub fn drain(&self) -> Vec<Event> {
        self.0.borrow_mut().drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_as_the_host_expects() {
        let output = CommandOutput {
            stdout: "node/node-4 added\n".into(),
            stderr: String::new(),
            exit_code: 0,
        };
        assert_eq!(
            Event::command("sim node add node-4", &output, "host").to_json(),
            r#"{"type":"command","line":"sim node add node-4","stdout":"node/node-4 added\n","stderr":"","exitCode":0,"source":"host"}"#
        );
        assert_eq!(
            Event::time(0, 60, true, false).to_json(),
            r#"{"type":"time","now":"1970-01-01T00:00:00Z","speed":60,"playing":true,"behind":false}"#
        );
        let outbox = Outbox::default();
        for _ in 0..MAX_PENDING + 5 {
            outbox.push(Event::time(0, 1, true, false));
        }
        assert_eq!(outbox.drain().len(), MAX_PENDING);
        assert!(outbox.drain().is_empty());
    }
}
