//! What the workloads panel shows for each DaemonSet, Job and CronJob: its `kubectl get` columns
//! (from the core printers), its rollout, its Jobs, and the command line behind each action.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use kubeplay_core::api::{AnyObject, Kind, meta};
use kubeplay_core::apiserver::ApiServer;
use kubeplay_core::controller::daemon::rollout_status;
use kubeplay_core::kubectl::printers::table_row;

use super::pod::workload_hue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    DaemonSet,
    Job,
    CronJob,
}

impl WorkloadKind {
    pub fn kind(self) -> Kind {
        match self {
            WorkloadKind::DaemonSet => Kind::DaemonSet,
            WorkloadKind::Job => Kind::Job,
            WorkloadKind::CronJob => Kind::CronJob,
        }
    }

    /// The resource name as kubectl users type it.
    pub fn resource(self) -> &'static str {
        match self {
            WorkloadKind::DaemonSet => "ds",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cronjob",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
        }
    }

    /// The short badge beside a name, as `kubectl api-resources` abbreviates the kinds.
    pub fn badge(self) -> &'static str {
        match self {
            WorkloadKind::DaemonSet => "ds",
            WorkloadKind::Job => "job",
            WorkloadKind::CronJob => "cj",
        }
    }
}

/// How a cell reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Busy,
    Paused,
    Bad,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Plain => "plain",
            Tone::Good => "good",
            Tone::Busy => "busy",
            Tone::Paused => "paused",
            Tone::Bad => "bad",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The column's header, as `kubectl get` prints it (`UP-TO-DATE`).
    pub header: String,
    pub value: String,
    pub tone: Tone,
}

/// A DaemonSet's rollout, as `kubectl rollout status` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutView {
    /// `Waiting for daemon set "X" rollout to finish: 1 out of 3 new pods have been updated...`
    pub line: String,
    pub done: bool,
    pub desired: i32,
    pub updated: i32,
    pub available: i32,
}

/// One Job of a CronJob, as `kubectl get jobs` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildJob {
    pub name: String,
    pub status: Cell,
    pub completions: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadView {
    pub kind: WorkloadKind,
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub hue: u16,
    /// The `kubectl get` columns after NAME.
    pub cells: Vec<Cell>,
    /// DaemonSets with the RollingUpdate strategy.
    pub rollout: Option<RolloutView>,
    /// Container names and images, for `kubectl set image`.
    pub containers: Vec<(String, String)>,
    /// Jobs and CronJobs: `spec.suspend`.
    pub suspended: bool,
    /// Jobs: finished Jobs can no longer be suspended or scaled.
    pub finished: bool,
    pub parallelism: Option<i32>,
    /// CronJobs: their Jobs, newest first.
    pub jobs: Vec<ChildJob>,
    /// CronJobs: the line that runs one now.
    pub run_now: Option<String>,
}

impl WorkloadView {
    /// `ds/fluentd`, with `-n NS` outside the default namespace.
    pub fn target(&self) -> String {
        format!(
            "{}/{}{}",
            self.kind.resource(),
            self.name,
            namespace_flag(&self.namespace)
        )
    }

    pub fn delete_line(&self, cascade: Cascade) -> String {
        format!(
            "kubectl delete {} {}{} --cascade={}",
            self.kind.resource(),
            self.name,
            namespace_flag(&self.namespace),
            cascade.flag()
        )
    }

    pub fn restart_line(&self) -> String {
        format!("kubectl rollout restart {}", self.target())
    }

    pub fn undo_line(&self) -> String {
        format!("kubectl rollout undo {}", self.target())
    }

    /// `kubectl set image ds/X C=IMAGE`; None for an image kubectl would take apart (spaces).
    pub fn set_image_line(&self, container: &str, image: &str) -> Option<String> {
        let image = image.trim();
        if image.is_empty() || image.contains(char::is_whitespace) {
            return None;
        }
        Some(format!(
            "kubectl set image {} {container}={image}",
            self.target()
        ))
    }

    /// Suspends or resumes, as people type it.
    pub fn suspend_line(&self, suspend: bool) -> String {
        format!(
            "kubectl patch {} {}{} -p '{{\"spec\":{{\"suspend\":{suspend}}}}}'",
            self.kind.resource(),
            self.name,
            namespace_flag(&self.namespace)
        )
    }

    pub fn parallelism_line(&self, parallelism: i32) -> String {
        format!(
            "kubectl patch job {}{} -p '{{\"spec\":{{\"parallelism\":{parallelism}}}}}'",
            self.name,
            namespace_flag(&self.namespace)
        )
    }

