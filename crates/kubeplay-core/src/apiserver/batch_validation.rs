//! Job and CronJob validation (`pkg/apis/batch/validation`): the spec rules on create and
//! update, the fields that may not change, and the status transitions a status update may not
//! make, with the API server's messages.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{
    CronJob, CronJobSpec, Job, JobSpec, JobStatus, JobTemplateSpec,
    PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule, SuccessPolicyRule,
};

use crate::api::field::{
    BadValue, ErrorList, ErrorType, FieldError, Path, go_label_selector, go_quote, go_string_map,
};
use crate::api::labels::Selector;
use crate::api::validation::{
    is_dns1123_label, is_dns1123_subdomain, is_qualified_name, regex_error, validate_annotations,
    validate_label_selector, validate_labels,
};
use crate::apiserver::pod_spec::validate_pod_spec;
use crate::apiserver::registry::job::{
    LABEL_CONTROLLER_UID, LABEL_JOB_NAME, LEGACY_LABEL_CONTROLLER_UID, LEGACY_LABEL_JOB_NAME,
};
use crate::cron;

const MAX_PARALLELISM_FOR_INDEXED_JOB: i32 = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB: i32 = 100_000;
const COMPLETIONS_SOFT_LIMIT: i32 = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS: i32 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS: usize = 20;
const MAX_MANAGED_BY_LENGTH: usize = 63;
const MAX_JOB_SUCCESS_POLICY_SUCCEEDED_INDEXES_LIMIT: usize = 64 * 1024;
const MAX_SUCCESS_POLICY_RULE: usize = 20;
const FIELD_IMMUTABLE: &str = "field is immutable";
const POD_FAILURE_POLICY_ACTIONS: &[&str] = &["Count", "FailIndex", "FailJob", "Ignore"];
const ON_EXIT_CODES_OPERATORS: &[&str] = &["In", "NotIn"];
const CONDITION_STATUSES: &[&str] = &["False", "True", "Unknown"];
/// A Job's name is `<cronjob>-<minutes since the epoch>`: 11 characters after a 52-character
/// CronJob name make a 63-character DNS label.
const MAX_CRON_JOB_NAME_LENGTH: usize = 52;
const CONCURRENCY_POLICIES: &[&str] = &["Allow", "Forbid", "Replace"];

/// `ValidateJob` less the object metadata, which the registry checks for every kind.
pub fn validate_job(job: &Job) -> ErrorList {
    let default_spec = JobSpec::default();
    let spec = job.spec.as_ref().unwrap_or(&default_spec);
    let mut errors = validate_generated_selector(job, spec);
    errors.extend(validate_job_spec(spec, &Path::new("spec")));
    if spec.completion_mode.as_deref() == Some("Indexed")
        && let Some(completions) = spec.completions.filter(|completions| *completions > 0)
    {
        // Pods get the hostname `<job>-<index>`; the largest index must still make a DNS label.
        let name = job.metadata.name.clone().unwrap_or_default();
        let hostname = format!("{name}-{}", completions - 1);
        if !is_dns1123_label(&hostname).is_empty() {
            errors.push(FieldError::invalid(
                "metadata.name",
                name,
                format!("will not able to create pod with invalid DNS label: {hostname}"),
            ));
        }
    }
    errors
}

/// `validateGeneratedSelector`: a generated selector and labels must name this Job.
fn validate_generated_selector(job: &Job, spec: &JobSpec) -> ErrorList {
    let mut errors = ErrorList::new();
    if spec.manual_selector == Some(true) {
        return errors;
    }
    let Some(selector) = &spec.selector else {
        return errors;
    };
    let uid = job.metadata.uid.clone().unwrap_or_default();
    let name = job.metadata.name.clone().unwrap_or_default();
    if uid.is_empty() {
        errors.push(FieldError::required("metadata.uid", ""));
    }
    let labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|meta| meta.labels.as_ref());
    let path = Path::new("spec.template.metadata");
    let expected = [
        (LEGACY_LABEL_CONTROLLER_UID, &uid),
        (LEGACY_LABEL_JOB_NAME, &name),
        (LABEL_CONTROLLER_UID, &uid),
        (LABEL_JOB_NAME, &name),
    ];
    for (key, value) in expected {
        errors.extend(validate_has_label(labels, &path, key, value));
    }
    let expected: BTreeMap<String, String> = expected
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    if let Ok(parsed) = Selector::from_label_selector(Some(selector))
        && !parsed.matches(Some(&expected))
    {
        errors.push(FieldError::invalid(
            "spec.selector",
            BadValue::Go(go_label_selector(selector)),
            "`selector` not auto-generated",
        ));
    }
    errors
}

/// `ValidateHasLabel`.
fn validate_has_label(
    labels: Option<&BTreeMap<String, String>>,
    path: &Path,
    key: &str,
    expected: &str,
) -> ErrorList {
    let field = path.child("labels").key(key);
    match labels.and_then(|labels| labels.get(key)) {
        None => vec![FieldError::required(field, format!("must be '{expected}'"))],
        Some(actual) if actual != expected => vec![FieldError::invalid(
            field,
            BadValue::Go(go_string_map(labels)),
            format!("must be '{expected}'"),
        )],
        Some(_) => ErrorList::new(),
    }
}

