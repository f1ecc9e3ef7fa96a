//! `kubeplay`: the playground's engine on the command line. A state file holds the whole
//! cluster between commands, so tests and tutorial checks can drive it step by step.

mod lesson;
mod shell;

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kubeplay_core::share::Recording;
use kubeplay_core::shell::{CommandOutput, Files};
use kubeplay_core::{Cluster, ClusterOptions};

const USAGE: &str = "\
usage: kubeplay <command>

commands:
  init --state FILE [--empty | --nodes N] [--seed N] [--start RFC3339]
               write a new cluster to FILE: by default node `control-plane`
               (tainted NoSchedule) and workers node-1, node-2, node-3
  init --state FILE --from-url URL
               write the cluster a share link holds (`...#k1:...`), its commands
               replayed: the same cluster, byte for byte
  --state FILE kubectl ARGS...
               run one kubectl command against the saved cluster and save it
  --state FILE sim ARGS...
               run one playground command (sim help lists them) and save the cluster
  shell [--state FILE]
               run command lines (kubectl ..., sim ..., # comments, heredocs)
               from stdin; prompts when stdin is a terminal
  lesson test FILE... [--results FILE] [--junit FILE]
               check that every step of each lesson fails before its solution
               and passes after it; --results writes Exercism-style JSON,
               --junit writes JUnit XML
  lesson export FILE
               print the lesson as a shell script of kubectl commands that runs
               on a real cluster
  validate FILE...
               decode and validate every manifest in the files strictly, as the
               API server does, without applying anything
  --version    print the version
  --help       print this help
";

/// Files for `kubectl -f FILE`, read from the disk.
struct Disk;

impl Files for Disk {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|error| error.to_string())
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("kubeplay: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<u8, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["--version" | "-V"] => {
            println!("kubeplay {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        ["--help" | "-h" | "help"] => {
            print!("{USAGE}");
            Ok(0)
        }
        ["init", rest @ ..] => init(rest),
        ["lesson", rest @ ..] => lesson::run(rest),
        ["validate", files @ ..] => lesson::validate(files),
        ["shell", rest @ ..] => {
            let state = match rest {
                [] => None,
                ["--state", file] => Some(PathBuf::from(file)),
                _ => {
                    return Err(format!(
                        "unexpected arguments to shell: {}\n{USAGE}",
                        rest.join(" ")
                    ));
                }
            };
            let mut cluster = match &state {
                Some(path) => load(path)?,
                None => Cluster::default_cluster(),
            };
            let stdin = io::stdin();
            let prompt = stdin.is_terminal();
            let code = shell::run(
                &mut cluster,
                stdin.lock(),
                &mut io::stdout(),
                &mut io::stderr(),
                prompt,
                &Disk,
            )
            .map_err(|error| error.to_string())?;
            if let Some(path) = &state {
                save(path, &cluster)?;
            }
            Ok(code)
        }
        ["--state", file, tool @ ("kubectl" | "sim"), rest @ ..] => {
            let path = PathBuf::from(file);
            let mut cluster = load(&path)?;
            let mut command: Vec<String> = vec![(*tool).to_string()];
            command.extend(rest.iter().map(|word| word.to_string()));
            let stdin = if rest.contains(&"-")
                || rest
                    .iter()
                    .any(|word| *word == "--filename=-" || *word == "-f-")
            {
                read_stdin()?
            } else {
                String::new()
            };
            let output = cluster.exec_words(&command, &stdin, &Disk);
            save(&path, &cluster)?;
            Ok(print(&output))
        }
        _ => {
            eprint!("{USAGE}");
            Ok(2)
        }
    }
}

fn read_stdin() -> Result<String, String> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| format!("cannot read stdin: {error}"))?;
    Ok(text)
}

fn print(output: &CommandOutput) -> u8 {
    let _ = io::stdout().write_all(output.stdout.as_bytes());
    let _ = io::stderr().write_all(output.stderr.as_bytes());
    u8::try_from(output.exit_code).unwrap_or(1)
}

fn init(args: &[&str]) -> Result<u8, String> {
    let mut state = None;
    let mut link = None;
    let mut workers = Some(3);
    let mut options = ClusterOptions::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .map(|value| value.to_string())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match *flag {
            "--state" => state = Some(PathBuf::from(value("--state")?)),
            "--from-url" => link = Some(value("--from-url")?),
            "--empty" => workers = None,
            "--nodes" => {
                let text = value("--nodes")?;
                workers = Some(
                    text.parse::<usize>()
                        .map_err(|_| format!("--nodes takes a number of workers, not {text:?}"))?,
                );
            }
            "--seed" => {
                let text = value("--seed")?;
                options.seed = text
                    .parse()
                    .map_err(|_| format!("--seed takes a whole number, not {text:?}"))?;
            }
            "--start" => {
                let text = value("--start")?;
                options.start = text.parse().map_err(|error| {
                    format!("--start takes an RFC 3339 time such as 2026-01-05T09:00:00Z: {error}")
                })?;
            }
            other => return Err(format!("unknown flag for init: {other}\n{USAGE}")),
        }
    }
    let path = state.ok_or_else(|| format!("init needs --state FILE\n{USAGE}"))?;
    if let Some(link) = link {
        if args.len() != 4 {
            return Err(format!(
                "--from-url takes the whole cluster from the link: give it only with --state\n{USAGE}"
            ));
        }
        let recording = Recording::decode(&link).map_err(|error| format!("--from-url: {error}"))?;
        let cluster = recording
            .replay()
            .map_err(|error| format!("--from-url: {error}"))?;
        save(&path, &cluster)?;
        return Ok(0);
    }
    let cluster = match workers {
        Some(workers) => Cluster::with_workers(options, workers),
        None => Cluster::new(options),
    };
    save(&path, &cluster)?;
    Ok(0)
}

fn load(path: &Path) -> Result<Cluster, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "cannot read the state file {}: {error} (create one with `kubeplay init --state {}`)",
            path.display(),
            path.display()
        )
    })?;
    Cluster::load_state(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// Writes the state beside the file, then renames it over, so a crash never leaves half a state.
fn save(path: &Path, cluster: &Cluster) -> Result<(), String> {
    let temporary = path.with_extension("kubeplay-tmp");
    std::fs::write(&temporary, cluster.save_state()).map_err(|error| {
        format!(
            "cannot write the state file {}: {error}",
            temporary.display()
        )
    })?;
    std::fs::rename(&temporary, path)
        .map_err(|error| format!("cannot replace the state file {}: {error}", path.display()))
}
