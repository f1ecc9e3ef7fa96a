//! Share links: how a cluster started and the command lines run on it, each with the virtual
//! instant it ran at. The engine is deterministic, so replaying the log rebuilds the same cluster
//! byte for byte, and a link stays short however busy the cluster is. The text is `k1:` and the
//! URL-safe base64 of the deflated JSON; the prefix names the format, so a link never changes
//! meaning. Decoding is bounded everywhere (the text, what it inflates to, the lines, the time it
//! covers), so a corrupt or hostile link gets a clear message, never a hang.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::clock::{self, Millis};
use crate::cluster::{Cluster, ClusterOptions, DEFAULT_SEED, DEFAULT_START, NodeConfig};
use crate::lesson::Lesson;
use crate::lesson::builtin::built_in;

/// The prefix of a link's payload: the format's version.
pub const PREFIX: &str = "k1:";
/// A link's payload may be at most this long, as text.
pub const MAX_LINK_BYTES: usize = 256 * 1024;
/// What a payload may inflate to: a bigger one is a zip bomb, not a session.
pub const MAX_INFLATED_BYTES: usize = 4 * 1024 * 1024;
const MAX_ENTRIES: usize = 20_000;
const MAX_NODES: usize = 100;
/// The virtual time a link may cover: replaying it costs what the cluster did in that time.
pub const MAX_SPAN: Millis = 31 * 24 * clock::HOUR;

/// A link that cannot be opened, and why, in words for the person who followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ShareError {}

fn error(message: impl Into<String>) -> ShareError {
    ShareError(message.into())
}

/// One command line and when it ran, in milliseconds after the cluster's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry(pub Millis, pub String, #[serde(default)] pub String);

/// A cluster's start and every command run on it: what a share link and the autosave hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Recording {
    pub seed: u64,
    /// RFC 3339, UTC.
    pub start: String,
    /// Workers `node-1`…`node-N`.
    pub nodes: usize,
    pub control_plane: bool,
    /// A lesson the cluster started from instead (its own cluster and setup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    pub log: Vec<Entry>,
    /// How long after the start the cluster had run when the link was made.
    pub now: Millis,
}

impl Recording {
    /// The default cluster of the page and of `kubeplay init`: a control plane and three workers.
    pub fn default_cluster() -> Recording {
        Recording::new(ClusterOptions::default(), 3, true)
    }

    pub fn new(options: ClusterOptions, nodes: usize, control_plane: bool) -> Recording {
        Recording {
            seed: options.seed,
            start: options.start.to_string(),
            nodes,
            control_plane,
            lesson: None,
            log: Vec::new(),
            now: 0,
        }
    }

    /// A recording of lesson `name`'s cluster, which starts where the lesson says.
    pub fn for_lesson(name: &str, lesson: &Lesson) -> Recording {
        Recording {
            seed: lesson.cluster.seed,
            start: lesson.cluster.start.to_string(),
            nodes: lesson.cluster.nodes,
            control_plane: lesson.cluster.control_plane,
            lesson: Some(name.to_string()),
            log: Vec::new(),
            now: 0,
        }
    }

    fn start_millis(&self) -> Result<Millis, ShareError> {
        let start: jiff::Timestamp = self.start.parse().map_err(|_| {
            error(format!(
                "the link's start {:?} is not an RFC 3339 time",
                self.start
            ))
        })?;
        Ok(clock::to_millis(start))
    }

    /// Notes that `line` ran at the virtual instant `at`.
    pub fn record(&mut self, at: Millis, line: &str, stdin: &str) {
        let offset = self
            .start_millis()
            .map_or(0, |start| at.saturating_sub(start).max(0));
        self.log
            .push(Entry(offset, line.to_string(), stdin.to_string()));
        self.now = self.now.max(offset);
    }

    /// Notes that the clock reached `at`.
    pub fn reached(&mut self, at: Millis) {
        if let Ok(start) = self.start_millis() {
            self.now = self.now.max(at.saturating_sub(start));
        }
    }

    /// Forgets the commands after the first `len` and goes back to `at` (a lesson's step reset:
    /// the cluster is again what those commands made by then).
    pub fn truncate(&mut self, len: usize, at: Millis) {
        self.log.truncate(len);
        if let Ok(start) = self.start_millis() {
            self.now = at.saturating_sub(start).max(0);
        }
    }

    /// The link's payload: `k1:` and the base64url of the deflated JSON.
    pub fn encode(&self) -> String {
        // Strings and numbers only: serializing cannot fail.
        let json = serde_json::to_vec(self)
            .unwrap_or_else(|error| unreachable!("a recording serializes: {error}"));
        let deflated = miniz_oxide::deflate::compress_to_vec(&json, 9);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
    }

