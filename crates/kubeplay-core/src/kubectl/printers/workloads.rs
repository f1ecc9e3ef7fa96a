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
