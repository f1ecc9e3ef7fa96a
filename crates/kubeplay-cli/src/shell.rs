//! `kubeplay shell`: command lines from stdin, with heredocs, through the core's script reader.

use std::io::{self, BufRead, Write};

use kubeplay_core::Cluster;
use kubeplay_core::shell::{Entered, Files, entered};

const PROMPT: &str = "kubeplay> ";
const CONTINUATION: &str = "> ";

/// Runs every command of `input`. Returns the exit code of the last command run, as a shell does.
pub fn run(
    cluster: &mut Cluster,
    input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    prompt: bool,
    files: &dyn Files,
) -> io::Result<u8> {
    let mut status = 0;
    let mut pending = String::new();
    let mut lines = input.lines();
    loop {
        if prompt {
            write!(
                out,
                "{}",
                if pending.is_empty() {
                    PROMPT
                } else {
                    CONTINUATION
                }
            )?;
            out.flush()?;
        }
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        pending.push_str(&line);
        pending.push('\n');
        // A heredoc or a `\` continuation waits for the rest of the command.
        let steps = match entered(&pending) {
            Entered::Complete(steps) => steps,
            Entered::Incomplete => continue,
            Entered::Invalid(message) => {
                writeln!(err, "kubeplay: {message}")?;
                pending.clear();
                status = 2;
                continue;
            }
        };
        pending.clear();
        for step in steps {
            let output = cluster.exec_with_files(&step.line, &step.stdin, files);
            out.write_all(output.stdout.as_bytes())?;
            out.flush()?;
            err.write_all(output.stderr.as_bytes())?;
            status = u8::try_from(output.exit_code).unwrap_or(1);
        }
    }
    if !pending.trim().is_empty() {
        writeln!(
            err,
            "kubeplay: the input ended inside a command: {}",
            pending.lines().next().unwrap_or_default()
        )?;
        status = 2;
    }
    if prompt {
        // Leave the terminal on a fresh line after Ctrl-D.
        writeln!(out)?;
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use kubeplay_core::shell::NoFiles;

    use super::*;

    fn run_script(script: &str, prompt: bool) -> (String, String, u8) {
        let mut cluster = Cluster::default_cluster();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(
            &mut cluster,
            script.as_bytes(),
            &mut out,
            &mut err,
            prompt,
            &NoFiles,
        )
        .expect("writing to a Vec cannot fail");
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            status,
        )
    }

    #[test]
    fn heredocs_feed_stdin() {
        let (out, err, status) = run_script(
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\nEOF\nkubectl get ns team-a -o name\n",
            false,
        );
        assert_eq!(out, "namespace/team-a created\nnamespace/team-a\n", "{err}");
        assert_eq!(status, 0);
    }

    #[test]
    fn the_exit_code_is_the_last_commands() {
        let (_, err, status) = run_script("kubectl get pods nope\n", false);
        assert_eq!(
            err,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(status, 1);
        let (out, _, status) = run_script("kubectl get pods nope\nsim time\n", true);
        assert_eq!(status, 0);
        assert!(out.starts_with(PROMPT), "{out}");
    }

    #[test]
    fn an_unclosed_heredoc_is_reported() {
        let (_, err, status) = run_script("kubectl apply -f - <<EOF\nkind: Namespace\n", false);
        assert!(err.contains("ended inside a command"), "{err}");
        assert_eq!(status, 2);
    }
}
