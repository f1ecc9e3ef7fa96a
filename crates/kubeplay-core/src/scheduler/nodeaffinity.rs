//! Required node affinity (component-helpers `scheduling/corev1/nodeaffinity`): the pod's
//! nodeSelector ANDed with its required node selector terms, which are ORed.

use k8s_openapi::api::core::v1::{
    Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodSpec,
};

use crate::api::labels::{Operator, Requirement};
use crate::api::meta;

/// `GetRequiredNodeAffinity(pod).Match(node)`.
pub fn matches_required(spec: &PodSpec, node: &Node) -> bool {
    let labels = meta::labels(&node.metadata);
    let selector_matches = spec
        .node_selector
        .iter()
        .flatten()
        .all(|(key, value)| labels.get(key) == Some(value));
    if !selector_matches {
        return false;
    }
    match required_selector(spec) {
        Some(selector) => selector_matches_node(selector, node),
        None => true,
    }
}

pub fn required_selector(spec: &PodSpec) -> Option<&NodeSelector> {
    spec.affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()
}

/// Terms are ORed; an empty term matches nothing; if every term is empty nothing matches.
pub fn selector_matches_node(selector: &NodeSelector, node: &Node) -> bool {
    selector
        .node_selector_terms
        .iter()
        .any(|term| term_matches(term, node))
}

pub fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    let expressions = term.match_expressions.as_deref().unwrap_or_default();
    let fields = term.match_fields.as_deref().unwrap_or_default();
    if expressions.is_empty() && fields.is_empty() {
        return false;
    }
    let labels = meta::labels(&node.metadata);
    let name = node.metadata.name.clone().unwrap_or_default();
    expressions.iter().all(|requirement| {
        to_requirement(requirement).is_some_and(|requirement| requirement.matches(labels))
    }) && fields.iter().all(|requirement| {
        let fields = [("metadata.name".to_string(), name.clone())].into();
        requirement.key == "metadata.name"
            && to_requirement(requirement).is_some_and(|requirement| requirement.matches(&fields))
    })
}

fn to_requirement(requirement: &NodeSelectorRequirement) -> Option<Requirement> {
    let operator = match requirement.operator.as_str() {
        "In" => Operator::In,
        "NotIn" => Operator::NotIn,
        "Exists" => Operator::Exists,
        "DoesNotExist" => Operator::DoesNotExist,
        "Gt" => Operator::GreaterThan,
        "Lt" => Operator::LessThan,
        _ => return None,
    };
    Some(Requirement::new(
        requirement.key.clone(),
        operator,
        requirement.values.clone().unwrap_or_default(),
    ))
}

/// The node names a pod is pinned to by `matchFields metadata.name In [...]` in every required term,
/// as the NodeAffinity PreFilter narrows the candidates (a DaemonSet pod names exactly one node).
pub fn pinned_node_names(spec: &PodSpec) -> Option<Vec<String>> {
    let selector = required_selector(spec)?;
    let mut names = Vec::new();
    for term in &selector.node_selector_terms {
        let pinned: Vec<&NodeSelectorRequirement> = term
            .match_fields
            .iter()
            .flatten()
            .filter(|field| field.key == "metadata.name" && field.operator == "In")
            .collect();
        let [field] = pinned.as_slice() else {
            return None;
        };
        names.extend(field.values.iter().flatten().cloned());
    }
    names.sort();
    names.dedup();
    Some(names)
}

/// The summed weight of the preferred terms the node matches (the NodeAffinity score).
pub fn preferred_score(spec: &PodSpec, node: &Node) -> i64 {
    spec.affinity
        .as_ref()
        .and_then(|affinity| affinity.node_affinity.as_ref())
        .and_then(|node_affinity| {
            node_affinity
                .preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .into_iter()
        .flatten()
        .filter(|preferred| preferred.weight != 0 && term_matches(&preferred.preference, node))
        .map(|preferred| i64::from(preferred.weight))
        .sum()
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Affinity, NodeAffinity};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(
                    labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..ObjectMeta::default()
            },
            ..Node::default()
        }
    }

    fn requirement(key: &str, operator: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: operator.into(),
            values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn spec_with_terms(terms: Vec<NodeSelectorTerm>) -> PodSpec {
        PodSpec {
            affinity: Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                        node_selector_terms: terms,
                    }),
                    ..NodeAffinity::default()
                }),
                ..Affinity::default()
            }),
            ..PodSpec::default()
        }
    }

    #[test]
    fn terms_are_ored_and_requirements_anded() {
        let ssd = node("a", &[("disktype", "ssd"), ("zone", "1")]);
        let hdd = node("b", &[("disktype", "hdd")]);
        let spec = spec_with_terms(vec![
            NodeSelectorTerm {
                match_expressions: Some(vec![
                    requirement("disktype", "In", &["ssd"]),
                    requirement("zone", "Exists", &[]),
                ]),
                match_fields: None,
            },
            NodeSelectorTerm {
                match_expressions: Some(vec![requirement("disktype", "In", &["nvme"])]),
                match_fields: None,
            },
        ]);
        assert!(matches_required(&spec, &ssd));
        assert!(!matches_required(&spec, &hdd));
    }

    #[test]
    fn empty_terms_match_nothing_and_fields_pin_a_node() {
        let spec = spec_with_terms(vec![NodeSelectorTerm::default()]);
        assert!(!matches_required(&spec, &node("a", &[])));
        let spec = spec_with_terms(vec![NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![requirement("metadata.name", "In", &["b"])]),
        }]);
        assert!(!matches_required(&spec, &node("a", &[])));
        assert!(matches_required(&spec, &node("b", &[])));
        assert_eq!(pinned_node_names(&spec), Some(vec!["b".to_string()]));
    }

    #[test]
    fn node_selector_is_anded() {
        let spec = PodSpec {
            node_selector: Some([("disktype".to_string(), "ssd".to_string())].into()),
            ..PodSpec::default()
        };
        assert!(matches_required(&spec, &node("a", &[("disktype", "ssd")])));
        assert!(!matches_required(&spec, &node("a", &[("disktype", "hdd")])));
    }
}
