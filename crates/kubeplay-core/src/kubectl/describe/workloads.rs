//! `kubectl describe daemonset`, `job` and `cronjob`: `describeDaemonSet`, `describeJob` and
//! `describeCronJob` (with `describeJobTemplate`).

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::{CronJob, Job, JobTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::api::Kind;
use crate::api::labels::Selector;
use crate::apiserver::ApiServer;
use crate::clock;
use crate::kubectl::human::{human_duration, rfc1123z};
use crate::kubectl::printers::{bool_ptr, format_labels};

use super::pod::describe_pod_template;
use super::{
    LEVEL_0, PrefixWriter, describe_events, pod_status_for_controller, print_annotations_multiline,
    print_controller, print_labels_multiline, search_events, write_name_and_namespace,
};

/// `LabelSelectorAsSelector(...).String()`, or the error describe prints in its place.
fn selector_text(selector: Option<&LabelSelector>) -> Result<String, String> {
    Selector::from_label_selector(selector).map(|selector| selector.to_string())
}

pub(super) fn describe_daemon_set(api: &ApiServer, daemon_set: &DaemonSet, w: &mut PrefixWriter) {
    let meta = &daemon_set.metadata;
    let spec = daemon_set.spec.clone().unwrap_or_default();
    let status = daemon_set.status.clone().unwrap_or_default();
    let namespace = meta.namespace.as_deref().unwrap_or_default();
    let uid = meta.uid.as_deref().unwrap_or_default();
    // The describer gives up on a selector it cannot read; the API server never stores one.
    let selector = Selector::from_label_selector(Some(&spec.selector)).unwrap_or(Selector::Nothing);
    let counts = pod_status_for_controller(api, namespace, &selector, uid);
    write_name_and_namespace(w, meta);
    w.write(LEVEL_0, &format!("Selector:\t{selector}\n"));
    let node_selector = spec
        .template
        .spec
        .as_ref()
        .and_then(|spec| spec.node_selector.clone())
        .unwrap_or_default();
    w.write(
        LEVEL_0,
        &format!("Node-Selector:\t{}\n", format_labels(&node_selector)),
    );
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.write(
        LEVEL_0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            status.desired_number_scheduled
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            status.current_number_scheduled
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            status.updated_number_scheduled.unwrap_or(0)
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            status.number_available.unwrap_or(0)
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Number of Nodes Misscheduled: {}\n",
            status.number_misscheduled
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
            counts.running, counts.waiting, counts.succeeded, counts.failed
        ),
    );
    describe_pod_template(&spec.template, w);
    describe_events(api.now(), search_events(api, Kind::DaemonSet, meta, uid), w);
}

