//! Running child programs: each command is printed before it runs, so a log shows what was done.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Prints `$ program args` and runs it to completion with inherited stdio.
pub fn run(command: &mut Command) -> Result<(), String> {
    println!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|err| format!("could not start `{}`: {err}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs quietly and returns stdout, or `None` when the program is missing or fails:
/// used to ask whether something is already installed.
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

pub fn describe(command: &Command) -> String {
    // `cargo` reads better than the toolchain path that $CARGO holds.
    let program = command.get_program();
    let program = Path::new(program).file_name().unwrap_or(program);
    std::iter::once(program)
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
