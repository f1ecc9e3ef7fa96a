//! Command lines as a terminal takes them: words split the way a shell splits them, `#`
//! comments, `\` continuations and heredocs (`kubectl apply -f - <<EOF ... EOF`), each line run as
//! `kubectl ...` or `sim ...` against the cluster. The CLI and the browser terminal both use this.

use crate::cluster::Cluster;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl CommandOutput {
    pub fn error(message: impl Into<String>) -> CommandOutput {
        let mut stderr = message.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        CommandOutput {
            stdout: String::new(),
            stderr,
            exit_code: 1,
        }
    }
}

/// Where `kubectl -f FILE` reads files: the CLI reads the disk, the browser has none.
pub trait Files {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (the browser).
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("the path \"{path}\" does not exist"))
    }
}

/// A word as a command line must write it for `split_words` to give it back: as is when it holds
/// only characters a shell leaves alone, else in single quotes (a quote inside as `'\''`).
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Splits a command line into words as a POSIX shell would: quotes, escapes, no expansion.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => current.push(c),
                        None => {
                            return Err("unexpected end of line: a ' quote is not closed".into());
                        }
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => current.push(c),
                            Some(c) => {
                                current.push('\\');
                                current.push(c);
                            }
                            None => {
                                return Err(
                                    "unexpected end of line: a \" quote is not closed".into()
                                );
                            }
                        },
                        Some(c) => current.push(c),
                        None => {
                            return Err("unexpected end of line: a \" quote is not closed".into());
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// One command of a script, with the text its heredoc feeds to stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub line_number: usize,
    pub line: String,
    pub stdin: String,
}

/// Finds a heredoc operator: the command without it, the end marker, and whether tabs are stripped.
fn heredoc(line: &str) -> Option<(String, String, bool)> {
    let position = line.find("<<")?;
    let (command, rest) = line.split_at(position);
    let rest = &rest[2..];
    let (strip_tabs, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let rest = rest.trim_start();
    let marker_end = rest
        .find(|c: char| c.is_whitespace() || c == '|')
        .unwrap_or(rest.len());
    let marker = rest[..marker_end]
        .trim_matches(|c| c == '\'' || c == '"')
        .to_string();
    if marker.is_empty() {
        return None;
    }
    let after = rest[marker_end..].trim();
    // `cat <<EOF | kubectl apply -f -` feeds the heredoc to the command after the pipe.
    let command = match after.strip_prefix('|') {
        Some(piped) if command.trim() == "cat" => piped.trim().to_string(),
        _ => format!("{} {after}", command.trim()).trim().to_string(),
    };
    Some((command, marker, strip_tabs))
}

/// Reads a script into commands: skips blanks and comments, joins `\` continuations, collects heredocs.
pub fn parse_script(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let line_number = index + 1;
        let mut command = line.trim().to_string();
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        while command.ends_with('\\') {
            command.pop();
            match lines.next() {
                Some((_, next)) => {
                    command.push(' ');
                    command.push_str(next.trim());
                }
                None => break,
            }
        }
        let mut stdin = String::new();
        if let Some((without, marker, strip_tabs)) = heredoc(&command) {
            let mut closed = false;
            for (_, body) in lines.by_ref() {
                let body = if strip_tabs {
                    body.trim_start_matches('\t')
                } else {
                    body
                };
                if body.trim_end() == marker {
                    closed = true;
                    break;
                }
                stdin.push_str(body);
                stdin.push('\n');
            }
            if !closed {
                return Err(format!(
                    "line {line_number}: here-document delimited by end-of-file (wanted `{marker}`)"
                ));
            }
            command = without;
        }
        steps.push(Step {
            line_number,
            line: command,
            stdin,
        });
    }
    Ok(steps)
}

impl Cluster {
    /// Runs one command line; `stdin` is what `-f -` reads.
    pub fn exec(&mut self, line: &str, stdin: &str) -> CommandOutput {
        self.exec_with_files(line, stdin, &NoFiles)
    }

    pub fn exec_with_files(&mut self, line: &str, stdin: &str, files: &dyn Files) -> CommandOutput {
        let words = match split_words(line) {
            Ok(words) => words,
            Err(message) => return CommandOutput::error(format!("error: {message}")),
        };
        self.exec_words(&words, stdin, files)
    }

    /// Runs a command already split into words (`kubeplay --state FILE kubectl ...`).
    pub fn exec_words(
        &mut self,
        words: &[String],
        stdin: &str,
        files: &dyn Files,
    ) -> CommandOutput {
        if words
            .iter()
            .any(|word| word == "|" || word == ">" || word == "&&" || word == ";")
        {
            return CommandOutput::error(
                "error: kubeplay runs one command per line; pipes, redirections and command lists are not supported",
            );
        }
        match words.first().map(String::as_str) {
            None => CommandOutput::default(),
            Some("kubectl" | "k") => crate::kubectl::run(self, &words[1..], stdin, files),
            Some("sim") => crate::sim::run(self, &words[1..]),
            Some(other) => CommandOutput::error(format!(
                "{other}: command not found (kubeplay runs `kubectl ...` and `sim ...` commands)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words_split_back_to_themselves() {
        for word in [
            "disktype=ssd",
            "k8s.io/role=",
            "",
            "bad key=x",
            "it's",
            "a\\b",
            "$HOME",
        ] {
            let line = format!("kubectl label node n {}", quote(word));
            assert_eq!(split_words(&line).unwrap()[4], word, "{line}");
        }
        assert_eq!(
            quote("nvidia.com/gpu=present:NoSchedule"),
            "nvidia.com/gpu=present:NoSchedule"
        );
        assert_eq!(quote("a b"), "'a b'");
    }

    #[test]
    fn words_as_a_shell_splits_them() {
        assert_eq!(
            split_words("kubectl label node n1 'a=b c' \"d=e\\\"f\" g\\ h # comment").unwrap(),
            vec!["kubectl", "label", "node", "n1", "a=b c", "d=e\"f", "g h"]
        );
        assert!(split_words("echo 'open").is_err());
        assert_eq!(
            split_words("kubectl get pods -o jsonpath='{.items[*].metadata.name}'").unwrap()[4],
            "jsonpath={.items[*].metadata.name}"
        );
    }

    #[test]
    fn scripts_with_heredocs_and_comments() {
        let script = "# setup\nsim node add gpu-1 \\\n  --label gpu=true\nkubectl apply -f - <<EOF\nkind: Namespace\n  indented: kept\nEOF\n\ncat <<'YAML' | kubectl apply -f -\na: 1\nYAML\n";
        let steps = parse_script(script).unwrap();
        assert_eq!(steps.len(), 3);
        assert_eq!(steps[0].line, "sim node add gpu-1  --label gpu=true");
        assert_eq!(steps[1].line, "kubectl apply -f -");
        assert_eq!(steps[1].stdin, "kind: Namespace\n  indented: kept\n");
        assert_eq!(steps[2].line, "kubectl apply -f -");
        assert_eq!(steps[2].stdin, "a: 1\n");
        assert!(parse_script("kubectl apply -f - <<EOF\nnever closed\n").is_err());
    }
}
