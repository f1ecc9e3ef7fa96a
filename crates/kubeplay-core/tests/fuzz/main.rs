//! Fuzzing every input surface on stable Rust: seeded generators built from kubeplay's own
//! vocabulary (commands, flags, values, manifests, schedules, selectors, jsonpath, quantities,
//! durations) and mutations of real inputs (the examples, the lessons, state files, share links).
//! Every input is checked against the engine's invariants:
//!
//! - no panic;
//! - every call returns within a bound of wall time;
//! - a command that fails leaves the cluster byte-identical;
//! - a command that succeeds keeps the cluster loadable (save, load, save gives the same bytes).
//!
//! `cargo test -p kubeplay-core --test fuzz` runs a short seeded pass of every target (CI does);
//! `cargo xtask fuzz [TARGET] [--time 10m] [--seed N]` runs longer. An input that ever failed
//! belongs in `regressions.txt` beside this file, which every run replays first.

mod generate;
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kubeplay_core::rand::Rng;

/// A call that takes longer than this, in wall time, is a hang as far as a page is concerned:
/// `cargo xtask fuzz` sets it (2 s, in its optimised build). Wall time depends on the machine, so
/// the short run `cargo test` makes only reports slow inputs: CI must pass or fail the same way
/// everywhere; the watchdog still ends an input that never returns.
fn slow() -> Option<Duration> {
    std::env::var("KUBEPLAY_FUZZ_SLOW")
        .ok()
        .and_then(|text| kubeplay_core::kubectl::parse_duration(&text).ok())
        .and_then(|millis| u64::try_from(millis).ok())
        .map(Duration::from_millis)
}

/// What the short run reports as slow without failing.
const REPORT_SLOW: Duration = Duration::from_secs(5);
/// A call still running after this is stuck: the watchdog reports it and ends the run.
const STUCK: Duration = Duration::from_secs(60);

/// The input being checked, and since when, for the watchdog.
type Current = Arc<Mutex<Option<(Instant, &'static str, String)>>>;

/// Ends the process when one input runs past `STUCK`: a loop that does not end cannot be caught.
fn watchdog(current: Current) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let stuck = current
                .lock()
                .ok()
                .and_then(|current| current.clone())
                .filter(|(started, ..)| started.elapsed() > STUCK);
            if let Some((_, target, input)) = stuck {
                println!("FAIL {target}: still running after {STUCK:?}\n  input: {input:?}");
                println!("fuzz: stuck (add the input to tests/fuzz/regressions.txt once fixed)");
                std::process::exit(1);
            }
        }
    });
}

/// What a target found wrong with one input.
#[derive(Debug)]
pub struct Failure {
    pub input: String,
    pub problem: String,
}

pub type Outcome = Result<(), String>;

/// One input surface: how to make an input from a random source, and how to check it.
pub struct Target {
    pub name: &'static str,
    pub generate: fn(&mut Rng) -> String,
    pub check: fn(&str) -> Outcome,
}

fn run_one(target: &Target, input: &str, current: &Current) -> Option<Failure> {
    let started = Instant::now();
    if let Ok(mut current) = current.lock() {
        *current = Some((started, target.name, input.to_string()));
    }
    let result = catch_unwind(AssertUnwindSafe(|| (target.check)(input)));
    let took = started.elapsed();
    if let Ok(mut current) = current.lock() {
        *current = None;
    }
    let problem = match result {
        Err(panic) => Some(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()))
                .unwrap_or_default()
        )),
        Ok(Err(problem)) => Some(problem),
        Ok(Ok(())) => match slow() {
            Some(bound) if took > bound => Some(format!("took {took:?}, over the {bound:?} bound")),
            None if took > REPORT_SLOW => {
                println!("slow {}: {took:?} for {input:?}", target.name);
                None
            }
            _ => None,
        },
    };
    problem.map(|problem| Failure {
        input: input.to_string(),
        problem,
    })
}

struct Options {
    only: Option<String>,
    /// How long to fuzz each target; without it, a fixed number of inputs (the same every run).
    time: Option<Duration>,
    seed: u64,
}

/// The short run `cargo test` makes: the first inputs of each target's seeded sequence, so CI
/// checks the same inputs on every machine, however fast.
const SHORT_RUN: u64 = 20;

fn options() -> Result<Options, String> {
    let mut options = Options {
        only: None,
        time: None,
        seed: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--time" => {
                let text = args.next().ok_or("--time needs a duration such as 10m")?;
                let millis = kubeplay_core::kubectl::parse_duration(&text)
                    .map_err(|error| format!("--time: {error}"))?;
                options.time = Some(Duration::from_millis(u64::try_from(millis).unwrap_or(0)));
            }
            "--seed" => {
                let text = args.next().ok_or("--seed needs a number")?;
                options.seed = text
                    .parse()
                    .map_err(|_| format!("--seed takes a number, not {text:?}"))?;
            }
            // What cargo's test runner passes to every test binary.
            "--nocapture" | "--quiet" | "-q" | "--test-threads=1" => {}
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            name => options.only = Some(name.to_string()),
        }
    }
    Ok(options)
}

fn main() -> std::process::ExitCode {
    // The panics are caught and reported as failures; their messages would only be noise.
    std::panic::set_hook(Box::new(|_| {}));
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("fuzz: {message}");
            return std::process::ExitCode::from(2);
        }
    };
    let targets = targets::all();
    let chosen: Vec<&Target> = targets
        .iter()
        .filter(|target| {
            options
                .only
                .as_deref()
                .is_none_or(|only| target.name == only)
        })
        .collect();
    if chosen.is_empty() {
        let names: Vec<&str> = targets.iter().map(|target| target.name).collect();
        eprintln!(
            "fuzz: no target {:?}; the targets are {}",
            options.only,
            names.join(", ")
        );
        return std::process::ExitCode::from(2);
    }
    match slow() {
        Some(bound) => println!("fuzz: seed {}, at most {bound:?} per input", options.seed),
        None => println!(
            "fuzz: seed {}, slow inputs reported, not failed",
            options.seed
        ),
    }
    let current: Current = Arc::default();
    watchdog(current.clone());
    let mut failures = Vec::new();
    for (target, input) in targets::regressions() {
        if let Some(target) = chosen.iter().find(|candidate| candidate.name == target)
            && let Some(failure) = run_one(target, &input, &current)
        {
            failures.push((target.name, failure));
        }
    }
    for target in &chosen {
        let mut rng = Rng::new(options.seed ^ fnv(target.name));
        let started = Instant::now();
        let mut runs = 0u64;
        while match options.time {
            Some(time) => started.elapsed() < time,
            None => runs < SHORT_RUN,
        } {
            let input = (target.generate)(&mut rng);
            runs += 1;
            if let Some(failure) = run_one(target, &input, &current) {
                failures.push((target.name, failure));
                if failures.len() >= 20 {
                    break;
                }
            }
        }
        println!(
            "fuzz {:<10} {runs:>8} inputs in {:.1?}",
            target.name,
            started.elapsed()
        );
    }
    for (target, failure) in &failures {
        println!(
            "FAIL {target}: {}\n  input: {:?}",
            failure.problem, failure.input
        );
    }
    if failures.is_empty() {
        println!("fuzz: no failures");
        std::process::ExitCode::SUCCESS
    } else {
        println!(
            "fuzz: {} failures (add each input to tests/fuzz/regressions.txt once fixed)",
            failures.len()
        );
        std::process::ExitCode::FAILURE
    }
}

/// A stable hash of a target's name, so each target draws its own sequence from one seed.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
