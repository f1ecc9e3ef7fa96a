//! `kubeplay lesson test`: a lesson's own test, for docs CI. Every step, in order, must FAIL
//! before its solution (a check a learner passes by doing nothing, or by waiting, is a broken
//! lesson) and PASS after it; then the test moves on from the cluster as the learner would have
//! it. Results print as lines, as Exercism's `results.json` and as JUnit XML.

use serde::Serialize;

use super::Lesson;
use super::check::{self, Verdict};
use crate::clock::go_duration;
use crate::cluster::Cluster;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// The lesson could not be tested at all (it does not read, or its setup fails).
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// Why it failed, empty when it passed.
    pub message: String,
    /// What the check printed last.
    pub output: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The file name, as given.
    pub name: String,
    pub title: String,
    pub status: Status,
    /// Why the lesson could not be tested, for [`Status::Error`].
    pub message: String,
    pub steps: Vec<StepReport>,
}

/// Tests lesson `text`, named `name` in the report.
pub fn verify(name: &str, text: &str) -> Report {
    let lesson = match Lesson::parse(text) {
        Ok(lesson) => lesson,
        Err(error) => return errored(name, "", format!("{name}: {error}")),
    };
    let mut cluster = match lesson.start() {
        Ok(cluster) => cluster,
        Err(error) => return errored(name, &lesson.title, error.to_string()),
    };
    let steps: Vec<StepReport> = lesson
        .steps
        .iter()
        .map(|step| verify_step(step, &mut cluster))
        .collect();
    let status = if steps.iter().all(|step| step.status == Status::Pass) {
        Status::Pass
    } else {
        Status::Fail
    };
    Report {
        name: name.to_string(),
        title: lesson.title.clone(),
        status,
        message: String::new(),
        steps,
    }
}

fn errored(name: &str, title: &str, message: String) -> Report {
    Report {
        name: name.to_string(),
        title: title.to_string(),
        status: Status::Error,
        message,
        steps: Vec::new(),
    }
}

fn output_text(output: &crate::CommandOutput) -> String {
    format!("{}{}", output.stdout, output.stderr)
}

fn verify_step(step: &super::Step, cluster: &mut Cluster) -> StepReport {
    let report = |status: Status, message: String, output: String| StepReport {
        id: step.id.clone(),
        title: step.title.clone(),
        status,
        message,
        output,
    };
    let before = check::run(cluster, &step.check);
    match before.verdict {
        Verdict::Fails => {}
        Verdict::Passes => {
            return report(
                Status::Fail,
                "the check passes before the solution: a learner passes this step by doing nothing"
                    .into(),
                output_text(&before.output),
            );
        }
        Verdict::PassesAfter(after) => {
            return report(
                Status::Fail,
                format!(
                    "the check passes {} from now without the solution: a learner passes this step by waiting",
                    go_duration(after)
                ),
                output_text(&before.output),
            );
        }
    }
    for line in &step.solution {
        let output = cluster.exec(&line.line, &line.stdin);
        if output.exit_code != 0 {
            return report(
                Status::Fail,
                format!("the solution's line `{}` fails", line.line),
                output_text(&output),
            );
        }
    }
    let after = check::run(cluster, &step.check);
    match after.verdict {
        Verdict::Passes => report(Status::Pass, String::new(), output_text(&after.output)),
        Verdict::PassesAfter(wait) => {
            // The learner would wait (or fast-forward) this long; the next step starts from there.
            cluster.advance(wait);
            report(Status::Pass, String::new(), output_text(&after.output))
        }
        Verdict::Fails => report(
            Status::Fail,
            format!(
                "the check still fails after the solution (`{}` exits {})",
                after.line, after.output.exit_code
            ),
            output_text(&after.output),
        ),
    }
}

impl Report {
    /// One line per step and a summary, as `kubeplay lesson test` prints them.
    pub fn lines(&self) -> String {
        let mut text = if self.title.is_empty() {
            format!("{}\n", self.name)
        } else {
            format!("{}: {}\n", self.name, self.title)
        };
        if self.status == Status::Error {
            text.push_str(&format!("  ERROR {}\n", self.message));
            return text;
        }
        for (index, step) in self.steps.iter().enumerate() {
            let mark = match step.status {
                Status::Pass => "ok  ",
                Status::Fail => "FAIL",
                Status::Error => "ERROR",
            };
            text.push_str(&format!(
                "  {mark} step {} {}: {}\n",
                index + 1,
                step.id,
                step.title
            ));
            if step.status != Status::Pass {
                text.push_str(&format!("       {}\n", step.message));
                for line in step.output.lines().take(10) {
                    text.push_str(&format!("       | {line}\n"));
                }
            }
        }
        let passed = self
            .steps
            .iter()
            .filter(|step| step.status == Status::Pass)
            .count();
        text.push_str(&format!(
            "  {passed} of {} steps pass both ways\n",
            self.steps.len()
        ));
        text
    }
}

#[derive(Serialize)]
struct ResultsFile<'a> {
    version: u32,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    tests: Vec<ResultsTest<'a>>,
}

