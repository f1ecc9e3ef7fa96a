//! `kubeplay`: the playground's engine on the command line.

mod shell;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use kubeplay_core::Cluster;

const USAGE: &str = "\
usage: kubeplay <command>

commands:
  shell        read command lines (kubectl ..., sim ...) from stdin and run them
               against a default cluster; prompts when stdin is a terminal
  --version    print the version
  --help       print this help
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["--version" | "-V"] => {
            println!("kubeplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["--help" | "-h" | "help"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        ["shell"] => {
            let stdin = io::stdin();
            let prompt = stdin.is_terminal();
            let mut cluster = Cluster::default_cluster();
            match shell::run(
                &mut cluster,
                stdin.lock(),
                &mut io::stdout(),
                &mut io::stderr(),
                prompt,
            ) {
                Ok(code) => ExitCode::from(code),
                Err(err) => {
                    eprintln!("kubeplay: {err}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
