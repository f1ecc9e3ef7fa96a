//! `kubectl get pods`: k8s `printPod`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod, PodCondition};

use crate::clock::{self, Millis};
use crate::kubectl::human::{human_duration, since};

use super::{Column, column, wide};

pub(super) const COLUMNS: &[Column] = &[
    column("Name"),
    column("Ready"),
    column("Status"),
    column("Restarts"),
    column("Age"),
    wide("IP"),
    wide("Node"),
    wide("Nominated Node"),
    wide("Readiness Gates"),
];

/// What the kubelet reports for an unreachable node's pods (`node.NodeUnreachablePodReason`).
const NODE_UNREACHABLE_REASON: &str = "NodeLost";

pub(super) fn cells(now: Millis, pod: &Pod) -> Vec<String> {
    let PodSummary {
        ready,
        total,
        status,
        restarts,
        last_restart,
    } = pod_summary(pod);
    let restarts = match (restarts, last_restart) {
        (0, _) | (_, None) => restarts.to_string(),
        (restarts, Some(at)) => format!(
            "{restarts} ({} ago)",
            human_duration(now - clock::to_millis(at))
        ),
    };
    let pod_status = pod.status.as_ref();
    let ip = pod_status
        .and_then(|status| status.pod_ips.as_ref())
        .and_then(|ips| ips.first())
        .map(|ip| ip.ip.clone())
        .unwrap_or_default();
    let node = pod
        .spec
        .as_ref()
        .and_then(|spec| spec.node_name.clone())
        .unwrap_or_default();
    let nominated = pod_status
        .and_then(|status| status.nominated_node_name.clone())
        .unwrap_or_default();
    vec![
        pod.metadata.name.clone().unwrap_or_default(),
        format!("{ready}/{total}"),
        status,
        restarts,
        since(now, pod.metadata.creation_timestamp.as_ref()),
        or_none(ip),
        or_none(node),
        or_none(nominated),
        readiness_gates(pod),
    ]
}

fn or_none(text: String) -> String {
    if text.is_empty() {
        "<none>".into()
    } else {
        text
    }
}

fn readiness_gates(pod: &Pod) -> String {
    let gates = pod
        .spec
        .as_ref()
        .and_then(|spec| spec.readiness_gates.as_deref())
        .unwrap_or_default();
    if gates.is_empty() {
        return "<none>".into();
    }
    let conditions = conditions(pod);
    let passing = gates
        .iter()
        .filter(|gate| {
            conditions
                .iter()
                .find(|condition| condition.type_ == gate.condition_type)
                .is_some_and(|condition| condition.status == "True")
        })
        .count();
    format!("{passing}/{}", gates.len())
}

fn conditions(pod: &Pod) -> &[PodCondition] {
    pod.status
        .as_ref()
        .and_then(|status| status.conditions.as_deref())
        .unwrap_or_default()
}

/// The READY, STATUS and RESTARTS columns as `printPod` derives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSummary {
    pub ready: usize,
    pub total: usize,
    pub status: String,
    pub restarts: i64,
    pub last_restart: Option<Timestamp>,
}

fn is_restartable(container: Option<&&Container>) -> bool {
    container.is_some_and(|container| container.restart_policy.as_deref() == Some("Always"))
}

/// Keeps the latest finish time of a container's last termination, as `lastRestartDate` does.
fn note_last_termination(latest: &mut Option<Timestamp>, status: &ContainerStatus) {
    let finished = status
        .last_state
        .as_ref()
        .and_then(|state| state.terminated.as_ref())
        .and_then(|terminated| terminated.finished_at.as_ref());
    if let Some(finished) = finished
        && latest.is_none_or(|latest| latest < finished.0)
    {
        *latest = Some(finished.0);
    }
}

