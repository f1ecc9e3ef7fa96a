//! Field errors as apimachinery's `validation/field` package words them, so a rejected object
//! reads exactly like the API server's answer.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    Internal,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }
}

/// The rejected value, printed the way Go's `%v`, `%q` or `%#v` would print it.
#[derive(Debug, Clone, PartialEq)]
pub enum BadValue {
    Omit,
    Null,
    Str(String),
    Int(i64),
    Bool(bool),
    /// Already rendered in Go syntax, e.g. `map[string]string{"app":"x"}`.
    Go(String),
}

impl From<&str> for BadValue {
    fn from(value: &str) -> BadValue {
        BadValue::Str(value.to_string())
    }
}

impl From<String> for BadValue {
    fn from(value: String) -> BadValue {
        BadValue::Str(value)
    }
}

impl From<i64> for BadValue {
    fn from(value: i64) -> BadValue {
        BadValue::Int(value)
    }
}

impl From<i32> for BadValue {
    fn from(value: i32) -> BadValue {
        BadValue::Int(value.into())
    }
}

impl From<bool> for BadValue {
    fn from(value: bool) -> BadValue {
        BadValue::Bool(value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub error_type: ErrorType,
    pub field: String,
    pub bad_value: BadValue,
    pub detail: String,
}

impl FieldError {
    pub fn new(
        error_type: ErrorType,
        field: impl Into<String>,
        bad_value: BadValue,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            error_type,
            field: field.into(),
            bad_value,
            detail: detail.into(),
        }
    }

    pub fn invalid(
        field: impl Into<String>,
        value: impl Into<BadValue>,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError::new(ErrorType::Invalid, field, value.into(), detail)
    }

    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorType::Required, field, BadValue::Omit, detail)
    }

    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError::new(ErrorType::Forbidden, field, BadValue::Omit, detail)
    }

    pub fn duplicate(field: impl Into<String>, value: impl Into<BadValue>) -> FieldError {
        FieldError::new(ErrorType::Duplicate, field, value.into(), "")
    }

    pub fn not_found(field: impl Into<String>, value: impl Into<BadValue>) -> FieldError {
        FieldError::new(ErrorType::NotFound, field, value.into(), "")
    }

    pub fn too_long(field: impl Into<String>, max: usize) -> FieldError {
        FieldError::new(
            ErrorType::TooLong,
            field,
            BadValue::Omit,
            format!("must have at most {max} bytes"),
        )
    }

    /// `Unsupported value: "Never": supported values: "Always"`.
    pub fn not_supported(
        field: impl Into<String>,
        value: impl Into<BadValue>,
        supported: &[&str],
    ) -> FieldError {
        let quoted: Vec<String> = supported.iter().map(|value| go_quote(value)).collect();
        let detail = if quoted.is_empty() {
            String::new()
        } else {
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError::new(ErrorType::NotSupported, field, value.into(), detail)
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> FieldError {
        self.detail = detail.into();
        self
    }

    /// Everything after the field path: `Invalid value: "x": detail`.
    pub fn body(&self) -> String {
        let mut body = match (&self.error_type, &self.bad_value) {
            (
                ErrorType::Required
                | ErrorType::Forbidden
                | ErrorType::TooLong
                | ErrorType::Internal,
                _,
            )
            | (_, BadValue::Omit) => self.error_type.as_str().to_string(),
            (error_type, BadValue::Null) => format!("{}: null", error_type.as_str()),
            (error_type, BadValue::Str(value)) => {
                format!("{}: {}", error_type.as_str(), go_quote(value))
            }
            (error_type, BadValue::Int(value)) => format!("{}: {value}", error_type.as_str()),
            (error_type, BadValue::Bool(value)) => format!("{}: {value}", error_type.as_str()),
            (error_type, BadValue::Go(value)) => format!("{}: {value}", error_type.as_str()),
        };
        if !self.detail.is_empty() {
            body.push_str(": ");
            body.push_str(&self.detail);
        }
        body
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

pub type ErrorList = Vec<FieldError>;

/// A field path as validation builds it: `spec.template.spec.containers[0].image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    pub fn new(root: &str) -> Path {
        Path(root.to_string())
    }

    pub fn child(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(name.to_string())
        } else {
            Path(format!("{}.{name}", self.0))
        }
    }

    pub fn index(&self, index: usize) -> Path {
        Path(format!("{}[{index}]", self.0))
    }

    pub fn key(&self, key: &str) -> Path {
        Path(format!("{}[{key}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&Path> for String {
    fn from(path: &Path) -> String {
        path.0.clone()
    }
}

impl From<Path> for String {
    fn from(path: Path) -> String {
        path.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Go's `%q` for a string (`strconv.Quote`): double quotes, `"` and `\` escaped, and every
/// character Go does not print (`strconv.IsPrint`) escaped: `\a \b \f \n \r \t \v`, other
/// control bytes as `\x01`, the rest as `\u00a0` or `\U000e0001`. This is how apimachinery
/// names an object in its errors (`pods "a\x01b" not found`), so a name typed with control
/// characters cannot move a terminal's cursor.
pub fn go_quote(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if is_go_print(c) => quoted.push(c),
            '\u{7}' => quoted.push_str("\\a"),
            '\u{8}' => quoted.push_str("\\b"),
            '\u{c}' => quoted.push_str("\\f"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            '\u{b}' => quoted.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                quoted.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => quoted.push_str(&format!("\\u{:04x}", c as u32)),
            c => quoted.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    quoted.push('"');
    quoted
}

/// `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. Go
/// reads Unicode's tables; this knows the characters that are not printed by their classes
/// (controls, spaces other than U+0020, format characters, private use, non-characters) and
/// prints unassigned code points as they are.
fn is_go_print(c: char) -> bool {
    let code = c as u32;
    if code <= 0xff {
        return (0x20..=0x7e).contains(&code) || ((0xa1..=0xff).contains(&code) && code != 0xad);
    }
    const FORMAT: &[(u32, u32)] = &[
        (0x0600, 0x0605),
        (0x061c, 0x061c),
        (0x06dd, 0x06dd),
        (0x070f, 0x070f),
        (0x0890, 0x0891),
        (0x08e2, 0x08e2),
        (0x180e, 0x180e),
        (0x200b, 0x200f),
        (0x202a, 0x202e),
        (0x2060, 0x2064),
        (0x2066, 0x206f),
        (0xfeff, 0xfeff),
        (0xfff9, 0xfffb),
        (0x110bd, 0x110bd),
        (0x110cd, 0x110cd),
        (0x13430, 0x1343f),
        (0x1bca0, 0x1bca3),
        (0x1d173, 0x1d17a),
        (0xe0001, 0xe0001),
        (0xe0020, 0xe007f),
    ];
    let private_use = (0xe000..=0xf8ff).contains(&code) || code >= 0xf0000;
    let non_character = (0xfdd0..=0xfdef).contains(&code) || code & 0xfffe == 0xfffe;
    !(c.is_whitespace()
        || c.is_control()
        || private_use
        || non_character
        || FORMAT
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&code)))
}

/// Go's `%#v` for a `map[string]string`: keys sorted, `map[string]string{"a":"b", "c":"d"}`.
pub fn go_string_map(map: Option<&BTreeMap<String, String>>) -> String {
    match map {
        None => "map[string]string(nil)".to_string(),
        Some(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(key, value)| format!("{}:{}", go_quote(key), go_quote(value)))
                .collect();
            format!("map[string]string{{{}}}", entries.join(", "))
        }
    }
}

/// Go's `%#v` of a `metav1.LabelSelector`.
pub fn go_label_selector(selector: &LabelSelector) -> String {
    let expressions = match &selector.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            list.iter()
                .map(go_requirement)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{expressions}}}",
        go_string_map(selector.match_labels.as_ref())
    )
}

