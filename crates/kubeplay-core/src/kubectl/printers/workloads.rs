//! `kubectl get daemonsets`, `jobs`, `cronjobs` and `controllerrevisions`: k8s `printDaemonSet`,
//! `printJob`, `printCronJob` and `printControllerRevision`.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::batch::v1::{CronJob, Job, JobCondition};

use crate::clock::{self, Millis};
use crate::kubectl::human::{human_duration, since};

use super::{
    Column, bool_ptr, column, format_label_selector, format_labels, layout_container_cells, wide,
};

pub(super) const DAEMON_SET_COLUMNS: &[Column] = &[
    column("Name"),
    column("Desired"),
    column("Current"),
    column("Ready"),
    column("Up-to-date"),
    column("Available"),
    column("Node Selector"),
    column("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

pub(super) fn daemon_set_cells(now: Millis, daemon_set: &DaemonSet) -> Vec<String> {
    let status = daemon_set.status.clone().unwrap_or_default();
    let template = daemon_set
        .spec
        .as_ref()
        .and_then(|spec| spec.template.spec.as_ref());
    let node_selector = template
        .and_then(|spec| spec.node_selector.clone())
        .unwrap_or_default();
    let (names, images) = layout_container_cells(template);
    vec![
        daemon_set.metadata.name.clone().unwrap_or_default(),
        status.desired_number_scheduled.to_string(),
        status.current_number_scheduled.to_string(),
        status.number_ready.to_string(),
        status.updated_number_scheduled.unwrap_or(0).to_string(),
        status.number_available.unwrap_or(0).to_string(),
        format_labels(&node_selector),
        since(now, daemon_set.metadata.creation_timestamp.as_ref()),
        names,
        images,
        format_label_selector(daemon_set.spec.as_ref().map(|spec| &spec.selector)),
    ]
}

pub(super) const JOB_COLUMNS: &[Column] = &[
    column("Name"),
    column("Status"),
    column("Completions"),
    column("Duration"),
    column("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

/// `hasJobCondition`: the first condition of the type decides.
fn has_job_condition(conditions: &[JobCondition], type_: &str) -> bool {
    conditions
        .iter()
        .find(|condition| condition.type_ == type_)
        .is_some_and(|condition| condition.status == "True")
}

/// The STATUS column of `printJob`.
pub(crate) fn job_status(job: &Job) -> &'static str {
    let conditions = job
        .status
        .as_ref()
        .and_then(|status| status.conditions.as_deref())
        .unwrap_or_default();
    if has_job_condition(conditions, "Complete") {
        "Complete"
    } else if has_job_condition(conditions, "Failed") {
        "Failed"
    } else if job.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if has_job_condition(conditions, "Suspended") {
        "Suspended"
    } else if has_job_condition(conditions, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
}

pub(super) fn job_cells(now: Millis, job: &Job) -> Vec<String> {
    let spec = job.spec.as_ref();
    let status = job.status.as_ref();
    let succeeded = status.and_then(|status| status.succeeded).unwrap_or(0);
    let completions = match spec.and_then(|spec| spec.completions) {
        Some(completions) => format!("{succeeded}/{completions}"),
        None => match spec.and_then(|spec| spec.parallelism).unwrap_or(0) {
            parallelism if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let start = status.and_then(|status| status.start_time.as_ref());
    let completion = status.and_then(|status| status.completion_time.as_ref());
    let duration = match (start, completion) {
        (None, _) => String::new(),
        (Some(start), None) => since(now, Some(start)),
        (Some(start), Some(completion)) => {
            human_duration(clock::to_millis(completion.0) - clock::to_millis(start.0))
        }
    };
    let template = spec.and_then(|spec| spec.template.spec.as_ref());
    let (names, images) = layout_container_cells(template);
    vec![
        job.metadata.name.clone().unwrap_or_default(),
        job_status(job).to_string(),
        completions,
        duration,
        since(now, job.metadata.creation_timestamp.as_ref()),
        names,
        images,
        format_label_selector(spec.and_then(|spec| spec.selector.as_ref())),
    ]
}

pub(super) const CRON_JOB_COLUMNS: &[Column] = &[
    column("Name"),
    column("Schedule"),
    column("Timezone"),
    column("Suspend"),
    column("Active"),
    column("Last Schedule"),
    column("Age"),
    wide("Containers"),
    wide("Images"),
    wide("Selector"),
];

pub(super) fn cron_job_cells(now: Millis, cron_job: &CronJob) -> Vec<String> {
    let spec = cron_job.spec.as_ref();
    let status = cron_job.status.as_ref();
    let last_schedule = match status.and_then(|status| status.last_schedule_time.as_ref()) {
        Some(time) => since(now, Some(time)),
        None => "<none>".into(),
    };
    let job_spec = spec.and_then(|spec| spec.job_template.spec.as_ref());
    let template = job_spec.and_then(|spec| spec.template.spec.as_ref());
    let (names, images) = layout_container_cells(template);
    vec![
        cron_job.metadata.name.clone().unwrap_or_default(),
        spec.map(|spec| spec.schedule.clone()).unwrap_or_default(),
        spec.and_then(|spec| spec.time_zone.clone())
            .unwrap_or_else(|| "<none>".into()),
        bool_ptr(spec.and_then(|spec| spec.suspend)),
        status
            .and_then(|status| status.active.as_ref())
            .map_or(0, Vec::len)
            .to_string(),
        last_schedule,
        since(now, cron_job.metadata.creation_timestamp.as_ref()),
        names,
        images,
        format_label_selector(job_spec.and_then(|spec| spec.selector.as_ref())),
    ]
}

pub(super) const CONTROLLER_REVISION_COLUMNS: &[Column] = &[
    column("Name"),
    column("Controller"),
    column("Revision"),
    column("Age"),
];

pub(super) fn controller_revision_cells(now: Millis, revision: &ControllerRevision) -> Vec<String> {
    let controller = match crate::api::meta::controller_of(&revision.metadata) {
        Some(owner) => {
            // formatResourceName: `kind.group/name`, lower case, the group from the apiVersion.
            let group = match owner.api_version.split_once('/') {
                Some((group, _)) => group,
                None => "",
            };
            let kind = if group.is_empty() {
                owner.kind.clone()
            } else {
                format!("{}.{group}", owner.kind)
            };
            if kind.is_empty() {
                owner.name.clone()
            } else {
                format!("{}/{}", kind.to_lowercase(), owner.name)
            }
        }
        None => "<none>".into(),
    };
    vec![
        revision.metadata.name.clone().unwrap_or_default(),
        controller,
        revision.revision.to_string(),
        since(now, revision.metadata.creation_timestamp.as_ref()),
    ]
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::de::DeserializeOwned;
    use serde_json::json;

    use super::super::test_support::{START, api_at};
    use super::super::{TableOptions, print_table};
    use crate::api::{AnyObject, Kind};

    fn object<T: DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    fn job(name: &str, spec: serde_json::Value, status: serde_json::Value) -> AnyObject {
        let mut spec = spec;
        spec["template"] =
            json!({"spec": {"containers": [{"name": "pi", "image": "perl:5.34.0"}]}});
        spec["selector"] =
            json!({"matchLabels": {"batch.kubernetes.io/controller-uid": format!("uid-{name}")}});
        AnyObject::Job(Arc::new(object(json!({
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": spec,
            "status": status
        }))))
    }

    #[test]
    fn prints_jobs() {
        let jobs = vec![
            job(
                "pi",
                json!({"completions": 1, "parallelism": 1}),
                json!({"startTime": "2026-01-05T09:00:00Z", "completionTime": "2026-01-05T09:00:08Z", "succeeded": 1,
                       "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}),
            ),
            job(
                "work",
                json!({"parallelism": 3}),
                json!({"startTime": "2026-01-05T09:00:05Z", "active": 3}),
            ),
            job("solo", json!({}), json!({})),
            job(
                "broken",
                json!({"completions": 5, "parallelism": 2}),
                json!({"startTime": "2026-01-05T09:00:00Z", "failed": 7,
                       "conditions": [{"type": "FailureTarget", "status": "True"}]}),
            ),
            job(
                "paused",
                json!({"completions": 2, "suspend": true}),
                json!({"conditions": [{"type": "Suspended", "status": "True"}]}),
            ),
        ];
        let api = api_at(START + 20_000);
        assert_eq!(
            print_table(&api, Kind::Job, &jobs, &TableOptions::default()),
            "NAME     STATUS          COMPLETIONS   DURATION   AGE\n\
             pi       Complete        1/1           8s         20s\n\
             work     Running         0/1 of 3      15s        20s\n\
             solo     Running         0/1                      20s\n\
             broken   FailureTarget   0/5           20s        20s\n\
             paused   Suspended       0/2                      20s\n"
        );
        let wide = TableOptions {
            wide: true,
            with_kind_prefix: true,
            ..TableOptions::default()
        };
        assert_eq!(
            print_table(&api, Kind::Job, &jobs[..1], &wide),
            "NAME           STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES        SELECTOR\n\
             job.batch/pi   Complete   1/1           8s         20s   pi           perl:5.34.0   batch.kubernetes.io/controller-uid=uid-pi\n"
        );
    }

    #[test]
    fn prints_daemon_sets_cron_jobs_and_revisions() {
        let api = api_at(START + 5 * 60_000);
        let daemon_set = AnyObject::DaemonSet(Arc::new(object(json!({
            "metadata": {"name": "fluentd", "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"selector": {"matchLabels": {"app": "fluentd"}},
                     "template": {"spec": {"nodeSelector": {"disk": "ssd", "arch": "amd64"},
                                           "containers": [{"name": "fluentd", "image": "fluentd:1.0"},
                                                          {"name": "sidecar", "image": "busybox"}]}}},
            "status": {"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberMisscheduled": 0,
                       "numberReady": 3, "updatedNumberScheduled": 3, "numberAvailable": 3}
        }))));
        assert_eq!(
            print_table(
                &api,
                Kind::DaemonSet,
                std::slice::from_ref(&daemon_set),
                &TableOptions::default()
            ),
            "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR         AGE\n\
             fluentd   3         3         3       3            3           arch=amd64,disk=ssd   5m\n"
        );
        let wide = TableOptions {
            wide: true,
            ..TableOptions::default()
        };
        assert_eq!(
            print_table(&api, Kind::DaemonSet, &[daemon_set], &wide),
            "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR         AGE   CONTAINERS        IMAGES                SELECTOR\n\
             fluentd   3         3         3       3            3           arch=amd64,disk=ssd   5m    fluentd,sidecar   fluentd:1.0,busybox   app=fluentd\n"
        );
        let cron_job = AnyObject::CronJob(Arc::new(object(json!({
            "metadata": {"name": "hello", "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"schedule": "* * * * *", "suspend": false,
                     "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "hello", "image": "busybox:1.28"}]}}}}},
            "status": {"lastScheduleTime": "2026-01-05T09:04:15Z", "active": [{"name": "hello-1"}]}
        }))));
        let never = AnyObject::CronJob(Arc::new(object(json!({
            "metadata": {"name": "nightly", "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"schedule": "0 3 * * *", "timeZone": "Europe/Paris",
                     "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "n", "image": "busybox"}]}}}}}
        }))));
        assert_eq!(
            print_table(
                &api,
                Kind::CronJob,
                &[cron_job, never.clone()],
                &TableOptions::default()
            ),
            "NAME      SCHEDULE    TIMEZONE       SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
             hello     * * * * *   <none>         False     1        45s             5m\n\
             nightly   0 3 * * *   Europe/Paris   <unset>   0        <none>          5m\n"
        );
        let row = super::super::table_row(api.now(), &never);
        let headers: Vec<&str> = row.iter().map(|(header, _)| header.as_str()).collect();
        assert_eq!(
            headers,
            [
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE"
            ]
        );
        assert_eq!(row[2].1, "Europe/Paris");
        let revision = AnyObject::ControllerRevision(Arc::new(object(json!({
            "metadata": {"name": "fluentd-5d8f9c7b6", "namespace": "default", "creationTimestamp": "2026-01-05T09:00:00Z",
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd",
                                              "uid": "uid-ds", "controller": true}]},
            "revision": 2
        }))));
        assert_eq!(
            print_table(
                &api,
                Kind::ControllerRevision,
                &[revision],
                &TableOptions::default()
            ),
            "NAME                CONTROLLER               REVISION   AGE\n\
             fluentd-5d8f9c7b6   daemonset.apps/fluentd   2          5m\n"
        );
    }
}
