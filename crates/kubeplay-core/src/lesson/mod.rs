//! Lessons: a Markdown file with YAML front matter that starts a cluster, then walks a learner
//! through steps, each with a check (kubeplay command lines; the exit status decides), a message
//! for when it fails, numbered hints and a solution. The page and the CLI share all of it: the
//! format here, the checks in `check.rs`, a learner's progress in `progress.rs`, the lesson's own
//! test in `verify.rs` and the plain script in `export.rs`. The format is written down in
//! `web/lessons/README.md`.

pub mod builtin;
pub mod check;
pub mod export;
pub mod markdown;
pub mod progress;
pub mod verify;

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::cluster::{Cluster, ClusterOptions, DEFAULT_SEED, DEFAULT_START, NodeConfig};
use crate::manifest;
use crate::shell::{self, parse_script};
use markdown::{Block, Sections};

/// The version of the format this kubeplay reads: `kubeplay: 1` in the front matter.
pub const FORMAT_VERSION: u64 = 1;
/// The section id, after the steps, whose prose the finish screen shows.
pub const FINISH: &str = "finish";
/// Bounds that keep a lesson from a docs site small enough to run in a tab.
const MAX_STEPS: usize = 50;
const MAX_NODES: usize = 100;
const MAX_BYTES: usize = 1 << 20;

/// A lesson that could not be read: the line and field at fault, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    /// 1-based line in the lesson file.
    pub line: usize,
    /// The front matter field, such as `steps[2].check`, when one is at fault.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}: {field}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for LessonError {}

/// A lesson whose setup does not run: the lesson is broken, not the learner's cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    pub line: String,
    pub output: String,
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the lesson's setup failed at `{}`: {}",
            self.line,
            self.output.trim_end()
        )
    }
}

impl std::error::Error for SetupError {}

