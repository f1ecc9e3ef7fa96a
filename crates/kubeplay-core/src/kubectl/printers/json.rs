//! `kubectl -o json`: cli-runtime `JSONPrinter`, which writes `json.MarshalIndent(obj, "", "    ")`
//! and a newline. Keys come sorted (the object is a map), strings escaped as Go escapes them.

use serde_json::Value;

use crate::kubectl::gofmt::{GoNumber, push_json_string};

/// `kubectl -o json`: four-space indent, Go's escaping, a trailing newline.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0);
    out.push('\n');
    out
}

/// `json.Marshal`: the compact form, as jsonpath prints maps and lists.
pub(crate) fn to_compact_json(value: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                push_json_string(out, key);
                out.push_str(": ");
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                newline(out, depth + 1);
                write_value(out, item, depth + 1);
            }
            newline(out, depth);
            out.push(']');
        }
        scalar => write_compact(out, scalar),
    }
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("    ");
    }
}

fn write_compact(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&GoNumber::of(number).to_json()),
        Value::String(text) => push_json_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                push_json_string(out, key);
                out.push(':');
                write_compact(out, item);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn indents_like_marshal_indent() {
        let value = json!({
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": "web", "labels": {}, "finalizers": []},
            "spec": {"containers": [{"name": "nginx", "args": ["a<b", "c"]}], "priority": 0},
            "ratio": 0.5,
            "ok": true,
            "none": null
        });
        assert_eq!(
            to_json(&value),
            r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "finalizers": [],
        "labels": {},
        "name": "web"
    },
    "none": null,
    "ok": true,
    "ratio": 0.5,
    "spec": {
        "containers": [
            {
                "args": [
                    "a\u003cb",
                    "c"
                ],
                "name": "nginx"
            }
        ],
        "priority": 0
    }
}
"#
        );
        assert_eq!(
            to_compact_json(&json!({"b": [1, "x"], "a": {}})),
            r#"{"a":{},"b":[1,"x"]}"#
        );
    }
}