pub(super) fn describe_job(api: &ApiServer, job: &Job, w: &mut PrefixWriter) {
    let meta = &job.metadata;
    let spec = job.spec.clone().unwrap_or_default();
    let status = job.status.clone().unwrap_or_default();
    write_name_and_namespace(w, meta);
    match selector_text(spec.selector.as_ref()) {
        Ok(selector) => w.write(LEVEL_0, &format!("Selector:\t{selector}\n")),
        Err(error) => w.write(
            LEVEL_0,
            &format!("Selector:\tFailed to get selector: {error}\n"),
        ),
    }
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    if let Some(controller) = print_controller(meta) {
        w.write(LEVEL_0, &format!("Controlled By:\t{controller}\n"));
    }
    if let Some(parallelism) = spec.parallelism {
        w.write(LEVEL_0, &format!("Parallelism:\t{parallelism}\n"));
    }
    match spec.completions {
        Some(completions) => w.write(LEVEL_0, &format!("Completions:\t{completions}\n")),
        None => w.write(LEVEL_0, "Completions:\t<unset>\n"),
    }
    if let Some(mode) = &spec.completion_mode {
        w.write(LEVEL_0, &format!("Completion Mode:\t{mode}\n"));
    }
    if let Some(suspend) = spec.suspend {
        w.write(LEVEL_0, &format!("Suspend:\t{suspend}\n"));
    }
    if let Some(limit) = spec.backoff_limit {
        w.write(LEVEL_0, &format!("Backoff Limit:\t{limit}\n"));
    }
    if let Some(ttl) = spec.ttl_seconds_after_finished {
        w.write(LEVEL_0, &format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    if let Some(start) = &status.start_time {
        w.write(LEVEL_0, &format!("Start Time:\t{}\n", rfc1123z(start)));
    }
    if let Some(completion) = &status.completion_time {
        w.write(
            LEVEL_0,
            &format!("Completed At:\t{}\n", rfc1123z(completion)),
        );
    }
    if let (Some(start), Some(completion)) = (&status.start_time, &status.completion_time) {
        let duration = clock::to_millis(completion.0) - clock::to_millis(start.0);
        w.write(
            LEVEL_0,
            &format!("Duration:\t{}\n", human_duration(duration)),
        );
    }
    if let Some(deadline) = spec.active_deadline_seconds {
        w.write(LEVEL_0, &format!("Active Deadline Seconds:\t{deadline}s\n"));
    }
    let (active, succeeded, failed) = (
        status.active.unwrap_or(0),
        status.succeeded.unwrap_or(0),
        status.failed.unwrap_or(0),
    );
    match status.ready {
        None => w.write(
            LEVEL_0,
            &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n"),
        ),
        Some(ready) => w.write(
            LEVEL_0,
            &format!(
                "Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"
            ),
        ),
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        w.write(
            LEVEL_0,
            &format!(
                "Completed Indexes:\t{}\n",
                cap_indexes(status.completed_indexes.as_deref().unwrap_or_default(), 50)
            ),
        );
    }
    describe_pod_template(&spec.template, w);
    describe_events(
        api.now(),
        search_events(
            api,
            Kind::Job,
            meta,
            meta.uid.as_deref().unwrap_or_default(),
        ),
        w,
    );
}

/// `capIndexesListOrNone`: the list up to the first comma past `soft_limit`, then `...`.
fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    match indexes.bytes().skip(soft_limit).position(|b| b == b',') {
        Some(offset) => format!("{}...", &indexes[..soft_limit + offset + 1]),
        None => indexes.to_string(),
    }
}

pub(super) fn describe_cron_job(api: &ApiServer, cron_job: &CronJob, w: &mut PrefixWriter) {
    let meta = &cron_job.metadata;
    let spec = cron_job.spec.clone().unwrap_or_default();
    let status = cron_job.status.clone().unwrap_or_default();
    write_name_and_namespace(w, meta);
    print_labels_multiline(w, "Labels", meta.labels.as_ref());
    print_annotations_multiline(w, "Annotations", meta.annotations.as_ref());
    w.write(LEVEL_0, &format!("Schedule:\t{}\n", spec.schedule));
    w.write(
        LEVEL_0,
        &format!(
            "Concurrency Policy:\t{}\n",
            spec.concurrency_policy.as_deref().unwrap_or_default()
        ),
    );
    w.write(LEVEL_0, &format!("Suspend:\t{}\n", bool_ptr(spec.suspend)));
    let unset = |value: Option<String>| value.unwrap_or_else(|| "<unset>".into());
    w.write(
        LEVEL_0,
        &format!(
            "Successful Job History Limit:\t{}\n",
            unset(spec.successful_jobs_history_limit.map(|l| l.to_string()))
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Failed Job History Limit:\t{}\n",
            unset(spec.failed_jobs_history_limit.map(|l| l.to_string()))
        ),
    );
    w.write(
        LEVEL_0,
        &format!(
            "Starting Deadline Seconds:\t{}\n",
            unset(spec.starting_deadline_seconds.map(|s| format!("{s}s")))
        ),
    );
    describe_job_template(&spec.job_template, w);
    w.write(
        LEVEL_0,
        &format!(
            "Last Schedule Time:\t{}\n",
            unset(status.last_schedule_time.as_ref().map(rfc1123z))
        ),
    );
    w.write(LEVEL_0, "Active Jobs:\t");
    let active: Vec<&str> = status
        .active
        .iter()
        .flatten()
        .map(|job| job.name.as_deref().unwrap_or_default())
        .collect();
    if active.is_empty() {
        w.write_line("<none>");
    } else {
        w.write(LEVEL_0, &active.join(", "));
        w.write_line("");
    }
    describe_events(
        api.now(),
        search_events(
            api,
            Kind::CronJob,
            meta,
            meta.uid.as_deref().unwrap_or_default(),
        ),
        w,
    );
}

/// `describeJobTemplate`.
fn describe_job_template(template: &JobTemplateSpec, w: &mut PrefixWriter) {
    let spec = template.spec.clone().unwrap_or_default();
    match &spec.selector {
        None => w.write(LEVEL_0, "Selector:\t<unset>\n"),
        Some(selector) => match selector_text(Some(selector)) {
            Ok(selector) => w.write(LEVEL_0, &format!("Selector:\t{selector}\n")),
            Err(error) => w.write(
                LEVEL_0,
                &format!("Selector:\tFailed to get selector: {error}\n"),
            ),
        },
    }
    let unset = |value: Option<i32>| value.map_or_else(|| "<unset>".to_string(), |v| v.to_string());
    w.write(
        LEVEL_0,
        &format!("Parallelism:\t{}\n", unset(spec.parallelism)),
    );
    w.write(
        LEVEL_0,
        &format!("Completions:\t{}\n", unset(spec.completions)),
    );
    if let Some(deadline) = spec.active_deadline_seconds {
        w.write(LEVEL_0, &format!("Active Deadline Seconds:\t{deadline}s\n"));
    }
    describe_pod_template(&spec.template, w);
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::json;

    use super::super::describe;
    use super::super::fixtures::{START, api, object, record};
    use super::*;
    use crate::api::AnyObject;

    fn template(app: &str) -> serde_json::Value {
        json!({
            "metadata": {"labels": {"app": app}},
            "spec": {"containers": [{"name": app, "image": format!("{app}:1.0"),
                                     "resources": {"limits": {"memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "200Mi"}},
                                     "volumeMounts": [{"name": "varlog", "mountPath": "/var/log"}]}],
                     "volumes": [{"name": "varlog", "hostPath": {"path": "/var/log", "type": ""}}],
                     "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}]}
        })
    }

    fn daemon_set() -> DaemonSet {
        object(json!({
            "metadata": {"name": "fluentd", "namespace": "kube-system", "uid": "uid-ds", "generation": 1,
                         "creationTimestamp": "2026-01-05T09:00:00Z",
                         "labels": {"k8s-app": "fluentd-logging"},
                         "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {"selector": {"matchLabels": {"app": "fluentd"}}, "template": template("fluentd")},
            "status": {"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberAvailable": 2,
                       "numberMisscheduled": 0, "numberReady": 2, "updatedNumberScheduled": 3, "observedGeneration": 1}
        }))
    }

    #[test]
    fn describes_a_daemon_set() {
        let mut api = api();
        for (name, phase) in [
            ("fluentd-a", "Running"),
            ("fluentd-b", "Running"),
            ("fluentd-c", "Pending"),
        ] {
            let pod: Pod = object(json!({
                "metadata": {"name": name, "namespace": "kube-system", "labels": {"app": "fluentd"},
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "fluentd",
                                                  "uid": "uid-ds", "controller": true}]},
                "spec": {"containers": [{"name": "fluentd", "image": "fluentd:1.0"}]}
            }));
            api.create(pod).unwrap();
            api.modify_status::<Pod>(&crate::api::ObjectKey::new("kube-system", name), |pod| {
                pod.status.get_or_insert_with(Default::default).phase = Some(phase.into());
            })
            .unwrap();
        }
        let daemon_set = daemon_set();
        record(
            &mut api,
            &daemon_set,
            (
                "Normal",
                "SuccessfulCreate",
                "Created pod: fluentd-a",
                "daemonset-controller",
            ),
            1,
            START,
            START,
        );
        api.set_now(START + 10_000);
        let out = describe(&api, &AnyObject::DaemonSet(std::sync::Arc::new(daemon_set)));
        assert_eq!(
            out,
            "Name:           fluentd
Namespace:      kube-system
Selector:       app=fluentd
Node-Selector:  <none>
Labels:         k8s-app=fluentd-logging
Annotations:    deprecated.daemonset.template.generation: 1
Desired Number of Nodes Scheduled: 3
Current Number of Nodes Scheduled: 3
Number of Nodes Scheduled with Up-to-date Pods: 3
Number of Nodes Scheduled with Available Pods: 2
Number of Nodes Misscheduled: 0
Pods Status:  2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=fluentd
  Containers:
   fluentd:
    Image:      fluentd:1.0
    Port:       <none>
    Host Port:  <none>
    Limits:
      memory:  200Mi
    Requests:
      cpu:        100m
      memory:     200Mi
    Environment:  <none>
    Mounts:
      /var/log from varlog (rw)
  Volumes:
   varlog:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  
  Node-Selectors:  <none>
  Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists
Events:
  Type    Reason            Age   From                  Message
  ----    ------            ----  ----                  -------
  Normal  SuccessfulCreate  10s   daemonset-controller  Created pod: fluentd-a
"
        );
    }

    fn job(completed: bool) -> Job {
        let mut status = json!({"startTime": "2026-01-05T09:00:00Z", "active": 1, "ready": 0, "succeeded": 0,
                                "terminating": 0, "uncountedTerminatedPods": {}});
        if completed {
            status = json!({"startTime": "2026-01-05T09:00:00Z", "completionTime": "2026-01-05T09:00:12Z",
                            "succeeded": 1, "ready": 0, "terminating": 0,
                            "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]});
        }
        object(json!({
            "metadata": {"name": "pi", "namespace": "default", "uid": "uid-pi",
                         "creationTimestamp": "2026-01-05T09:00:00Z",
                         "labels": {"batch.kubernetes.io/controller-uid": "uid-pi", "batch.kubernetes.io/job-name": "pi"}},
            "spec": {"parallelism": 1, "completions": 1, "completionMode": "NonIndexed", "suspend": false,
                     "backoffLimit": 4, "manualSelector": false, "podReplacementPolicy": "TerminatingOrFailed",
                     "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-pi"}},
                     "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": "uid-pi", "batch.kubernetes.io/job-name": "pi"}},
                                  "spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "pi", "image": "perl:5.34.0",
                                                           "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}]}}},
            "status": status
        }))
    }

    #[test]
    fn describes_a_job() {
        let mut api = api();
        let job = job(true);
        record(
            &mut api,
            &job,
            (
                "Normal",
                "SuccessfulCreate",
                "Created pod: pi-x7k2p",
                "job-controller",
            ),
            1,
            START,
            START,
        );
        record(
            &mut api,
            &job,
            ("Normal", "Completed", "Job completed", "job-controller"),
            1,
            START + 12_000,
            START + 12_000,
        );
        api.set_now(START + 60_000);
        let out = describe(&api, &AnyObject::Job(std::sync::Arc::new(job)));
        assert_eq!(
            out,
            "Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=uid-pi
Labels:           batch.kubernetes.io/controller-uid=uid-pi
                  batch.kubernetes.io/job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    4
Start Time:       Mon, 05 Jan 2026 09:00:00 +0000
Completed At:     Mon, 05 Jan 2026 09:00:12 +0000
Duration:         12s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=uid-pi
           batch.kubernetes.io/job-name=pi
  Containers:
   pi:
    Image:      perl:5.34.0
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -Mbignum=bpi
      -wle
      print bpi(2000)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age   From            Message
  ----    ------            ----  ----            -------
  Normal  SuccessfulCreate  60s   job-controller  Created pod: pi-x7k2p
  Normal  Completed         48s   job-controller  Job completed
"
        );
    }

    #[test]
    fn describes_a_cron_job() {
        let api = api();
        let cron_job: CronJob = object(json!({
            "metadata": {"name": "hello", "namespace": "default", "uid": "uid-cj",
                         "creationTimestamp": "2026-01-05T09:00:00Z"},
            "spec": {"schedule": "*/1 * * * *", "concurrencyPolicy": "Allow", "suspend": false,
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                         "containers": [{"name": "hello", "image": "busybox:1.28", "command": ["/bin/sh", "-c", "date; echo Hello"]}]}}}}},
            "status": {"lastScheduleTime": "2026-01-05T09:02:00Z",
                       "active": [{"kind": "Job", "name": "hello-29460542", "namespace": "default"}]}
        }));
        let out = describe(&api, &AnyObject::CronJob(std::sync::Arc::new(cron_job)));
        assert_eq!(
            out,
            "Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      */1 * * * *
Concurrency Policy:            Allow
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <unset>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  <none>
  Containers:
   hello:
    Image:      busybox:1.28
    Port:       <none>
    Host Port:  <none>
    Command:
      /bin/sh
      -c
      date; echo Hello
    Environment:     <none>
    Mounts:          <none>
  Volumes:           <none>
  Node-Selectors:    <none>
  Tolerations:       <none>
Last Schedule Time:  Mon, 05 Jan 2026 09:02:00 +0000
Active Jobs:         hello-29460542
Events:              <none>
"
        );
    }
}
