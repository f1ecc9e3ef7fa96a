//! What a container does, read from its command and args. Real images don't run here, so the
//! kubelet reads the few shell forms tutorials use and plays them out on the virtual clock:
//!
//! - `sleep N` runs N seconds (`s`, `m`, `h`, `d` suffixes; `infinity` never ends) and succeeds;
//! - `exit N` ends with code N; `false` ends with 1; `true` ends with 0;
//! - `echo ...` and `printf ...` print a line to the container's log; `date` prints the virtual time;
//! - statements join with `;`, newlines, `&&` and `||`, also inside `sh -c "..."`;
//! - `$VAR` and `${VAR}` expand from the container's environment (`JOB_COMPLETION_INDEX` included);
//! - anything else is the image's own work: it runs until stopped, except in a Job's pod, where it
//!   runs [`JOB_DEFAULT_RUN_SECONDS`] and exits 0 (so `perl ... bpi(2000)` finishes like the docs' pi Job).

use std::collections::BTreeMap;

use crate::clock::{Millis, SECOND};

pub const JOB_DEFAULT_RUN_SECONDS: i64 = 10;

/// What one run of a container will do, decided when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How long it runs; None when it runs until stopped.
    pub runs_for: Option<Millis>,
    pub exit_code: i32,
    /// Lines printed, each with its offset from the start.
    pub output: Vec<(Millis, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connector {
    Always,
    And,
    Or,
}

/// Plays a container's command and args; `in_job` selects the default for unknown commands,
/// `start` is the virtual time the run starts, for `date`.
pub fn run(
    command: &[String],
    args: &[String],
    env: &BTreeMap<String, String>,
    in_job: bool,
    start: Millis,
) -> Outcome {
    let words: Vec<String> = command.iter().chain(args).cloned().collect();
    let script = match words.as_slice() {
        [shell, flag, script, ..]
            if is_shell(shell) && flag.starts_with('-') && flag.contains('c') =>
        {
            script.clone()
        }
        [shell, flag, script, ..] if is_shell(shell) && flag == "-ec" => script.clone(),
        [] => String::new(),
        words => words
            .iter()
            .map(|word| quote_word(word))
            .collect::<Vec<_>>()
            .join(" "),
    };
    play(&script, env, in_job, start)
}

fn is_shell(word: &str) -> bool {
    matches!(
        word.rsplit('/').next(),
        Some("sh" | "bash" | "ash" | "dash" | "zsh")
    )
}

fn quote_word(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
        && !word.is_empty()
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn play(script: &str, env: &BTreeMap<String, String>, in_job: bool, start: Millis) -> Outcome {
    let mut elapsed: Millis = 0;
    let mut status = 0;
    let mut output = Vec::new();
    let statements = split_statements(script);
    if statements.is_empty() {
        return image_default(elapsed, output, in_job);
    }
    for (connector, statement) in statements {
        let skip = match connector {
            Connector::Always => false,
            Connector::And => status != 0,
            Connector::Or => status == 0,
        };
        if skip {
            continue;
        }
        let words = expand(&split_words(&statement), env);
        let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
        while matches!(words.first(), Some(&"exec") | Some(&"command")) {
            words.remove(0);
        }
        match words.as_slice() {
            [] | [":"] | ["true"] => status = 0,
            ["false"] => status = 1,
            ["exit"] => return finished(elapsed, status, output),
            ["exit", code] => {
                return finished(
                    elapsed,
                    code.parse::<i32>()
                        .map(|code| code.rem_euclid(256))
                        .unwrap_or(2),
                    output,
                );
            }
            ["sleep", duration] => match parse_sleep(duration) {
                Some(Some(millis)) => {
                    elapsed = elapsed.saturating_add(millis);
                    status = 0;
                }
                Some(None) => {
                    return Outcome {
                        runs_for: None,
                        exit_code: 0,
                        output,
                    };
                }
                None => status = 1,
            },
            ["echo", rest @ ..] => {
                let rest: Vec<&str> = rest
                    .iter()
                    .copied()
                    .skip_while(|word| *word == "-n" || *word == "-e")
                    .collect();
                output.push((elapsed, rest.join(" ")));
                status = 0;
            }
            ["printf", format, ..] => {
                output.push((elapsed, format.replace("\\n", "")));
                status = 0;
            }
            ["date"] => {
                output.push((elapsed, go_date(start.saturating_add(elapsed))));
                status = 0;
            }
            // Later statements would need the image's real behaviour, which kubeplay cannot know.
            _ => return image_default(elapsed, output, in_job),
        }
    }
    finished(elapsed, status, output)
}

/// A command kubeplay does not model: a Job's pod finishes after the default run, any other runs on.
fn image_default(elapsed: Millis, output: Vec<(Millis, String)>, in_job: bool) -> Outcome {
    if in_job {
        finished(
            elapsed.saturating_add(JOB_DEFAULT_RUN_SECONDS * SECOND),
            0,
            output,
        )
    } else {
        Outcome {
            runs_for: None,
            exit_code: 0,
            output,
        }
    }
}

fn finished(elapsed: Millis, exit_code: i32, output: Vec<(Millis, String)>) -> Outcome {
    Outcome {
        runs_for: Some(elapsed),
        exit_code,
        output,
    }
}

/// `sleep` durations: Some(Some(ms)) for a finite sleep, Some(None) for infinity, None if unreadable.
fn parse_sleep(text: &str) -> Option<Option<Millis>> {
    if text == "infinity" || text == "inf" {
        return Some(None);
    }
    let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => text.split_at(i),
        None => (text, "s"),
    };
    let value: f64 = number.parse().ok()?;
    let scale = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    (value >= 0.0).then(|| Some((value * scale * 1000.0).round() as Millis))
}

/// `date`'s default output: `Mon Jan  5 09:00:00 UTC 2026`.
fn go_date(at: Millis) -> String {
    let timestamp = crate::clock::to_timestamp(at);
    jiff::fmt::strtime::format(
        "%a %b %e %H:%M:%S UTC %Y",
        &timestamp.to_zoned(jiff::tz::TimeZone::UTC),
    )
    .unwrap_or_default()
}

/// Splits a script into statements with the connector that precedes each.
fn split_statements(script: &str) -> Vec<(Connector, String)> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut connector = Connector::Always;
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(open), c) if c == open => {
                quote = None;
                current.push(c);
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '#') if current.trim().is_empty() => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
            }
            (None, ';' | '\n') => {
                push_statement(&mut statements, connector, &mut current);
                connector = Connector::Always;
            }
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                push_statement(&mut statements, connector, &mut current);
                connector = Connector::And;
            }
            (None, '|') if chars.peek() == Some(&'|') => {
                chars.next();
                push_statement(&mut statements, connector, &mut current);
                connector = Connector::Or;
            }
            (None, c) => current.push(c),
        }
    }
    push_statement(&mut statements, connector, &mut current);
    statements
}

