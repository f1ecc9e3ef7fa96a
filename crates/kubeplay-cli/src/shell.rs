//! `kubeplay shell`: one command line at a time through `Cluster::exec`.

use std::io::{self, BufRead, Write};

use kubeplay_core::Cluster;

const PROMPT: &str = "kubeplay> ";

/// Runs every line of `input`; blank lines and `#` comments are skipped. Returns the exit
/// code of the last command run, as a shell does.
pub fn run(
    cluster: &mut Cluster,
    input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    prompt: bool,
) -> io::Result<u8> {
    let mut status = 0;
    let mut lines = input.lines();
    loop {
        if prompt {
            write!(out, "{PROMPT}")?;
            out.flush()?;
        }
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let output = cluster.exec(line, "");
        out.write_all(output.stdout.as_bytes())?;
        out.flush()?;
        err.write_all(output.stderr.as_bytes())?;
        status = u8::try_from(output.exit_code).unwrap_or(1);
    }
    if prompt {
        // Leave the terminal on a fresh line after Ctrl-D.
        writeln!(out)?;
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_script(script: &str, prompt: bool) -> (String, String, u8) {
        let mut cluster = Cluster::default_cluster();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(&mut cluster, script.as_bytes(), &mut out, &mut err, prompt)
            .expect("writing to a Vec cannot fail");
        (
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
            status,
        )
    }

    #[test]
    fn runs_lines_and_skips_comments_and_blanks() {
        let (out, err, status) = run_script(
            "# a comment\n\nsim node add node-4\n   \nkubectl get nodes\n",
            false,
        );
        assert_eq!(
            out,
            "node/node-4 added\nNAME\ncontrol-plane\nnode-1\nnode-2\nnode-3\nnode-4\n"
        );
        assert_eq!(err, "");
        assert_eq!(status, 0);
    }

    #[test]
    fn errors_go_to_stderr_and_the_last_status_is_returned() {
        let (out, err, status) = run_script("sim node remove node-9\n", false);
        assert_eq!(out, "");
        assert!(err.contains("NotFound"), "{err}");
        assert_eq!(status, 1);
    }

    #[test]
    fn prompts_only_when_asked() {
        let (out, _, _) = run_script("kubectl get nodes\n", true);
        assert!(out.starts_with(PROMPT));
        assert_eq!(out.matches(PROMPT).count(), 2);
        let (out, _, _) = run_script("kubectl get nodes\n", false);
        assert!(!out.contains(PROMPT));
    }
}
