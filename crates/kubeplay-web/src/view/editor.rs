//! What the YAML editor shows after a dry run: each problem with the line it is on, and the
//! lines the gutter marks.

use std::collections::BTreeSet;

use kubeplay_core::kubectl::apply::Checked;

/// One document's error, at the line to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
    /// An object invalid in several fields lists each at its own line.
    pub causes: Vec<(usize, String)>,
}

impl Problem {
    /// `line 12: The DaemonSet "fluentd" is invalid: spec.template.spec.containers[0].image: Required value`
    pub fn headline(&self) -> String {
        format!("line {}: {}", self.line, self.message)
    }
}

/// The problems of a dry run, or `None` when every document passed.
pub fn problems(checked: &[Checked]) -> Option<Vec<Problem>> {
    let problems: Vec<Problem> = checked
        .iter()
        .filter(|checked| !checked.ok)
        .map(|checked| {
            let causes: Vec<(usize, String)> = checked
                .fields
                .iter()
                .filter(|field| !field.text.is_empty())
                .map(|field| (field.line, field.text.clone()))
                .collect();
            if causes.len() > 1 {
                // kubectl lists them after a header line: `The X "n" is invalid: \n* a\n* b`.
                let header = checked.message.lines().next().unwrap_or_default();
                return Problem {
                    line: checked.line,
                    message: header.trim_end().to_string(),
                    causes,
                };
            }
            Problem {
                line: checked
                    .fields
                    .first()
                    .map_or(checked.line, |field| field.line),
                message: checked.message.clone(),
                causes: Vec::new(),
            }
        })
        .collect();
    (!problems.is_empty()).then_some(problems)
}

/// The lines the gutter marks: each cause's, or the problem's own.
pub fn marked_lines(problems: &[Problem]) -> BTreeSet<usize> {
    problems
        .iter()
        .flat_map(|problem| {
            let causes: Vec<usize> = problem.causes.iter().map(|(line, _)| *line).collect();
            if causes.is_empty() {
                vec![problem.line]
            } else {
                causes
            }
        })
        .collect()
}

/// How many lines the gutter numbers: a final newline starts one more, as editors show it.
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// The byte range of 1-based `line` in `text`, without its newline, for selecting it.
pub fn line_range(text: &str, line: usize) -> std::ops::Range<usize> {
    let mut start = 0;
    for (index, content) in text.split('\n').enumerate() {
        if index + 1 == line {
            return start..start + content.len();
        }
        start += content.len() + 1;
    }
    text.len()..text.len()
}

#[cfg(test)]
mod tests {
    use kubeplay_core::Cluster;
    use kubeplay_core::kubectl::apply::dry_run;

    use super::*;

    const BROKEN: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: logging
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  namespace: logging
spec:
  selector:
    matchLabels:
      name: fluentd
  template:
    metadata:
      labels:
        name: fluentd
    spec:
      containers:
      - name: fluentd
        resources:
          limits:
            memory: 200Mi
";

    #[test]
    fn a_missing_image_is_reported_at_its_container() {
        let cluster = Cluster::default_cluster();
        let problems = problems(&dry_run(&cluster, BROKEN)).expect("the image is required");
        assert_eq!(
            problems.iter().map(Problem::headline).collect::<Vec<_>>(),
            [
                "line 21: The DaemonSet \"fluentd\" is invalid: spec.template.spec.containers[0].image: Required value"
            ]
        );
        assert_eq!(marked_lines(&problems), BTreeSet::from([21]));
    }

    #[test]
    fn several_causes_each_have_their_line() {
        let cluster = Cluster::default_cluster();
        let text = BROKEN
            .replace("            memory: 200Mi", "            memory: lots")
            .replace(
                "        name: fluentd\n    spec:",
                "        name: other\n    spec:",
            );
        let problems = problems(&dry_run(&cluster, &text)).expect("invalid");
        assert_eq!(problems.len(), 1);
        let problem = &problems[0];
        assert_eq!(problem.line, 6);
        assert_eq!(problem.message, "The DaemonSet \"fluentd\" is invalid:");
        assert!(problem.causes.len() >= 2, "{problem:?}");
        let lines = marked_lines(&problems);
        assert!(
            [17, 21, 24].iter().all(|line| lines.contains(line)),
            "{lines:?}"
        );
    }

    #[test]
    fn a_yaml_syntax_error_names_its_line() {
        let cluster = Cluster::default_cluster();
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [logging\n";
        let problems = problems(&dry_run(&cluster, text)).expect("unreadable");
        assert!(
            problems[0]
                .headline()
                .starts_with("line 4: error: error parsing STDIN"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_clean_manifest_has_no_problems() {
        let cluster = Cluster::default_cluster();
        assert_eq!(
            problems(&dry_run(
                &cluster,
                &BROKEN.replace(
                    "        resources:",
                    "        image: fluentd:v1\n        resources:"
                )
            )),
            None
        );
    }

    #[test]
    fn lines_for_the_gutter_and_for_selection() {
        assert_eq!(line_count("a\nb\n"), 3);
        assert_eq!(line_count(""), 1);
        let text = "one\ntwo\nthree";
        assert_eq!(&text[line_range(text, 2)], "two");
        assert_eq!(&text[line_range(text, 3)], "three");
        assert_eq!(line_range(text, 9), text.len()..text.len());
    }
}
