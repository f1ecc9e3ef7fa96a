//! Manifests: YAML (or JSON) text with one or many documents, read into JSON values the way
//! kubectl reads them, with the line each document starts on so errors can point at it.

use serde_json::Value;

/// One document of a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 1-based line of the document's first line in the whole text.
    pub line: usize,
    pub value: Value,
}

/// A manifest that could not be read: where, and why, worded as kubectl words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Splits on `---` document markers and parses each document; empty documents are skipped.
pub fn parse(text: &str) -> Result<Vec<Document>, ParseError> {
    let mut documents = Vec::new();
    let mut start = 1;
    let mut current = String::new();
    let flush = |start: usize,
                 body: &str,
                 documents: &mut Vec<Document>|
     -> Result<(), ParseError> {
        if body
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'))
        {
            return Ok(());
        }
        let value: Value = serde_saphyr::from_str(body).map_err(|error| {
            let (line, message) = describe_error(&error);
            ParseError {
                line: start + line.saturating_sub(1),
                message,
            }
        })?;
        match value {
            Value::Null => Ok(()),
            Value::Object(_) => {
                documents.push(Document { line: start, value });
                Ok(())
            }
            other => Err(ParseError {
                line: start,
                message: format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    json_type(&other)
                ),
            }),
        }
    };
    for (index, line) in text.lines().enumerate() {
        if is_document_marker(line) {
            flush(start, &current, &mut documents)?;
            current.clear();
            start = index + 2;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    flush(start, &current, &mut documents)?;
    Ok(documents)
}

/// The line (1-based, in the whole text) a field path such as
/// `spec.template.spec.containers[0].image` is written on, in the document starting on line
/// `document_line`. A field that is not written (a required one left out) gives the line of the
/// nearest enclosing field that is; a path that matches nothing gives the document's first line.
/// Reads block-style YAML by indentation, as people write manifests.
pub fn field_line(text: &str, document_line: usize, path: &str) -> usize {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .skip(document_line.saturating_sub(1))
        .take_while(|(index, line)| *index + 1 == document_line || !is_document_marker(line))
        .filter_map(|(index, line)| Line::read(index + 1, line))
        .collect();
    let Some(first) = lines.first() else {
        return document_line;
    };
    let mut found = first.number;
    let mut scope = Scope {
        lines: &lines,
        column: first.key_column,
    };
    for segment in segments(path) {
        let Some((at, child)) = scope.find(&segment) else {
            break;
        };
        found = scope.lines[at].number;
        scope = child;
    }
    found
}

fn is_document_marker(line: &str) -> bool {
    let trimmed = line.trim_end();
    trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..."
}

/// One meaningful line of YAML: where it starts, whether it is a `- ` sequence item, and the key
/// it sets, if any.
struct Line {
    number: usize,
    /// Column of the first character (the `-` of an item).
    column: usize,
    item: bool,
    /// Column of the key: after `- ` on an item line.
    key_column: usize,
    key: Option<String>,
}

impl Line {
    fn read(number: usize, text: &str) -> Option<Line> {
        let content = text.trim_start();
        if content.is_empty() || content.starts_with('#') {
            return None;
        }
        let column = text.len() - content.len();
        let (item, rest) = match content.strip_prefix('-') {
            Some(rest) if rest.is_empty() || rest.starts_with(' ') => (true, rest.trim_start()),
            _ => (false, content),
        };
        let key_column = text.len() - rest.len();
        let key = rest
            .split_once(':')
            .filter(|(_, after)| after.is_empty() || after.starts_with(' '))
            .map(|(key, _)| {
                key.trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string()
            })
            .filter(|key| !key.is_empty() && !key.starts_with(['{', '[']));
        Some(Line {
            number,
            column,
            item,
            key_column,
            key,
        })
    }
}

/// A mapping's or sequence's lines, and the column its keys (or items' dashes) are at.
struct Scope<'a> {
    lines: &'a [Line],
    column: usize,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl<'a> Scope<'a> {
    /// The line of `segment` in this scope and the scope of its value.
    fn find(&self, segment: &Segment) -> Option<(usize, Scope<'a>)> {
        let at = match segment {
            Segment::Key(key) => self.lines.iter().position(|line| {
                line.key_column == self.column && line.key.as_deref() == Some(key.as_str())
            })?,
            Segment::Index(index) => {
                self.lines
                    .iter()
                    .enumerate()
                    .filter(|(_, line)| line.item && line.column == self.column)
                    .nth(*index)?
                    .0
            }
        };
        let line = &self.lines[at];
        let rest = &self.lines[at + 1..];
        // The value's lines are those right of `left`, and with `items_at_left` also the `- `
        // items at `left` (a sequence written at its key's indentation).
        let (column, left, items_at_left) = match segment {
            // An item's own line holds its first key; the item goes on until the next dash at
            // its column or a line left of it.
            Segment::Index(_) => (line.key_column, line.column, false),
            Segment::Key(_) => {
                let key = line.key_column;
                match rest.first() {
                    Some(next) if next.item && next.column == key => (key, key, true),
                    Some(next) if next.column > key => (
                        if next.item {
                            next.column
                        } else {
                            next.key_column
                        },
                        key,
                        false,
                    ),
                    _ => (usize::MAX, usize::MAX, false),
                }
            }
        };
        let belongs =
            |next: &Line| next.column > left || (items_at_left && next.item && next.column == left);
        let length = rest.iter().take_while(|next| belongs(next)).count();
        let lines = match segment {
            Segment::Index(_) => &self.lines[at..at + 1 + length],
            Segment::Key(_) => &rest[..length],
        };
        Some((at, Scope { lines, column }))
    }
}

/// `spec.containers[0].image` → `spec`, `containers`, 0, `image`; `labels[app]` → `labels`, `app`.
fn segments(path: &str) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut name = String::new();
    let mut chars = path.chars();
    let push = |name: &mut String, segments: &mut Vec<Segment>| {
        if !name.is_empty() {
            segments.push(Segment::Key(std::mem::take(name)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => push(&mut name, &mut segments),
            '[' => {
                push(&mut name, &mut segments);
                let inside: String = chars.by_ref().take_while(|c| *c != ']').collect();
                segments.push(match inside.parse() {
                    Ok(index) => Segment::Index(index),
                    Err(_) => Segment::Key(inside),
                });
            }
            c => name.push(c),
        }
    }
    push(&mut name, &mut segments);
    segments
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        _ => "value",
    }
}

/// The line (1-based, within the document) and the message of a YAML error.
fn describe_error(error: &serde_saphyr::Error) -> (usize, String) {
    let location = error.location();
    let line = location.map_or(1, |location| location.line() as usize);
    let text = error.to_string();
    // The parser's message without its own location and snippet, which kubectl's wording replaces.
    let first = text.lines().next().unwrap_or_default();
    let message = first
        .split(" at line ")
        .next()
        .unwrap_or(first)
        .trim()
        .to_string();
    (line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_documents_with_their_lines() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# comment only\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n";
        let documents = parse(text).unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0].line, 1);
        assert_eq!(documents[1].line, 8);
        assert_eq!(documents[1].value["metadata"]["name"], "b");
    }

    #[test]
    fn syntax_errors_point_at_the_line() {
        let text = "apiVersion: v1\nkind: Pod\n---\nmetadata:\n  name: [a\n";
        let error = parse(text).unwrap_err();
        assert!(error.line >= 4, "{error:?}");
        assert!(!error.message.is_empty());
    }

    const DAEMONSET: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: logging
