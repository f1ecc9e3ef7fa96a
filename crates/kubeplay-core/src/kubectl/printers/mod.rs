//! Placeholder until the printers branch lands.

use crate::api::{AnyObject, Kind};
use crate::apiserver::ApiServer;

#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub wide: bool,
    pub show_labels: bool,
    pub with_namespace: bool,
    pub no_headers: bool,
    pub with_kind_prefix: bool,
    pub label_columns: Vec<String>,
}

pub fn tabulate(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|i| {
            rows.iter()
                .filter_map(|row| row.get(i))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 3));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

pub fn print_table(
    api: &ApiServer,
    kind: Kind,
    objects: &[AnyObject],
    options: &TableOptions,
) -> String {
    let _ = kind;
    let mut rows = Vec::new();
    if !options.no_headers {
        rows.push(vec!["NAME".to_string(), "AGE".to_string()]);
    }
    for object in objects {
        let name = if options.with_kind_prefix {
            super::resource_name(object)
        } else {
            object.name().to_string()
        };
        rows.push(vec![
            name,
            super::human::age(api, object.meta().creation_timestamp.as_ref()),
        ]);
    }
    tabulate(&rows)
}

pub fn to_json(value: &serde_json::Value) -> String {
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    let _ = serde::Serialize::serialize(value, &mut serializer);
    let mut text = String::from_utf8(buffer).unwrap_or_default();
    text.push('\n');
    text
}

pub fn to_yaml(value: &serde_json::Value) -> String {
    to_json(value)
}

pub fn jsonpath(template: &str, value: &serde_json::Value) -> Result<String, String> {
    let path = template
        .trim_start_matches('{')
        .trim_end_matches('}')
        .trim_start_matches('.');
    let mut current = value;
    for part in path.split('.').filter(|part| !part.is_empty()) {
        current = current.get(part).ok_or_else(|| {
            format!("error: error executing jsonpath {template:?}: {part} is not found")
        })?;
    }
    Ok(match current {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}
