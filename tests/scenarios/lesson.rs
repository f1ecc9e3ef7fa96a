//! The built-in lessons through `kubeplay lesson test` as a docs site's CI runs it: every step of
//! every lesson fails before its solution and passes after it; the results files are what
//! Exercism's and JUnit's readers expect; a broken lesson fails the run; `lesson export` and
//! `validate` read as their users need.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn kubeplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
}

fn lessons_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/lessons")
}

fn built_in_lessons() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(lessons_dir())
        .expect("web/lessons exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "md")
                && path.file_name().is_some_and(|name| name != "README.md")
        })
        .collect();
    files.sort();
    files
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeplay-lesson-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch folder");
    dir
}

#[test]
fn every_built_in_lesson_passes_both_ways() {
    let lessons = built_in_lessons();
    assert_eq!(lessons.len(), 8, "{lessons:?}");
    let dir = scratch("built-in");
    let results = dir.join("results.json");
    let junit = dir.join("junit.xml");
    let output = kubeplay()
        .args(["lesson", "test"])
        .args(&lessons)
        .arg("--results")
        .arg(&results)
        .arg("--junit")
        .arg(&junit)
        .output()
        .expect("run kubeplay lesson test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.ends_with("8 of 8 lessons pass\n"), "{stdout}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(&results).expect("results.json written"))
            .expect("results.json is JSON");
    assert_eq!(results["version"], 3);
    assert_eq!(results["status"], "pass");
    let tests = results["tests"].as_array().expect("a test per step");
    assert!(tests.len() >= 32, "{} steps", tests.len());
    assert!(tests.iter().all(|test| test["status"] == "pass"));
    let junit = std::fs::read_to_string(&junit).expect("junit.xml written");
    assert_eq!(junit.matches("<testsuite ").count(), 8);
    assert_eq!(junit.matches("<testcase ").count(), tests.len());
    assert!(!junit.contains("<failure"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_broken_lesson_fails_the_run_and_says_which_step() {
    let dir = scratch("broken");
    let lesson = dir.join("broken.md");
    std::fs::write(
        &lesson,
        "---
kubeplay: 1
title: Broken
steps:
  - id: nodes
    title: Look at the nodes
    check: kubectl get nodes
    solution: kubectl get nodes
  - id: agent
    title: Create the agent
    check: kubectl get ds agent
    solution: kubectl create namespace agent
---
## Look {#nodes}
## Agent {#agent}
",
    )
    .expect("write the lesson");
    let results = dir.join("results.json");
    let output = kubeplay()
        .args(["lesson", "test"])
        .arg(&lesson)
        .arg("--results")
        .arg(&results)
        .output()
        .expect("run kubeplay lesson test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL step 1 nodes: Look at the nodes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("passes this step by doing nothing"),
        "{stdout}"
    );
    assert!(
        stdout.contains("FAIL step 2 agent: Create the agent"),
        "{stdout}"
    );
    assert!(
        stdout.contains("still fails after the solution"),
        "{stdout}"
    );
    assert!(stdout.ends_with("0 of 1 lessons pass\n"), "{stdout}");
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(&results).expect("results.json written"))
            .expect("results.json is JSON");
    assert_eq!(results["status"], "fail");
    assert_eq!(results["tests"][1]["task_id"], 2);
    // A file that is not a lesson is an error with its line, not a crash.
    std::fs::write(&lesson, "# Just Markdown\n").expect("write");
    let output = kubeplay()
        .args(["lesson", "test"])
        .arg(&lesson)
        .output()
        .expect("run kubeplay lesson test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.contains("ERROR"), "{stdout}");
    assert!(
        stdout.contains("line 1: a lesson starts with its front matter"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_lesson_exports_as_a_kubectl_script() {
    for lesson in built_in_lessons() {
        let output = kubeplay()
            .args(["lesson", "export"])
            .arg(&lesson)
            .output()
            .expect("run kubeplay lesson export");
        assert!(output.status.success(), "{}", lesson.display());
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.starts_with("#!/bin/sh\n"), "{script}");
        assert!(
            script.contains("\nkubectl "),
            "{}: no kubectl line",
            lesson.display()
        );
        // What a real cluster cannot run is a comment; heredoc bodies are manifests.
        let mut heredoc: Option<String> = None;
        for line in script.lines() {
            if let Some(marker) = &heredoc {
                if line == marker {
                    heredoc = None;
                }
                continue;
            }
            if let Some((_, marker)) = line.split_once(" <<'") {
                heredoc = Some(marker.trim_end_matches('\'').to_string());
            }
            assert!(
                line.is_empty()
                    || line.starts_with('#')
                    || line.starts_with("kubectl ")
                    || line.starts_with("sleep ")
                    || line == "date -u",
                "{}: {line:?} would not run on a real cluster",
                lesson.display()
            );
        }
    }
}

#[test]
fn validate_checks_manifests_as_the_api_server_does() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&examples)
        .expect("web/examples exists")
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let output = kubeplay()
        .arg("validate")
        .args(&files)
        .output()
        .expect("run kubeplay validate");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert_eq!(
        stdout.matches(" is valid\n").count(),
        files.len(),
        "{stdout}"
    );

    let dir = scratch("validate");
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      restartPolicy: Always\n      containers:\n      - name: pi\n        image: perl\n",
    )
    .expect("write");
    let output = kubeplay()
        .arg("validate")
        .arg(&bad)
        .output()
        .expect("run kubeplay validate");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("bad.yaml:8: "), "{stdout}");
    assert!(
        stdout.contains("The Job \"pi\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