#[derive(Serialize)]
struct ResultsTest<'a> {
    name: String,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    output: &'a str,
    task_id: usize,
}

/// Exercism's test-runner `results.json` (version 3) for one or more lessons: a test per step,
/// its `task_id` the step's number in its lesson.
pub fn results_json(reports: &[Report]) -> String {
    let status = overall(reports);
    let errors: Vec<String> = reports
        .iter()
        .filter(|report| report.status == Status::Error)
        .map(|report| report.message.clone())
        .collect();
    let tests = reports
        .iter()
        .flat_map(|report| {
            report
                .steps
                .iter()
                .enumerate()
                .map(move |(index, step)| ResultsTest {
                    name: format!("{}: {}", report.title, step.title),
                    status: step.status,
                    message: (!step.message.is_empty()).then_some(step.message.as_str()),
                    output: &step.output,
                    task_id: index + 1,
                })
        })
        .collect();
    let file = ResultsFile {
        version: 3,
        status,
        message: (!errors.is_empty()).then(|| errors.join("\n")),
        tests,
    };
    let mut text = serde_json::to_string_pretty(&file)
        .unwrap_or_else(|error| unreachable!("results serialize: {error}"));
    text.push('\n');
    text
}

fn overall(reports: &[Report]) -> Status {
    if reports.iter().any(|report| report.status == Status::Error) {
        Status::Error
    } else if reports.iter().all(|report| report.status == Status::Pass) {
        Status::Pass
    } else {
        Status::Fail
    }
}

/// JUnit XML: a test suite per lesson, a test case per step.
pub fn junit_xml(reports: &[Report]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for report in reports {
        let failures = report
            .steps
            .iter()
            .filter(|step| step.status == Status::Fail)
            .count();
        let errors = usize::from(report.status == Status::Error);
        xml.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n",
            escape(&report.name),
            report.steps.len().max(errors)
        ));
        if report.status == Status::Error {
            xml.push_str(&format!(
                "    <testcase name=\"lesson\" classname=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                escape(&report.name),
                escape(&report.message)
            ));
        }
        for (index, step) in report.steps.iter().enumerate() {
            let name = format!("step {} {}: {}", index + 1, step.id, step.title);
            xml.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                escape(&name),
                escape(&report.name)
            ));
            if step.status == Status::Pass {
                xml.push_str("/>\n");
            } else {
                xml.push_str(&format!(
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                    escape(&step.message),
                    escape(&step.output)
                ));
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

/// XML text and attribute escaping; characters XML 1.0 cannot carry become U+FFFD.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::tests::EXAMPLE;

    #[test]
    fn the_example_passes_both_ways() {
        let report = verify("example.md", EXAMPLE);
        assert_eq!(report.status, Status::Pass, "{}", report.lines());
        assert_eq!(report.steps.len(), 2);
        assert!(report.lines().contains("2 of 2 steps pass both ways"));
    }

    #[test]
    fn a_check_that_passes_before_its_solution_fails_the_test() {
        let broken = EXAMPLE.replace("check: kubectl get ds agent", "check: kubectl get nodes");
        let report = verify("broken.md", &broken);
        assert_eq!(report.status, Status::Fail);
        assert_eq!(report.steps[0].status, Status::Fail);
        assert!(
            report.steps[0].message.contains("doing nothing"),
            "{}",
            report.lines()
        );
        let waiting = "---
kubeplay: 1
title: Waiting
setup: kubectl create job slow --image=busybox -- sleep 30
steps:
  - id: done
    title: The Job completes
    check: kubectl wait job/slow --for=condition=complete --timeout=0s
    solution: sim advance 1m
---
";
        let report = verify("waiting.md", waiting);
        assert_eq!(report.steps[0].status, Status::Fail);
        assert!(
            report.steps[0].message.contains("by waiting"),
            "{}",
            report.lines()
        );
    }

    #[test]
    fn a_solution_that_does_not_pass_fails_the_test() {
        let broken = EXAMPLE.replace("solution: sim node add node-3", "solution: sim step");
        let report = verify("broken.md", &broken);
        assert_eq!(report.steps[1].status, Status::Fail, "{}", report.lines());
        assert!(report.steps[1].message.contains("still fails"));
        let json: serde_json::Value =
            serde_json::from_str(&results_json(std::slice::from_ref(&report))).unwrap();
        assert_eq!(json["version"], 3);
        assert_eq!(json["status"], "fail");
        assert_eq!(json["tests"][1]["status"], "fail");
        assert_eq!(json["tests"][1]["task_id"], 2);
        let xml = junit_xml(&[report]);
        assert!(xml.contains("failures=\"1\""), "{xml}");
        assert!(
            xml.contains("<failure message=\"the check still fails"),
            "{xml}"
        );
    }

    #[test]
    fn an_unreadable_lesson_is_an_error() {
        let report = verify("bad.md", "no front matter");
        assert_eq!(report.status, Status::Error);
        assert!(
            report.message.starts_with("bad.md: line 1:"),
            "{}",
            report.message
        );
        let json: serde_json::Value = serde_json::from_str(&results_json(&[report])).unwrap();
        assert_eq!(json["status"], "error");
    }
}
