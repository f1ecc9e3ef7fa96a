//! The `kubeplay` binary as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn kubeplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
}

#[test]
fn version() {
    let output = kubeplay().arg("--version").output().expect("run kubeplay");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), "kubeplay 0.1.0\n");
}

#[test]
fn shell_reads_a_script_from_stdin_without_a_prompt() {
    let mut child = kubeplay()
        .arg("shell")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run kubeplay shell");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(b"# add one\nsim node add node-4\nkubectl get nodes\n")
        .expect("write the script");
    let output = child.wait_with_output().expect("wait for kubeplay shell");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("kubeplay>"), "{stdout}");
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|line| line.starts_with("node-4 ")),
        "{stdout}"
    );
}

#[test]
fn unknown_arguments_print_usage_and_fail() {
    let output = kubeplay().arg("frobnicate").output().expect("run kubeplay");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: kubeplay"));
}