    /// Reads a link, or its payload alone: anything from `#` on, the `k1:` prefix, the data.
    pub fn decode(link: &str) -> Result<Recording, ShareError> {
        let payload = link
            .rsplit_once('#')
            .map_or(link, |(_, fragment)| fragment)
            .trim();
        if payload.len() > MAX_LINK_BYTES {
            return Err(error(format!(
                "the link is {} bytes long; kubeplay links are at most {MAX_LINK_BYTES}",
                payload.len()
            )));
        }
        let Some(data) = payload.strip_prefix(PREFIX) else {
            return Err(match payload.split_once(':') {
                Some((version, _)) if version.starts_with('k') && version.len() < 8 => {
                    error(format!(
                        "the link is in format {version:?}, which this kubeplay does not read; it reads {PREFIX:?} links"
                    ))
                }
                _ => error("this is not a kubeplay link: its part after # should start with k1:"),
            });
        };
        let deflated = URL_SAFE_NO_PAD.decode(data).map_err(|_| {
            error("the link is damaged: its data is not base64url (was it cut short or changed?)")
        })?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED_BYTES)
            .map_err(|failure| match failure.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => error(format!(
                    "the link unpacks to more than {MAX_INFLATED_BYTES} bytes; it is not a kubeplay session"
                )),
                _ => error("the link is damaged: its data does not unpack (was it cut short or changed?)"),
            })?;
        let recording: Recording = serde_json::from_slice(&json)
            .map_err(|failure| error(format!("the link is damaged: {failure}")))?;
        recording.check()?;
        Ok(recording)
    }

    fn check(&self) -> Result<(), ShareError> {
        self.start_millis()?;
        if self.nodes > MAX_NODES {
            return Err(error(format!(
                "the link starts {} workers; at most {MAX_NODES}",
                self.nodes
            )));
        }
        if self.log.len() > MAX_ENTRIES {
            return Err(error(format!(
                "the link holds {} commands; at most {MAX_ENTRIES}",
                self.log.len()
            )));
        }
        if !(0..=MAX_SPAN).contains(&self.now) {
            return Err(error(format!(
                "the link covers {} of cluster time; at most {}",
                clock::go_duration(self.now),
                clock::go_duration(MAX_SPAN)
            )));
        }
        let mut last = 0;
        for Entry(at, line, _) in &self.log {
            if *at < last || *at > self.now {
                return Err(error(format!(
                    "the link is damaged: `{}` runs at {} of a {} session, out of order",
                    line.chars().take(60).collect::<String>(),
                    clock::go_duration(*at),
                    clock::go_duration(self.now)
                )));
            }
            last = *at;
        }
        Ok(())
    }

    /// The cluster the recording starts from, before any command.
    pub fn starting_cluster(&self) -> Result<Cluster, ShareError> {
        if let Some(name) = &self.lesson {
            let lesson = built_in(name).ok_or_else(|| {
                error(format!(
                    "the link starts from lesson {name:?}, which this kubeplay does not have"
                ))
            })?;
            let lesson =
                Lesson::parse(lesson.text).map_err(|failure| error(failure.to_string()))?;
            return lesson.start().map_err(|failure| error(failure.to_string()));
        }
        self.cluster_without_lesson()
    }

    /// The recording's own cluster, ignoring a lesson (for a lesson the caller loaded itself).
    pub fn cluster_without_lesson(&self) -> Result<Cluster, ShareError> {
        let options = ClusterOptions {
            seed: self.seed,
            start: self
                .start
                .parse()
                .map_err(|_| error("the link's start is not an RFC 3339 time"))?,
        };
        let mut cluster = Cluster::new(options);
        let nodes = self
            .control_plane
            .then(|| NodeConfig::control_plane("control-plane"))
            .into_iter()
            .chain((1..=self.nodes).map(|i| NodeConfig::new(format!("node-{i}"))));
        for config in nodes {
            cluster
                .add_node(config)
                .map_err(|failure| error(failure.to_string()))?;
        }
        Ok(cluster)
    }

    /// Runs the log on `cluster` (from [`Recording::starting_cluster`]), each line at its instant,
    /// then lets the clock run to `now`: the cluster as it was when the link was made.
    pub fn replay_onto(&self, cluster: &mut Cluster) -> Result<(), ShareError> {
        let start = self.start_millis()?;
        for Entry(at, line, stdin) in &self.log {
            cluster.run_until(start.saturating_add(*at));
            cluster.exec(line, stdin);
        }
        cluster.run_until(start.saturating_add(self.now));
        Ok(())
    }

    pub fn replay(&self) -> Result<Cluster, ShareError> {
        let mut cluster = self.starting_cluster()?;
        self.replay_onto(&mut cluster)?;
        Ok(cluster)
    }
}

