//! `cargo xtask test`: every check, in order, stopping at the first failure, then a summary.

use std::path::Path;
use std::time::Instant;

use crate::process::run;
use crate::size;
use crate::tools::{Tools, WASM_TARGET};

struct Stage {
    name: &'static str,
    run: fn(&Tools, &Path) -> Result<(), String>,
}

const STAGES: &[Stage] = &[
    Stage {
        name: "tools",
        run: tools,
    },
    Stage {
        name: "fmt",
        run: fmt,
    },
    Stage {
        name: "clippy",
        run: clippy,
    },
    Stage {
        name: "native tests",
        run: native_tests,
    },
    Stage {
        name: "wasm tests (Chromium)",
        run: wasm_tests,
    },
    Stage {
        name: "release build",
        run: release_build,
    },
    Stage {
        name: "end-to-end (Chromium)",
        run: end_to_end,
    },
    Stage {
        name: "bundle size",
        run: bundle_size,
    },
];

/// Returns whether every stage passed.
pub fn run_all(tools: &Tools, workspace: &Path) -> bool {
    let mut results = Vec::new();
    for (index, stage) in STAGES.iter().enumerate() {
        println!(
            "\n==== [{}/{}] {} ====",
            index + 1,
            STAGES.len(),
            stage.name
        );
        let started = Instant::now();
        let outcome = (stage.run)(tools, workspace);
        let seconds = started.elapsed().as_secs_f64();
        let passed = match outcome {
            Ok(()) => true,
            Err(err) => {
                eprintln!("xtask: {} failed: {err}", stage.name);
                false
            }
        };
        results.push((stage.name, passed, seconds));
        if !passed {
            break;
        }
    }

    println!("\n==== summary ====");
    for (name, passed, seconds) in &results {
        let verdict = if *passed { "pass" } else { "FAIL" };
        println!("{name:<24} {verdict:<5} {seconds:>7.1} s");
    }
    for stage in &STAGES[results.len()..] {
        println!("{:<24} skip", stage.name);
    }
    let passed = results.iter().filter(|(_, passed, _)| *passed).count();
    let failed = results.len() - passed;
    let skipped = STAGES.len() - results.len();
    if skipped == 0 {
        println!("xtask: {passed} passed, {failed} failed");
    } else {
        println!("xtask: {passed} passed, {failed} failed, {skipped} skipped");
    }
    failed == 0
}

fn tools(tools: &Tools, _: &Path) -> Result<(), String> {
    tools.ensure_build_tools(true)?;
    tools.ensure_browser_tools()
}

fn fmt(tools: &Tools, _: &Path) -> Result<(), String> {
    run(tools.cargo().args(["fmt", "--all", "--check"]))
        .map_err(|err| format!("{err}: run `cargo fmt` to fix"))
}

fn clippy(tools: &Tools, _: &Path) -> Result<(), String> {
    // The browser-only code (tests/browser.rs) compiles only for wasm, so that build is linted too.
    let scopes: [&[&str]; 2] = [
        &["--workspace"],
        &["--package", "kubeplay-web", "--target", WASM_TARGET],
    ];
    for scope in scopes {
        run(tools.cargo().arg("clippy").args(scope).args([
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    Ok(())
}

fn native_tests(tools: &Tools, _: &Path) -> Result<(), String> {
    run(tools.cargo().args(["test", "--workspace"]))
}

fn wasm_tests(tools: &Tools, _: &Path) -> Result<(), String> {
    run(tools.cargo().args([
        "test",
        "--package",
        "kubeplay-web",
        "--target",
        WASM_TARGET,
        "--test",
        "browser",
    ]))
}

fn release_build(tools: &Tools, _: &Path) -> Result<(), String> {
    run(tools
        .command("trunk")
        .args(["build", "--release", "--offline"]))
}

fn end_to_end(tools: &Tools, workspace: &Path) -> Result<(), String> {
    end_to_end_matching(tools, workspace, &[])
}

/// Runs the end-to-end test files whose names contain one of `filters` (all of them if none).
pub fn end_to_end_matching(
    tools: &Tools,
    workspace: &Path,
    filters: &[&str],
) -> Result<(), String> {
    let dir = workspace.join("tests/e2e");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|err| format!("cannot read {}: {err}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.cjs"))
        .filter(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            filters.is_empty() || filters.iter().any(|filter| name.contains(filter))
        })
        .collect();
    if files.is_empty() {
        return Err(format!(
            "no *.test.cjs files in {} match {filters:?}",
            dir.display()
        ));
    }
    files.sort();
    run(tools
        .command("node")
        .arg("--test")
        .args(files)
        .env("KUBEPLAY_DIST", workspace.join("dist")))
}

fn bundle_size(_: &Tools, workspace: &Path) -> Result<(), String> {
    size::report(&workspace.join("dist"))
}
