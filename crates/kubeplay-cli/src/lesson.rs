//! `kubeplay lesson test|export` and `kubeplay validate`: what a docs site's CI runs over its
//! lessons and example manifests.

use std::path::Path;

use kubeplay_core::Cluster;
use kubeplay_core::kubectl::apply::dry_run_file;
use kubeplay_core::lesson::verify::{self, Status, junit_xml, results_json};
use kubeplay_core::lesson::{Lesson, export};

use crate::USAGE;

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))
}

fn write(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(Path::new(path), text).map_err(|error| format!("cannot write {path}: {error}"))
}

pub fn run(args: &[&str]) -> Result<u8, String> {
    match args {
        ["test", rest @ ..] => test(rest),
        ["export", file] => {
            let text = read(file)?;
            let lesson = Lesson::parse(&text).map_err(|error| format!("{file}: {error}"))?;
            print!("{}", export::export(&lesson));
            Ok(0)
        }
        _ => Err(USAGE.to_string()),
    }
}

fn test(args: &[&str]) -> Result<u8, String> {
    let mut files = Vec::new();
    let mut results = None;
    let mut junit = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--results" => results = Some(*rest.next().ok_or("--results needs a file name")?),
            "--junit" => junit = Some(*rest.next().ok_or("--junit needs a file name")?),
            flag if flag.starts_with('-') => {
                return Err(format!("unknown flag for lesson test: {flag}\n{USAGE}"));
            }
            file => files.push(file),
        }
    }
    if files.is_empty() {
        return Err(format!(
            "lesson test needs at least one lesson file\n{USAGE}"
        ));
    }
    let mut reports = Vec::new();
    for file in files {
        let text = read(file)?;
        let report = verify::verify(file, &text);
        print!("{}", report.lines());
        reports.push(report);
    }
    let passed = reports
        .iter()
        .filter(|report| report.status == Status::Pass)
        .count();
    println!("{passed} of {} lessons pass", reports.len());
    if let Some(path) = results {
        write(path, &results_json(&reports))?;
    }
    if let Some(path) = junit {
        write(path, &junit_xml(&reports))?;
    }
    Ok(u8::from(passed != reports.len()))
}

/// `kubeplay validate FILE...`: each file's documents go through a server-side dry run on an
/// empty cluster, in order, so a Namespace earlier in a file holds the objects after it.
pub fn validate(files: &[&str]) -> Result<u8, String> {
    if files.is_empty() {
        return Err(format!(
            "validate needs at least one manifest file\n{USAGE}"
        ));
    }
    let cluster = Cluster::empty();
    let mut failed = false;
    for file in files {
        let text = read(file)?;
        for checked in dry_run_file(&cluster, file, &text) {
            if checked.ok {
                // `daemonset.apps/fluentd created (server dry run)`: the object is its first word.
                let object = checked.message.split(' ').next().unwrap_or_default();
                println!("{file}:{}: {object} is valid", checked.line);
            } else {
                failed = true;
                let line = checked
                    .fields
                    .first()
                    .map_or(checked.line, |field| field.line);
                println!("{file}:{line}: {}", checked.message);
            }
        }
    }
    Ok(u8::from(failed))
}