/// The cluster a lesson starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartingCluster {
    pub seed: u64,
    pub start: jiff::Timestamp,
    /// Workers `node-1`…`node-N`.
    pub nodes: usize,
    /// A `control-plane` node tainted NoSchedule, as `kubeplay init` makes.
    pub control_plane: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub title: String,
    /// Command lines; the step passes when they all run and the last exits 0.
    pub check: Vec<shell::Step>,
    /// What the learner reads when the check fails.
    pub fail: String,
    pub hints: Vec<String>,
    pub solution: Vec<shell::Step>,
    /// The solution as written, for showing.
    pub solution_text: String,
    /// Steps that must pass before this one can.
    pub needs: Vec<String>,
    pub prose: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub title: String,
    pub description: String,
    pub minutes: Option<u32>,
    pub cluster: StartingCluster,
    pub setup: Vec<shell::Step>,
    pub intro: Vec<Block>,
    pub steps: Vec<Step>,
    /// What the finish screen says.
    pub finish: Vec<Block>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FrontMatter {
    /// Checked before decoding, so a newer lesson is told apart from a malformed one.
    #[serde(rename = "kubeplay")]
    _version: Value,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    cluster: ClusterField,
    #[serde(default)]
    setup: String,
    steps: Vec<StepField>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ClusterField {
    seed: Option<u64>,
    start: Option<String>,
    nodes: Option<usize>,
    control_plane: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct StepField {
    id: String,
    title: String,
    check: String,
    #[serde(default)]
    fail: String,
    #[serde(default)]
    hints: Vec<String>,
    solution: String,
    #[serde(default)]
    needs: Vec<String>,
}

impl Lesson {
    /// Reads a lesson file. Nothing runs: a lesson that reads is one whose lines all parse.
    pub fn parse(text: &str) -> Result<Lesson, LessonError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_BYTES {
            return Err(error(
                1,
                None,
                format!(
                    "the lesson is {} bytes; a lesson may be at most {MAX_BYTES}",
                    text.len()
                ),
            ));
        }
        let (front, body, body_line) = split_front_matter(text)?;
        let reader = Reader { front };
        let value: Value = serde_saphyr::from_str(front).map_err(|yaml| {
            let line = yaml
                .location()
                .map_or(1, |location| location.line() as usize);
            let message = yaml.to_string();
            let message = message.lines().next().unwrap_or_default();
            let message = message.split(" at line ").next().unwrap_or(message);
            error(
                line + 1,
                None,
                format!("the front matter is not valid YAML: {message}"),
            )
        })?;
        if !value.is_object() {
            return Err(error(
                2,
                None,
                "the front matter must be a mapping of fields (`kubeplay: 1`, `title: ...`, `steps: ...`)",
            ));
        }
        match value.get("kubeplay") {
            None => {
                return Err(error(
                    2,
                    Some("kubeplay"),
                    "required: the format version, `kubeplay: 1`",
                ));
            }
            Some(version) if version.as_u64() != Some(FORMAT_VERSION) => {
                return Err(reader.error(
                    "kubeplay",
                    format!(
                        "this kubeplay reads lesson format {FORMAT_VERSION}, not {version}; write `kubeplay: {FORMAT_VERSION}`"
                    ),
                ));
            }
            Some(_) => {}
        }
        let fields: FrontMatter = serde_path_to_error::deserialize(value).map_err(|decode| {
            let path = decode.path().to_string();
            let message = decode.into_inner().to_string();
            let path = if path == "." { String::new() } else { path };
            reader.error(&path, message)
        })?;
        reader.lesson(fields, body, body_line)
    }

    /// The lesson's starting cluster with its setup run, as the learner first sees it.
    pub fn start(&self) -> Result<Cluster, SetupError> {
        let options = ClusterOptions {
            seed: self.cluster.seed,
            start: self.cluster.start,
        };
        let mut cluster = Cluster::new(options);
        let nodes = self
            .cluster
            .control_plane
            .then(|| NodeConfig::control_plane("control-plane"))
            .into_iter()
            .chain((1..=self.cluster.nodes).map(|i| NodeConfig::new(format!("node-{i}"))));
        for config in nodes {
            let name = config.name.clone();
            cluster.add_node(config).map_err(|error| SetupError {
                line: format!("sim node add {name}"),
                output: error.to_string(),
            })?;
        }
        for step in &self.setup {
            let output = cluster.exec(&step.line, &step.stdin);
            if output.exit_code != 0 {
                return Err(SetupError {
                    line: step.line.clone(),
                    output: output.stderr,
                });
            }
        }
        Ok(cluster)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|step| step.id == id)
    }
}

fn error(line: usize, field: Option<&str>, message: impl Into<String>) -> LessonError {
    LessonError {
        line,
        field: field.map(str::to_string),
        message: message.into(),
    }
}

/// The front matter between the first two `---` lines, the body after, and the body's first line.
fn split_front_matter(text: &str) -> Result<(&str, &str, usize), LessonError> {
    let mut lines = text.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return Err(error(
            1,
            None,
            "a lesson starts with its front matter: a line `---`, the fields (`kubeplay: 1`, `title:`, `steps:`), and another `---`",
        ));
    }
    let front_start = text.find('\n').map_or(text.len(), |end| end + 1);
    let mut offset = front_start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let body = &text[offset + line.len()..];
            return Ok((&text[front_start..offset], body, index + 3));
        }
        offset += line.len();
    }
    Err(error(
        1,
        None,
        "the front matter is not closed: add a line `---` after its last field",
    ))
}

/// Reads the decoded front matter, pointing errors at the lines their fields are written on.
struct Reader<'a> {
    front: &'a str,
}