/// `ValidateJobSpec`: the spec rules, the selector, and the selector matching the template.
pub fn validate_job_spec(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errors = validate_job_spec_fields(spec, path);
    match &spec.selector {
        None => errors.push(FieldError::required(path.child("selector"), "")),
        Some(selector) => errors.extend(validate_label_selector(selector, &path.child("selector"))),
    }
    let labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|meta| meta.labels.as_ref());
    if let Ok(selector) = Selector::from_label_selector(spec.selector.as_ref())
        && spec.selector.is_some()
        && !selector.matches(labels)
    {
        errors.push(FieldError::invalid(
            path.child("template").child("metadata").child("labels"),
            BadValue::Go(go_string_map(labels)),
            "`selector` does not match template `labels`",
        ));
    }
    errors
}

fn non_negative(value: Option<impl Into<i64>>, path: Path) -> Option<FieldError> {
    let value: i64 = value?.into();
    (value < 0).then(|| FieldError::invalid(path, value, "must be greater than or equal to 0"))
}

/// `validateJobSpec`.
fn validate_job_spec_fields(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    errors.extend(non_negative(spec.parallelism, path.child("parallelism")));
    errors.extend(non_negative(spec.completions, path.child("completions")));
    errors.extend(non_negative(
        spec.active_deadline_seconds,
        path.child("activeDeadlineSeconds"),
    ));
    errors.extend(non_negative(spec.backoff_limit, path.child("backoffLimit")));
    errors.extend(non_negative(
        spec.ttl_seconds_after_finished,
        path.child("ttlSecondsAfterFinished"),
    ));
    errors.extend(non_negative(
        spec.backoff_limit_per_index,
        path.child("backoffLimitPerIndex"),
    ));
    if spec.max_failed_indexes.is_some() {
        errors.extend(non_negative(
            spec.max_failed_indexes,
            path.child("maxFailedIndexes"),
        ));
        if spec.backoff_limit_per_index.is_none() {
            errors.push(FieldError::required(
                path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(managed_by) = &spec.managed_by {
        errors.extend(is_domain_prefixed_path(
            &path.child("managedBy"),
            managed_by,
        ));
        if managed_by.len() > MAX_MANAGED_BY_LENGTH {
            errors.push(FieldError::too_long(
                path.child("managedBy"),
                MAX_MANAGED_BY_LENGTH,
            ));
        }
    }
    let indexed = spec.completion_mode.as_deref() == Some("Indexed");
    if let Some(mode) = spec.completion_mode.as_deref() {
        if mode != "NonIndexed" && mode != "Indexed" {
            errors.push(FieldError::not_supported(
                path.child("completionMode"),
                mode,
                &["NonIndexed", "Indexed"],
            ));
        }
        if indexed {
            errors.extend(validate_indexed_limits(spec, path));
        }
    }
    if !indexed {
        if let Some(limit) = spec.backoff_limit_per_index {
            errors.push(FieldError::invalid(
                path.child("backoffLimitPerIndex"),
                limit,
                "requires indexed completion mode",
            ));
        }
        if let Some(max) = spec.max_failed_indexes {
            errors.push(FieldError::invalid(
                path.child("maxFailedIndexes"),
                max,
                "requires indexed completion mode",
            ));
        }
    }
    if spec.pod_failure_policy.is_some() {
        errors.extend(validate_pod_failure_policy(
            spec,
            &path.child("podFailurePolicy"),
        ));
    }
    if let Some(policy) = &spec.success_policy {
        if indexed {
            errors.extend(validate_success_policy(spec, &path.child("successPolicy")));
        } else {
            errors.push(FieldError::invalid(
                path.child("successPolicy"),
                BadValue::Go(go_success_policy(&policy.rules)),
                "requires indexed completion mode",
            ));
        }
    }
    errors.extend(validate_pod_replacement_policy(
        spec,
        &path.child("podReplacementPolicy"),
    ));
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
    let default_pod_spec = Default::default();
    let pod_spec = spec.template.spec.as_ref().unwrap_or(&default_pod_spec);
    errors.extend(validate_pod_spec(pod_spec, &template_path.child("spec")));
    let restart_path = template_path.child("spec").child("restartPolicy");
    match pod_spec.restart_policy.as_deref().unwrap_or_default() {
        // Left empty, the pod defaults fill in Always: both ask for a choice.
        "Always" | "" => errors.push(FieldError::required(
            restart_path,
            "valid values: \"OnFailure\", \"Never\"",
        )),
        "OnFailure" if spec.pod_failure_policy.is_some() => errors.push(FieldError::invalid(
            restart_path,
            "OnFailure",
            "only \"Never\" is supported when podFailurePolicy is specified",
        )),
        "OnFailure" | "Never" => {}
        other => errors.push(FieldError::not_supported(
            restart_path,
            other,
            &["OnFailure", "Never"],
        )),
    }
    errors
}

fn validate_indexed_limits(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    if spec.completions.is_none() {
        errors.push(FieldError::required(
            path.child("completions"),
            "when completion mode is Indexed",
        ));
    }
    if let Some(parallelism) = spec
        .parallelism
        .filter(|parallelism| *parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB)
    {
        errors.push(FieldError::invalid(
            path.child("parallelism"),
            parallelism,
            format!(
                "must be less than or equal to {MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed"
            ),
        ));
    }
    if let (Some(completions), Some(max)) = (spec.completions, spec.max_failed_indexes)
        && max > completions
    {
        errors.push(FieldError::invalid(
            path.child("maxFailedIndexes"),
            max,
            "must be less than or equal to completions",
        ));
    }
    if let Some(max) = spec
        .max_failed_indexes
        .filter(|max| *max > MAX_FAILED_INDEXES_FOR_INDEXED_JOB)
    {
        errors.push(FieldError::invalid(
            path.child("maxFailedIndexes"),
            max,
            format!("must be less than or equal to {MAX_FAILED_INDEXES_FOR_INDEXED_JOB}"),
        ));
    }
    if spec
        .completions
        .is_some_and(|completions| completions > COMPLETIONS_SOFT_LIMIT)
        && spec.backoff_limit_per_index.is_some()
    {
        if spec.max_failed_indexes.is_none() {
            errors.push(FieldError::required(
                path.child("maxFailedIndexes"),
                format!("must be specified when completions is above {COMPLETIONS_SOFT_LIMIT}"),
            ));
        }
        if let Some(parallelism) = spec
            .parallelism
            .filter(|parallelism| *parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS)
        {
            errors.push(FieldError::invalid(
                path.child("parallelism"),
                parallelism,
                format!("must be less than or equal to {PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
            ));
        }
        if let Some(max) = spec
            .max_failed_indexes
            .filter(|max| *max > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS)
        {
            errors.push(FieldError::invalid(
                path.child("maxFailedIndexes"),
                max,
                format!("must be less than or equal to {MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} when completions are above {COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index"),
            ));
        }
    }
    errors
}

/// `IsDomainPrefixedPath`, the rule for `spec.managedBy`.
fn is_domain_prefixed_path(path: &Path, value: &str) -> ErrorList {
    if value.is_empty() {
        return vec![FieldError::required(path.clone(), "")];
    }
    let Some((host, rest)) = value
        .split_once('/')
        .filter(|(host, rest)| !host.is_empty() && !rest.is_empty())
    else {
        return vec![FieldError::invalid(
            path.clone(),
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        )];
    };
    let mut errors: ErrorList = is_dns1123_subdomain(host)
        .into_iter()
        .map(|message| FieldError::invalid(path.clone(), host, message))
        .collect();
    const HTTP_PATH_FMT: &str = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    if !rest
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c))
    {
        errors.push(FieldError::invalid(
            path.clone(),
            rest,
            regex_error("Invalid path", HTTP_PATH_FMT, &[]),
        ));
    }
    errors
}

fn too_many(path: Path, actual: usize, max: usize) -> FieldError {
    FieldError::new(
        ErrorType::TooMany,
        path,
        BadValue::Int(actual as i64),
        format!("must have at most {max} items"),
    )
}

/// Go's `%q` of a string slice: `["a" "b"]`.
fn go_quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|value| go_quote(value)).collect();
    format!("[{}]", quoted.join(" "))
}

fn validate_pod_failure_policy(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let Some(policy) = &spec.pod_failure_policy else {
        return errors;
    };
    let rules_path = path.child("rules");
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errors.push(too_many(
            rules_path.clone(),
            policy.rules.len(),
            MAX_POD_FAILURE_POLICY_RULES,
        ));
    }
    let pod_spec = spec.template.spec.as_ref();
    let container_names: Vec<&str> = pod_spec
        .into_iter()
        .flat_map(|pod_spec| {
            pod_spec
                .containers
                .iter()
                .chain(pod_spec.init_containers.iter().flatten())
        })
        .map(|container| container.name.as_str())
        .collect();
    for (i, rule) in policy.rules.iter().enumerate() {
        errors.extend(validate_pod_failure_policy_rule(
            spec,
            rule,
            &rules_path.index(i),
            &container_names,
        ));
    }
    errors
}

