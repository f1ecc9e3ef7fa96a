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
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed.starts_with("--- ") || trimmed == "..." {
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

    #[test]
    fn a_scalar_document_is_refused() {
        let error = parse("just a string\n").unwrap_err();
        assert!(
            error.message.contains("cannot unmarshal string"),
            "{error:?}"
        );
    }
}