    /// `kubectl create job X-manual-N --from=cronjob/X`, N the first number no Job of the
    /// namespace has taken.
    pub fn run_now_line<'a>(&self, job_names: impl IntoIterator<Item = &'a str>) -> String {
        let taken: Vec<&str> = job_names.into_iter().collect();
        let name = (1..)
            .map(|n| format!("{}-manual-{n}", self.name))
            .find(|name| !taken.contains(&name.as_str()))
            .unwrap_or_default();
        format!(
            "kubectl create job {name} --from=cronjob/{}{}",
            self.name,
            namespace_flag(&self.namespace)
        )
    }
}

/// `kubectl delete --cascade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cascade {
    Background,
    Foreground,
    Orphan,
}

impl Cascade {
    pub const ALL: [Cascade; 3] = [Cascade::Background, Cascade::Foreground, Cascade::Orphan];

    pub fn flag(self) -> &'static str {
        match self {
            Cascade::Background => "background",
            Cascade::Foreground => "foreground",
            Cascade::Orphan => "orphan",
        }
    }

    /// What happens to the dependents, in a few words.
    pub fn explain(self) -> &'static str {
        match self {
            Cascade::Background => {
                "deleted now; the garbage collector deletes its dependents after"
            }
            Cascade::Foreground => "its dependents are deleted first, then it",
            Cascade::Orphan => "deleted; its dependents are left running",
        }
    }
}

fn namespace_flag(namespace: &str) -> String {
    if namespace.is_empty() || namespace == "default" {
        String::new()
    } else {
        format!(" -n {namespace}")
    }
}

fn cells(now: i64, object: &AnyObject) -> Vec<Cell> {
    table_row(now, object)
        .into_iter()
        .skip(1)
        .map(|(header, value)| {
            let tone = tone_of(&header, &value);
            Cell {
                header,
                value,
                tone,
            }
        })
        .collect()
}

fn tone_of(header: &str, value: &str) -> Tone {
    match (header, value) {
        ("STATUS", "Complete") => Tone::Good,
        ("STATUS", "Running") => Tone::Busy,
        ("STATUS", "Suspended") | ("SUSPEND", "True") => Tone::Paused,
        ("STATUS", "Failed" | "FailureTarget") => Tone::Bad,
        _ => Tone::Plain,
    }
}