fn validate_pod_failure_policy_rule(
    spec: &JobSpec,
    rule: &PodFailurePolicyRule,
    path: &Path,
    container_names: &[&str],
) -> ErrorList {
    let mut errors = ErrorList::new();
    let action_path = path.child("action");
    match rule.action.as_str() {
        "" => errors.push(FieldError::required(
            action_path,
            format!(
                "valid values: {}",
                go_quoted_list(POD_FAILURE_POLICY_ACTIONS)
            ),
        )),
        "FailIndex" if spec.backoff_limit_per_index.is_none() => {
            errors.push(FieldError::invalid(
                action_path,
                "FailIndex",
                "requires the backoffLimitPerIndex to be set",
            ));
        }
        "FailIndex" => {}
        action if !POD_FAILURE_POLICY_ACTIONS.contains(&action) => errors.push(
            FieldError::not_supported(action_path, action, POD_FAILURE_POLICY_ACTIONS),
        ),
        _ => {}
    }
    if let Some(requirement) = &rule.on_exit_codes {
        errors.extend(validate_on_exit_codes(
            requirement,
            &path.child("onExitCodes"),
            container_names,
        ));
    }
    let conditions = rule.on_pod_conditions.as_deref().unwrap_or_default();
    if !conditions.is_empty() {
        errors.extend(validate_on_pod_conditions(
            conditions,
            &path.child("onPodConditions"),
        ));
    }
    if rule.on_exit_codes.is_some() && !conditions.is_empty() {
        errors.push(FieldError::new(
            ErrorType::Invalid,
            path.clone(),
            BadValue::Omit,
            "specifying both OnExitCodes and OnPodConditions is not supported",
        ));
    }
    if rule.on_exit_codes.is_none() && conditions.is_empty() {
        errors.push(FieldError::new(
            ErrorType::Invalid,
            path.clone(),
            BadValue::Omit,
            "specifying one of OnExitCodes and OnPodConditions is required",
        ));
    }
    errors
}

