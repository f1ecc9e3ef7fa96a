//! JSON merge patch (RFC 7386), what `kubectl patch --type=merge` sends.

use serde_json::Value;

pub fn apply(target: &mut Value, patch: &Value) {
    let Value::Object(patch_fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    let Value::Object(target_fields) = target else {
        return;
    };
    for (key, value) in patch_fields {
        if value.is_null() {
            target_fields.remove(key);
        } else {
            apply(
                target_fields.entry(key.clone()).or_insert(Value::Null),
                value,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn rfc7386_examples() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]});
        apply(
            &mut target,
            &json!({"a": "z", "c": {"f": null}, "list": [3]}),
        );
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}, "list": [3]}));
        let mut target = json!({"a": "b"});
        apply(&mut target, &json!({"a": {"bb": {"ccc": null}}}));
        assert_eq!(target, json!({"a": {"bb": {}}}));
    }
}
