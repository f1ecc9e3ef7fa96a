//! Virtual time. The clock only moves when the cluster is advanced, jumping from one timer to the
//! next, so an idle simulated week costs nothing and the same commands always see the same times.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch: the unit of the timer queue.
pub type Millis = i64;

pub const SECOND: Millis = 1000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

pub fn to_timestamp(millis: Millis) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub fn to_millis(timestamp: Timestamp) -> Millis {
    timestamp.as_millisecond()
}

/// Go's `time.Duration.String` for whole milliseconds: `10s`, `1m20s`, `5m0s`, `1h0m0s`, `1.5s`.
pub fn go_duration(millis: Millis) -> String {
    if millis == 0 {
        return "0s".into();
    }
    let sign = if millis < 0 { "-" } else { "" };
    let millis = millis.unsigned_abs();
    if millis < 1000 {
        return format!("{sign}{millis}ms");
    }
    let hours = millis / 3_600_000;
    let minutes = millis / 60_000 % 60;
    let seconds = millis / 1000 % 60;
    let fraction = millis % 1000;
    let seconds = if fraction == 0 {
        format!("{seconds}s")
    } else {
        format!(
            "{seconds}.{}s",
            format!("{fraction:03}").trim_end_matches('0')
        )
    };
    match (hours, minutes) {
        (0, 0) => format!("{sign}{seconds}"),
        (0, minutes) => format!("{sign}{minutes}m{seconds}"),
        (hours, minutes) => format!("{sign}{hours}h{minutes}m{seconds}"),
    }
}

/// The components that own timers; a fired timer puts its key back on that component's work queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Component {
    Scheduler,
    Kubelet,
    NodeLifecycle,
    TaintEviction,
    PodGc,
    GarbageCollector,
    Namespace,
    EventTtl,
    DaemonSet,
    Job,
    CronJob,
    TtlAfterFinished,
}

/// Every pending timer in the cluster, in one queue ordered by due time, then by insertion.
/// Like upstream's delaying queue, a key waiting for one component keeps only its earliest time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "SavedTimers", from = "SavedTimers")]
pub struct Timers {
    due: BTreeSet<(Millis, u64, Component, String)>,
    waiting: BTreeMap<(Component, String), (Millis, u64)>,
    sequence: u64,
}

/// Timers as the state file keeps them: a list in firing order.
#[derive(Serialize, Deserialize)]
struct SavedTimers {
    sequence: u64,
    due: Vec<(Millis, u64, Component, String)>,
}

impl From<Timers> for SavedTimers {
    fn from(timers: Timers) -> SavedTimers {
        SavedTimers {
            sequence: timers.sequence,
            due: timers.due.into_iter().collect(),
        }
    }
}

impl From<SavedTimers> for Timers {
    fn from(saved: SavedTimers) -> Timers {
        let mut timers = Timers {
            sequence: saved.sequence,
            ..Timers::default()
        };
        for (at, sequence, component, key) in saved.due {
            timers
                .waiting
                .insert((component, key.clone()), (at, sequence));
            timers.due.insert((at, sequence, component, key));
        }
        timers
    }
}

impl Timers {
    pub fn add(&mut self, at: Millis, component: Component, key: String) {
        if let Some(&(existing, sequence)) = self.waiting.get(&(component, key.clone())) {
            if existing <= at {
                return;
            }
            self.due
                .remove(&(existing, sequence, component, key.clone()));
        }
        self.sequence += 1;
        self.due.insert((at, self.sequence, component, key.clone()));
        self.waiting.insert((component, key), (at, self.sequence));
    }

    pub fn next_due(&self) -> Option<Millis> {
        self.due.first().map(|(at, ..)| *at)
    }

    /// Takes the earliest timer due at or before `now`.
    pub fn pop_due(&mut self, now: Millis) -> Option<(Component, String)> {
        let first = self.due.first()?;
        if first.0 > now {
            return None;
        }
        let (_, _, component, key) = self.due.pop_first()?;
        self.waiting.remove(&(component, key.clone()));
        Some((component, key))
    }

    pub fn len(&self) -> usize {
        self.due.len()
    }

    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// When `component`'s timer for `key` is due, if one is waiting.
    pub fn due_at(&self, component: Component, key: &str) -> Option<Millis> {
        self.waiting
            .get(&(component, key.to_string()))
            .map(|(at, _)| *at)
    }

    /// The pending timers of one component, earliest first.
    pub fn pending(&self, component: Component) -> impl Iterator<Item = (Millis, &str)> {
        self.due
            .iter()
            .filter(move |(_, _, owner, _)| *owner == component)
            .map(|(at, _, _, key)| (*at, key.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_earliest_time_per_key() {
        let mut timers = Timers::default();
        timers.add(5000, Component::Job, "default/pi".into());
        timers.add(9000, Component::Job, "default/pi".into());
        timers.add(2000, Component::Job, "default/pi".into());
        timers.add(3000, Component::CronJob, "default/pi".into());
        assert_eq!(timers.len(), 2);
        assert_eq!(timers.next_due(), Some(2000));
        assert_eq!(timers.pop_due(1999), None);
        assert_eq!(
            timers.pop_due(4000),
            Some((Component::Job, "default/pi".into()))
        );
        assert_eq!(
            timers.pop_due(4000),
            Some((Component::CronJob, "default/pi".into()))
        );
        assert!(timers.is_empty());
    }

    #[test]
    fn formats_go_durations() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
        assert_eq!(go_duration(1_500), "1.5s");
        assert_eq!(go_duration(250), "250ms");
    }

    #[test]
    fn equal_times_fire_in_insertion_order() {
        let mut timers = Timers::default();
        timers.add(1000, Component::Kubelet, "b".into());
        timers.add(1000, Component::Kubelet, "a".into());
        assert_eq!(timers.pop_due(1000), Some((Component::Kubelet, "b".into())));
        assert_eq!(timers.pop_due(1000), Some((Component::Kubelet, "a".into())));
    }
}