---
# the collector
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
  labels: {app: fluentd}
spec:
  selector:
    matchLabels:
      name: fluentd
  template:
    metadata:
      labels:
        name: fluentd
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
        - name: fluentd
          image: quay.io/fluentd
          resources:
            limits:
              memory: 200Mi
        - name: sidecar
          command: [\"sleep\", \"3600\"]
";

    #[test]
    fn field_paths_point_at_their_line() {
        let line = |path: &str| field_line(DAEMONSET, 6, path);
        assert_eq!(line("spec.template.spec.containers[0].image"), 27);
        assert_eq!(line("spec.template.spec.containers[0].name"), 26);
        assert_eq!(
            line("spec.template.spec.containers[0].resources.limits[memory]"),
            30
        );
        assert_eq!(line("spec.template.spec.containers[1].command"), 32);
        assert_eq!(line("spec.template.spec.tolerations[0].effect"), 24);
        assert_eq!(line("spec.selector.matchLabels[name]"), 15);
        assert_eq!(line("metadata.name"), 10);
        // The first document's fields are its own, not the second's.
        assert_eq!(field_line(DAEMONSET, 1, "metadata.name"), 4);
        assert_eq!(field_line(DAEMONSET, 1, "spec"), 1);
    }

    #[test]
    fn a_missing_field_points_at_its_nearest_parent() {
        let line = |path: &str| field_line(DAEMONSET, 6, path);
        // The second container has no image: its item's line.
        assert_eq!(line("spec.template.spec.containers[1].image"), 31);
        assert_eq!(line("spec.template.spec.containers[2].image"), 25);
        assert_eq!(line("spec.updateStrategy.rollingUpdate"), 12);
        // Flow mappings are not read into: the key's own line.
        assert_eq!(line("metadata.labels[app]"), 11);
        assert_eq!(line("nothing.here"), 7);
        assert_eq!(field_line("{\"kind\": \"Pod\"}", 1, "spec.containers"), 1);
    }

    #[test]
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments("spec.containers[0].resources.limits[example.com/gpu]"),
            vec![
                Segment::Key("spec".into()),
                Segment::Key("containers".into()),
                Segment::Index(0),
                Segment::Key("resources".into()),
                Segment::Key("limits".into()),
                Segment::Key("example.com/gpu".into()),
            ]
        );
    }

    #[test]
    fn a_scalar_document_is_refused() {
        let error = parse("just a string\n").unwrap_err();
        assert!(
            error.message.contains("cannot unmarshal string"),
            "{error:?}"
        );
    }
}
