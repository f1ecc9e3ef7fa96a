//! `cargo xtask serve` and `cargo xtask test`: the project's two entry points. Both install
//! what the machine lacks first (see tools.rs) and print every command they run.

mod process;
mod size;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use process::run;
use tools::Tools;

const USAGE: &str = "\
usage:
  cargo xtask serve [--port N] [--release]   build and serve the playground on 127.0.0.1 (port 8080)
  cargo xtask test                           run every check: fmt, clippy, tests, browser tests, size
  cargo xtask e2e [--release] [NAME...]      build the site (debug unless --release) and run the
                                             end-to-end tests whose file names contain a NAME
  cargo xtask fuzz [TARGET] [--time 10m] [--seed N]
                                             fuzz every input surface (or one) for that long each,
                                             overflow checks on (targets: command, manifest, cron,
                                             selector, jsonpath, quantity, state, link, lesson)
";

const DEFAULT_PORT: u16 = 8080;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let workspace = workspace();
    let outcome = match args.split_first() {
        Some((&"serve", options)) => {
            serve_options(options).and_then(|(port, release)| serve(&workspace, port, release))
        }
        Some((&"test", [])) => match Tools::new(&workspace) {
            // The summary's count line stays the last line, pass or fail.
            Ok(tools) if test::run_all(&tools, &workspace) => return ExitCode::SUCCESS,
            Ok(_) => return ExitCode::FAILURE,
            Err(err) => Err(err),
        },
        Some((&"e2e", options)) => e2e(&workspace, options),
        Some((&"fuzz", options)) => fuzz(options),
        Some((&("help" | "--help" | "-h"), _)) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, two levels above this crate.
fn workspace() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_owned()
}

fn serve_options(options: &[&str]) -> Result<(u16, bool), String> {
    let mut port = DEFAULT_PORT;
    let mut release = false;
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match *option {
            "--release" => release = true,
            "--port" => {
                port = options
                    .next()
                    .and_then(|value| value.parse().ok())
                    .ok_or(format!("--port needs a port number\n{USAGE}"))?;
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok((port, release))
}

fn serve(workspace: &Path, port: u16, release: bool) -> Result<(), String> {
    let tools = Tools::new(workspace)?;
    tools.ensure_build_tools(release)?;
    println!(
        "xtask: building, then serving the playground at http://127.0.0.1:{port}/ (Ctrl-C stops; edits rebuild)"
    );
    let mut trunk = tools.command("trunk");
    trunk.args(["serve", "--offline", "--address", "127.0.0.1", "--port"]);
    trunk.arg(port.to_string());
    if release {
        trunk.arg("--release");
    }
    run(&mut trunk)
}

/// A long fuzzing run: the same seeded targets `cargo test` runs briefly, optimised but with
/// overflow checks on (the `fuzz` profile), for as long as asked.
fn fuzz(options: &[&str]) -> Result<(), String> {
    let mut command =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args([
            "test",
            "--profile",
            "fuzz",
            "--package",
            "kubeplay-core",
            "--test",
            "fuzz",
            "--",
        ])
        .args(options)
        .env("KUBEPLAY_FUZZ_SLOW", "2s");
    run(&mut command)
}

/// A quicker loop than `test` while working on the page: one build, then the chosen browser tests.
fn e2e(workspace: &Path, options: &[&str]) -> Result<(), String> {
    let release = options.contains(&"--release");
    let filters: Vec<&str> = options
        .iter()
        .copied()
        .filter(|option| *option != "--release")
        .collect();
    let tools = Tools::new(workspace)?;
    tools.ensure_build_tools(release)?;
    tools.ensure_browser_tools()?;
    let mut trunk = tools.command("trunk");
    trunk.args(["build", "--offline"]);
    if release {
        trunk.arg("--release");
    }
    run(&mut trunk)?;
    test::end_to_end_matching(&tools, workspace, &filters)
}