impl Reader<'_> {
    fn line_of(&self, path: &str) -> usize {
        // The front matter starts on the file's second line.
        manifest::field_line(self.front, 1, path) + 1
    }

    fn error(&self, path: &str, message: impl Into<String>) -> LessonError {
        let field = (!path.is_empty()).then_some(path);
        error(self.line_of(path), field, message)
    }

    fn script(&self, path: &str, text: &str) -> Result<Vec<shell::Step>, LessonError> {
        let steps = parse_script(text).map_err(|message| self.error(path, message))?;
        for step in &steps {
            let words = shell::split_words(&step.line).map_err(|message| {
                self.error(
                    path,
                    format!("line {} of the script: {message}", step.line_number),
                )
            })?;
            match words.first().map(String::as_str) {
                Some("kubectl" | "k" | "sim") => {}
                other => {
                    return Err(self.error(
                        path,
                        format!(
                            "line {} of the script runs `{}`: lessons run `kubectl ...` and `sim ...` lines",
                            step.line_number,
                            other.unwrap_or_default()
                        ),
                    ));
                }
            }
        }
        Ok(steps)
    }

    fn lesson(
        &self,
        fields: FrontMatter,
        body: &str,
        body_line: usize,
    ) -> Result<Lesson, LessonError> {
        if fields.title.trim().is_empty() {
            return Err(self.error("title", "must not be empty"));
        }
        if let Some(minutes) = fields.minutes
            && !(1..=600).contains(&minutes)
        {
            return Err(self.error("minutes", "must be between 1 and 600"));
        }
        let cluster = self.cluster(&fields.cluster)?;
        let setup = self.script("setup", &fields.setup)?;
        if fields.steps.is_empty() {
            return Err(self.error("steps", "a lesson needs at least one step"));
        }
        if fields.steps.len() > MAX_STEPS {
            return Err(self.error(
                "steps",
                format!("a lesson may have at most {MAX_STEPS} steps"),
            ));
        }
        let mut seen = BTreeSet::new();
        let mut steps = Vec::new();
        for (index, field) in fields.steps.into_iter().enumerate() {
            let at = |name: &str| format!("steps[{index}].{name}");
            let problems = crate::api::validation::is_dns1123_label(&field.id);
            if let Some(problem) = problems.first() {
                return Err(self.error(
                    &at("id"),
                    format!("invalid step id {:?}: {problem}", field.id),
                ));
            }
            if field.id == FINISH {
                return Err(self.error(
                    &at("id"),
                    format!("`{FINISH}` names the finish screen's section; choose another id"),
                ));
            }
            if !seen.insert(field.id.clone()) {
                return Err(self.error(
                    &at("id"),
                    format!("another step already has the id {:?}", field.id),
                ));
            }
            if field.title.trim().is_empty() {
                return Err(self.error(&at("title"), "must not be empty"));
            }
            let check = self.script(&at("check"), &field.check)?;
            if check.is_empty() {
                return Err(self.error(
                    &at("check"),
                    "a step needs a check: command lines whose exit status says whether it is done",
                ));
            }
            let solution = self.script(&at("solution"), &field.solution)?;
            if solution.is_empty() {
                return Err(self.error(
                    &at("solution"),
                    "a step needs a solution: the command lines that do it",
                ));
            }
            for (hint_index, hint) in field.hints.iter().enumerate() {
                if hint.trim().is_empty() {
                    return Err(self.error(
                        &format!("steps[{index}].hints[{hint_index}]"),
                        "a hint must not be empty",
                    ));
                }
            }
            for (need_index, need) in field.needs.iter().enumerate() {
                let path = format!("steps[{index}].needs[{need_index}]");
                if need == &field.id {
                    return Err(self.error(&path, "a step cannot need itself"));
                }
                if !steps.iter().any(|step: &Step| &step.id == need) {
                    return Err(self.error(
                        &path,
                        format!("no step before this one has the id {need:?}"),
                    ));
                }
            }
            steps.push(Step {
                id: field.id,
                title: field.title.trim().to_string(),
                check,
                fail: field.fail.trim().to_string(),
                hints: field
                    .hints
                    .iter()
                    .map(|hint| hint.trim().to_string())
                    .collect(),
                solution,
                solution_text: field.solution.trim_end().to_string(),
                needs: field.needs,
                prose: Vec::new(),
            });
        }
        let Sections { before, anchored } = markdown::parse(body);
        let mut finish = Vec::new();
        for (anchor, blocks) in anchored {
            let line = body_line + body[..anchor.offset.min(body.len())].matches('\n').count();
            if anchor.id == FINISH {
                finish = blocks;
                continue;
            }
            let Some(step) = steps.iter_mut().find(|step| step.id == anchor.id) else {
                let ids: Vec<&str> = seen.iter().map(String::as_str).collect();
                return Err(error(
                    line,
                    None,
                    format!(
                        "the heading {{#{}}} names no step (the steps are {}, and {{#{FINISH}}} is the finish screen)",
                        anchor.id,
                        ids.join(", ")
                    ),
                ));
            };
            if !step.prose.is_empty() {
                return Err(error(
                    line,
                    None,
                    format!(
                        "a second heading {{#{}}}: each step's prose has one heading",
                        anchor.id
                    ),
                ));
            }
            step.prose = blocks;
        }
        Ok(Lesson {
            title: fields.title.trim().to_string(),
            description: fields.description.trim().to_string(),
            minutes: fields.minutes,
            cluster,
            setup,
            intro: before,
            steps,
            finish,
        })
    }

    fn cluster(&self, field: &ClusterField) -> Result<StartingCluster, LessonError> {
        let start = match &field.start {
            None => DEFAULT_START.parse().unwrap_or(jiff::Timestamp::UNIX_EPOCH),
            Some(text) => text.parse().map_err(|_| {
                self.error(
                    "cluster.start",
                    format!("{text:?} is not an RFC 3339 time such as {DEFAULT_START}"),
                )
            })?,
        };
        let nodes = field.nodes.unwrap_or(3);
        if nodes > MAX_NODES {
            return Err(self.error(
                "cluster.nodes",
                format!("a lesson starts with at most {MAX_NODES} workers"),
            ));
        }
        Ok(StartingCluster {
            seed: field.seed.unwrap_or(DEFAULT_SEED),
            start,
            nodes,
            control_plane: field.control_plane.unwrap_or(true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const EXAMPLE: &str = "---
kubeplay: 1
title: A pod on every node
description: DaemonSets follow nodes.
minutes: 5
cluster: { seed: 7, nodes: 2 }
setup: |
  sim node add gpu-1 --label accelerator=nvidia
steps:
  - id: create
    title: Create the DaemonSet
    check: kubectl get ds agent
    fail: There is no DaemonSet agent yet.
    hints:
      - Use kubectl create.
      - Or apply a manifest.
    solution: |
      kubectl apply -f - <<EOF
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: agent
      spec:
        selector:
          matchLabels: {app: agent}
        template:
          metadata:
            labels: {app: agent}
          spec:
            containers:
            - name: agent
              image: busybox
              command: [sleep, infinity]
      EOF
  - id: grow
    title: Add a node
    needs: [create]
    check: kubectl wait ds/agent --for=jsonpath='{.status.numberReady}'=4 --timeout=1m
    solution: sim node add node-3
---
Intro with `kubectl get nodes`{{run}}.

## Create the DaemonSet {#create}

Apply it.

## Add a node {#grow}

Watch it follow.

## Done {#finish}

Well done.
";

    fn parse_error(text: &str) -> LessonError {
        match Lesson::parse(text) {
            Ok(_) => panic!("the lesson should not read:\n{text}"),
            Err(error) => error,
        }
    }

    #[test]
    fn the_example_reads() {
        let lesson = Lesson::parse(EXAMPLE).unwrap();
        assert_eq!(lesson.title, "A pod on every node");
        assert_eq!(lesson.cluster.seed, 7);
        assert_eq!(lesson.cluster.nodes, 2);
        assert!(lesson.cluster.control_plane);
        assert_eq!(lesson.setup.len(), 1);
        assert_eq!(lesson.steps.len(), 2);
        assert_eq!(lesson.steps[0].hints.len(), 2);
        assert_eq!(lesson.steps[0].solution.len(), 1);
        assert!(
            lesson.steps[0].solution[0]
                .stdin
                .contains("kind: DaemonSet")
        );
        assert_eq!(lesson.steps[1].needs, ["create"]);
        assert_eq!(lesson.steps[0].prose.len(), 1);
        assert_eq!(lesson.finish.len(), 1);
        assert_eq!(lesson.intro.len(), 1);
        let cluster = lesson.start().unwrap();
        assert_eq!(cluster.nodes().count(), 4);
    }

    #[test]
    fn each_error_names_its_line_and_field() {
        let cases: &[(&str, &str, usize, Option<&str>, &str)] = &[
            (
                "no front matter",
                "title: x\n",
                1,
                None,
                "starts with its front matter",
            ),
            ("unclosed", "---\nkubeplay: 1\n", 1, None, "not closed"),
            (
                "bad yaml",
                "---\nkubeplay: 1\ntitle: [x\n---\n",
                3,
                None,
                "not valid YAML",
            ),
            (
                "no version",
                "---\ntitle: x\nsteps: []\n---\n",
                2,
                Some("kubeplay"),
                "kubeplay: 1",
            ),
            (
                "new version",
                "---\ntitle: x\nkubeplay: 2\n---\n",
                3,
                Some("kubeplay"),
                "not 2",
            ),
            (
                "unknown field",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: kubectl get ds\n    solution: sim step\n    hint: oops\n---\n",
                9,
                Some("steps[0].hint"),
                "unknown field `hint`",
            ),
            (
                "missing check",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    solution: sim step\n---\n",
                5,
                Some("steps[0]"),
                "missing field `check`",
            ),
            (
                "wrong type",
                "---\nkubeplay: 1\ntitle: x\ncluster:\n  nodes: many\nsteps: []\n---\n",
                5,
                Some("cluster.nodes"),
                "invalid",
            ),
            (
                "bad id",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: Step One\n    title: A\n    check: kubectl get ds\n    solution: sim step\n---\n",
                5,
                Some("steps[0].id"),
                "invalid step id",
            ),
            (
                "not kubeplay",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: |\n      kubectl get ds\n      grep x\n    solution: sim step\n---\n",
                7,
                Some("steps[0].check"),
                "runs `grep`",
            ),
            (
                "open heredoc",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: kubectl get ds\n    solution: |\n      kubectl apply -f - <<EOF\n      kind: Pod\n---\n",
                8,
                Some("steps[0].solution"),
                "here-document",
            ),
            (
                "unknown need",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: kubectl get ds\n    solution: sim step\n    needs: [b]\n---\n",
                9,
                Some("steps[0].needs[0]"),
                "no step before",
            ),
            (
                "duplicate id",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: kubectl get ds\n    solution: sim step\n  - id: a\n    title: B\n    check: kubectl get ds\n    solution: sim step\n---\n",
                9,
                Some("steps[1].id"),
                "already has the id",
            ),
            (
                "bad start",
                "---\nkubeplay: 1\ntitle: x\ncluster:\n  start: yesterday\nsteps: []\n---\n",
                5,
                Some("cluster.start"),
                "RFC 3339",
            ),
            (
                "no steps",
                "---\nkubeplay: 1\ntitle: x\nsteps: []\n---\n",
                4,
                Some("steps"),
                "at least one step",
            ),
            (
                "stray heading",
                "---\nkubeplay: 1\ntitle: x\nsteps:\n  - id: a\n    title: A\n    check: kubectl get ds\n    solution: sim step\n---\nIntro.\n\n## B {#b}\n",
                12,
                None,
                "names no step",
            ),
        ];
        for (name, text, line, field, message) in cases {
            let error = parse_error(text);
            assert_eq!(error.line, *line, "{name}: {error}");
            assert_eq!(error.field.as_deref(), *field, "{name}: {error}");
            assert!(error.message.contains(message), "{name}: {error}");
        }
    }

    #[test]
    fn a_failing_setup_is_the_lessons_fault() {
        let text = EXAMPLE.replace(
            "sim node add gpu-1 --label accelerator=nvidia",
            "sim node add node-1",
        );
        let Err(error) = Lesson::parse(&text).unwrap().start() else {
            panic!("node-1 exists already");
        };
        assert_eq!(error.line, "sim node add node-1");
        assert!(error.output.contains("already exists"), "{error}");
    }
}
