//! Taints and tolerations (component-helpers `scheduling/corev1` and core/v1 `toleration.go`).

use k8s_openapi::api::core::v1::{Taint, Toleration};

/// `Toleration.ToleratesTaint`: empty effect matches every effect, empty key with Exists matches
/// every key, Exists matches any value, Equal (or empty) needs equal values.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    let effect = toleration.effect.as_deref().unwrap_or_default();
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or_default();
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match toleration.operator.as_deref().unwrap_or_default() {
        "Exists" => true,
        "" | "Equal" => {
            toleration.value.as_deref().unwrap_or_default()
                == taint.value.as_deref().unwrap_or_default()
        }
        _ => false,
    }
}

pub fn tolerated_by(taint: &Taint, tolerations: &[Toleration]) -> bool {
    tolerations
        .iter()
        .any(|toleration| tolerates(toleration, taint))
}

/// `FindMatchingUntoleratedTaint` over the taints `filter` keeps.
pub fn find_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|taint| filter(taint))
        .find(|taint| !tolerated_by(taint, tolerations))
}

pub fn is_scheduling_effect(taint: &Taint) -> bool {
    taint.effect == "NoSchedule" || taint.effect == "NoExecute"
}

/// How a taint is written in messages: `{key: value}`.
pub fn describe(taint: &Taint) -> String {
    format!(
        "{{{}: {}}}",
        taint.key,
        taint.value.as_deref().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: (!value.is_empty()).then(|| value.into()),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn toleration(key: &str, operator: &str, value: &str, effect: &str) -> Toleration {
        let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
        Toleration {
            key: some(key),
            operator: some(operator),
            value: some(value),
            effect: some(effect),
            toleration_seconds: None,
        }
    }

    #[test]
    fn toleration_matching_rules() {
        let gpu = taint("dedicated", "gpu", "NoSchedule");
        assert!(tolerates(
            &toleration("dedicated", "Equal", "gpu", "NoSchedule"),
            &gpu
        ));
        assert!(tolerates(&toleration("dedicated", "", "gpu", ""), &gpu));
        assert!(!tolerates(
            &toleration("dedicated", "Equal", "cpu", "NoSchedule"),
            &gpu
        ));
        assert!(tolerates(
            &toleration("dedicated", "Exists", "", "NoSchedule"),
            &gpu
        ));
        assert!(!tolerates(
            &toleration("dedicated", "Exists", "", "NoExecute"),
            &gpu
        ));
        assert!(tolerates(&toleration("", "Exists", "", ""), &gpu));
        assert_eq!(
            describe(&taint(
                "node-role.kubernetes.io/control-plane",
                "",
                "NoSchedule"
            )),
            "{node-role.kubernetes.io/control-plane: }"
        );
    }
}
