//! DaemonSets (`pkg/registry/apps/daemonset`, `pkg/apis/apps/v1/defaults.go`,
//! `pkg/apis/apps/validation`): defaults, generation and the template generation that moves with
//! every template change, validation with the API server's messages, the immutable selector.

use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategy, RollingUpdateDaemonSet,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::field::{
    BadValue, ErrorList, FieldError, Path, go_label_selector, go_quote, go_string_map,
};
use crate::api::labels::Selector;
use crate::api::validation::{
    regex_error, validate_annotations, validate_label_selector, validate_labels,
};
use crate::apiserver::ApiServer;
use crate::apiserver::pod_spec::{set_defaults_pod_spec, validate_pod_spec};

use super::Registry;

/// apps/v1 exposes `templateGeneration` as this annotation.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";
const NON_NEGATIVE: &str = "must be greater than or equal to 0";

fn template_generation(daemon_set: &DaemonSet) -> Option<i64> {
    daemon_set
        .metadata
        .annotations
        .as_ref()?
        .get(TEMPLATE_GENERATION_ANNOTATION)?
        .parse()
        .ok()
}

fn set_template_generation(daemon_set: &mut DaemonSet, generation: i64) {
    daemon_set
        .metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(
            TEMPLATE_GENERATION_ANNOTATION.into(),
            generation.to_string(),
        );
}

impl Registry for DaemonSet {
    /// Status cleared, generation 1, and the template generation kept if given, else 1.
    fn prepare_for_create(&mut self) {
        self.status = None;
        self.metadata.generation = Some(1);
        let generation = template_generation(self).filter(|generation| *generation >= 1);
        set_template_generation(self, generation.unwrap_or(1));
    }

    /// `SetDefaults_DaemonSet`.
    fn apply_defaults(&mut self) {
        let spec = self.spec.get_or_insert_with(DaemonSetSpec::default);
        let strategy = spec
            .update_strategy
            .get_or_insert_with(DaemonSetUpdateStrategy::default);
        if strategy.type_.as_deref().is_none_or(str::is_empty) {
            strategy.type_ = Some("RollingUpdate".into());
        }
        if strategy.type_.as_deref() == Some("RollingUpdate") {
            let rolling = strategy
                .rolling_update
                .get_or_insert_with(RollingUpdateDaemonSet::default);
            rolling.max_unavailable.get_or_insert(IntOrString::Int(1));
            rolling.max_surge.get_or_insert(IntOrString::Int(0));
        }
        spec.revision_history_limit.get_or_insert(10);
        set_defaults_pod_spec(spec.template.spec.get_or_insert_with(Default::default));
    }

    /// `ValidateDaemonSet` (the object meta is checked by the API server itself).
    fn validate(&self, _api: &ApiServer) -> ErrorList {
        let mut errors = match &self.spec {
            Some(spec) => validate_daemon_set_spec(spec, &Path::new("spec")),
            None => ErrorList::new(),
        };
        if let Some(generation) = template_generation(self).filter(|generation| *generation < 0) {
            errors.push(FieldError::invalid(
                "spec.templateGeneration",
                generation,
                NON_NEGATIVE,
            ));
        }
        errors
    }

    /// The selector is immutable on apps/v1; a status must stay non-negative and may not lower
    /// collisionCount (`ValidateDaemonSetStatusUpdate`).
    fn validate_update(&self, old: &Self) -> ErrorList {
        let mut errors = ErrorList::new();
        let selector = self.spec.as_ref().map(|spec| &spec.selector);
        let old_selector = old.spec.as_ref().map(|spec| &spec.selector);
        if selector.map(normalized) != old_selector.map(normalized) {
            errors.push(FieldError::invalid(
                "spec.selector",
                BadValue::Go(selector.map_or_else(|| "null".into(), go_label_selector)),
                "field is immutable",
            ));
        }
        if self.status != old.status {
            let status = self.status.clone().unwrap_or_default();
            errors.extend(validate_daemon_set_status(&status, &Path::new("status")));
            let count = status.collision_count;
            let old_count = old
                .status
                .as_ref()
                .and_then(|status| status.collision_count);
            if old_count.is_some_and(|old_count| count.is_none_or(|count| count < old_count)) {
                errors.push(FieldError::invalid(
                    "status.collisionCount",
                    count.unwrap_or(0),
                    "cannot be decremented",
                ));
            }
        }
        errors
    }

