//! kubectl's command line: positional words, `--flag=value`, `--flag value`, `-n value`,
//! `-nvalue`, boolean flags, and everything after `--` kept as it is.

use std::collections::BTreeMap;

/// Flags that take a value; the rest are booleans.
const VALUE_FLAGS: &[&str] = &[
    "namespace",
    "output",
    "selector",
    "field-selector",
    "filename",
    "cascade",
    "grace-period",
    "for",
    "timeout",
    "type",
    "patch",
    "label-columns",
    "container",
    "image",
    "to-revision",
    "revision",
    "from",
    "tail",
    "sort-by",
    "schedule",
    "restart",
    "dry-run",
    "kubeconfig",
    "context",
    "since",
    "field-manager",
    "validate",
    "chunk-size",
    "template",
    // `sim` flags share the parser.
    "label",
    "taint",
    "cpu",
    "memory",
    "pods",
    "exit-code",
];

/// Single-letter aliases, as kubectl defines them.
fn long_name(short: char) -> Option<&'static str> {
    Some(match short {
        'n' => "namespace",
        'o' => "output",
        'l' => "selector",
        'f' => "filename",
        'A' => "all-namespaces",
        'L' => "label-columns",
        'p' => "patch",
        'c' => "container",
        'w' => "watch",
        'h' => "help",
        'R' => "recursive",
        'i' => "stdin",
        't' => "tty",
        _ => return None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    flags: BTreeMap<String, Vec<String>>,
    /// Words after `--`.
    pub trailing: Vec<String>,
}

impl Args {
    pub fn parse(words: &[String]) -> Result<Args, String> {
        let mut args = Args::default();
        let mut words = words.iter();
        while let Some(word) = words.next() {
            if word == "--" {
                args.trailing = words.cloned().collect();
                break;
            }
            if let Some(flag) = word.strip_prefix("--") {
                let (name, inline) = match flag.split_once('=') {
                    Some((name, value)) => (name.to_string(), Some(value.to_string())),
                    None => (flag.to_string(), None),
                };
                let value = match inline {
                    Some(value) => value,
                    None if VALUE_FLAGS.contains(&name.as_str()) => words
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("error: flag needs an argument: --{name}"))?,
                    None => "true".to_string(),
                };
                args.flags.entry(name).or_default().push(value);
                continue;
            }
            if let Some(short) = word
                .strip_prefix('-')
                .filter(|rest| !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()))
            {
                let mut chars = short.chars();
                let Some(letter) = chars.next() else {
                    continue;
                };
                let name = long_name(letter).ok_or_else(|| {
                    format!("error: unknown shorthand flag: '{letter}' in {word}")
                })?;
                let rest: String = chars.collect();
                let value = if VALUE_FLAGS.contains(&name) {
                    if rest.is_empty() {
                        words.next().cloned().ok_or_else(|| {
                            format!("error: flag needs an argument: '{letter}' in -{letter}")
                        })?
                    } else {
                        rest.strip_prefix('=').unwrap_or(&rest).to_string()
                    }
                } else {
                    "true".to_string()
                };
                args.flags.entry(name.to_string()).or_default().push(value);
                continue;
            }
            args.positional.push(word.clone());
        }
        Ok(args)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .get(name)
            .and_then(|values| values.last())
            .map(String::as_str)
    }

    pub fn values(&self, name: &str) -> Vec<&str> {
        self.flags
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.value(name), Some("true") | Some(""))
    }

    pub fn has(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }

    /// Flags given that the command does not know, for kubectl's `unknown flag` error.
    pub fn unknown_flags(&self, known: &[&str]) -> Option<String> {
        const GLOBAL: &[&str] = &["namespace", "kubeconfig", "context", "help"];
        self.flags
            .keys()
            .find(|name| !known.contains(&name.as_str()) && !GLOBAL.contains(&name.as_str()))
            .map(|name| format!("error: unknown flag: --{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Args {
        Args::parse(
            &line
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
        .unwrap()
    }

    #[test]
    fn flags_in_every_form() {
        let args = parse(
            "get pods -n kube-system -o=wide --show-labels -lapp=web --field-selector spec.nodeName=node-1",
        );
        assert_eq!(args.positional, vec!["get", "pods"]);
        assert_eq!(args.value("namespace"), Some("kube-system"));
        assert_eq!(args.value("output"), Some("wide"));
        assert!(args.flag("show-labels"));
        assert_eq!(args.value("selector"), Some("app=web"));
        assert_eq!(args.value("field-selector"), Some("spec.nodeName=node-1"));
    }

    #[test]
    fn words_after_double_dash_are_kept() {
        let args = parse("create job pi --image=perl -- perl -Mbignum=bpi -wle print");
        assert_eq!(args.positional, vec!["create", "job", "pi"]);
        assert_eq!(args.trailing, vec!["perl", "-Mbignum=bpi", "-wle", "print"]);
    }

    #[test]
    fn taint_removal_is_not_a_flag() {
        let args = parse("taint nodes node-1 dedicated:NoSchedule-");
        assert_eq!(args.positional.len(), 4);
        assert!(Args::parse(&["-x".to_string()]).is_err());
    }
}