fn go_int32_slice(values: &[i32]) -> String {
    if values.is_empty() {
        return "[]int32(nil)".into();
    }
    let joined: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("[]int32{{{}}}", joined.join(", "))
}

fn validate_on_exit_codes(
    requirement: &PodFailurePolicyOnExitCodesRequirement,
    path: &Path,
    container_names: &[&str],
) -> ErrorList {
    let mut errors = ErrorList::new();
    let operator_path = path.child("operator");
    match requirement.operator.as_str() {
        "" => errors.push(FieldError::required(
            operator_path,
            format!("valid values: {}", go_quoted_list(ON_EXIT_CODES_OPERATORS)),
        )),
        operator if !ON_EXIT_CODES_OPERATORS.contains(&operator) => errors.push(
            FieldError::not_supported(operator_path, operator, ON_EXIT_CODES_OPERATORS),
        ),
        _ => {}
    }
    if let Some(name) = &requirement.container_name
        && !container_names.contains(&name.as_str())
    {
        errors.push(FieldError::invalid(
            path.child("containerName"),
            name.as_str(),
            "must be one of the container or initContainer names in the pod template",
        ));
    }
    let values_path = path.child("values");
    let values = &requirement.values;
    if values.is_empty() {
        errors.push(FieldError::invalid(
            values_path.clone(),
            BadValue::Go(go_int32_slice(values)),
            "at least one value is required",
        ));
    } else if values.len() > MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES {
        errors.push(too_many(
            values_path.clone(),
            values.len(),
            MAX_POD_FAILURE_POLICY_ON_EXIT_CODES_VALUES,
        ));
    }
    let mut ordered = true;
    let mut seen = std::collections::BTreeSet::new();
    for (j, value) in values.iter().enumerate() {
        let value_path = values_path.index(j);
        if requirement.operator == "In" && *value == 0 {
            errors.push(FieldError::invalid(
                value_path.clone(),
                *value,
                "must not be 0 for the In operator",
            ));
        }
        if !seen.insert(*value) {
            errors.push(FieldError::duplicate(value_path, *value));
        }
        if j > 0 && values[j - 1] > *value {
            ordered = false;
        }
    }
    if !ordered {
        errors.push(FieldError::invalid(
            values_path,
            BadValue::Go(go_int32_slice(values)),
            "must be ordered",
        ));
    }
    errors
}

fn validate_on_pod_conditions(
    patterns: &[PodFailurePolicyOnPodConditionsPattern],
    path: &Path,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if patterns.len() > MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS {
        errors.push(too_many(
            path.clone(),
            patterns.len(),
            MAX_POD_FAILURE_POLICY_ON_POD_CONDITIONS_PATTERNS,
        ));
    }
    for (j, pattern) in patterns.iter().enumerate() {
        let pattern_path = path.index(j);
        for message in is_qualified_name(&pattern.type_) {
            errors.push(FieldError::invalid(
                pattern_path.child("type"),
                pattern.type_.as_str(),
                message,
            ));
        }
        let status_path = pattern_path.child("status");
        match pattern.status.as_str() {
            "" => errors.push(FieldError::required(
                status_path,
                format!("valid values: {}", go_quoted_list(CONDITION_STATUSES)),
            )),
            status if !CONDITION_STATUSES.contains(&status) => errors.push(
                FieldError::not_supported(status_path, status, CONDITION_STATUSES),
            ),
            _ => {}
        }
    }
    errors
}

fn validate_pod_replacement_policy(spec: &JobSpec, path: &Path) -> ErrorList {
    let Some(policy) = spec.pod_replacement_policy.as_deref() else {
        return ErrorList::new();
    };
    if spec.pod_failure_policy.is_some() {
        if policy != "Failed" {
            return vec![FieldError::not_supported(path.clone(), policy, &["Failed"])];
        }
    } else if policy != "Failed" && policy != "TerminatingOrFailed" {
        return vec![FieldError::not_supported(
            path.clone(),
            policy,
            &["Failed", "TerminatingOrFailed"],
        )];
    }
    ErrorList::new()
}