fn containers_of(spec: Option<&k8s_openapi::api::core::v1::PodSpec>) -> Vec<(String, String)> {
    spec.map(|spec| {
        spec.containers
            .iter()
            .map(|container| {
                (
                    container.name.clone(),
                    container.image.clone().unwrap_or_default(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

fn base(kind: WorkloadKind, object: &AnyObject, now: i64) -> WorkloadView {
    let uid = object.uid().to_string();
    WorkloadView {
        kind,
        // The same hue as its pods in the grid.
        hue: workload_hue(object.namespace(), kind.name(), object.name()),
        uid,
        namespace: object.namespace().to_string(),
        name: object.name().to_string(),
        cells: cells(now, object),
        rollout: None,
        containers: Vec::new(),
        suspended: false,
        finished: false,
        parallelism: None,
        jobs: Vec::new(),
        run_now: None,
    }
}

fn daemon_set(ds: &std::sync::Arc<DaemonSet>, now: i64) -> WorkloadView {
    let mut view = base(
        WorkloadKind::DaemonSet,
        &AnyObject::DaemonSet(ds.clone()),
        now,
    );
    let status = ds.status.clone().unwrap_or_default();
    view.rollout = rollout_status(ds).ok().map(|(line, done)| RolloutView {
        line: line.trim_end().to_string(),
        done,
        desired: status.desired_number_scheduled,
        updated: status.updated_number_scheduled.unwrap_or(0),
        available: status.number_available.unwrap_or(0),
    });
    view.containers = containers_of(
        ds.spec
            .as_ref()
            .and_then(|spec| spec.template.spec.as_ref()),
    );
    view
}

fn job(job: &std::sync::Arc<Job>, now: i64) -> WorkloadView {
    let mut view = base(WorkloadKind::Job, &AnyObject::Job(job.clone()), now);
    let spec = job.spec.as_ref();
    view.suspended = spec.and_then(|spec| spec.suspend).unwrap_or(false);
    view.parallelism = spec.and_then(|spec| spec.parallelism);
    view.finished = view.cells.iter().any(|cell| {
        cell.header == "STATUS" && matches!(cell.value.as_str(), "Complete" | "Failed")
    });
    view.containers = containers_of(spec.and_then(|spec| spec.template.spec.as_ref()));
    view
}

fn cron_job(api: &ApiServer, cron_job: &std::sync::Arc<CronJob>, now: i64) -> WorkloadView {
    let mut view = base(
        WorkloadKind::CronJob,
        &AnyObject::CronJob(cron_job.clone()),
        now,
    );
    view.suspended = cron_job
        .spec
        .as_ref()
        .and_then(|spec| spec.suspend)
        .unwrap_or(false);
    let mut jobs: Vec<&std::sync::Arc<Job>> = api.table::<Job>().controlled_by(&view.uid).collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job.metadata.creation_timestamp.clone()));
    view.jobs = jobs
        .into_iter()
        .map(|job| {
            let row = cells(now, &AnyObject::Job(job.clone()));
            let find = |header: &str| row.iter().find(|cell| cell.header == header).cloned();
            ChildJob {
                name: job.metadata.name.clone().unwrap_or_default(),
                status: find("STATUS").unwrap_or(Cell {
                    header: "STATUS".into(),
                    value: String::new(),
                    tone: Tone::Plain,
                }),
                completions: find("COMPLETIONS")
                    .map(|cell| cell.value)
                    .unwrap_or_default(),
            }
        })
        .collect();
    let names = api
        .table::<Job>()
        .in_namespace(&view.namespace)
        .filter_map(|job| job.metadata.name.as_deref());
    view.run_now = Some(view.run_now_line(names));
    view
}

/// Every DaemonSet, every Job not run by a CronJob (those show inside their CronJob), and every
/// CronJob, by kind, then namespace and name.
pub fn workloads(api: &ApiServer) -> Vec<WorkloadView> {
    let now = api.now();
    let daemon_sets = api
        .table::<DaemonSet>()
        .iter()
        .map(|ds| daemon_set(ds, now));
    let jobs = api
        .table::<Job>()
        .iter()
        .filter(|job| {
            meta::controller_of(&job.metadata).is_none_or(|owner| owner.kind != "CronJob")
        })
        .map(|one| job(one, now));
    let cron_jobs = api
        .table::<CronJob>()
        .iter()
        .map(|one| cron_job(api, one, now));
    daemon_sets.chain(jobs).chain(cron_jobs).collect()
}

#[cfg(test)]
mod tests {
    use kubeplay_core::Cluster;

    use super::*;

    fn run(cluster: &mut Cluster, line: &str, stdin: &str) {
        let output = cluster.exec(line, stdin);
        assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    }

    const DAEMON_SET: &str = "
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {app: fluentd}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      containers:
      - name: fluentd
        image: fluentd:v1
";

    const CRON_JOB: &str = "
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
  namespace: ops
spec:
  schedule: '0 3 * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: busybox
";

    #[test]
    fn hues_are_stable_distinct_and_never_red() {
        let hue = |name: &str| workload_hue("default", "Job", name);
        assert_eq!(hue("job-1"), hue("job-1"));
        assert_ne!(hue("job-1"), hue("job-2"));
        let hues: Vec<u16> = (0..500).map(|i| hue(&format!("job-{i}"))).collect();
        assert!(hues.iter().all(|hue| (20..345).contains(hue)));
    }

    #[test]
    fn lists_each_workload_with_its_kubectl_get_columns() {
        let mut cluster = Cluster::default_cluster();
        run(&mut cluster, "kubectl create namespace ops", "");
        run(&mut cluster, "kubectl apply -f -", DAEMON_SET);
        run(&mut cluster, "kubectl apply -f -", CRON_JOB);
        run(
            &mut cluster,
            "kubectl create job pi --image=perl:5.34.0 -- perl -e 'print 1'",
            "",
        );
        cluster.advance(5_000);
        let views = workloads(cluster.api());
        let names: Vec<(WorkloadKind, &str)> = views
            .iter()
            .map(|view| (view.kind, view.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (WorkloadKind::DaemonSet, "fluentd"),
                (WorkloadKind::Job, "pi"),
                (WorkloadKind::CronJob, "backup"),
            ]
        );
        let headers = |view: &WorkloadView| -> Vec<String> {
            view.cells.iter().map(|cell| cell.header.clone()).collect()
        };
        assert_eq!(
            headers(&views[0]),
            [
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE"
            ]
        );
        assert_eq!(views[0].cells[0].value, "3");
        assert_eq!(
            headers(&views[1]),
            ["STATUS", "COMPLETIONS", "DURATION", "AGE"]
        );
        assert_eq!(views[1].cells[0].tone, Tone::Busy);
        assert_eq!(
            headers(&views[2]),
            [
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE"
            ]
        );
        assert_eq!(views[2].cells[0].value, "0 3 * * *");
        assert_eq!(
            views[0].hue,
            workload_hue("default", "DaemonSet", "fluentd")
        );
        assert_eq!(
            views[0].containers,
            [("fluentd".to_string(), "fluentd:v1".to_string())]
        );
        let rollout = views[0].rollout.clone();
        assert!(rollout.is_some_and(|rollout| rollout.desired == 3));
    }

    #[test]
    fn a_daemon_set_rolling_out_reports_kubectl_rollout_status() {
        let mut cluster = Cluster::default_cluster();
        run(&mut cluster, "kubectl apply -f -", DAEMON_SET);
        cluster.advance(60_000);
        let rollout = workloads(cluster.api())[0].rollout.clone();
        assert!(rollout.is_some_and(|rollout| rollout.done
            && rollout.line == "daemon set \"fluentd\" successfully rolled out"));
        run(
            &mut cluster,
            "kubectl set image ds/fluentd fluentd=fluentd:v2",
            "",
        );
        cluster.advance(1_000);
        let Some(rollout) = workloads(cluster.api())[0].rollout.clone() else {
            panic!("a RollingUpdate DaemonSet has a rollout");
        };
        assert!(!rollout.done);
        assert_eq!(
            rollout.line,
            format!(
                "Waiting for daemon set \"fluentd\" rollout to finish: {} out of 3 new pods have been updated...",
                rollout.updated
            )
        );
    }

    #[test]
    fn each_action_is_the_command_line_people_type() {
        let mut cluster = Cluster::default_cluster();
        run(&mut cluster, "kubectl create namespace ops", "");
        run(&mut cluster, "kubectl apply -f -", DAEMON_SET);
        run(&mut cluster, "kubectl apply -f -", CRON_JOB);
        run(
            &mut cluster,
            "kubectl create job work --image=busybox -- sleep 60",
            "",
        );
        let views = workloads(cluster.api());
        let (ds, job, cron_job) = (&views[0], &views[1], &views[2]);
        assert_eq!(
            ds.delete_line(Cascade::Orphan),
            "kubectl delete ds fluentd --cascade=orphan"
        );
        assert_eq!(
            cron_job.delete_line(Cascade::Foreground),
            "kubectl delete cronjob backup -n ops --cascade=foreground"
        );
        assert_eq!(ds.restart_line(), "kubectl rollout restart ds/fluentd");
        assert_eq!(ds.undo_line(), "kubectl rollout undo ds/fluentd");
        assert_eq!(
            ds.set_image_line("fluentd", " fluentd:v2 "),
            Some("kubectl set image ds/fluentd fluentd=fluentd:v2".into())
        );
        assert_eq!(ds.set_image_line("fluentd", "a b"), None);
        assert_eq!(ds.set_image_line("fluentd", ""), None);
        assert_eq!(
            job.suspend_line(true),
            r#"kubectl patch job work -p '{"spec":{"suspend":true}}'"#
        );
        assert_eq!(
            cron_job.suspend_line(false),
            r#"kubectl patch cronjob backup -n ops -p '{"spec":{"suspend":false}}'"#
        );
        assert_eq!(
            job.parallelism_line(5),
            r#"kubectl patch job work -p '{"spec":{"parallelism":5}}'"#
        );
        assert_eq!(
            cron_job.run_now_line(["backup-manual-1", "other"]),
            "kubectl create job backup-manual-2 --from=cronjob/backup -n ops"
        );
        assert_eq!(
            cron_job.run_now.as_deref(),
            Some("kubectl create job backup-manual-1 --from=cronjob/backup -n ops")
        );

        // Each line runs.
        for line in [
            cron_job.run_now.clone().unwrap_or_default(),
            job.suspend_line(true),
            job.parallelism_line(3),
            job.suspend_line(false),
            cron_job.suspend_line(true),
            ds.set_image_line("fluentd", "fluentd:v2")
                .unwrap_or_default(),
            ds.restart_line(),
            ds.undo_line(),
            job.delete_line(Cascade::Foreground),
        ] {
            run(&mut cluster, &line, "");
        }
        let views = workloads(cluster.api());
        assert!(views.iter().all(|view| view.kind != WorkloadKind::Job));
        assert!(views[1].suspended);
        assert_eq!(views[1].cells[2].value, "True");
        assert_eq!(views[1].cells[2].tone, Tone::Paused);
    }
}