impl Default for Recording {
    fn default() -> Recording {
        Recording {
            seed: DEFAULT_SEED,
            start: DEFAULT_START.to_string(),
            nodes: 3,
            control_plane: true,
            lesson: None,
            log: Vec::new(),
            now: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SECOND;

    /// A session: a DaemonSet, a node added, a Job, time passing between commands.
    fn session() -> (Recording, Cluster) {
        let mut recording = Recording::default_cluster();
        let mut cluster = Cluster::default_cluster();
        let manifest = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n        command: [sleep, infinity]\n";
        let mut run = |cluster: &mut Cluster, line: &str, stdin: &str| {
            recording.record(cluster.now(), line, stdin);
            cluster.exec(line, stdin);
        };
        run(&mut cluster, "kubectl apply -f -", manifest);
        cluster.advance(1_500);
        run(&mut cluster, "sim node add node-4 --label disktype=ssd", "");
        cluster.advance(42 * SECOND + 7);
        run(
            &mut cluster,
            "kubectl create job pi --image=perl -- sleep 30",
            "",
        );
        run(&mut cluster, "kubectl delete pod nope", "");
        cluster.advance(90 * SECOND);
        recording.reached(cluster.now());
        (recording, cluster)
    }

    #[test]
    fn a_link_rebuilds_the_same_cluster_byte_for_byte() {
        let (recording, cluster) = session();
        let link = recording.encode();
        assert!(link.starts_with("k1:"), "{link}");
        assert!(link.len() < 600, "{} bytes", link.len());
        let decoded = Recording::decode(&format!("https://kubeplay.example/#{link}")).unwrap();
        assert_eq!(decoded, recording);
        assert_eq!(decoded.replay().unwrap().save_state(), cluster.save_state());
    }

    #[test]
    fn corrupt_foreign_and_oversized_links_say_why() {
        let link = Recording::default_cluster().encode();
        let cases = [
            ("k9:abc", "format \"k9\""),
            ("hello", "not a kubeplay link"),
            ("k1:!!!", "not base64url"),
            (&link[..link.len() / 2], "the link is damaged"),
            ("k1:", "does not unpack"),
        ];
        for (text, message) in cases {
            let failure = Recording::decode(text).unwrap_err();
            assert!(failure.0.contains(message), "{text}: {failure}");
        }
        // A zip bomb: a few hundred bytes that inflate to far more than a session.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; MAX_INFLATED_BYTES + 1], 9);
        let text = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bomb));
        assert!(text.len() < 20_000);
        assert!(
            Recording::decode(&text)
                .unwrap_err()
                .0
                .contains("unpacks to more than")
        );
        let long = format!("{PREFIX}{}", "A".repeat(MAX_LINK_BYTES));
        assert!(Recording::decode(&long).unwrap_err().0.contains("at most"));
    }

    #[test]
    fn links_that_would_not_end_are_refused() {
        let mut recording = Recording::default_cluster();
        recording.now = 10 * 365 * 24 * clock::HOUR;
        let failure = Recording::decode(&recording.encode()).unwrap_err();
        assert!(failure.0.contains("of cluster time"), "{failure}");
        let mut recording = Recording::default_cluster();
        recording.log = vec![
            Entry(5, "sim step".into(), String::new()),
            Entry(1, "sim step".into(), String::new()),
        ];
        recording.now = 10;
        assert!(
            Recording::decode(&recording.encode())
                .unwrap_err()
                .0
                .contains("out of order")
        );
        recording.log.clear();
        recording.nodes = 100_000;
        assert!(
            Recording::decode(&recording.encode())
                .unwrap_err()
                .0
                .contains("workers")
        );
    }

    #[test]
    fn a_lesson_link_starts_from_the_lesson() {
        let lesson = Lesson::parse(built_in("jobs").unwrap().text).unwrap();
        let mut recording = Recording::for_lesson("jobs", &lesson);
        let mut cluster = lesson.start().unwrap();
        recording.record(
            cluster.now(),
            "kubectl create job hello --image=busybox -- echo hi",
            "",
        );
        cluster.exec("kubectl create job hello --image=busybox -- echo hi", "");
        cluster.advance(30 * SECOND);
        recording.reached(cluster.now());
        let replayed = Recording::decode(&recording.encode())
            .unwrap()
            .replay()
            .unwrap();
        assert_eq!(replayed.save_state(), cluster.save_state());
        recording.lesson = Some("nope".into());
        let Err(failure) = recording.replay() else {
            panic!("there is no lesson nope");
        };
        assert!(failure.0.contains("does not have"), "{failure}");
    }
}