fn validate_success_policy(spec: &JobSpec, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let Some(policy) = &spec.success_policy else {
        return errors;
    };
    let rules_path = path.child("rules");
    if policy.rules.is_empty() {
        errors.push(FieldError::required(
            rules_path.clone(),
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if policy.rules.len() > MAX_SUCCESS_POLICY_RULE {
        errors.push(too_many(
            rules_path.clone(),
            policy.rules.len(),
            MAX_SUCCESS_POLICY_RULE,
        ));
    }
    let completions = spec.completions.unwrap_or(0);
    for (i, rule) in policy.rules.iter().enumerate() {
        errors.extend(validate_success_policy_rule(
            rule,
            completions,
            &rules_path.index(i),
        ));
    }
    errors
}

fn validate_success_policy_rule(
    rule: &SuccessPolicyRule,
    completions: i32,
    path: &Path,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
        errors.push(FieldError::required(
            path.clone(),
            "at least one of succeededCount or succeededIndexes must be specified",
        ));
    }
    let mut total_indexes = 0;
    if let Some(indexes) = &rule.succeeded_indexes {
        let indexes_path = path.child("succeededIndexes");
        if indexes.len() > MAX_JOB_SUCCESS_POLICY_SUCCEEDED_INDEXES_LIMIT {
            errors.push(FieldError::too_long(
                indexes_path.clone(),
                MAX_JOB_SUCCESS_POLICY_SUCCEEDED_INDEXES_LIMIT,
            ));
        }
        match validate_indexes_format(indexes, completions) {
            Ok(total) => total_indexes = total,
            Err(message) => errors.push(FieldError::invalid(
                indexes_path,
                indexes.as_str(),
                format!("error parsing succeededIndexes: {message}"),
            )),
        }
    }
    if let Some(count) = rule.succeeded_count {
        let count_path = path.child("succeededCount");
        errors.extend(non_negative(Some(count), count_path.clone()));
        if count > completions {
            errors.push(FieldError::invalid(
                count_path.clone(),
                count,
                format!(
                    "must be less than or equal to {completions} (the number of specified completions)"
                ),
            ));
        }
        if rule.succeeded_indexes.is_some() && i64::from(count) > total_indexes {
            errors.push(FieldError::invalid(
                count_path,
                count,
                format!(
                    "must be less than or equal to {total_indexes} (the number of indexes in the specified succeededIndexes field)"
                ),
            ));
        }
    }
    errors
}

/// `validateIndexesFormat`: how many indexes `1,3-5` names, or why it cannot be read.
pub fn validate_indexes_format(indexes: &str, completions: i32) -> Result<i64, String> {
    if indexes.is_empty() {
        return Ok(0);
    }
    let mut last: Option<i64> = None;
    let mut total = 0;
    let parse = |text: &str| -> Result<i64, String> {
        let value = text.parse::<i64>().map_err(|_| {
            format!(
                "cannot convert string to integer for index: {}",
                go_quote(text)
            )
        })?;
        if value >= i64::from(completions) {
            return Err(format!("too large index: {}", go_quote(text)));
        }
        Ok(value)
    };
    for fragment in indexes.split(',') {
        let limits: Vec<&str> = fragment.split('-').collect();
        if limits.len() > 2 {
            return Err(format!(
                "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
                go_quote(fragment)
            ));
        }
        let first = parse(limits[0])?;
        if let Some(previous) = last
            && previous >= first
        {
            return Err(format!(
                "non-increasing order, previous: {previous}, current: {first}"
            ));
        }
        total += 1;
        last = Some(first);
        if let Some(text) = limits.get(1) {
            let end = parse(text)?;
            if first >= end {
                return Err(format!(
                    "non-increasing order, previous: {first}, current: {end}"
                ));
            }
            total += end - first;
            last = Some(end);
        }
    }
    Ok(total)
}

/// `ValidateCronJobCreate` less the object metadata: the spec, and a name short enough for the
/// Jobs the controller names after it.
pub fn validate_cron_job_create(cron_job: &CronJob) -> ErrorList {
    let default_spec = CronJobSpec::default();
    let spec = cron_job.spec.as_ref().unwrap_or(&default_spec);
    let mut errors = validate_cron_job_spec(spec, None, &Path::new("spec"));
    let name = cron_job.metadata.name.as_deref().unwrap_or_default();
    if name.len() > MAX_CRON_JOB_NAME_LENGTH {
        errors.push(FieldError::invalid(
            "metadata.name",
            name,
            format!("must be no more than {MAX_CRON_JOB_NAME_LENGTH} characters"),
        ));
    }
    errors
}

/// `ValidateCronJobUpdate` less the object metadata. The name length is not checked again, so
/// an old CronJob with a long name can still be changed.
pub fn validate_cron_job_update(new: &CronJob, old: &CronJob) -> ErrorList {
    let default_spec = CronJobSpec::default();
    validate_cron_job_spec(
        new.spec.as_ref().unwrap_or(&default_spec),
        Some(old.spec.as_ref().unwrap_or(&default_spec)),
        &Path::new("spec"),
    )
}

/// `validateCronJobSpec`; `old` is the stored spec on update.
fn validate_cron_job_spec(spec: &CronJobSpec, old: Option<&CronJobSpec>, path: &Path) -> ErrorList {
    let mut errors = ErrorList::new();
    let schedule_path = path.child("schedule");
    if spec.schedule.is_empty() {
        errors.push(FieldError::required(schedule_path, ""));
    } else {
        // TZ in the schedule stays only on CronJobs that already had it.
        let allow_tz = old.is_some_and(|old| old.schedule.contains("TZ"));
        errors.extend(validate_schedule_format(
            &spec.schedule,
            allow_tz,
            spec.time_zone.is_some(),
            &schedule_path,
        ));
    }
    errors.extend(non_negative(
        spec.starting_deadline_seconds,
        path.child("startingDeadlineSeconds"),
    ));
    if old.is_none_or(|old| old.time_zone != spec.time_zone) {
        errors.extend(validate_time_zone(
            spec.time_zone.as_deref(),
            &path.child("timeZone"),
        ));
    }
    let policy_path = path.child("concurrencyPolicy");
    match spec.concurrency_policy.as_deref().unwrap_or_default() {
        "" => errors.push(FieldError::required(policy_path, "")),
        policy if !CONCURRENCY_POLICIES.contains(&policy) => errors.push(
            FieldError::not_supported(policy_path, policy, CONCURRENCY_POLICIES),
        ),
        _ => {}
    }
    errors.extend(validate_job_template_spec(
        &spec.job_template,
        &path.child("jobTemplate"),
    ));
    errors.extend(non_negative(
        spec.successful_jobs_history_limit,
        path.child("successfulJobsHistoryLimit"),
    ));
    errors.extend(non_negative(
        spec.failed_jobs_history_limit,
        path.child("failedJobsHistoryLimit"),
    ));
    errors
}

/// `validateScheduleFormat`: the schedule parses as the controller will parse it, and names no
/// time zone unless it already did.
fn validate_schedule_format(
    schedule: &str,
    allow_tz: bool,
    has_time_zone: bool,
    path: &Path,
) -> ErrorList {
    let mut errors = ErrorList::new();
    if let Err(error) = cron::parse_standard(schedule) {
        errors.push(FieldError::invalid(path.clone(), schedule, error));
    }
    if schedule.contains("TZ") {
        if !allow_tz {
            errors.push(FieldError::invalid(
                path.clone(),
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        } else if has_time_zone {
            errors.push(FieldError::invalid(
                path.clone(),
                schedule,
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            ));
        }
    }
    errors
}

/// `validateTimeZone`: an IANA name (each part 1 to 14 of `A-Za-z.-_0-9+`, not `.`, `..` or
/// starting with `-`), not `Local`, that the time zone database knows.
fn validate_time_zone(time_zone: Option<&str>, path: &Path) -> ErrorList {
    let Some(time_zone) = time_zone else {
        return ErrorList::new();
    };
    let invalid = |detail: String| FieldError::invalid(path.clone(), time_zone, detail);
    if time_zone.is_empty() {
        return vec![invalid("timeZone must be nil or non-empty string".into())];
    }
    let valid_part = |part: &str| {
        (1..=14).contains(&part.len())
            && part != "."
            && part != ".."
            && !part.starts_with('-')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
    };
    if !time_zone.split('/').all(valid_part) {
        return vec![invalid(format!("unknown time zone {time_zone}"))];
    }
    let mut errors = ErrorList::new();
    if time_zone.eq_ignore_ascii_case("Local") {
        errors.push(invalid(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        ));
    }
    if let Err(error) = cron::load_location(time_zone) {
        errors.push(invalid(error));
    }
    errors
}

/// `ValidateJobTemplateSpec`: the Job spec rules, without a selector (each Job gets its own).
fn validate_job_template_spec(template: &JobTemplateSpec, path: &Path) -> ErrorList {
    let default_spec = JobSpec::default();
    let spec = template.spec.as_ref().unwrap_or(&default_spec);
    let spec_path = path.child("spec");
    let mut errors = validate_job_spec_fields(spec, &spec_path);
    if let Some(selector) = &spec.selector {
        errors.push(FieldError::invalid(
            spec_path.child("selector"),
            BadValue::Go(go_label_selector(selector)),
            "`selector` will be auto-generated",
        ));
    }
    if spec.manual_selector == Some(true) {
        errors.push(FieldError::not_supported(
            spec_path.child("manualSelector"),
            true,
            &["nil", "false"],
        ));
    }
    errors
}

/// `ValidateJobSpecUpdate` less `ValidateJobSpec`, which the registry runs on every write:
/// the fields that may not change.
pub fn validate_job_spec_update(new: &Job, old: &Job) -> ErrorList {
    let default_spec = JobSpec::default();
    let spec = new.spec.as_ref().unwrap_or(&default_spec);
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let path = Path::new("spec");
    let mut errors = ErrorList::new();
    if spec.completions != old_spec.completions {
        // Elastic Indexed Jobs change completions together with parallelism.
        let elastic = spec.completion_mode.as_deref() == Some("Indexed");
        match spec.completions {
            Some(completions) if elastic && spec.parallelism != Some(completions) => {
                errors.push(FieldError::invalid(
                    path.child("completions"),
                    completions,
                    "can only be modified in tandem with spec.parallelism",
                ));
            }
            Some(_) if elastic => {}
            None if elastic => {}
            completions => errors.push(FieldError::invalid(
                path.child("completions"),
                completions.map_or(BadValue::Null, BadValue::from),
                FIELD_IMMUTABLE,
            )),
        }
    }
    if spec.selector != old_spec.selector {
        errors.push(FieldError::invalid(
            path.child("selector"),
            spec.selector.as_ref().map_or(BadValue::Null, |selector| {
                BadValue::Go(go_label_selector(selector))
            }),
            FIELD_IMMUTABLE,
        ));
    }
    errors.extend(validate_pod_template_update(new, old, &path));
    if spec.completion_mode != old_spec.completion_mode {
        errors.push(FieldError::invalid(
            path.child("completionMode"),
            spec.completion_mode
                .clone()
                .map_or(BadValue::Null, BadValue::from),
            FIELD_IMMUTABLE,
        ));
    }
    if spec.pod_failure_policy != old_spec.pod_failure_policy {
        errors.push(FieldError::invalid(
            path.child("podFailurePolicy"),
            spec.pod_failure_policy
                .as_ref()
                .map_or(BadValue::Null, |_| {
                    BadValue::Go("batch.PodFailurePolicy{...}".into())
                }),
            FIELD_IMMUTABLE,
        ));
    }
    if spec.backoff_limit_per_index != old_spec.backoff_limit_per_index {
        errors.push(FieldError::invalid(
            path.child("backoffLimitPerIndex"),
            spec.backoff_limit_per_index
                .map_or(BadValue::Null, BadValue::from),
            FIELD_IMMUTABLE,
        ));
    }
    if spec.managed_by != old_spec.managed_by {
        errors.push(FieldError::invalid(
            path.child("managedBy"),
            spec.managed_by
                .clone()
                .map_or(BadValue::Null, BadValue::from),
            FIELD_IMMUTABLE,
        ));
    }
    if spec.success_policy != old_spec.success_policy {
        errors.push(FieldError::invalid(
            path.child("successPolicy"),
            spec.success_policy
                .as_ref()
                .map_or(BadValue::Null, |policy| {
                    BadValue::Go(go_success_policy(&policy.rules))
                }),
            FIELD_IMMUTABLE,
        ));
    }
    errors
}

/// `validatePodTemplateUpdate`: the template is immutable, except node affinity, node selector,
/// tolerations, labels, annotations and scheduling gates of a suspended Job that never started.
fn validate_pod_template_update(new: &Job, old: &Job, path: &Path) -> ErrorList {
    let (Some(spec), Some(old_spec)) = (&new.spec, &old.spec) else {
        return ErrorList::new();
    };
    let mut old_template = old_spec.template.clone();
    let template = &spec.template;
    let suspended = old_spec.suspend == Some(true);
    let never_started = old
        .status
        .as_ref()
        .is_none_or(|status| status.start_time.is_none());
    if suspended && never_started {
        let new_pod = template.spec.clone().unwrap_or_default();
        let old_pod = old_template.spec.get_or_insert_with(Default::default);
        match (&new_pod.affinity, &mut old_pod.affinity) {
            (None, Some(old_affinity)) => {
                old_affinity.node_affinity = None;
                if *old_affinity == Default::default() {
                    old_pod.affinity = None;
                }
            }
            (Some(affinity), None) => {
                old_pod.affinity = Some(k8s_openapi::api::core::v1::Affinity {
                    node_affinity: affinity.node_affinity.clone(),
                    ..Default::default()
                });
            }
            (Some(affinity), Some(old_affinity)) => {
                old_affinity.node_affinity = affinity.node_affinity.clone();
            }
            (None, None) => {}
        }
        old_pod.node_selector = new_pod.node_selector.clone();
        old_pod.tolerations = new_pod.tolerations.clone();
        old_pod.scheduling_gates = new_pod.scheduling_gates.clone();
        let new_meta = template.metadata.clone().unwrap_or_default();
        let old_meta = old_template.metadata.get_or_insert_with(Default::default);
        old_meta.labels = new_meta.labels;
        old_meta.annotations = new_meta.annotations;
        if old_template.metadata == Some(Default::default()) && template.metadata.is_none() {
            old_template.metadata = None;
        }
    }
    if *template != old_template {
        return vec![FieldError::invalid(
            path.child("template"),
            BadValue::Go("core.PodTemplateSpec{...}".into()),
            FIELD_IMMUTABLE,
        )];
    }
    ErrorList::new()
}

fn condition_true(status: &JobStatus, type_: &str) -> bool {
    status
        .conditions
        .iter()
        .flatten()
        .any(|condition| condition.type_ == type_ && condition.status == "True")
}

/// `ValidateJobStatusUpdate` with JobManagedBy on: a status update may not undo a terminal
/// condition, lower a counter, or reach a terminal state out of order. Rules on a field apply
/// when that field changes, so a main-resource update (which keeps the status) passes.
pub fn validate_job_status_update(new: &Job, old: &Job) -> ErrorList {
    let empty = JobStatus::default();
    let status = new.status.as_ref().unwrap_or(&empty);
    let old_status = old.status.as_ref().unwrap_or(&empty);
    let path = Path::new("status");
    let conditions = path.child("conditions");
    let mut errors = ErrorList::new();
    for (field, value) in [
        ("active", status.active),
        ("succeeded", status.succeeded),
        ("failed", status.failed),
        ("ready", status.ready),
        ("terminating", status.terminating),
    ] {
        errors.extend(non_negative(value, path.child(field)));
    }
    let complete = condition_true(status, "Complete");
    let failed = condition_true(status, "Failed");
    let failure_target = condition_true(status, "FailureTarget");
    let success_criteria_met = condition_true(status, "SuccessCriteriaMet");
    let complete_changed = complete != condition_true(old_status, "Complete");
    let failed_changed = failed != condition_true(old_status, "Failed");
    let completion_time_changed = status.completion_time != old_status.completion_time;
    let omit = |detail: &str| {
        FieldError::new(
            ErrorType::Invalid,
            conditions.clone(),
            BadValue::Omit,
            detail,
        )
    };
    if (complete_changed || failed_changed) && complete && failed {
        errors.push(omit("cannot set Complete=True and Failed=true conditions"));
    }
    if failed_changed && failed && !failure_target {
        errors.push(omit(
            "cannot set Failed=True condition without the FailureTarget=true condition",
        ));
    }
    if complete_changed && complete && !success_criteria_met {
        errors.push(omit(
            "cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
        ));
    }
    if (complete_changed || completion_time_changed)
        && status.completion_time.is_some()
        && !complete
    {
        errors.push(FieldError::invalid(
            path.child("completionTime"),
            BadValue::Omit,
            "cannot set completionTime when there is no Complete=True condition",
        ));
    }
    if success_criteria_met && failed {
        errors.push(omit(
            "cannot set SuccessCriteriaMet=True and Failed=true conditions",
        ));
    }
    if success_criteria_met && failure_target {
        errors.push(omit(
            "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions",
        ));
    }
    for type_ in ["Failed", "Complete", "FailureTarget"] {
        if condition_true(old_status, type_) && !condition_true(status, type_) {
            errors.push(omit(&format!(
                "cannot disable the terminal {type_}=True condition"
            )));
        }
    }
    if condition_true(old_status, "SuccessCriteriaMet") && !success_criteria_met {
        errors.push(omit("cannot disable the SuccessCriteriaMet=True condition"));
    }
    if status.failed.unwrap_or(0) < old_status.failed.unwrap_or(0) {
        errors.push(FieldError::invalid(
            path.child("failed"),
            status.failed.unwrap_or(0),
            "cannot decrease the failed counter",
        ));
    }
    let spec = new.spec.clone().unwrap_or_default();
    let scalable =
        spec.completion_mode.as_deref() == Some("Indexed") && spec.completions == spec.parallelism;
    if !scalable && status.succeeded.unwrap_or(0) < old_status.succeeded.unwrap_or(0) {
        errors.push(FieldError::invalid(
            path.child("succeeded"),
            status.succeeded.unwrap_or(0),
            "cannot decrease the succeeded counter",
        ));
    }
    if status.completion_time.is_some()
        && old_status.completion_time.is_some()
        && completion_time_changed
    {
        errors.push(FieldError::invalid(
            path.child("completionTime"),
            BadValue::Omit,
            "completionTime cannot be mutated",
        ));
    }
    errors
}

/// A short Go-style rendering of a success policy (upstream prints pointers as addresses).
fn go_success_policy(rules: &[SuccessPolicyRule]) -> String {
    let rendered: Vec<String> = rules
        .iter()
        .map(|_| "batch.SuccessPolicyRule{...}".to_string())
        .collect();
    format!(
        "batch.SuccessPolicy{{Rules:[]batch.SuccessPolicyRule{{{}}}}}",
        rendered.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_formats() {
        assert_eq!(validate_indexes_format("0,2-4,7", 10), Ok(5));
        assert_eq!(
            validate_indexes_format("3,1", 10),
            Err("non-increasing order, previous: 3, current: 1".into())
        );
        assert_eq!(
            validate_indexes_format("1-12", 10),
            Err("too large index: \"12\"".into())
        );
        assert_eq!(
            validate_indexes_format("a", 10),
            Err("cannot convert string to integer for index: \"a\"".into())
        );
        assert_eq!(
            validate_indexes_format("1-2-3", 10),
            Err("the fragment \"1-2-3\" violates the requirement that an index interval can have at most two parts separated by '-'".into())
        );
    }

    fn job_with_conditions(conditions: &[(&str, &str)]) -> Job {
        use k8s_openapi::api::batch::v1::JobCondition;
        Job {
            status: Some(JobStatus {
                conditions: Some(
                    conditions
                        .iter()
                        .map(|(type_, status)| JobCondition {
                            type_: type_.to_string(),
                            status: status.to_string(),
                            ..JobCondition::default()
                        })
                        .collect(),
                ),
                ..JobStatus::default()
            }),
            ..Job::default()
        }
    }

    fn messages(errors: ErrorList) -> Vec<String> {
        errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn terminal_conditions_come_in_order_and_stay() {
        let old = job_with_conditions(&[]);
        assert_eq!(
            messages(validate_job_status_update(
                &job_with_conditions(&[("Complete", "True")]),
                &old
            )),
            [
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition"
            ]
        );
        assert_eq!(
            messages(validate_job_status_update(
                &job_with_conditions(&[("Failed", "True")]),
                &old
            )),
            [
                "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition"
            ]
        );
        assert!(
            validate_job_status_update(
                &job_with_conditions(&[("FailureTarget", "True"), ("Failed", "True")]),
                &job_with_conditions(&[("FailureTarget", "True")])
            )
            .is_empty()
        );
        assert_eq!(
            messages(validate_job_status_update(
                &job_with_conditions(&[]),
                &job_with_conditions(&[("FailureTarget", "True")])
            )),
            [
                "status.conditions: Invalid value: cannot disable the terminal FailureTarget=True condition"
            ]
        );
        let mut lower = job_with_conditions(&[]);
        let mut higher = job_with_conditions(&[]);
        lower.status.get_or_insert_with(Default::default).failed = Some(1);
        higher.status.get_or_insert_with(Default::default).failed = Some(2);
        assert_eq!(
            messages(validate_job_status_update(&lower, &higher)),
            ["status.failed: Invalid value: 1: cannot decrease the failed counter"]
        );
    }
}
