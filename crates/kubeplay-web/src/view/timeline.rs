//! Timelines as plain data: a Job's pods as lanes over time, and a CronJob's runs on a time axis
//! around now. Positions are fractions of the timeline's width (0 = its left edge, 1 = its right),
//! so the component only turns them into percentages.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::Job;
use kubeplay_core::Cluster;
use kubeplay_core::clock::{self, Millis, SECOND};
use kubeplay_core::history::{JobRun, MarkKind, Outcome, PodRun, WorkloadHistory};
use kubeplay_core::kubectl::human_duration;

use super::workloads::{WorkloadKind, WorkloadView};

/// More lanes than this would be lines too thin to read; the rest are counted instead.
pub const MAX_LANES: usize = 60;

const MINUTE: Millis = 60 * SECOND;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;

/// A labelled time on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarState {
    /// Created, waiting for a node or for its containers to start.
    Pending,
    Running,
    Succeeded,
    Failed,
    /// Deleted before it finished.
    Deleted,
    /// Replaced by a newer run (CronJob `concurrencyPolicy: Replace`).
    Replaced,
    /// The Job controller waiting before it creates a replacement for a failed pod.
    Backoff,
}

impl BarState {
    pub fn class(self) -> &'static str {
        match self {
            BarState::Pending => "pending",
            BarState::Running => "running",
            BarState::Succeeded => "succeeded",
            BarState::Failed => "failed",
            BarState::Deleted => "deleted",
            BarState::Replaced => "replaced",
            BarState::Backoff => "backoff",
        }
    }

    /// The colour the stylesheet gives this state (`--bar-*` on `.timeline`).
    fn paint(self) -> &'static str {
        match self {
            BarState::Pending => "var(--bar-pending)",
            BarState::Running => "var(--bar-running)",
            BarState::Succeeded => "var(--bar-succeeded)",
            BarState::Failed => "var(--bar-failed)",
            BarState::Deleted | BarState::Replaced => "var(--bar-deleted)",
            BarState::Backoff => "var(--bar-backoff)",
        }
    }

    fn of(outcome: Outcome) -> BarState {
        match outcome {
            Outcome::Active => BarState::Running,
            Outcome::Succeeded => BarState::Succeeded,
            Outcome::Failed => BarState::Failed,
            Outcome::Deleted => BarState::Deleted,
            Outcome::Replaced => BarState::Replaced,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub start: f64,
    pub end: f64,
    pub state: BarState,
    /// What it was, in a sentence, for the tooltip and screen readers.
    pub title: String,
    /// Stable key for rendering.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// `#3` for an Indexed Job's lane.
    pub label: Option<String>,
    pub bars: Vec<Bar>,
    /// What the lane holds, for its tooltip and screen readers when its bars are not elements:
    /// `5 pods: 4 succeeded, 1 running`.
    pub summary: String,
}

impl Lane {
    /// The lane's bars as one CSS background, for lanes too thin to hold an element per bar: a
    /// busy Job's timeline is then one element a lane rather than hundreds of bars to restyle.
    pub fn background(&self) -> String {
        let mut bars: Vec<&Bar> = self.bars.iter().collect();
        bars.sort_by(|a, b| a.start.total_cmp(&b.start));
        let mut stops = Vec::with_capacity(bars.len() * 2 + 1);
        let mut reached = 0.0_f64;
        for bar in bars {
            let start = bar.start.max(reached);
            let end = bar.end.max(start);
            if start > reached {
                stops.push(format!(
                    "transparent {} {}",
                    percent(reached),
                    percent(start)
                ));
            }
            stops.push(format!(
                "{} {} {}",
                bar.state.paint(),
                percent(start),
                percent(end)
            ));
            reached = end;
        }
        stops.push(format!("transparent {} 100%", percent(reached)));
        format!("linear-gradient(to right, {})", stops.join(", "))
    }
}

/// `#3: 5 pods: 4 succeeded, 1 running`: each pod counted once, by where it stands now.
fn lane_summary(label: Option<&str>, runs: &[&PodRun]) -> String {
    let mut counts: Vec<(BarState, usize)> = Vec::new();
    for run in runs {
        let state = match (run.outcome, run.started) {
            (Outcome::Active, None) => BarState::Pending,
            (outcome, _) => BarState::of(outcome),
        };
        match counts.iter_mut().find(|(counted, _)| *counted == state) {
            Some((_, count)) => *count += 1,
            None => counts.push((state, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(state, count)| format!("{count} {}", state.class()))
        .collect();
    let label = label.map(|label| format!("{label}: ")).unwrap_or_default();
    let pods = if runs.len() == 1 { "pod" } else { "pods" };
    format!("{label}{} {pods}: {}", runs.len(), parts.join(", "))
}

/// A fraction of the width as a CSS percentage.
pub fn percent(fraction: f64) -> String {
    format!("{:.3}%", fraction * 100.0)
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobTimeline {
    pub lanes: Vec<Lane>,
    /// Lanes past [`MAX_LANES`], not drawn.
    pub hidden_lanes: usize,
    /// How many lanes may be busy at once: after this many lanes, the timeline draws the limit.
    /// None for Indexed Jobs, whose lanes are indexes.
    pub parallelism: Option<usize>,
    pub ticks: Vec<Tick>,
    /// Where now is, when the window reaches it.
    pub now: Option<f64>,
}

/// A fixed span of time mapped onto the width.
#[derive(Debug, Clone, Copy)]
struct Window {
    from: Millis,
    to: Millis,
}

impl Window {
    fn at(self, time: Millis) -> f64 {
        let span = (self.to - self.from).max(1) as f64;
        ((time - self.from) as f64 / span).clamp(0.0, 1.0)
    }

    fn contains(self, time: Millis) -> bool {
        (self.from..=self.to).contains(&time)
    }

    /// Round times across the window, about `count` of them, labelled in UTC as the cluster
    /// reports times.
    fn ticks(self, count: i64) -> Vec<Tick> {
        const STEPS: [Millis; 20] = [
            SECOND,
            2 * SECOND,
            5 * SECOND,
            10 * SECOND,
            15 * SECOND,
            30 * SECOND,
            MINUTE,
            2 * MINUTE,
            5 * MINUTE,
            10 * MINUTE,
            15 * MINUTE,
            30 * MINUTE,
            HOUR,
            2 * HOUR,
            3 * HOUR,
            6 * HOUR,
            12 * HOUR,
            DAY,
            2 * DAY,
            7 * DAY,
        ];
        let span = self.to - self.from;
        let step = STEPS
            .into_iter()
            .find(|step| span / step <= count)
            .unwrap_or(7 * DAY);
        let format = if step < MINUTE {
            "%H:%M:%S"
        } else if step < DAY {
            "%H:%M"
        } else {
            "%a %-d %b"
        };
        let first = self.from.div_euclid(step) * step + step;
        (0..)
            .map(|i| first + i * step)
            .take_while(|at| *at < self.to)
            .map(|at| Tick {
                at: self.at(at),
                label: clock::to_timestamp(at).strftime(format).to_string(),
            })
            // A label centred on a tick at the very edge would hang outside the timeline.
            .filter(|tick| (0.03..=0.97).contains(&tick.at))
            .collect()
    }
}

/// `09:02:10`: when a run that is still going began. Its tooltip names the time rather than a
/// duration, so the text stays the same from frame to frame.
fn clock_time(at: Millis) -> String {
    clock::to_timestamp(at).strftime("%H:%M:%S").to_string()
}

fn pod_bars(run: &PodRun, window: Window, now: Millis) -> Vec<Bar> {
    let end = run.finished.unwrap_or(now);
    let node = run
        .node
        .as_deref()
        .map(|node| format!(" on {node}"))
        .unwrap_or_default();
    let lasted = |from: Millis| human_duration(end - from);
    let mut bars = Vec::new();
    let running_from = run.started.unwrap_or(end);
    if running_from > run.created || run.started.is_none() {
        let what = match (run.started, run.outcome) {
            (Some(started), _) => format!("pending for {}", human_duration(started - run.created)),
            (None, Outcome::Active) => format!("pending since {}", clock_time(run.created)),
            (None, _) => "never started".into(),
        };
        bars.push(Bar {
            start: window.at(run.created),
            end: window.at(running_from),
            state: BarState::Pending,
            title: format!("{}{node}: {what}", run.name),
            key: format!("{}-pending", run.uid),
        });
    }
    if let Some(started) = run.started {
        let what = match run.outcome {
            Outcome::Active => format!("running since {}", clock_time(started)),
            Outcome::Succeeded => format!("succeeded after {}", lasted(started)),
            Outcome::Failed => format!("failed after {}", lasted(started)),
            Outcome::Deleted | Outcome::Replaced => {
                format!("deleted after running {}", lasted(started))
            }
        };
        bars.push(Bar {
            start: window.at(started),
            end: window.at(end),
            state: BarState::of(run.outcome),
            title: format!("{}{node}: {what}", run.name),
            key: run.uid.clone(),
        });
    }
    bars
}

/// How long a running Job's window is: the first of these that holds its runs so far with some
/// room ahead. The window grows in these steps rather than with every frame, so between steps
/// only the running pods' bars and the now line move.
const SPANS: [Millis; 20] = [
    10 * SECOND,
    20 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    4 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
];

fn running_span(elapsed: Millis) -> Millis {
    let wanted = elapsed + elapsed / 20;
    SPANS
        .into_iter()
        .find(|span| *span >= wanted)
        .unwrap_or(wanted)
}

/// A running Job's window, from its oldest pod kept. A long Job's oldest pods are forgotten as
/// new ones come (the history keeps the latest), so the window's start moves on, in steps of a
/// tenth of the span the whole Job would take since `started`: every bar stays put between steps
/// instead of shifting on every refresh, and the step only grows as the Job runs on.
fn running_window(started: Millis, oldest: Millis, now: Millis) -> (Millis, Millis) {
    let step = (running_span(now - started) / 10).max(SECOND);
    let from = oldest - oldest.rem_euclid(step);
    (from, from + running_span(now - from))
}

/// Lanes of pods: an Indexed Job's by completion index; any other's packed so that each pod
/// takes the lane freed most recently (a failed pod's replacement continues its lane), so no more
/// lanes are busy at once than pods ran at once.
fn lanes_of<'a>(runs: &[&'a PodRun], indexed: bool) -> Vec<(Option<u32>, Vec<&'a PodRun>)> {
    if indexed {
        let mut by_index: BTreeMap<u32, Vec<&PodRun>> = BTreeMap::new();
        for run in runs {
            if let Some(index) = run.index {
                by_index.entry(index).or_default().push(run);
            }
        }
        return by_index
            .into_iter()
            .map(|(index, runs)| (Some(index), runs))
            .collect();
    }
    let mut sorted: Vec<&PodRun> = runs.to_vec();
    sorted.sort_by_key(|run| run.created);
    let mut lanes: Vec<(Millis, Vec<&PodRun>)> = Vec::new();
    for run in sorted {
        let free = lanes
            .iter_mut()
            .filter(|(busy_until, _)| *busy_until <= run.created)
            .max_by_key(|(busy_until, _)| *busy_until);
        let busy_until = run.finished.unwrap_or(Millis::MAX);
        match free {
            Some(lane) => {
                lane.0 = busy_until;
                lane.1.push(run);
            }
            None => lanes.push((busy_until, vec![run])),
        }
    }
    lanes.into_iter().map(|(_, runs)| (None, runs)).collect()
}

/// A Job's pods over time. `started_at` is the Job's start (its status.startTime);
/// `finished_at` is when the Job completed or failed, if it has: the window then ends there,
/// otherwise ahead of now.
pub fn job_timeline(
    history: Option<&WorkloadHistory>,
    parallelism: i32,
    indexed: bool,
    started_at: Option<Millis>,
    finished_at: Option<Millis>,
    now: Millis,
) -> JobTimeline {
    let runs: Vec<&PodRun> = history.map(|h| h.pods.iter().collect()).unwrap_or_default();
    let oldest = runs.iter().map(|run| run.created).min().unwrap_or(now);
    let (from, to) = match finished_at {
        Some(finished) => (oldest, finished.max(oldest + 10 * SECOND)),
        None => running_window(started_at.unwrap_or(oldest).min(oldest), oldest, now),
    };
    let window = Window { from, to };
    let still_running = finished_at.is_none();
    let mut lanes: Vec<Lane> = lanes_of(&runs, indexed)
        .into_iter()
        .map(|(index, runs)| {
            let mut bars = Vec::new();
            for (i, run) in runs.iter().enumerate() {
                bars.extend(pod_bars(run, window, now));
                if run.outcome == Outcome::Failed
                    && let Some(failed) = run.finished
                {
                    // The wait before the next pod of this lane, or until now if none came yet.
                    let next = runs.get(i + 1).map(|next| next.created);
                    let until = next.or(still_running.then_some(now));
                    if let Some(until) = until.filter(|until| *until > failed) {
                        bars.push(Bar {
                            start: window.at(failed),
                            end: window.at(until),
                            state: BarState::Backoff,
                            title: match next {
                                Some(_) => format!(
                                    "back-off: {} before the next pod",
                                    human_duration(until - failed)
                                ),
                                None => format!(
                                    "back-off since {}: the next pod waits",
                                    clock_time(failed)
                                ),
                            },
                            key: format!("{}-backoff", run.uid),
                        });
                    }
                }
            }
            let label = index.map(|index| format!("#{index}"));
            Lane {
                summary: lane_summary(label.as_deref(), &runs),
                label,
                bars,
            }
        })
        .collect();
    let hidden_lanes = lanes.len().saturating_sub(MAX_LANES);
    lanes.truncate(MAX_LANES);
    JobTimeline {
        lanes,
        hidden_lanes,
        parallelism: (!indexed).then(|| usize::try_from(parallelism).unwrap_or(0)),
        ticks: window.ticks(4),
        now: window.contains(now).then(|| window.at(now)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkState {
    /// Forbid: the previous run was still active (`JobAlreadyActive`).
    Skipped,
    /// Too late to start (`MissSchedule`).
    Missed,
    /// A scheduled time to come.
    Next,
}

impl MarkState {
    pub fn class(self) -> &'static str {
        match self {
            MarkState::Skipped => "skipped",
            MarkState::Missed => "missed",
            MarkState::Next => "next",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: f64,
    pub state: MarkState,
    pub title: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CronTimeline {
    /// One bar per Job, from its schedule time (or creation, when started by hand) to its end.
    pub runs: Vec<Bar>,
    pub marks: Vec<Mark>,
    pub ticks: Vec<Tick>,
    pub now: f64,
}

/// Schedule intervals shown before now, and after.
const PAST_RUNS: i64 = 7;
const FUTURE_RUNS: f64 = 2.5;

fn time_label(at: Millis) -> String {
    clock::to_timestamp(at)
        .strftime("%a %-d %b %H:%M:%S UTC")
        .to_string()
}

fn run_title(run: &JobRun, now: Millis) -> String {
    let start = run.scheduled.unwrap_or(run.created);
    let took = human_duration(run.finished.unwrap_or(now) - start);
    let what = match run.outcome {
        Outcome::Active => format!("active since {}", clock_time(run.created)),
        Outcome::Succeeded => format!("succeeded in {took}"),
        Outcome::Failed => format!("failed after {took}"),
        Outcome::Deleted => format!("deleted after {took}"),
        Outcome::Replaced => format!("replaced by the next run after {took}"),
    };
    let when = match run.scheduled {
        Some(scheduled) => format!("scheduled for {}", time_label(scheduled)),
        None if run.manual => format!("started by hand at {}", time_label(run.created)),
        None => format!("created at {}", time_label(run.created)),
    };
    format!("job {}: {when}, {what}", run.name)
}

/// A CronJob's runs around now: past runs and their outcomes, runs that created no Job, and the
/// next scheduled times (`next`, ascending). The window spans a few schedule intervals, so a
/// `*/1` schedule and a nightly one read alike.
pub fn cron_timeline(
    history: Option<&WorkloadHistory>,
    next: &[Millis],
    now: Millis,
) -> CronTimeline {
    let interval = match next {
        [first, second, ..] => second - first,
        [first] => (first - now).max(MINUTE),
        [] => HOUR,
    }
    .clamp(MINUTE, 31 * DAY);
    let window = Window {
        from: now - PAST_RUNS * interval,
        to: now + (FUTURE_RUNS * interval as f64) as Millis,
    };
    let jobs = history.map(|h| h.jobs.iter()).into_iter().flatten();
    let runs = jobs
        .filter(|run| run.finished.is_none_or(|end| end >= window.from))
        .map(|run| Bar {
            start: window.at(run.scheduled.unwrap_or(run.created)),
            end: window.at(run.finished.unwrap_or(now)),
            state: BarState::of(run.outcome),
            title: run_title(run, now),
            key: run.uid.clone(),
        })
        .collect();
    let past = history
        .map(|h| h.marks.iter())
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, mark)| window.contains(mark.at))
        .map(|(i, mark)| {
            let (state, what) = match mark.kind {
                MarkKind::Skipped => (
                    MarkState::Skipped,
                    "skipped: the previous run was still active (concurrencyPolicy: Forbid)",
                ),
                MarkKind::Missed => (MarkState::Missed, "missed"),
            };
            Mark {
                at: window.at(mark.at),
                state,
                title: format!("{}: {what}. {}", time_label(mark.at), mark.message),
                key: format!("mark-{}-{i}", mark.at),
            }
        });
    let coming = next
        .iter()
        // Strictly before the right edge, where a mark would be cut in half.
        .filter(|at| (now..window.to).contains(*at))
        .map(|at| Mark {
            at: window.at(*at),
            state: MarkState::Next,
            title: format!("next run: {}", time_label(*at)),
            key: format!("next-{at}"),
        });
    CronTimeline {
        runs,
        marks: past.chain(coming).collect(),
        ticks: window.ticks(4),
        now: window.at(now),
    }
}

/// What a workload's card draws over time.
#[derive(Debug, Clone, PartialEq)]
pub enum Timeline {
    None,
    Job(JobTimeline),
    CronJob {
        timeline: CronTimeline,
        /// `next run Mon 5 Jan 03:00 Europe/Paris, in 18h`, in the CronJob's own zone.
        next: Option<String>,
        /// Why there is no next time (an unparseable schedule, an unknown zone).
        problem: Option<String>,
    },
}

/// Next scheduled times drawn on a CronJob's timeline.
const NEXT_TIMES: usize = 4;

/// The timeline of one workload from the cluster's history and schedules.
pub fn timeline_of(cluster: &Cluster, view: &WorkloadView) -> Timeline {
    let history = cluster.history().workload(&view.uid);
    let now = cluster.now();
    match view.kind {
        WorkloadKind::DaemonSet => Timeline::None,
        WorkloadKind::Job => {
            let Some(job) = cluster.api().get::<Job>(&view.namespace, &view.name) else {
                return Timeline::None;
            };
            let spec = job.spec.as_ref();
            let indexed = spec.and_then(|spec| spec.completion_mode.as_deref()) == Some("Indexed");
            let finished_at = job
                .status
                .as_ref()
                .and_then(|status| status.conditions.as_ref())
                .and_then(|conditions| {
                    conditions.iter().find(|condition| {
                        matches!(condition.type_.as_str(), "Complete" | "Failed")
                            && condition.status == "True"
                    })
                })
                .and_then(|condition| condition.last_transition_time.as_ref())
                .map(|time| clock::to_millis(time.0));
            let started_at = job
                .status
                .as_ref()
                .and_then(|status| status.start_time.as_ref())
                .map(|time| clock::to_millis(time.0));
            Timeline::Job(job_timeline(
                history,
                spec.and_then(|spec| spec.parallelism).unwrap_or(1),
                indexed,
                started_at,
                finished_at,
                now,
            ))
        }
        WorkloadKind::CronJob => {
            let (next, problem) =
                match cluster.cron_job_next_runs(&view.namespace, &view.name, NEXT_TIMES) {
                    Ok(times) => (times, None),
                    Err(problem) => (Vec::new(), Some(problem)),
                };
            let label = next.first().map(|time| {
                let at = clock::to_millis(time.timestamp());
                let zone = time.time_zone().iana_name().unwrap_or("UTC");
                format!(
                    "next run {} {zone}, in {}",
                    time.strftime("%a %-d %b %H:%M"),
                    human_duration(at - now)
                )
            });
            let times: Vec<Millis> = next
                .iter()
                .map(|time| clock::to_millis(time.timestamp()))
                .collect();
            Timeline::CronJob {
                timeline: cron_timeline(history, &times, now),
                next: label,
                problem,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use kubeplay_core::history::{ScheduleMark, WorkloadHistory};

    use super::*;

    /// 2026-01-05T09:00:00Z.
    const T: Millis = 1_767_603_600_000;

    fn pod(
        name: &str,
        created: Millis,
        started: Option<Millis>,
        finished: Option<Millis>,
        outcome: Outcome,
    ) -> PodRun {
        PodRun {
            name: name.into(),
            uid: format!("uid-{name}"),
            created,
            started,
            finished,
            outcome,
            index: None,
            node: Some("node-1".into()),
        }
    }

    fn history(pods: Vec<PodRun>) -> WorkloadHistory {
        WorkloadHistory {
            pods: VecDeque::from(pods),
            ..WorkloadHistory::default()
        }
    }

    fn states(lane: &Lane) -> Vec<BarState> {
        lane.bars.iter().map(|bar| bar.state).collect()
    }

    #[test]
    fn packs_pods_into_as_many_lanes_as_ran_at_once() {
        let s = SECOND;
        // Parallelism 2: a and b run together; c replaces a after its failure and a back-off;
        // d follows b.
        let runs = vec![
            pod("a", T, Some(T + 2 * s), Some(T + 10 * s), Outcome::Failed),
            pod(
                "b",
                T,
                Some(T + 2 * s),
                Some(T + 20 * s),
                Outcome::Succeeded,
            ),
            pod("c", T + 20 * s, Some(T + 22 * s), None, Outcome::Active),
            pod("d", T + 20 * s, Some(T + 22 * s), None, Outcome::Active),
        ];
        let timeline = job_timeline(Some(&history(runs)), 2, false, None, None, T + 40 * s);
        assert_eq!(timeline.lanes.len(), 2);
        assert_eq!(timeline.parallelism, Some(2));
        assert_eq!(
            states(&timeline.lanes[0]),
            [
                BarState::Pending,
                BarState::Failed,
                BarState::Backoff,
                BarState::Pending,
                BarState::Running
            ]
        );
        // 40 s have passed: the window is a minute, with room ahead of now.
        let backoff = &timeline.lanes[0].bars[2];
        assert_eq!((backoff.start, backoff.end), (10.0 / 60.0, 20.0 / 60.0));
        assert_eq!(backoff.title, "back-off: 10s before the next pod");
        assert_eq!(
            timeline.lanes[0].bars[1].title,
            "a on node-1: failed after 8s"
        );
        assert_eq!(
            states(&timeline.lanes[1]),
            [
                BarState::Pending,
                BarState::Succeeded,
                BarState::Pending,
                BarState::Running
            ]
        );
        assert_eq!(timeline.now, Some(40.0 / 60.0));
        assert_eq!(
            timeline.lanes[0].bars[4].title,
            "d on node-1: running since 09:00:22"
        );
        let labels: Vec<&str> = timeline
            .ticks
            .iter()
            .map(|tick| tick.label.as_str())
            .collect();
        assert_eq!(labels, ["09:00:15", "09:00:30", "09:00:45"]);
    }

    #[test]
    fn a_dense_lane_is_one_gradient_with_a_summary() {
        let s = SECOND;
        let runs = vec![
            pod("a", T, Some(T + 2 * s), Some(T + 10 * s), Outcome::Failed),
            pod("c", T + 20 * s, Some(T + 22 * s), None, Outcome::Active),
        ];
        let timeline = job_timeline(Some(&history(runs)), 1, false, None, None, T + 40 * s);
        let lane = &timeline.lanes[0];
        // 40 s into a one-minute window: pending, failed, back-off, pending, running until now.
        assert_eq!(
            lane.background(),
            "linear-gradient(to right, var(--bar-pending) 0.000% 3.333%, \
             var(--bar-failed) 3.333% 16.667%, var(--bar-backoff) 16.667% 33.333%, \
             var(--bar-pending) 33.333% 36.667%, var(--bar-running) 36.667% 66.667%, \
             transparent 66.667% 100%)"
        );
        assert_eq!(lane.summary, "2 pods: 1 failed, 1 running");
        // An Indexed Job's pod that has not started yet.
        let mut never_started = pod("x", T, None, None, Outcome::Active);
        never_started.index = Some(4);
        let indexed = job_timeline(
            Some(&history(vec![never_started])),
            1,
            true,
            None,
            None,
            T + 10 * s,
        );
        assert_eq!(indexed.lanes[0].summary, "#4: 1 pod: 1 pending");
        let waiting = Lane {
            label: Some("#4".into()),
            summary: String::new(),
            bars: vec![Bar {
                start: 0.5,
                end: 0.6,
                state: BarState::Pending,
                title: String::new(),
                key: "uid-x-pending".into(),
            }],
        };
        assert_eq!(
            waiting.background(),
            "linear-gradient(to right, transparent 0.000% 50.000%, \
             var(--bar-pending) 50.000% 60.000%, transparent 60.000% 100%)"
        );
    }

    #[test]
    fn a_long_jobs_window_moves_in_steps_as_its_oldest_pods_are_forgotten() {
        let minute = MINUTE;
        // The history kept pods from 40 minutes in; each ran five minutes, one after another.
        let runs: Vec<PodRun> = (8..20)
            .map(|i| {
                let created = T + i * 5 * minute;
                let done = created + 5 * minute;
                pod(
                    &format!("p{i}"),
                    created,
                    Some(created),
                    Some(done),
                    Outcome::Succeeded,
                )
            })
            .collect();
        let at = |now: Millis, runs: &[PodRun]| {
            job_timeline(Some(&history(runs.to_vec())), 1, false, Some(T), None, now)
        };
        let now = T + 100 * minute;
        let before = at(now, &runs);
        // The Job started at T. A minute later the oldest pod is forgotten: the window holds, so
        // finished bars stay put.
        let later = at(now + minute, &runs[1..]);
        let bar = |timeline: &JobTimeline, key: &str| {
            let mut bars = timeline.lanes.iter().flat_map(|lane| &lane.bars);
            bars.find(|bar| bar.key == key)
                .map(|bar| (bar.start, bar.end))
        };
        assert!(bar(&before, "uid-p12").is_some());
        assert_eq!(bar(&before, "uid-p12"), bar(&later, "uid-p12"));
        assert_eq!(before.ticks, later.ticks);
        // Once the oldest kept pod is a whole step on, the window follows it.
        let much_later = at(now + 30 * minute, &runs[6..]);
        assert_ne!(bar(&before, "uid-p12"), bar(&much_later, "uid-p12"));
    }

    #[test]
    fn indexed_jobs_get_a_lane_per_index_and_a_finished_job_stops_the_clock() {
        let s = SECOND;
        let mut runs = vec![
            pod("x1", T, Some(T + 2 * s), Some(T + 4 * s), Outcome::Failed),
            pod(
                "x0",
                T,
                Some(T + 2 * s),
                Some(T + 12 * s),
                Outcome::Succeeded,
            ),
            pod(
                "x1b",
                T + 14 * s,
                Some(T + 16 * s),
                Some(T + 20 * s),
                Outcome::Succeeded,
            ),
        ];
        runs[0].index = Some(1);
        runs[1].index = Some(0);
        runs[2].index = Some(1);
        let timeline = job_timeline(
            Some(&history(runs)),
            2,
            true,
            None,
            Some(T + 20 * s),
            T + HOUR,
        );
        let labels: Vec<Option<&str>> = timeline
            .lanes
            .iter()
            .map(|lane| lane.label.as_deref())
            .collect();
        assert_eq!(labels, [Some("#0"), Some("#1")]);
        assert_eq!(timeline.parallelism, None);
        assert_eq!(
            states(&timeline.lanes[1]),
            [
                BarState::Pending,
                BarState::Failed,
                BarState::Backoff,
                BarState::Pending,
                BarState::Succeeded
            ]
        );
        assert_eq!(timeline.now, None);
        assert_eq!(timeline.lanes[1].bars.last().map(|bar| bar.end), Some(1.0));
    }

    #[test]
    fn a_failed_pod_of_a_running_job_shows_its_back_off_until_now() {
        let s = SECOND;
        let runs = vec![pod(
            "a",
            T,
            Some(T + 2 * s),
            Some(T + 5 * s),
            Outcome::Failed,
        )];
        let timeline = job_timeline(Some(&history(runs)), 1, false, None, None, T + 10 * s);
        assert_eq!(
            states(&timeline.lanes[0]),
            [BarState::Pending, BarState::Failed, BarState::Backoff]
        );
        assert_eq!(timeline.lanes[0].bars[2].end, 0.5);
        assert_eq!(
            timeline.lanes[0].bars[2].title,
            "back-off since 09:00:05: the next pod waits"
        );
    }

    #[test]
    fn too_many_lanes_are_counted_not_drawn() {
        let runs = (0..70)
            .map(|i| pod(&format!("p{i}"), T, None, None, Outcome::Active))
            .collect();
        let timeline = job_timeline(Some(&history(runs)), 70, false, None, None, T + MINUTE);
        assert_eq!(timeline.lanes.len(), MAX_LANES);
        assert_eq!(timeline.hidden_lanes, 10);
        assert_eq!(states(&timeline.lanes[0]), [BarState::Pending]);
        assert_eq!(
            timeline.lanes[0].bars[0].title,
            "p0 on node-1: pending since 09:00:00"
        );
    }

    #[test]
    fn a_cron_job_shows_runs_skips_and_the_next_times_around_now() {
        let now = T + 30 * MINUTE + 30 * SECOND;
        let run = |name: &str, minute: i64, seconds: Option<i64>, outcome: Outcome| JobRun {
            name: name.into(),
            uid: format!("uid-{name}"),
            scheduled: Some(T + minute * MINUTE),
            created: T + minute * MINUTE,
            finished: seconds.map(|seconds| T + minute * MINUTE + seconds * SECOND),
            outcome,
            manual: false,
        };
        let history = WorkloadHistory {
            jobs: VecDeque::from([
                run("old", 0, Some(20), Outcome::Succeeded),
                run("ok", 25, Some(30), Outcome::Succeeded),
                run("bad", 26, Some(40), Outcome::Failed),
                run("swapped", 27, Some(60), Outcome::Replaced),
                run("busy", 30, None, Outcome::Active),
            ]),
            marks: VecDeque::from([ScheduleMark {
                at: T + 29 * MINUTE,
                kind: MarkKind::Skipped,
                message: "Not starting job because prior execution is running and concurrency policy is Forbid".into(),
            }]),
            ..WorkloadHistory::default()
        };
        let next = [
            T + 31 * MINUTE,
            T + 32 * MINUTE,
            T + 33 * MINUTE,
            T + 34 * MINUTE,
        ];
        let timeline = cron_timeline(Some(&history), &next, now);
        // 7 minutes before now, 2.5 after.
        let states: Vec<BarState> = timeline.runs.iter().map(|bar| bar.state).collect();
        assert_eq!(
            states,
            [
                BarState::Succeeded,
                BarState::Failed,
                BarState::Replaced,
                BarState::Running
            ]
        );
        assert!((timeline.now - 7.0 / 9.5).abs() < 1e-9);
        assert_eq!(
            timeline.runs[1].title,
            "job bad: scheduled for Mon 5 Jan 09:26:00 UTC, failed after 40s"
        );
        let marks: Vec<MarkState> = timeline.marks.iter().map(|mark| mark.state).collect();
        assert_eq!(
            marks,
            [MarkState::Skipped, MarkState::Next, MarkState::Next]
        );
        assert_eq!(timeline.marks[1].title, "next run: Mon 5 Jan 09:31:00 UTC");
        let labels: Vec<&str> = timeline
            .ticks
            .iter()
            .map(|tick| tick.label.as_str())
            .collect();
        assert_eq!(labels, ["09:24", "09:26", "09:28", "09:30", "09:32"]);
    }

    #[test]
    fn a_nightly_cron_job_spans_days() {
        let next = [T + 18 * HOUR, T + 42 * HOUR];
        let timeline = cron_timeline(None, &next, T);
        assert!(timeline.runs.is_empty());
        let labels: Vec<&str> = timeline
            .ticks
            .iter()
            .map(|tick| tick.label.as_str())
            .collect();
        assert_eq!(
            labels,
            [
                "Tue 30 Dec",
                "Thu 1 Jan",
                "Sat 3 Jan",
                "Mon 5 Jan",
                "Wed 7 Jan"
            ]
        );
    }

    #[test]
    fn a_workloads_timeline_comes_from_the_clusters_history_and_schedule() {
        let mut cluster = Cluster::default_cluster();
        let manifest = "
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: '*/15 * * * *'
  timeZone: Europe/Paris
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: report
            image: busybox
            command: ['sleep', '30']
";
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        cluster.advance(HOUR);
        let views = super::super::workloads::workloads(cluster.api());
        let Timeline::CronJob {
            timeline,
            next,
            problem,
        } = timeline_of(&cluster, &views[0])
        else {
            panic!("a CronJob has a CronJob timeline");
        };
        assert_eq!(problem, None);
        // 10:00 UTC is 11:00 in Paris in January.
        assert_eq!(
            next.as_deref(),
            Some("next run Mon 5 Jan 11:15 Europe/Paris, in 15m")
        );
        let states: Vec<BarState> = timeline.runs.iter().map(|bar| bar.state).collect();
        // 09:15, 09:30 and 09:45; the 10:00 run starts 100 ms after now.
        assert_eq!(states, [BarState::Succeeded; 3]);
        assert_eq!(timeline.marks.len(), 2);

        let output = cluster.exec("kubectl create job one --image=busybox -- sleep 20", "");
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        cluster.advance(MINUTE);
        let views = super::super::workloads::workloads(cluster.api());
        let job = views.iter().find(|view| view.name == "one");
        let Some(Timeline::Job(timeline)) = job.map(|job| timeline_of(&cluster, job)) else {
            panic!("a Job has a Job timeline");
        };
        assert_eq!(timeline.lanes.len(), 1);
        assert_eq!(timeline.now, None);
        assert_eq!(
            timeline.lanes[0].bars.last().map(|bar| bar.state),
            Some(BarState::Succeeded)
        );
    }
}
