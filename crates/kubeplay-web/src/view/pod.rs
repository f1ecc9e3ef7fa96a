//! What a pod chip shows: the pod's `kubectl get pods` STATUS (from core's printer), a visual
//! state derived from it, and its owner with a hue of its own.

use k8s_openapi::api::core::v1::Pod;
use kubeplay_core::api::{AnyObject, meta};
use kubeplay_core::apiserver::Store;
use kubeplay_core::kubectl::printers::pod_summary;

/// The workload kinds the grid tells apart; each draws its own badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    DaemonSet,
    Job,
    /// A Job that a CronJob created: it takes the CronJob's hue family.
    CronJob,
    /// Any other controller (its kind is in `OwnerView::kind_name`).
    Other,
    /// A bare pod, with no controller.
    None,
}

impl OwnerKind {
    /// The short badge drawn on the chip.
    pub fn badge(self) -> &'static str {
        match self {
            OwnerKind::DaemonSet => "DS",
            OwnerKind::Job => "Job",
            OwnerKind::CronJob => "CJ",
            OwnerKind::Other => "Ctl",
            OwnerKind::None => "Pod",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            OwnerKind::DaemonSet => "kind-ds",
            OwnerKind::Job => "kind-job",
            OwnerKind::CronJob => "kind-cj",
            OwnerKind::Other => "kind-other",
            OwnerKind::None => "kind-pod",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerView {
    pub kind: OwnerKind,
    /// `DaemonSet fluentd`, `Job pi`, `Job backup-29000 of CronJob backup`; empty for a bare pod.
    pub description: String,
    /// 0–359; None for a bare pod, drawn neutral.
    pub hue: Option<u16>,
    /// The uid of the controller, then of its own controller (a CronJob over a Job): highlighting
    /// any of them highlights the pod.
    pub uids: Vec<String>,
}

impl OwnerView {
    fn bare() -> OwnerView {
        OwnerView {
            kind: OwnerKind::None,
            description: String::new(),
            hue: None,
            uids: Vec::new(),
        }
    }

    /// The owner of `pod`, following a Job up to its CronJob.
    pub fn of(pod: &Pod, store: &Store) -> OwnerView {
        let Some(owner) = meta::controller_of(&pod.metadata) else {
            return OwnerView::bare();
        };
        let namespace = pod.metadata.namespace.as_deref().unwrap_or_default();
        let own_hue = workload_hue(namespace, &owner.kind, &owner.name);
        match owner.kind.as_str() {
            "DaemonSet" => OwnerView {
                kind: OwnerKind::DaemonSet,
                description: format!("DaemonSet {}", owner.name),
                hue: Some(own_hue),
                uids: vec![owner.uid.clone()],
            },
            "Job" => {
                let cron_job = match store.by_uid(&owner.uid) {
                    Some(AnyObject::Job(job)) => meta::controller_of(&job.metadata)
                        .filter(|parent| parent.kind == "CronJob")
                        .cloned(),
                    _ => None,
                };
                match cron_job {
                    Some(cron_job) => OwnerView {
                        kind: OwnerKind::CronJob,
                        description: format!("Job {} of CronJob {}", owner.name, cron_job.name),
                        hue: Some(family_hue(
                            workload_hue(namespace, "CronJob", &cron_job.name),
                            &owner.name,
                        )),
                        uids: vec![owner.uid.clone(), cron_job.uid],
                    },
                    None => OwnerView {
                        kind: OwnerKind::Job,
                        description: format!("Job {}", owner.name),
                        hue: Some(own_hue),
                        uids: vec![owner.uid.clone()],
                    },
                }
            }
            kind => OwnerView {
                kind: OwnerKind::Other,
                description: format!("{kind} {}", owner.name),
                hue: Some(own_hue),
                uids: vec![owner.uid.clone()],
            },
        }
    }
}

/// FNV-1a: a stable hash, the same in every browser and every session.
fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Hues kept for workloads: all but the reds (345° to 20°), which mean a failed pod.
const HUE_START: u32 = 20;
const HUE_RANGE: u32 = 325;

/// A workload's hue from its namespace, kind and name, so a DaemonSet deleted and created again
/// keeps its colour.
pub fn workload_hue(namespace: &str, kind: &str, name: &str) -> u16 {
    (HUE_START + fnv1a(&format!("{namespace}/{kind}/{name}")) % HUE_RANGE) as u16
}

/// A hue near `base` (within ±12°) picked by `member`: the Jobs of one CronJob read as one family
/// while each run stays distinguishable.
pub fn family_hue(base: u16, member: &str) -> u16 {
    let offset = (fnv1a(member) % 5) as i32 * 6 - 12;
    (i32::from(base) + offset).rem_euclid(360) as u16
}

/// How a chip is drawn, read off the STATUS column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodState {
    /// Waiting for a node (or gated): pulses.
    Pending,
    /// ContainerCreating, PodInitializing, Init:N/M: fills.
    Creating,
    /// Running but not every container ready.
    Running,
    /// Running with every container ready: a check mark.
    Ready,
    /// Succeeded: a quiet completed style.
    Completed,
    /// Failed, Error, CrashLoopBackOff, ExitCode:N, image pull errors: red.
    Failed,
    /// Being deleted: fades.
    Terminating,
    /// The node is unreachable.
    Unknown,
}

impl PodState {
    /// From `kubectl get pods`' STATUS (and READY), falling back to the phase for reasons the
    /// printer passes through unchanged.
    pub fn of(status: &str, ready: usize, total: usize, phase: &str) -> PodState {
        if let Some(init) = status.strip_prefix("Init:") {
            return if init.contains('/') {
                PodState::Creating
            } else {
                PodState::Failed
            };
        }
        match status {
            "Pending" | "SchedulingGated" => PodState::Pending,
            "ContainerCreating" | "PodInitializing" => PodState::Creating,
            "Running" if total > 0 && ready == total => PodState::Ready,
            "Running" | "NotReady" => PodState::Running,
            "Completed" => PodState::Completed,
            "Terminating" => PodState::Terminating,
            "Unknown" => PodState::Unknown,
            "Error"
            | "CrashLoopBackOff"
            | "ErrImagePull"
            | "ImagePullBackOff"
            | "OOMKilled"
            | "Evicted"
            | "Failed"
            | "ContainerStatusUnknown" => PodState::Failed,
            _ if status.starts_with("ExitCode:") || status.starts_with("Signal:") => {
                PodState::Failed
            }
            _ => match phase {
                "Failed" => PodState::Failed,
                "Succeeded" => PodState::Completed,
                "Running" => PodState::Running,
                _ => PodState::Pending,
            },
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            PodState::Pending => "pending",
            PodState::Creating => "creating",
            PodState::Running => "running",
            PodState::Ready => "ready",
            PodState::Completed => "completed",
            PodState::Failed => "failed",
            PodState::Terminating => "terminating",
            PodState::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodView {
    /// The key of the chip: stable while the pod lives.
    pub uid: String,
    pub namespace: String,
    pub name: String,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    /// The READY column, `1/1`.
    pub ready: String,
    pub state: PodState,
    pub owner: OwnerView,
    /// For a pod no node took: the scheduler's PodScheduled=False message.
    pub unschedulable: Option<String>,
}

impl PodView {
    pub fn read(pod: &Pod, store: &Store) -> PodView {
        let summary = pod_summary(pod);
        let status = pod.status.as_ref();
        let phase = status
            .and_then(|status| status.phase.as_deref())
            .unwrap_or("Pending");
        let unschedulable = status
            .and_then(|status| status.conditions.as_ref())
            .and_then(|conditions| {
                conditions
                    .iter()
                    .find(|condition| condition.type_ == "PodScheduled")
            })
            .filter(|condition| condition.status == "False")
            .and_then(|condition| condition.message.clone());
        PodView {
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            state: PodState::of(&summary.status, summary.ready, summary.total, phase),
            ready: format!("{}/{}", summary.ready, summary.total),
            status: summary.status,
            owner: OwnerView::of(pod, store),
            unschedulable,
        }
    }

    /// What a screen reader and the tooltip say: `pod NAME: STATUS`.
    pub fn label(&self) -> String {
        format!("pod {}: {}", self.name, self.status)
    }

    /// Whether highlighting `uid` (a workload) lights this pod.
    pub fn owned_by(&self, uid: &str) -> bool {
        self.owner.uids.iter().any(|owner| owner == uid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_status_column() {
        let state =
            |status: &str, ready, total, phase: &str| PodState::of(status, ready, total, phase);
        assert_eq!(state("Pending", 0, 1, "Pending"), PodState::Pending);
        assert_eq!(
            state("ContainerCreating", 0, 1, "Pending"),
            PodState::Creating
        );
        assert_eq!(state("Init:0/2", 0, 1, "Pending"), PodState::Creating);
        assert_eq!(
            state("Init:CrashLoopBackOff", 0, 1, "Pending"),
            PodState::Failed
        );
        assert_eq!(state("Running", 1, 1, "Running"), PodState::Ready);
        assert_eq!(state("Running", 0, 1, "Running"), PodState::Running);
        assert_eq!(state("NotReady", 1, 2, "Running"), PodState::Running);
        assert_eq!(state("Completed", 0, 1, "Succeeded"), PodState::Completed);
        assert_eq!(state("Error", 0, 1, "Failed"), PodState::Failed);
        assert_eq!(state("ExitCode:2", 0, 1, "Failed"), PodState::Failed);
        assert_eq!(state("CrashLoopBackOff", 0, 1, "Running"), PodState::Failed);
        assert_eq!(state("Terminating", 1, 1, "Running"), PodState::Terminating);
        assert_eq!(state("Unknown", 1, 1, "Running"), PodState::Unknown);
        assert_eq!(state("DeadlineExceeded", 0, 1, "Failed"), PodState::Failed);
    }

    #[test]
    fn a_cron_job_run_takes_its_cron_jobs_hue_family_and_both_uids() {
        let mut cluster = kubeplay_core::Cluster::default_cluster();
        let apply = |cluster: &mut kubeplay_core::Cluster, manifest: &str| {
            let output = cluster.exec("kubectl apply -f -", manifest);
            assert_eq!(output.exit_code, 0, "{}", output.stderr);
        };
        apply(
            &mut cluster,
            "apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: '0 2 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: backup, image: busybox}]
",
        );
        let cron_uid = match cluster.get_any(kubeplay_core::api::Kind::CronJob, "default", "backup")
        {
            Some(object) => object.meta().uid.clone().unwrap_or_default(),
            None => panic!("the CronJob exists"),
        };
        // The Job a run of the CronJob creates, owned by it as the CronJob controller sets it.
        apply(
            &mut cluster,
            &format!(
                "apiVersion: batch/v1
kind: Job
metadata:
  name: backup-29450520
  ownerReferences:
  - {{apiVersion: batch/v1, kind: CronJob, name: backup, uid: {cron_uid}, controller: true}}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers: [{{name: backup, image: busybox}}]
"
            ),
        );
        cluster.advance(1_000);
        let grid = crate::view::grid_view(&cluster);
        let pod = grid
            .nodes
            .iter()
            .flat_map(|node| &node.pods)
            .find(|pod| pod.name.starts_with("backup-29450520-"))
            .expect("the run's pod is on a node");
        assert_eq!(pod.owner.kind, OwnerKind::CronJob);
        assert_eq!(pod.owner.kind.badge(), "CJ");
        assert_eq!(
            pod.owner.description,
            "Job backup-29450520 of CronJob backup"
        );
        assert_eq!(pod.owner.uids.len(), 2);
        assert_eq!(pod.owner.uids[1], cron_uid);
        assert!(pod.owned_by(&cron_uid) && pod.owned_by(&pod.owner.uids[0]));
        let base = workload_hue("default", "CronJob", "backup");
        assert_eq!(pod.owner.hue, Some(family_hue(base, "backup-29450520")));
    }

    #[test]
    fn hues_are_stable_and_cron_job_runs_stay_near_their_cron_job() {
        let backup = workload_hue("default", "CronJob", "backup");
        assert_eq!(backup, workload_hue("default", "CronJob", "backup"));
        for name in [
            "fluentd",
            "node-exporter",
            "log-collector",
            "httpd",
            "pi",
            "backup",
        ] {
            let hue = workload_hue("default", "DaemonSet", name);
            assert!((20..345).contains(&hue), "{name}: {hue} reads as a failure");
        }
        for run in ["backup-29000000", "backup-29000060", "backup-29000120"] {
            let hue = i32::from(family_hue(backup, run));
            let distance = (hue - i32::from(backup)).rem_euclid(360);
            assert!(
                distance <= 12 || distance >= 348,
                "{run}: {hue} vs {backup}"
            );
        }
        assert_ne!(
            workload_hue("default", "DaemonSet", "fluentd"),
            workload_hue("default", "DaemonSet", "node-exporter")
        );
    }
}