fn push_statement(
    statements: &mut Vec<(Connector, String)>,
    connector: Connector,
    current: &mut String,
) {
    let statement = current.trim().to_string();
    current.clear();
    if !statement.is_empty() {
        statements.push((connector, statement));
    }
}

/// A word and whether it was quoted with single quotes (no expansion there).
fn split_words(statement: &str) -> Vec<(String, bool)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut literal = false;
    let mut started = false;
    let mut quote: Option<char> = None;
    for c in statement.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'') => {
                quote = Some(c);
                literal = true;
                started = true;
            }
            (None, '"') => {
                quote = Some(c);
                started = true;
            }
            (None, c) if c.is_whitespace() => {
                if started || !current.is_empty() {
                    words.push((std::mem::take(&mut current), literal));
                }
                literal = false;
                started = false;
            }
            (None, c) => current.push(c),
        }
    }
    if started || !current.is_empty() {
        words.push((current, literal));
    }
    words
}

fn expand(words: &[(String, bool)], env: &BTreeMap<String, String>) -> Vec<String> {
    words
        .iter()
        .map(|(word, literal)| {
            if *literal {
                word.clone()
            } else {
                expand_variables(word, env)
            }
        })
        .collect()
}

fn expand_variables(word: &str, env: &BTreeMap<String, String>) -> String {
    let mut result = String::new();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            result.push(c);
            continue;
        }
        let braced = chars.peek() == Some(&'{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&next) = chars.peek() {
            if next.is_ascii_alphanumeric() || next == '_' {
                name.push(next);
                chars.next();
            } else {
                break;
            }
        }
        if braced && chars.peek() == Some(&'}') {
            chars.next();
        }
        if name.is_empty() {
            result.push('$');
        } else {
            result.push_str(env.get(&name).map(String::as_str).unwrap_or_default());
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|word| word.to_string()).collect()
    }

    fn outcome(command: &[&str], in_job: bool) -> Outcome {
        run(&words(command), &[], &BTreeMap::new(), in_job, 0)
    }

    #[test]
    fn sleep_then_exit() {
        let result = outcome(&["sh", "-c", "sleep 30; exit 3"], false);
        assert_eq!(
            result,
            Outcome {
                runs_for: Some(30_000),
                exit_code: 3,
                output: vec![]
            }
        );
        let result = outcome(&["sh", "-c", "sleep 5 && exit 1"], true);
        assert_eq!((result.runs_for, result.exit_code), (Some(5_000), 1));
        assert_eq!(outcome(&["sleep", "2m"], false).runs_for, Some(120_000));
    }

    #[test]
    fn exit_false_and_true() {
        assert_eq!(outcome(&["false"], false).exit_code, 1);
        assert_eq!(
            outcome(&["true"], false),
            Outcome {
                runs_for: Some(0),
                exit_code: 0,
                output: vec![]
            }
        );
        assert_eq!(outcome(&["/bin/sh", "-c", "exit 42"], false).exit_code, 42);
        assert_eq!(
            outcome(&["sh", "-c", "false || exit 7"], false).exit_code,
            7
        );
        assert_eq!(outcome(&["sh", "-c", "true || exit 7"], false).exit_code, 0);
    }

    #[test]
    fn unknown_commands_depend_on_the_owner() {
        assert_eq!(
            outcome(&["nginx", "-g", "daemon off;"], false).runs_for,
            None
        );
        assert_eq!(outcome(&[], false).runs_for, None);
        let pi = outcome(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"], true);
        assert_eq!((pi.runs_for, pi.exit_code), (Some(10_000), 0));
        assert_eq!(outcome(&["sleep", "infinity"], true).runs_for, None);
    }

    #[test]
    fn echo_and_variables() {
        let env = BTreeMap::from([("JOB_COMPLETION_INDEX".to_string(), "2".to_string())]);
        let result = run(
            &words(&["sh", "-c"]),
            &words(&["echo \"My index is $JOB_COMPLETION_INDEX\"; sleep 1; echo '$HOME' done"]),
            &env,
            true,
            0,
        );
        assert_eq!(
            result.output,
            vec![
                (0, "My index is 2".to_string()),
                (1000, "$HOME done".to_string())
            ]
        );
        assert_eq!(result.runs_for, Some(1000));
    }

    #[test]
    fn date_prints_virtual_time() {
        let start = crate::clock::to_millis("2026-01-05T09:00:00Z".parse().unwrap());
        let result = run(
            &words(&[
                "/bin/sh",
                "-c",
                "date; echo Hello from the Kubernetes cluster",
            ]),
            &[],
            &BTreeMap::new(),
            true,
            start,
        );
        assert_eq!(result.output[0].1, "Mon Jan  5 09:00:00 UTC 2026");
        assert_eq!(result.output[1].1, "Hello from the Kubernetes cluster");
    }
}
