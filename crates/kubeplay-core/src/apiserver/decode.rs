//! Decoding request bodies into typed objects with the API server's strict field validation:
//! a field the type does not have (a typo such as `imagee`) is an error, not silently dropped.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::Kind;
use crate::api::field::{BadValue, FieldError};

use super::ApiError;

/// Keys whose values are maps of resource quantities, which YAML often writes as bare numbers.
const QUANTITY_MAPS: &[&str] = &[
    "requests",
    "limits",
    "capacity",
    "allocatable",
    "overhead",
    "hard",
];

/// Decodes `value` as `K`, rejecting unknown fields with kubectl's message.
pub fn decode_strict<K: DeserializeOwned + Serialize>(
    mut value: Value,
    kind: Kind,
    _name: &str,
) -> Result<K, ApiError> {
    quantities_as_strings(&mut value, false);
    // The causes name the fields, so a front end can point at them; the message is what
    // kubectl prints.
    let cannot_handle = |detail: String, fields: Vec<String>| ApiError {
        causes: fields
            .into_iter()
            .map(|field| FieldError::not_found(field, BadValue::Omit))
            .collect(),
        ..ApiError::bad_request(format!(
            "{} in version \"v1\" cannot be handled as a {}: {detail}",
            kind.name(),
            kind.name()
        ))
    };
    let object: K = decode_at(value.clone())
        .map_err(|(path, message)| cannot_handle(message, path.into_iter().collect()))?;
    let decoded = serde_json::to_value(&object)
        .map_err(|error| cannot_handle(error.to_string(), Vec::new()))?;
    let mut unknown = Vec::new();
    find_unknown_fields(&value, &decoded, "", &mut unknown);
    if !unknown.is_empty() {
        let listed: Vec<String> = unknown
            .iter()
            .map(|field| format!("unknown field \"{field}\""))
            .collect();
        return Err(cannot_handle(
            format!("strict decoding error: {}", listed.join(", ")),
            unknown,
        ));
    }
    Ok(object)
}

/// Decodes a value into any type, reporting where it failed. Everything in the engine decodes
/// through here, so the wasm carries one deserializer per type.
pub fn decode_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    decode_at(value).map_err(|(_, message)| message)
}

/// Decodes, and on failure gives the field path (if not the top) and the message naming it.
fn decode_at<T: DeserializeOwned>(value: Value) -> Result<T, (Option<String>, String)> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if path == "." || path.is_empty() {
            (None, inner.to_string())
        } else {
            (Some(path.clone()), format!("{path}: {inner}"))
        }
    })
}

fn quantities_as_strings(value: &mut Value, in_quantity_map: bool) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if in_quantity_map {
                    if let Value::Number(number) = field {
                        *field = Value::String(number.to_string());
                    }
                } else {
                    quantities_as_strings(field, QUANTITY_MAPS.contains(&key.as_str()));
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| quantities_as_strings(item, false)),
        _ => {}
    }
}

fn find_unknown_fields(input: &Value, decoded: &Value, path: &str, unknown: &mut Vec<String>) {
    match (input, decoded) {
        (Value::Object(input_fields), Value::Object(decoded_fields)) => {
            for (key, value) in input_fields {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match decoded_fields.get(key) {
                    Some(decoded_value) => {
                        find_unknown_fields(value, decoded_value, &child, unknown)
                    }
                    None if value.is_null() => {}
                    None => unknown.push(child),
                }
            }
        }
        (Value::Array(input_items), Value::Array(decoded_items)) => {
            for (i, (item, decoded_item)) in input_items.iter().zip(decoded_items).enumerate() {
                find_unknown_fields(item, decoded_item, &format!("{path}[{i}]"), unknown);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSet;
    use serde_json::json;

    use super::*;

    fn daemonset(container: Value) -> Value {
        json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "x"},
            "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [container]}}}
        })
    }

    #[test]
    fn rejects_a_typo_with_its_path() {
        let error = decode_strict::<DaemonSet>(
            daemonset(json!({"name": "x", "imagee": "nginx"})),
            Kind::DaemonSet,
            "x",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "Error from server (BadRequest): DaemonSet in version \"v1\" cannot be handled as a DaemonSet: strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\""
        );
    }

    #[test]
    fn accepts_numeric_quantities_and_nulls() {
        let container = json!({"name": "x", "image": "nginx", "resources": {"requests": {"cpu": 1, "memory": "1Gi"}}, "command": null});
        let decoded =
            decode_strict::<DaemonSet>(daemonset(container), Kind::DaemonSet, "x").unwrap();
        let requests = decoded.spec.unwrap().template.spec.unwrap().containers[0]
            .resources
            .clone()
            .unwrap()
            .requests
            .unwrap();
        assert_eq!(requests["cpu"].0, "1");
    }

    #[test]
    fn reports_type_errors_with_a_path() {
        let error = decode_strict::<DaemonSet>(
            daemonset(json!({"name": "x", "image": ["nginx"]})),
            Kind::DaemonSet,
            "x",
        )
        .unwrap_err();
        assert!(
            error
                .message
                .contains("spec.template.spec.containers[0].image: invalid type"),
            "{}",
            error.message
        );
    }
}
