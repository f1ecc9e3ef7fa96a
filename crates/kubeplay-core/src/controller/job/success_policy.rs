//! `successPolicy` (`success_policy.go`): an Indexed Job may succeed before every index has,
//! once a rule's `succeededIndexes` and/or `succeededCount` are met.

use k8s_openapi::api::batch::v1::{Job, JobCondition, SuccessPolicy};

use super::indexed_job_utils::{OrderedIntervals, parse_indexes_from_string};
use super::job_controller::find_condition_by_type;

/// `matchSuccessPolicy`: the condition message of the first rule met, if any.
pub fn match_success_policy(
    success_policy: Option<&SuccessPolicy>,
    completions: i32,
    succeeded_indexes: &OrderedIntervals,
) -> Option<String> {
    let policy = success_policy?;
    if succeeded_indexes.is_empty() {
        return None;
    }
    for (index, rule) in policy.rules.iter().enumerate() {
        let met = match (&rule.succeeded_indexes, rule.succeeded_count) {
            (Some(indexes), count) => {
                let required = parse_indexes_from_string(indexes, completions);
                // A rule whose indexes cannot be read is skipped.
                !required.is_empty()
                    && match_succeeded_indexes_rule(&required, succeeded_indexes, count)
            }
            (None, Some(count)) => succeeded_indexes.total() >= count,
            (None, None) => false,
        };
        if met {
            return Some(format!("Matched rules at index {index}"));
        }
    }
    None
}

/// `hasSuccessCriteriaMetCondition`: the SuccessCriteriaMet=True condition, if present.
pub fn has_success_criteria_met_condition(job: &Job) -> Option<&JobCondition> {
    find_condition_by_type(job, "SuccessCriteriaMet").filter(|condition| condition.status == "True")
}

pub fn is_success_criteria_met_condition(condition: Option<&JobCondition>) -> bool {
    condition.is_some_and(|condition| {
        condition.type_ == "SuccessCriteriaMet" && condition.status == "True"
    })
}

/// Whether the succeeded indexes cover all of the rule's, or at least `succeeded_count` of them.
fn match_succeeded_indexes_rule(
    rule_indexes: &OrderedIntervals,
    succeeded_indexes: &OrderedIntervals,
    succeeded_count: Option<i32>,
) -> bool {
    let (rule, succeeded) = (&rule_indexes.0, &succeeded_indexes.0);
    let (mut contains, mut i, mut j) = (0, 0, 0);
    while i < rule.len() && j < succeeded.len() {
        let overlap =
            rule[i].last.min(succeeded[j].last) - rule[i].first.max(succeeded[j].first) + 1;
        if overlap > 0 {
            contains += overlap;
        }
        if succeeded[j].last < rule[i].last {
            j += 1;
        } else if succeeded[j].last > rule[i].last {
            i += 1;
        } else {
            i += 1;
            j += 1;
        }
    }
    contains == rule_indexes.total() || succeeded_count.is_some_and(|count| contains >= count)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::batch::v1::SuccessPolicyRule;

    use super::*;

    fn rule(indexes: Option<&str>, count: Option<i32>) -> SuccessPolicyRule {
        SuccessPolicyRule {
            succeeded_indexes: indexes.map(str::to_string),
            succeeded_count: count,
        }
    }

    #[test]
    fn rules_match_like_upstream() {
        let succeeded = parse_indexes_from_string("0,2-4", 10);
        let policy = |rules| SuccessPolicy { rules };
        assert_eq!(
            match_success_policy(
                Some(&policy(vec![
                    rule(Some("1"), None),
                    rule(Some("2-3"), None)
                ])),
                10,
                &succeeded
            ),
            Some("Matched rules at index 1".into())
        );
        assert_eq!(
            match_success_policy(
                Some(&policy(vec![rule(Some("0-5"), Some(3))])),
                10,
                &succeeded
            ),
            Some("Matched rules at index 0".into())
        );
        assert_eq!(
            match_success_policy(
                Some(&policy(vec![rule(Some("0-5"), Some(5))])),
                10,
                &succeeded
            ),
            None
        );
        assert_eq!(
            match_success_policy(Some(&policy(vec![rule(None, Some(4))])), 10, &succeeded),
            Some("Matched rules at index 0".into())
        );
        assert_eq!(
            match_success_policy(
                Some(&policy(vec![rule(None, Some(4))])),
                10,
                &OrderedIntervals::default()
            ),
            None
        );
    }
}
