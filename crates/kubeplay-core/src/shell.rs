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

/// What `help` prints: every command a front end runs.
pub const HELP: &str =
    "kubeplay runs kubectl and sim commands, one per line, against the virtual cluster.

kubectl commands (k works too):
  get, describe, apply, create, delete, label, annotate, taint, cordon, uncordon, drain,
  patch, set image, rollout, wait, logs, api-resources, version
  kubectl apply -f - <<EOF ... EOF feeds a manifest through stdin.

";

/// The first words a command line can start with, for completion.
const PROGRAMS: &[(&str, &str)] = &[
    ("clear", "Clear the screen"),
    ("help", "List the commands kubeplay runs"),
    ("kubectl", "Control the cluster"),
    ("sim", "What happens from outside: nodes, containers, time"),
];

/// Where `kubectl -f FILE` reads files: the CLI reads the disk, the browser has none.
pub trait Files {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (the browser).
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "the path {} does not exist",
            crate::api::field::go_quote(path)
        ))
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

/// What a terminal holds after a line is entered: commands to run, or a command still waiting
/// for the rest of its heredoc or `\` continuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entered {
    Complete(Vec<Step>),
    Incomplete,
    Invalid(String),
}

/// Reads what was typed so far (lines ending in `\n`) as a terminal does.
pub fn entered(pending: &str) -> Entered {
    if pending.trim_end().ends_with('\\') {
        return Entered::Incomplete;
    }
    match parse_script(pending) {
        Ok(steps) => Entered::Complete(steps),
        Err(message) if message.contains("here-document") => Entered::Incomplete,
        Err(message) => Entered::Invalid(message),
    }
}

/// One completion a terminal offers, with a short description as kubectl's `__complete` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: String,
}

impl Candidate {
    pub fn new(value: impl Into<String>, description: impl Into<String>) -> Candidate {
        Candidate {
            value: value.into(),
            description: description.into(),
        }
    }
}

/// The completions for the word ending at the cursor, which starts at byte `start`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<Candidate>,
}

impl Completion {
    /// The longest text every candidate starts with.
    pub fn common_prefix(&self) -> &str {
        let Some((first, rest)) = self.candidates.split_first() else {
            return "";
        };
        let mut prefix = first.value.as_str();
        for candidate in rest {
            let common = prefix
                .char_indices()
                .zip(candidate.value.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((index, c), _)| index + c.len_utf8());
            prefix = &prefix[..common];
        }
        prefix
    }

    /// The line after Tab: the word replaced by the common prefix, and a space after a word
    /// that is complete (one candidate that does not go on, like `--output=` or `pod/`).
    /// Returns the new line and cursor.
    pub fn apply(&self, line: &str, cursor: usize) -> (String, usize) {
        let cursor = cursor.min(line.len());
        let start = self.start.min(cursor);
        let typed = &line[start..cursor];
        let prefix = self.common_prefix();
        if self.candidates.is_empty() || prefix.len() < typed.len() {
            return (line.to_string(), cursor);
        }
        let mut inserted = prefix.to_string();
        if self.candidates.len() == 1 && !prefix.ends_with(['=', '/']) {
            inserted.push(' ');
        }
        let rest = &line[cursor..];
        let rest = if inserted.ends_with(' ') {
            rest.strip_prefix(' ').unwrap_or(rest)
        } else {
            rest
        };
        let completed = format!("{}{inserted}{rest}", &line[..start]);
        (completed, start + inserted.len())
    }
}

