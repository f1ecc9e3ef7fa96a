//! Label selectors: kubectl's `-l` syntax, `metav1.LabelSelector`, and node selector requirements,
//! matched with apimachinery's `Requirement.Matches` rules.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: Vec<String>,
}

impl Requirement {
    pub fn new(key: impl Into<String>, operator: Operator, values: Vec<String>) -> Requirement {
        let mut values = values;
        values.sort();
        values.dedup();
        Requirement {
            key: key.into(),
            operator,
            values,
        }
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::Equals | Operator::In => {
                value.is_some_and(|value| self.values.contains(value))
            }
            Operator::NotEquals | Operator::NotIn => {
                value.is_none_or(|value| !self.values.contains(value))
            }
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let (Some(value), [bound]) = (value, self.values.as_slice()) else {
                    return false;
                };
                let (Ok(value), Ok(bound)) = (value.parse::<i64>(), bound.parse::<i64>()) else {
                    return false;
                };
                if self.operator == Operator::GreaterThan {
                    value > bound
                } else {
                    value < bound
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values = self.values.join(",");
        match self.operator {
            Operator::Equals => write!(f, "{}={values}", self.key),
            Operator::NotEquals => write!(f, "{}!={values}", self.key),
            Operator::In => write!(f, "{} in ({values})", self.key),
            Operator::NotIn => write!(f, "{} notin ({values})", self.key),
            Operator::Exists => write!(f, "{}", self.key),
            Operator::DoesNotExist => write!(f, "!{}", self.key),
            Operator::GreaterThan => write!(f, "{}>{values}", self.key),
            Operator::LessThan => write!(f, "{}<{values}", self.key),
        }
    }
}

/// A conjunction of requirements. `Nothing` is the selector of a nil `LabelSelector`: it matches no object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    Nothing,
    Requirements(Vec<Requirement>),
}

impl Selector {
    pub fn everything() -> Selector {
        Selector::Requirements(Vec::new())
    }

    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        let labels = labels.unwrap_or(&EMPTY);
        match self {
            Selector::Nothing => false,
            Selector::Requirements(requirements) => requirements
                .iter()
                .all(|requirement| requirement.matches(labels)),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, Selector::Requirements(requirements) if requirements.is_empty())
    }

    /// kubectl's `-l` syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for term in split_terms(text) {
            let term = term.trim();
            if term.is_empty() {
                continue;
            }
            requirements.push(parse_term(term)?);
        }
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector::Requirements(requirements))
    }

    /// `LabelSelectorAsSelector`: nil selects nothing, `{}` selects everything.
    pub fn from_label_selector(selector: Option<&LabelSelector>) -> Result<Selector, String> {
        let Some(selector) = selector else {
            return Ok(Selector::Nothing);
        };
        let mut requirements = Vec::new();
        for (key, value) in selector.match_labels.iter().flatten() {
            requirements.push(Requirement::new(
                key.clone(),
                Operator::Equals,
                vec![value.clone()],
            ));
        }
        for expression in selector.match_expressions.iter().flatten() {
            let values = expression.values.clone().unwrap_or_default();
            let operator = match expression.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => return Err(format!("{other:?} is not a valid label selector operator")),
            };
            requirements.push(Requirement::new(expression.key.clone(), operator, values));
        }
        requirements.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector::Requirements(requirements))
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Nothing => Ok(()),
            Selector::Requirements(requirements) => {
                let parts: Vec<String> = requirements.iter().map(Requirement::to_string).collect();
                f.write_str(&parts.join(","))
            }
        }
    }
}

/// Splits on commas that are not inside `( )`.
fn split_terms(text: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                terms.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&text[start..]);
    terms
}

fn parse_term(term: &str) -> Result<Requirement, String> {
    let invalid = || {
        format!(
            "unable to parse requirement: found '{term}', expected: identifier, '!', '=', '==', '!=', 'in', 'notin'"
        )
    };
    if let Some(key) = term.strip_prefix('!') {
        let key = key.trim();
        return if is_selector_key(key) {
            Ok(Requirement::new(key, Operator::DoesNotExist, Vec::new()))
        } else {
            Err(invalid())
        };
    }
    for (word, operator) in [(" notin ", Operator::NotIn), (" in ", Operator::In)] {
        if let Some((key, rest)) = term.split_once(word) {
            let key = key.trim();
            let rest = rest.trim();
            let Some(inner) = rest
                .strip_prefix('(')
                .and_then(|rest| rest.strip_suffix(')'))
            else {
                return Err(format!(
                    "unable to parse requirement: found '{rest}', expected: '('"
                ));
            };
            let values: Vec<String> = inner
                .split(',')
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
                .collect();
            if !is_selector_key(key) {
                return Err(invalid());
            }
            return Ok(Requirement::new(key, operator, values));
        }
    }
    for (symbol, operator) in [
        ("!=", Operator::NotEquals),
        ("==", Operator::Equals),
        ("=", Operator::Equals),
    ] {
        if let Some((key, value)) = term.split_once(symbol) {
            let key = key.trim();
            if !is_selector_key(key) {
                return Err(invalid());
            }
            return Ok(Requirement::new(
                key,
                operator,
                vec![value.trim().to_string()],
            ));
        }
    }
    if is_selector_key(term) {
        return Ok(Requirement::new(term, Operator::Exists, Vec::new()));
    }
    Err(invalid())
}

fn is_selector_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses_every_operator() {
        let selector =
            Selector::parse("app=web,tier!=db,env in (prod, staging),zone notin (a),gpu,!spot")
                .unwrap();
        assert_eq!(
            selector.to_string(),
            "app=web,env in (prod,staging),gpu,!spot,tier!=db,zone notin (a)"
        );
        assert!(selector.matches(Some(&labels(&[
            ("app", "web"),
            ("env", "prod"),
            ("gpu", "")
        ]))));
        assert!(!selector.matches(Some(&labels(&[
            ("app", "web"),
            ("env", "prod"),
            ("gpu", ""),
            ("spot", "1")
        ]))));
        assert!(!selector.matches(Some(&labels(&[
            ("app", "web"),
            ("env", "dev"),
            ("gpu", "")
        ]))));
        assert!(
            Selector::parse("a==b")
                .unwrap()
                .matches(Some(&labels(&[("a", "b")])))
        );
        assert!(Selector::parse("a in b").is_err());
        assert!(Selector::parse("=b").is_err());
    }

    #[test]
    fn not_in_matches_absent_labels() {
        let requirement = Requirement::new("disktype", Operator::NotIn, vec!["hdd".into()]);
        assert!(requirement.matches(&labels(&[])));
        assert!(!requirement.matches(&labels(&[("disktype", "hdd")])));
    }

    #[test]
    fn gt_and_lt_need_integers() {
        let gt = Requirement::new("cores", Operator::GreaterThan, vec!["4".into()]);
        assert!(gt.matches(&labels(&[("cores", "8")])));
        assert!(!gt.matches(&labels(&[("cores", "4")])));
        assert!(!gt.matches(&labels(&[("cores", "many")])));
        assert!(!gt.matches(&labels(&[])));
    }

    #[test]
    fn nil_and_empty_label_selectors() {
        assert!(
            !Selector::from_label_selector(None)
                .unwrap()
                .matches(Some(&labels(&[("a", "b")])))
        );
        let everything = Selector::from_label_selector(Some(&LabelSelector::default())).unwrap();
        assert!(everything.matches(None));
    }
}