/// `printPod`'s READY, STATUS and RESTARTS: what `kubectl get pods` shows for a pod, for every
/// front end that shows a pod's state (the playground's pod chips read STATUS from here).
pub fn pod_summary(pod: &Pod) -> PodSummary {
    let spec = pod.spec.as_ref();
    let status = pod.status.as_ref();
    let containers = spec
        .map(|spec| spec.containers.as_slice())
        .unwrap_or_default();
    let init_containers = spec
        .and_then(|spec| spec.init_containers.as_deref())
        .unwrap_or_default();
    let phase = status
        .and_then(|status| status.phase.as_deref())
        .unwrap_or_default();
    let status_reason = status
        .and_then(|status| status.reason.as_deref())
        .unwrap_or_default();
    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    if conditions(pod).iter().any(|condition| {
        condition.type_ == "PodScheduled" && condition.reason.as_deref() == Some("SchedulingGated")
    }) {
        reason = "SchedulingGated".into();
    }
    let by_name: BTreeMap<&str, &Container> = init_containers
        .iter()
        .map(|container| (container.name.as_str(), container))
        .collect();
    let total = containers.len()
        + init_containers
            .iter()
            .filter(|container| is_restartable(Some(container)))
            .count();
    let mut ready = 0;
    let mut restarts: i64 = 0;
    let mut restartable_restarts: i64 = 0;
    let mut last_restart: Option<Timestamp> = None;
    let mut last_restartable_restart: Option<Timestamp> = None;
    let mut initializing = false;
    let init_statuses = status
        .and_then(|status| status.init_container_statuses.as_deref())
        .unwrap_or_default();
    for (index, container) in init_statuses.iter().enumerate() {
        restarts += i64::from(container.restart_count);
        note_last_termination(&mut last_restart, container);
        let restartable = is_restartable(by_name.get(container.name.as_str()));
        if restartable {
            restartable_restarts += i64::from(container.restart_count);
            note_last_termination(&mut last_restartable_restart, container);
        }
        let state = container.state.as_ref();
        let terminated = state.and_then(|state| state.terminated.as_ref());
        let waiting_reason = state
            .and_then(|state| state.waiting.as_ref())
            .and_then(|waiting| waiting.reason.as_deref())
            .unwrap_or_default();
        if terminated.is_some_and(|terminated| terminated.exit_code == 0) {
            continue;
        }
        if restartable && container.started == Some(true) {
            if container.ready {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(terminated) = terminated {
            match terminated.reason.as_deref().unwrap_or_default() {
                "" if terminated.signal.unwrap_or(0) != 0 => {
                    format!("Init:Signal:{}", terminated.signal.unwrap_or(0))
                }
                "" => format!("Init:ExitCode:{}", terminated.exit_code),
                terminated_reason => format!("Init:{terminated_reason}"),
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{index}/{}", init_containers.len())
        };
        initializing = true;
        break;
    }
    let initialized = conditions(pod)
        .iter()
        .find(|condition| condition.type_ == "Initialized")
        .is_some_and(|condition| condition.status == "True");
    if !initializing || initialized {
        restarts = restartable_restarts;
        last_restart = last_restartable_restart;
        let mut has_running = false;
        let statuses = status
            .and_then(|status| status.container_statuses.as_deref())
            .unwrap_or_default();
        for container in statuses.iter().rev() {
            restarts += i64::from(container.restart_count);
            note_last_termination(&mut last_restart, container);
            let state = container.state.as_ref();
            let waiting_reason = state
                .and_then(|state| state.waiting.as_ref())
                .and_then(|waiting| waiting.reason.as_deref())
                .unwrap_or_default();
            let terminated = state.and_then(|state| state.terminated.as_ref());
            let running = state.is_some_and(|state| state.running.is_some());
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(terminated) = terminated {
                reason = match terminated.reason.as_deref().unwrap_or_default() {
                    "" if terminated.signal.unwrap_or(0) != 0 => {
                        format!("Signal:{}", terminated.signal.unwrap_or(0))
                    }
                    "" => format!("ExitCode:{}", terminated.exit_code),
                    terminated_reason => terminated_reason.to_string(),
                };
            } else if container.ready && running {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions(pod)
                .iter()
                .any(|condition| condition.type_ == "Ready" && condition.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.into();
        }
    }
    let deleting = pod.metadata.deletion_timestamp.is_some();
    if deleting && status_reason == NODE_UNREACHABLE_REASON {
        reason = "Unknown".into();
    } else if deleting && !matches!(phase, "Succeeded" | "Failed") {
        reason = "Terminating".into();
    }
    PodSummary {
        ready,
        total,
        status: reason,
        restarts,
        last_restart,
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::core::v1::{
        ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
        PodIP, PodSpec, PodStatus,
    };

    use super::super::test_support::{START, api_at, meta, time};
    use super::super::{TableOptions, print_table};
    use super::*;
    use crate::api::AnyObject;
    use crate::api::Kind;

    fn container(name: &str) -> Container {
        Container {
            name: name.into(),
            image: Some("nginx".into()),
            ..Container::default()
        }
    }

    fn status(name: &str, ready: bool, state: ContainerState, restarts: i32) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            ready,
            restart_count: restarts,
            state: Some(state),
            ..ContainerStatus::default()
        }
    }

    fn running() -> ContainerState {
        ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(time(START)),
            }),
            ..ContainerState::default()
        }
    }

    fn waiting(reason: &str) -> ContainerState {
        ContainerState {
            waiting: Some(ContainerStateWaiting {
                reason: Some(reason.into()),
                message: None,
            }),
            ..ContainerState::default()
        }
    }

    fn terminated(exit_code: i32, reason: &str) -> ContainerState {
        ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code,
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                finished_at: Some(time(START + 60_000)),
                ..ContainerStateTerminated::default()
            }),
            ..ContainerState::default()
        }
    }

    fn pod(name: &str, phase: &str, statuses: Vec<ContainerStatus>) -> Pod {
        Pod {
            metadata: meta("default", name, START),
            spec: Some(PodSpec {
                containers: statuses.iter().map(|s| container(&s.name)).collect(),
                ..PodSpec::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.into()),
                container_statuses: Some(statuses),
                ..PodStatus::default()
            }),
        }
    }

    fn table(now: i64, pods: Vec<Pod>, options: &TableOptions) -> String {
        let objects: Vec<AnyObject> = pods
            .into_iter()
            .map(|pod| AnyObject::Pod(std::sync::Arc::new(pod)))
            .collect();
        print_table(&api_at(now), Kind::Pod, &objects, options)
    }

    #[test]
    fn derives_status_like_print_pod() {
        let mut crashing = pod(
            "crash",
            "Running",
            vec![status("app", false, waiting("CrashLoopBackOff"), 3)],
        );
        if let Some(statuses) = crashing
            .status
            .as_mut()
            .and_then(|s| s.container_statuses.as_mut())
        {
            statuses[0].last_state = Some(terminated(1, "Error"));
        }
        let mut deleting = pod("going", "Running", vec![status("app", true, running(), 0)]);
        deleting.metadata.deletion_timestamp = Some(time(START + 400_000));
        let pods = vec![
            pod("web", "Running", vec![status("nginx", true, running(), 0)]),
            pod(
                "creating",
                "Pending",
                vec![status("nginx", false, waiting("ContainerCreating"), 0)],
            ),
            pod(
                "done",
                "Succeeded",
                vec![status("job", false, terminated(0, "Completed"), 0)],
            ),
            pod(
                "failed",
                "Failed",
                vec![status("job", false, terminated(2, ""), 0)],
            ),
            crashing,
            deleting,
            pod("pending", "Pending", vec![]),
        ];
        let out = table(START + 5 * 60_000, pods, &TableOptions::default());
        assert_eq!(
            out,
            "NAME       READY   STATUS              RESTARTS     AGE\n\
             web        1/1     Running             0            5m\n\
             creating   0/1     ContainerCreating   0            5m\n\
             done       0/1     Completed           0            5m\n\
             failed     0/1     ExitCode:2          0            5m\n\
             crash      0/1     CrashLoopBackOff    3 (4m ago)   5m\n\
             going      1/1     Terminating         0            5m\n\
             pending    0/0     Pending             0            5m\n"
        );
    }

    #[test]
    fn wide_and_decorated_columns() {
        let mut web = pod("web", "Running", vec![status("nginx", true, running(), 0)]);
        web.metadata.labels = Some(BTreeMap::from([
            ("app".to_string(), "web".to_string()),
            ("tier".to_string(), "front".to_string()),
        ]));
        if let Some(status) = web.status.as_mut() {
            status.pod_ips = Some(vec![PodIP {
                ip: "10.244.1.5".into(),
            }]);
        }
        if let Some(spec) = web.spec.as_mut() {
            spec.node_name = Some("node-1".into());
        }
        let pending = pod("queued", "Pending", vec![]);
        let options = TableOptions {
            wide: true,
            show_labels: true,
            with_namespace: true,
            with_kind_prefix: true,
            label_columns: vec!["app.kubernetes.io/app".into(), "tier".into()],
            ..TableOptions::default()
        };
        let out = table(START + 45_000, vec![web, pending], &options);
        assert_eq!(
            out,
            "NAMESPACE   NAME         READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES   APP   TIER    LABELS\n\
             default     pod/web      1/1     Running   0          45s   10.244.1.5   node-1   <none>           <none>                  front   app=web,tier=front\n\
             default     pod/queued   0/0     Pending   0          45s   <none>       <none>   <none>           <none>                          <none>\n"
        );
        let headless = TableOptions {
            no_headers: true,
            ..TableOptions::default()
        };
        let out = table(
            START + 45_000,
            vec![pod("queued", "Pending", vec![])],
            &headless,
        );
        assert_eq!(out, "queued   0/0   Pending   0     45s\n");
    }

    #[test]
    fn derives_init_and_sidecar_status() {
        let with_init = |init: Vec<ContainerStatus>, sidecar: bool, initialized: bool| -> Pod {
            let mut pod = pod(
                "init",
                "Pending",
                vec![status("app", false, waiting("PodInitializing"), 0)],
            );
            let spec = pod.spec.as_mut().unwrap();
            spec.init_containers = Some(
                init.iter()
                    .map(|s| Container {
                        restart_policy: (sidecar && s.name == "sidecar").then(|| "Always".into()),
                        ..container(&s.name)
                    })
                    .collect(),
            );
            let status = pod.status.as_mut().unwrap();
            status.init_container_statuses = Some(init);
            status.conditions = Some(vec![PodCondition {
                type_: "Initialized".into(),
                status: if initialized { "True" } else { "False" }.into(),
                ..PodCondition::default()
            }]);
            pod
        };
        let summary = |pod: &Pod| {
            let s = pod_summary(pod);
            (format!("{}/{}", s.ready, s.total), s.status, s.restarts)
        };
        let waiting_init = with_init(
            vec![
                status("setup", false, running(), 0),
                status("migrate", false, waiting("PodInitializing"), 0),
            ],
            false,
            false,
        );
        assert_eq!(summary(&waiting_init), ("0/1".into(), "Init:0/2".into(), 0));
        let crashing_init = with_init(
            vec![status("setup", false, waiting("CrashLoopBackOff"), 4)],
            false,
            false,
        );
        assert_eq!(
            summary(&crashing_init),
            ("0/1".into(), "Init:CrashLoopBackOff".into(), 4)
        );
        let failed_init = with_init(
            vec![status("setup", false, terminated(3, ""), 1)],
            false,
            false,
        );
        assert_eq!(
            summary(&failed_init),
            ("0/1".into(), "Init:ExitCode:3".into(), 1)
        );
        let mut started_sidecar = status("sidecar", true, running(), 1);
        started_sidecar.started = Some(true);
        let with_sidecar = with_init(vec![started_sidecar], true, true);
        // The sidecar counts toward READY and its restarts show; the app still initializes.
        assert_eq!(
            summary(&with_sidecar),
            ("1/2".into(), "PodInitializing".into(), 1)
        );
    }
}