/// Completes the word at `cursor` (a byte offset) in `line`, as a shell's Tab asks kubectl's
/// `__complete`: programs first, then `kubectl` and `sim` words.
pub fn complete(cluster: &Cluster, line: &str, cursor: usize) -> Completion {
    let Some(before) = line.get(..cursor) else {
        return Completion::default();
    };
    let start = before.rfind(char::is_whitespace).map_or(0, |index| {
        index + before[index..].chars().next().map_or(1, char::len_utf8)
    });
    let current = &before[start..];
    let Ok(words) = split_words(&before[..start]) else {
        return Completion::default();
    };
    let candidates = match words.split_first() {
        None => PROGRAMS
            .iter()
            .filter(|(program, _)| program.starts_with(current))
            .map(|(program, description)| Candidate::new(*program, *description))
            .collect(),
        Some((program, rest)) => match program.as_str() {
            "kubectl" | "k" => crate::kubectl::completion::complete(cluster, rest, current),
            "sim" => crate::sim::complete(cluster, rest, current),
            _ => Vec::new(),
        },
    };
    Completion { start, candidates }
}

/// The values Tab offers at the end of `line`, for tests.
#[cfg(test)]
pub(crate) fn completions(cluster: &Cluster, line: &str) -> Vec<String> {
    complete(cluster, line, line.len())
        .candidates
        .into_iter()
        .map(|candidate| candidate.value)
        .collect()
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
            Some("help") => CommandOutput {
                stdout: format!("{HELP}{}\n", crate::sim::USAGE),
                ..CommandOutput::default()
            },
            // What `clear` writes to a terminal: home the cursor and erase the screen.
            Some("clear") => CommandOutput {
                stdout: "\x1b[H\x1b[2J".to_string(),
                ..CommandOutput::default()
            },
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

    #[test]
    fn a_terminal_waits_for_heredocs_and_continuations() {
        assert_eq!(
            entered("kubectl apply -f - <<EOF\nkind: Pod\n"),
            Entered::Incomplete
        );
        assert_eq!(entered("sim node add n \\\n"), Entered::Incomplete);
        let Entered::Complete(steps) = entered("kubectl apply -f - <<EOF\na: 1\nEOF\n") else {
            panic!("a closed heredoc is complete");
        };
        assert_eq!(steps[0].stdin, "a: 1\n");
        assert!(matches!(
            entered("kubectl get 'pods\n"),
            Entered::Complete(_)
        ));
    }

    #[test]
    fn tab_completes_the_common_prefix() {
        let cluster = Cluster::default_cluster();
        let line = "kubectl get no";
        let completion = complete(&cluster, line, line.len());
        assert_eq!(completion.start, 12);
        assert_eq!(
            completion.apply(line, line.len()),
            ("kubectl get nodes ".to_string(), 18)
        );
        let line = "kub";
        assert_eq!(
            complete(&cluster, line, 3).apply(line, 3),
            ("kubectl ".to_string(), 8)
        );
        // Several candidates: the common prefix, no space.
        let line = "kubectl get nodes node-";
        let completion = complete(&cluster, line, line.len());
        assert_eq!(completion.candidates.len(), 3);
        assert_eq!(completion.common_prefix(), "node-");
        assert_eq!(
            completion.apply(line, line.len()),
            (line.to_string(), line.len())
        );
        // In the middle of a line, the rest stays.
        let line = "kubectl des nodes";
        assert_eq!(
            complete(&cluster, line, 11).apply(line, 11),
            ("kubectl describe nodes".to_string(), 17)
        );
        // `-o=`-style values keep their flag; `TYPE/` continues without a space.
        let line = "kubectl get pods --output=ya";
        assert_eq!(
            complete(&cluster, line, line.len())
                .apply(line, line.len())
                .0,
            "kubectl get pods --output=yaml "
        );
        assert_eq!(complete(&cluster, "", 0).candidates.len(), 4);
        assert!(complete(&cluster, "echo ", 5).candidates.is_empty());
    }

    #[test]
    fn help_lists_the_commands() {
        let mut cluster = Cluster::default_cluster();
        let output = cluster.exec("help", "");
        assert_eq!(output.exit_code, 0);
        assert!(output.stdout.contains("kubectl commands"));
        assert!(output.stdout.contains("sim node add"));
    }
}