fn go_requirement(requirement: &LabelSelectorRequirement) -> String {
    let values = match &requirement.values {
        None => "[]string(nil)".to_string(),
        Some(values) => format!(
            "[]string{{{}}}",
            values
                .iter()
                .map(|value| go_quote(value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
        go_quote(&requirement.key),
        go_quote(&requirement.operator)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_strconv_quote_does() {
        let cases = [
            ("web", r#""web""#),
            ("a\u{1}b", r#""a\x01b""#),
            ("say \"hi\" \\o/", r#""say \"hi\" \\o/""#),
            ("\u{7}\u{8}\u{c}\n\r\t\u{b}", r#""\a\b\f\n\r\t\v""#),
            ("\u{1b}[2J\u{7f}", r#""\x1b[2J\x7f""#),
            // C1 controls, the no-break space and the soft hyphen are not printed by Go.
            (
                "\u{85}\u{a0}\u{ad}\u{e9}",
                "\"\\u0085\\u00a0\\u00ad\u{e9}\"",
            ),
            (
                "\u{200b}\u{2028}\u{202e}\u{feff}",
                r#""\u200b\u2028\u202e\ufeff""#,
            ),
            (
                "\u{e000}\u{e0001}\u{10ffff}",
                r#""\ue000\U000e0001\U0010ffff""#,
            ),
            ("日本語 ✓ 😀", "\"日本語 ✓ 😀\""),
        ];
        for (text, quoted) in cases {
            assert_eq!(go_quote(text), quoted, "{text:?}");
        }
    }

    #[test]
    fn prints_like_apimachinery() {
        let error =
            FieldError::not_supported("spec.template.spec.restartPolicy", "Never", &["Always"]);
        assert_eq!(
            error.to_string(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
        let error = FieldError::invalid(
            "spec.minReadySeconds",
            -1,
            "must be greater than or equal to 0",
        );
        assert_eq!(
            error.to_string(),
            "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"
        );
        let error = FieldError::required("spec.completions", "when completion mode is Indexed");
        assert_eq!(
            error.to_string(),
            "spec.completions: Required value: when completion mode is Indexed"
        );
    }

    #[test]
    fn renders_go_maps() {
        let map = BTreeMap::from([
            ("b".to_string(), "2".to_string()),
            ("a".to_string(), "1".to_string()),
        ]);
        assert_eq!(
            go_string_map(Some(&map)),
            "map[string]string{\"a\":\"1\", \"b\":\"2\"}"
        );
        assert_eq!(go_string_map(None), "map[string]string(nil)");
    }

    #[test]
    fn paths_compose() {
        let path = Path::new("spec")
            .child("template")
            .child("spec")
            .child("containers")
            .index(0)
            .child("image");
        assert_eq!(path.as_str(), "spec.template.spec.containers[0].image");
    }
}
