//! `kubeplay lesson export`: a lesson as a plain shell script that runs unchanged against a real
//! cluster, so a learner who moves on takes the lesson along. kubectl lines stay as they are
//! (heredocs included), `sim advance` becomes `sleep`, and what only a playground can do (add a
//! machine, stop a kubelet, make a container exit) becomes a comment saying what to do by hand.

use super::Lesson;
use super::markdown::plain_lines;
use crate::kubectl::parse_duration;
use crate::shell::{self, split_words};

/// The lesson as a POSIX shell script.
pub fn export(lesson: &Lesson) -> String {
    let mut script = Script::default();
    script.line("#!/bin/sh");
    script.comment(&lesson.title);
    if !lesson.description.is_empty() {
        script.comment(&lesson.description);
    }
    script.comment("");
    script.comment(
        "Exported from a kubeplay lesson: the kubectl lines run unchanged on a real cluster; what only",
    );
    script.comment("a playground can do is a comment saying what to do by hand.");
    script.comment("");
    let starting = &lesson.cluster;
    let mut nodes = Vec::new();
    if starting.control_plane {
        nodes.push(
            "a control-plane node tainted node-role.kubernetes.io/control-plane:NoSchedule"
                .to_string(),
        );
    }
    if starting.nodes > 0 {
        nodes.push(format!(
            "{} worker node{} (node-1 to node-{} in the lesson)",
            starting.nodes,
            if starting.nodes == 1 { "" } else { "s" },
            starting.nodes
        ));
    }
    if !nodes.is_empty() {
        script.comment(&format!(
            "The lesson starts on a cluster with {}.",
            nodes.join(" and ")
        ));
    }
    script.prose(&lesson.intro);
    if !lesson.setup.is_empty() {
        script.blank();
        script.comment("Setup");
        script.commands(&lesson.setup);
    }
    for (index, step) in lesson.steps.iter().enumerate() {
        script.blank();
        script.comment(&format!("Step {}: {}", index + 1, step.title));
        script.prose(&step.prose);
        script.commands(&step.solution);
        script.comment("Check that it worked:");
        for line in &step.check {
            script.comment(&format!("  {}", kubectl_line(&line.line)));
        }
    }
    if !lesson.finish.is_empty() {
        script.blank();
        script.prose(&lesson.finish);
    }
    script.text
}

#[derive(Default)]
struct Script {
    text: String,
}

impl Script {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.line("");
    }

    fn comment(&mut self, text: &str) {
        if text.is_empty() {
            self.line("#");
        }
        for line in text.lines() {
            self.line(format!("# {line}").trim_end());
        }
    }

    fn prose(&mut self, blocks: &[super::markdown::Block]) {
        let lines = plain_lines(blocks);
        if lines.is_empty() {
            return;
        }
        self.comment("");
        for line in lines {
            self.comment(&line);
        }
        self.comment("");
    }

    fn commands(&mut self, steps: &[shell::Step]) {
        for step in steps {
            match by_hand(&step.line) {
                Some(Translation::Shell(line)) => self.line(&line),
                Some(Translation::Comment(text)) => self.comment(&format!("By hand: {text}")),
                None => {
                    let line = kubectl_line(&step.line);
                    if step.stdin.is_empty() {
                        self.line(&line);
                    } else {
                        let marker = heredoc_marker(&step.stdin);
                        self.line(&format!("{line} <<'{marker}'"));
                        self.text.push_str(&step.stdin);
                        if !step.stdin.ends_with('\n') {
                            self.text.push('\n');
                        }
                        self.line(&marker);
                    }
                }
            }
        }
    }
}

/// `k get pods` as `kubectl get pods`.
fn kubectl_line(line: &str) -> String {
    match line.strip_prefix("k ") {
        Some(rest) => format!("kubectl {rest}"),
        None => line.to_string(),
    }
}

fn heredoc_marker(stdin: &str) -> String {
    let mut marker = "EOF".to_string();
    while stdin.lines().any(|line| line.trim_end() == marker) {
        marker.push('_');
    }
    marker
}

enum Translation {
    Shell(String),
    Comment(String),
}