    /// `PrepareForUpdate`: status kept; a template change bumps the template generation.
    fn prepare_for_update(&mut self, old: &Self) {
        self.status = old.status.clone();
        let old_template = old.spec.as_ref().map(|spec| &spec.template);
        let new_template = self.spec.as_ref().map(|spec| &spec.template);
        let old_generation = template_generation(old).unwrap_or(1);
        let generation = if old_template != new_template {
            old_generation + 1
        } else {
            old_generation
        };
        set_template_generation(self, generation);
    }

    fn prepare_for_status_update(&mut self, old: &Self) {
        let status = self.status.take();
        *self = old.clone();
        self.status = status;
    }

    fn generation_changed(&self, old: &Self) -> bool {
        self.spec != old.spec
    }
}

/// The selector with empty maps and lists read as absent, as `apiequality.Semantic` compares them.
fn normalized(selector: &LabelSelector) -> LabelSelector {
    LabelSelector {
        match_labels: selector
            .match_labels
            .clone()
            .filter(|labels| !labels.is_empty()),
        match_expressions: selector
            .match_expressions
            .clone()
            .filter(|expressions| !expressions.is_empty()),
    }
}

/// `ValidateDaemonSetSpec`, in upstream's order.
fn validate_daemon_set_spec(spec: &DaemonSetSpec, path: &Path) -> ErrorList {
    let selector_path = path.child("selector");
    let mut errors = validate_label_selector(&spec.selector, &selector_path);
    let template_labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|meta| meta.labels.as_ref());
    if let Ok(selector) = Selector::from_label_selector(Some(&spec.selector))
        && !selector.matches(template_labels)
    {
        errors.push(FieldError::invalid(
            path.child("template").child("metadata").child("labels"),
            BadValue::Go(go_string_map(template_labels)),
            "`selector` does not match template `labels`",
        ));
    }
    let selector_size = spec.selector.match_labels.as_ref().map_or(0, |m| m.len())
        + spec.selector.match_expressions.as_ref().map_or(0, Vec::len);
    if selector_size == 0 {
        errors.push(FieldError::invalid(
            selector_path,
            BadValue::Go(go_label_selector(&spec.selector)),
            "empty selector is invalid for daemonset",
        ));
    }
    let template_path = path.child("template");
    if let Some(meta) = &spec.template.metadata {
        let meta_path = template_path.child("metadata");
        errors.extend(validate_labels(
            meta.labels.as_ref(),
            &meta_path.child("labels"),
        ));
        errors.extend(validate_annotations(
            meta.annotations.as_ref(),
            &meta_path.child("annotations"),
        ));
    }
    let pod_spec = spec.template.spec.clone().unwrap_or_default();
    let pod_path = template_path.child("spec");
    errors.extend(validate_pod_spec(&pod_spec, &pod_path));
    let restart_policy = pod_spec.restart_policy.as_deref().unwrap_or_default();
    if restart_policy != "Always" {
        errors.push(FieldError::not_supported(
            pod_path.child("restartPolicy"),
            restart_policy,
            &["Always"],
        ));
    }
    if pod_spec.active_deadline_seconds.is_some() {
        errors.push(FieldError::forbidden(
            pod_path.child("activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    if let Some(seconds) = spec.min_ready_seconds.filter(|seconds| *seconds < 0) {
        errors.push(FieldError::invalid(
            path.child("minReadySeconds"),
            seconds,
            NON_NEGATIVE,
        ));
    }
    if let Some(strategy) = &spec.update_strategy {
        errors.extend(validate_daemon_set_update_strategy(
            strategy,
            &path.child("updateStrategy"),
        ));
    }
    if let Some(limit) = spec.revision_history_limit.filter(|limit| *limit < 0) {
        errors.push(FieldError::invalid(
            path.child("revisionHistoryLimit"),
            limit,
            NON_NEGATIVE,
        ));
    }
    errors
}

/// `ValidateDaemonSetUpdateStrategy`.
fn validate_daemon_set_update_strategy(
    strategy: &DaemonSetUpdateStrategy,
    path: &Path,
) -> ErrorList {
    match strategy.type_.as_deref().unwrap_or_default() {
        "OnDelete" => ErrorList::new(),
        "RollingUpdate" => match &strategy.rolling_update {
            None => vec![FieldError::required(path.child("rollingUpdate"), "")],
            Some(rolling) => {
                validate_rolling_update_daemon_set(rolling, &path.child("rollingUpdate"))
            }
        },
        other => {
            // The internal type has no String method: the value prints with Go's %#v (a set
            // rollingUpdate shows as a pointer, whose address kubeplay cannot reproduce).
            let rolling = if strategy.rolling_update.is_some() {
                "(*apps.RollingUpdateDaemonSet)(0xc000000000)"
            } else {
                "(*apps.RollingUpdateDaemonSet)(nil)"
            };
            let value = format!(
                "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{rolling}}}",
                go_quote(other)
            );
            vec![FieldError::not_supported(
                path.as_str(),
                BadValue::Go(value),
                &["RollingUpdate", "OnDelete"],
            )]
        }
    }
}

/// `ValidateRollingUpdateDaemonSet`: both values ints ≥ 0 or percents ≤ 100%, exactly one non-zero.
fn validate_rolling_update_daemon_set(rolling: &RollingUpdateDaemonSet, path: &Path) -> ErrorList {
    let zero = IntOrString::Int(0);
    let max_unavailable = rolling.max_unavailable.as_ref().unwrap_or(&zero);
    let max_surge = rolling.max_surge.as_ref().unwrap_or(&zero);
    let unavailable_path = path.child("maxUnavailable");
    let surge_path = path.child("maxSurge");
    let mut errors = validate_positive_int_or_percent(max_unavailable, &unavailable_path);
    errors.extend(validate_positive_int_or_percent(max_surge, &surge_path));
    errors.extend(is_not_more_than_100_percent(
        max_unavailable,
        &unavailable_path,
    ));
    errors.extend(is_not_more_than_100_percent(max_surge, &surge_path));
    let has_unavailable = int_or_percent_value(max_unavailable) != 0;
    let has_surge = int_or_percent_value(max_surge) != 0;
    if has_unavailable && has_surge {
        errors.push(FieldError::invalid(
            surge_path,
            BadValue::Go(go_int_or_string(max_surge)),
            "may not be set when maxUnavailable is non-zero",
        ));
    } else if !has_unavailable && !has_surge {
        errors.push(FieldError::required(
            unavailable_path,
            "cannot be 0 when maxSurge is 0",
        ));
    }
    errors
}

/// `validation.IsValidPercent`: digits then `%`.
fn is_valid_percent(value: &str) -> bool {
    value
        .strip_suffix('%')
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// `ValidatePositiveIntOrPercent`.
fn validate_positive_int_or_percent(value: &IntOrString, path: &Path) -> ErrorList {
    match value {
        IntOrString::String(text) if !is_valid_percent(text) => vec![FieldError::invalid(
            path,
            BadValue::Go(go_int_or_string(value)),
            regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'",
                "[0-9]+%",
                &["1%", "93%"],
            ),
        )],
        IntOrString::Int(number) if *number < 0 => {
            vec![FieldError::invalid(path, *number, NON_NEGATIVE)]
        }
        _ => ErrorList::new(),
    }
}

/// `getPercentValue`.
fn percent_value(value: &IntOrString) -> Option<i64> {
    match value {
        IntOrString::String(text) if is_valid_percent(text) => {
            text.trim_end_matches('%').parse().ok()
        }
        _ => None,
    }
}

/// `getIntOrPercentValue`: the percent, the int, or a string's `Atoi` (0 when not a number).
fn int_or_percent_value(value: &IntOrString) -> i64 {
    match (percent_value(value), value) {
        (Some(percent), _) => percent,
        (None, IntOrString::Int(number)) => i64::from(*number),
        (None, IntOrString::String(text)) => text.parse().unwrap_or(0),
    }
}

/// `IsNotMoreThan100Percent`.
fn is_not_more_than_100_percent(value: &IntOrString, path: &Path) -> ErrorList {
    match percent_value(value) {
        Some(percent) if percent > 100 => vec![FieldError::invalid(
            path,
            BadValue::Go(go_int_or_string(value)),
            "must not be greater than 100%",
        )],
        _ => ErrorList::new(),
    }
}

/// `validateDaemonSetStatus`: every count non-negative.
fn validate_daemon_set_status(status: &DaemonSetStatus, path: &Path) -> ErrorList {
    let int = |value: i32| Some(i64::from(value));
    let fields = [
        (
            "currentNumberScheduled",
            int(status.current_number_scheduled),
        ),
        ("numberMisscheduled", int(status.number_misscheduled)),
        (
            "desiredNumberScheduled",
            int(status.desired_number_scheduled),
        ),
        ("numberReady", int(status.number_ready)),
        ("observedGeneration", status.observed_generation),
        (
            "updatedNumberScheduled",
            status.updated_number_scheduled.map(i64::from),
        ),
        ("numberAvailable", status.number_available.map(i64::from)),
        (
            "numberUnavailable",
            status.number_unavailable.map(i64::from),
        ),
        ("collisionCount", status.collision_count.map(i64::from)),
    ];
    fields
        .into_iter()
        .filter_map(|(field, value)| Some((field, value.filter(|value| *value < 0)?)))
        .map(|(field, value)| FieldError::invalid(path.child(field), value, NON_NEGATIVE))
        .collect()
}

/// Go's `%#v` of an `intstr.IntOrString` (its String method has a pointer receiver, so the
/// validation messages print the struct).
fn go_int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(number) => {
            format!("intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:\"\"}}")
        }
        IntOrString::String(text) => format!(
            "intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}",
            go_quote(text)
        ),
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;
    use crate::apiserver::ApiError;

    fn daemon_set(name: &str) -> DaemonSet {
        let labels = || Some([("app".to_string(), name.to_string())].into());
        DaemonSet {
            metadata: ObjectMeta {
                name: Some(name.into()),
                ..ObjectMeta::default()
            },
            spec: Some(DaemonSetSpec {
                selector: LabelSelector {
                    match_labels: labels(),
                    match_expressions: None,
                },
                template: PodTemplateSpec {
                    metadata: Some(ObjectMeta {
                        labels: labels(),
                        ..ObjectMeta::default()
                    }),
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "main".into(),
                            image: Some("httpd:2.4".into()),
                            ..Container::default()
                        }],
                        ..PodSpec::default()
                    }),
                },
                ..DaemonSetSpec::default()
            }),
            status: None,
        }
    }

    fn create_error(change: impl FnOnce(&mut DaemonSetSpec)) -> String {
        let mut api = ApiServer::new(0, 1);
        let mut ds = daemon_set("web");
        if let Some(spec) = ds.spec.as_mut() {
            change(spec);
        }
        match api.create(ds) {
            Ok(_) => "created".into(),
            Err(error) => error.to_string(),
        }
    }

    fn rolling(
        unavailable: Option<IntOrString>,
        surge: Option<IntOrString>,
    ) -> impl FnOnce(&mut DaemonSetSpec) {
        move |spec: &mut DaemonSetSpec| {
            spec.update_strategy = Some(DaemonSetUpdateStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDaemonSet {
                    max_unavailable: unavailable,
                    max_surge: surge,
                }),
            });
        }
    }

    #[test]
    fn defaults_match_apps_v1() {
        let mut api = ApiServer::new(0, 1);
        let created = api
            .create(daemon_set("web"))
            .unwrap_or_else(|e| panic!("{e}"));
        let spec = created.spec.clone().unwrap_or_default();
        let strategy = spec.update_strategy.unwrap_or_default();
        assert_eq!(strategy.type_.as_deref(), Some("RollingUpdate"));
        let rolling = strategy.rolling_update.unwrap_or_default();
        assert_eq!(rolling.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(rolling.max_surge, Some(IntOrString::Int(0)));
        assert_eq!(spec.revision_history_limit, Some(10));
        assert_eq!(template_generation(&created), Some(1));
        assert_eq!(created.metadata.generation, Some(1));
    }

    #[test]
    fn selector_must_match_template_labels() {
        assert_eq!(
            create_error(|spec| {
                spec.selector.match_labels = Some([("app".to_string(), "other".to_string())].into())
            }),
            "The DaemonSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn empty_selector_is_invalid() {
        assert_eq!(
            create_error(|spec| spec.selector = LabelSelector::default()),
            "The DaemonSet \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"
        );
    }

    #[test]
    fn restart_policy_and_deadline() {
        assert_eq!(
            create_error(|spec| {
                if let Some(pod) = spec.template.spec.as_mut() {
                    pod.restart_policy = Some("Never".into());
                }
            }),
            "The DaemonSet \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
        assert_eq!(
            create_error(|spec| {
                if let Some(pod) = spec.template.spec.as_mut() {
                    pod.active_deadline_seconds = Some(10);
                }
            }),
            "The DaemonSet \"web\" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"
        );
    }

    #[test]
    fn non_negative_fields() {
        assert_eq!(
            create_error(|spec| spec.min_ready_seconds = Some(-1)),
            "The DaemonSet \"web\" is invalid: spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            create_error(|spec| spec.revision_history_limit = Some(-1)),
            "The DaemonSet \"web\" is invalid: spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn strategy_type_must_be_known() {
        assert_eq!(
            create_error(|spec| {
                spec.update_strategy = Some(DaemonSetUpdateStrategy {
                    type_: Some("Recreate".into()),
                    rolling_update: None,
                })
            }),
            "The DaemonSet \"web\" is invalid: spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: \"RollingUpdate\", \"OnDelete\""
        );
    }

    #[test]
    fn surge_and_unavailable_rules() {
        // maxSurge alone: maxUnavailable defaults to 1, so both are non-zero.
        assert_eq!(
            create_error(rolling(None, Some(IntOrString::Int(1)))),
            "The DaemonSet \"web\" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero"
        );
        assert_eq!(
            create_error(rolling(
                Some(IntOrString::Int(0)),
                Some(IntOrString::Int(0))
            )),
            "The DaemonSet \"web\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
        );
        assert_eq!(
            create_error(rolling(Some(IntOrString::String("150%".into())), None)),
            "The DaemonSet \"web\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"
        );
        assert_eq!(
            create_error(rolling(Some(IntOrString::String("ten".into())), None)),
            "The DaemonSet \"web\" is invalid: \n* spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"ten\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')\n* spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
        );
        assert_eq!(
            create_error(rolling(Some(IntOrString::Int(-1)), None)),
            "The DaemonSet \"web\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"
        );
        assert_eq!(
            create_error(rolling(
                Some(IntOrString::Int(0)),
                Some(IntOrString::String("25%".into()))
            )),
            "created"
        );
        assert_eq!(
            create_error(rolling(Some(IntOrString::String("10%".into())), None)),
            "created"
        );
    }

    #[test]
    fn selector_is_immutable_and_template_changes_bump_generations() {
        let mut api = ApiServer::new(0, 1);
        let created = api
            .create(daemon_set("web"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut changed = created.as_ref().clone();
        if let Some(spec) = changed.spec.as_mut() {
            spec.selector.match_labels = Some([("app".to_string(), "x".to_string())].into());
        }
        let error: ApiError = api
            .update(changed)
            .err()
            .unwrap_or_else(|| panic!("accepted"));
        assert!(
            error.to_string().contains(
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
            ),
            "{error}"
        );
        let mut image = created.as_ref().clone();
        if let Some(pod) = image
            .spec
            .as_mut()
            .and_then(|spec| spec.template.spec.as_mut())
        {
            pod.containers[0].image = Some("httpd:2.5".into());
        }
        let updated = api.update(image).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(template_generation(&updated), Some(2));
        assert_eq!(updated.metadata.generation, Some(2));
        let mut limit = updated.as_ref().clone();
        if let Some(spec) = limit.spec.as_mut() {
            spec.revision_history_limit = Some(3);
        }
        let updated = api.update(limit).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(template_generation(&updated), Some(2));
        assert_eq!(updated.metadata.generation, Some(3));
    }
}