/// What a `sim` line means on a real cluster; `None` for kubectl lines, which run as they are.
fn by_hand(line: &str) -> Option<Translation> {
    let words = split_words(line).ok()?;
    if words.first().map(String::as_str) != Some("sim") {
        return None;
    }
    let flag = |name: &str| -> Vec<String> {
        words
            .windows(2)
            .filter(|pair| pair[0] == name)
            .map(|pair| pair[1].clone())
            .chain(
                words
                    .iter()
                    .filter_map(|word| word.strip_prefix(&format!("{name}=")).map(str::to_string)),
            )
            .collect()
    };
    let rest: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    let translation = match rest.as_slice() {
        ["advance", duration, ..] => match parse_duration(duration) {
            Ok(millis) => Translation::Shell(format!(
                "sleep {}  # let {duration} pass",
                (millis.max(0) + 999) / 1000
            )),
            Err(_) => Translation::Comment(format!("wait {duration}")),
        },
        ["step", ..] => Translation::Comment("wait for the next thing the cluster does".into()),
        ["time", ..] => Translation::Shell("date -u".into()),
        ["node", "add", name, ..] => {
            let mut text = format!("add a machine named {name} to the cluster");
            let labels = flag("--label");
            if !labels.is_empty() {
                text.push_str(&format!(", labelled {}", labels.join(", ")));
            }
            let taints = flag("--taint");
            if !taints.is_empty() {
                text.push_str(&format!(", tainted {}", taints.join(", ")));
            }
            Translation::Comment(text)
        }
        ["node", "remove", name, ..] => Translation::Comment(format!(
            "take the machine {name} away and delete its Node (`kubectl delete node {name}`)"
        )),
        ["node", "fail", name, ..] => Translation::Comment(format!(
            "stop the kubelet on {name} (`systemctl stop kubelet` on the machine)"
        )),
        ["node", "recover", name, ..] => Translation::Comment(format!(
            "start the kubelet on {name} again (`systemctl start kubelet`)"
        )),
        ["pod", "fail", name, ..] => {
            let code = flag("--exit-code").pop().unwrap_or_else(|| "1".into());
            Translation::Comment(format!(
                "make the container of pod {name} exit with code {code}"
            ))
        }
        ["pod", "succeed", name, ..] => Translation::Comment(format!(
            "let the container of pod {name} finish its work (exit 0)"
        )),
        ["pod", "ready", name, ..] => {
            Translation::Comment(format!("make the readiness probe of pod {name} pass"))
        }
        ["pod", "unready", name, ..] => {
            Translation::Comment(format!("make the readiness probe of pod {name} fail"))
        }
        _ => Translation::Comment(format!("the playground ran `{line}`")),
    };
    Some(translation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::tests::EXAMPLE;

    #[test]
    fn a_lesson_as_a_script() {
        let lesson = Lesson::parse(EXAMPLE).unwrap();
        let script = export(&lesson);
        assert!(
            script.starts_with("#!/bin/sh\n# A pod on every node\n"),
            "{script}"
        );
        assert!(
            script.contains(
                "# By hand: add a machine named gpu-1 to the cluster, labelled accelerator=nvidia\n"
            ),
            "{script}"
        );
        assert!(script.contains("# Step 1: Create the DaemonSet\n"));
        assert!(
            script.contains("kubectl apply -f - <<'EOF'\napiVersion: apps/v1\n"),
            "{script}"
        );
        assert!(
            script.contains("        command: [sleep, infinity]\nEOF\n"),
            "{script}"
        );
        assert!(script.contains("#   kubectl get ds agent\n"));
        assert!(script.contains("# Watch it follow.\n"));
        assert!(script.contains("# Well done.\n"));
        // Every line that is not a comment is a kubectl command or a heredoc's body.
        assert!(
            !script.lines().any(|line| line.starts_with("sim ")),
            "{script}"
        );
    }

    #[test]
    fn time_becomes_sleep() {
        let Some(Translation::Shell(line)) = by_hand("sim advance 1m30s") else {
            panic!("sim advance is a sleep");
        };
        assert_eq!(line, "sleep 90  # let 1m30s pass");
        assert!(by_hand("kubectl get pods").is_none());
        assert_eq!(heredoc_marker("a\nEOF\n"), "EOF_");
    }
}
