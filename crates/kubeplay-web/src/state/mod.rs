//! The one place the playground's state lives. Components receive plain data and callbacks;
//! every change to the cluster's objects is one command line through `Cluster::exec`, the same
//! line the terminal would run. Only the passing of time (`Tick`) moves the cluster without a
//! command line, as a real cluster's clock does.

pub mod lesson;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use kubeplay_core::api::Kind;
use kubeplay_core::clock::Millis;
use kubeplay_core::cluster::ClusterOptions;
use kubeplay_core::kubectl::apply::{Checked, dry_run};
use kubeplay_core::lesson::Lesson;
use kubeplay_core::share::Recording;
use kubeplay_core::shell::{self, Completion};
use kubeplay_core::{Cluster, CommandOutput};
use yew::Reducible;

use crate::embed::events::{Event, Outbox};
use crate::embed::options::EmbedOptions;
use crate::view::events::{EventRow, event_rows};
use crate::view::lesson::{LessonView, lesson_view};
use crate::view::{GridView, grid_view};
use lesson::LessonSession;

/// How many commands the log keeps; older ones scroll away.
const LOG_LENGTH: usize = 500;

/// Virtual seconds per wall second the time controls offer.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];

/// A tick longer than this (the tab was hidden, the machine slept) counts as this long, so time
/// never leaps by hours at once when the page comes back.
const LONGEST_TICK_MS: f64 = 250.0;

/// Wall milliseconds one tick may spend running the cluster, so a frame keeps time to draw: when
/// the cluster has more to do, the virtual clock falls behind the speed rather than the page
/// stalling.
const ENGINE_BUDGET_MS: f64 = 6.0;

/// How often, in wall time, the views read a running cluster again. Re-rendering the grid and
/// the timelines on every frame is what makes a busy page stutter (at 100 nodes, 600x: 5 fps at
/// 100 ms, 13.6 fps at 250 ms); four times a second still reads as live, and commands show at once.
const VIEW_REFRESH_MS: f64 = 250.0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// Stable key for rendering.
    pub id: u64,
    pub line: String,
    /// What the command read from stdin (`kubectl apply -f -`), empty for most.
    pub stdin: String,
    pub output: CommandOutput,
}

/// An object a person picked: the inspector shows its `kubectl describe` and YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub kind: Kind,
    /// Empty for cluster-scoped kinds (nodes).
    pub namespace: String,
    pub name: String,
}

/// The tabs of the side panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideTab {
    /// The lessons to choose from: what a newcomer sees first.
    Lessons,
    Workloads,
    Editor,
    Terminal,
    Events,
    Inspector,
}

#[derive(Clone)]
pub struct Playground {
    // Shared with the previous state: `Cluster` is not `Clone`-cheap, and nothing reads a state
    // once the next one exists.
    cluster: Rc<RefCell<Cluster>>,
    /// Bumped on every change to the cluster, so views can tell a new cluster from the last one.
    revision: u64,
    playing: bool,
    /// One of [`SPEEDS`].
    speed: u32,
    selected: Option<ObjectRef>,
    /// The uid of the workload whose pods are highlighted across the grid.
    highlighted: Option<String>,
    tab: SideTab,
    /// Nodes whose card is playing its leave animation; the animation's end removes them.
    leaving: BTreeSet<String>,
    /// Oldest first; shared so a render compares it by pointer.
    log: Rc<Vec<LogEntry>>,
    commands_run: u64,
    /// The terminal shows the entries after this id (`clear`, Ctrl+L); history keeps them all.
    cleared_through: u64,
    /// The last tick ran out of its budget before the clock reached where the speed puts it.
    behind: bool,
    /// The cluster's resourceVersion when the views last read it.
    shown_resource_version: u64,
    /// Wall time played since the views last read the cluster.
    since_view_ms: f64,
    /// Bumped each time the views should read the cluster again, changed or not (time moved).
    view_tick: u64,
    /// Bumped for the side panel's views (workloads, timelines, events): one frame after the
    /// grid's refresh while playing, so the two never cost the same frame; at once after a command.
    panel_tick: u64,
    /// The grid refreshed on this frame; the panel's turn is the next.
    panel_due: bool,
    /// The lesson being followed, if any; shared like the cluster, since it holds a copy of one.
    lesson: Option<Rc<RefCell<LessonSession>>>,
    /// Bumped whenever the lesson's state changes, so its panel renders again only then.
    lesson_revision: u64,
    /// Why the last lesson asked for could not start.
    lesson_error: Option<String>,
    /// How the cluster started and every command since, with its instant: what a share link and
    /// the autosave hold. Shared: it grows with every command and nothing reads an old copy.
    recording: Rc<RefCell<Recording>>,
    /// The recording's length and the clock when the lesson's current step began, for its reset.
    step_mark: (usize, Millis),
    /// What the host page hears about (commands, steps, time).
    outbox: Outbox,
    /// The reader only watches: commands come from the host page.
    readonly: bool,
    /// Why a share link or saved session could not be opened.
    link_error: Option<String>,
}

impl Default for Playground {
    fn default() -> Playground {
        Playground::new(&EmbedOptions::default(), Outbox::default())
    }
}

impl Playground {
    /// A playground as `options` set it up: its cluster, speed and play state, telling `outbox`.
    pub fn new(options: &EmbedOptions, outbox: Outbox) -> Playground {
        let cluster_options = ClusterOptions {
            seed: options.seed,
            ..ClusterOptions::default()
        };
        let cluster = Cluster::with_workers(cluster_options, options.nodes);
        let tab = first_tab(options);
        Playground {
            cluster: Rc::new(RefCell::new(cluster)),
            revision: 0,
            playing: options.playing,
            speed: options.speed,
            selected: None,
            highlighted: None,
            tab,
            leaving: BTreeSet::new(),
            log: Rc::new(Vec::new()),
            commands_run: 0,
            cleared_through: 0,
            behind: false,
            shown_resource_version: 0,
            since_view_ms: 0.0,
            view_tick: 0,
            panel_tick: 0,
            panel_due: false,
            lesson: None,
            lesson_revision: 0,
            lesson_error: None,
            recording: Rc::new(RefCell::new(Recording::new(
                cluster_options,
                options.nodes,
                true,
            ))),
            step_mark: (0, 0),
            outbox,
            readonly: options.readonly,
            link_error: None,
        }
    }
}

/// The tab a playground opens on: the lessons, unless its view leaves them out.
fn first_tab(options: &EmbedOptions) -> SideTab {
    use crate::embed::options::Panel;
    [
        (Panel::Lessons, SideTab::Lessons),
        (Panel::Workloads, SideTab::Workloads),
        (Panel::Terminal, SideTab::Terminal),
        (Panel::Editor, SideTab::Editor),
        (Panel::Events, SideTab::Events),
        (Panel::Inspector, SideTab::Inspector),
    ]
    .into_iter()
    .find(|(panel, _)| options.shows(*panel))
    .map_or(SideTab::Workloads, |(_, tab)| tab)
}

/// What the host page's script asks of a playground (the JS API), beside what the reader does.
#[derive(Debug, Clone, PartialEq)]
pub enum HostAction {
    /// Run a command line even in a read-only playground: the host page is its author.
    Exec {
        line: String,
        stdin: String,
    },
    /// Let this much virtual time pass now.
    Advance(Millis),
    SetPlaying(bool),
    SetSpeed(u32),
    Show(SideTab),
    /// Put the cluster a recording holds (a share link, a saved session) in place of this one;
    /// `lesson` is the text of the lesson it started from, if any.
    Restore {
        recording: Box<Recording>,
        lesson: Option<String>,
    },
    /// A share link or saved session that could not be opened: say so.
    LinkFailed(String),
}

/// What a learner does in the lesson panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonAction {
    Check,
    Hint,
    ShowSolution,
    /// Run the current step's solution in the terminal, line by line.
    ApplySolution,
    ResetStep,
    ResetLesson,
    /// Show step N (any step: nothing blocks exploring).
    Select(usize),
}

pub enum Action {
    /// Run a command line, exactly as the terminal would, and log it.
    Exec(String),
    /// Run a command line that reads stdin (`kubectl apply -f -` with a heredoc), and log both.
    ExecWithStdin {
        line: String,
        stdin: String,
    },
    /// Clear the terminal's screen (`clear`, Ctrl+L); the history stays.
    ClearTerminal,
    /// `wall_ms` of real time passed: move the virtual clock by that times the speed, if playing.
    Tick {
        wall_ms: f64,
    },
    SetPlaying(bool),
    SetSpeed(u32),
    Select(Option<ObjectRef>),
    Highlight(Option<String>),
    ShowTab(SideTab),
    /// Start a node card's leave animation; when it ends the card sends `sim node remove`.
    Leave(String),
    /// Start the lesson `text`, named `source` (a built-in name or the address it came from),
    /// on a new cluster.
    OpenLesson {
        source: String,
        text: String,
    },
    /// A lesson could not be loaded: say why in the lessons tab.
    LessonUnavailable(String),
    /// Leave the lesson; the cluster stays for free play.
    CloseLesson,
    Lesson(LessonAction),
    Host(HostAction),
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A paused clock's frames change nothing: the same state renders nothing again.
        if matches!(action, Action::Tick { wall_ms } if !self.playing || wall_ms <= 0.0) {
            return self;
        }
        let mut next = Rc::unwrap_or_clone(self);
        match action {
            Action::Exec(line) => next.exec(line, String::new(), "page"),
            Action::ExecWithStdin { line, stdin } => next.exec(line, stdin, "page"),
            Action::ClearTerminal => next.cleared_through = next.commands_run,
            Action::Tick { wall_ms } => {
                let virtual_ms = wall_ms.min(LONGEST_TICK_MS) * f64::from(next.speed);
                let deadline = wall_now() + ENGINE_BUDGET_MS;
                {
                    let mut cluster = next.cluster.borrow_mut();
                    // Whole milliseconds: the virtual clock counts in them.
                    let target = cluster.now() + virtual_ms.round() as i64;
                    next.behind = !cluster.run_until_or_stop(target, || wall_now() < deadline);
                }
                next.check_lesson_if_due();
                next.recording
                    .borrow_mut()
                    .reached(next.cluster.borrow().now());
                next.since_view_ms += wall_ms;
                if next.since_view_ms >= VIEW_REFRESH_MS {
                    next.since_view_ms = 0.0;
                    next.view_tick += 1;
                    next.panel_due = true;
                    if next.cluster.borrow().api().resource_version() != next.shown_resource_version
                    {
                        next.revision += 1;
                        next.sync_shown();
                    }
                    next.tell_time();
                } else if next.panel_due {
                    next.panel_due = false;
                    next.panel_tick += 1;
                }
            }
            Action::SetPlaying(playing) => next.playing = playing,
            Action::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    next.speed = speed;
                }
            }
            Action::Select(selected) => {
                if selected.is_some() {
                    next.tab = SideTab::Inspector;
                }
                next.selected = selected;
            }
            Action::Highlight(uid) => next.highlighted = uid,
            Action::ShowTab(tab) => next.tab = tab,
            Action::Leave(name) => {
                next.leaving.insert(name);
            }
            Action::OpenLesson { source, text } => next.open_lesson(source, &text),
            Action::LessonUnavailable(message) => {
                next.lesson_error = Some(message);
                next.tab = SideTab::Lessons;
            }
            Action::CloseLesson => {
                next.lesson = None;
                next.lesson_revision += 1;
            }
            Action::Lesson(action) => next.lesson_action(action),
            Action::Host(action) => next.host_action(action),
        }
        Rc::new(next)
    }
}

impl Playground {
    fn exec(&mut self, line: String, stdin: String, source: &'static str) {
        let output = if self.readonly && source == "page" {
            CommandOutput::error("error: this playground is read-only: it shows what its page runs")
        } else {
            let at = self.cluster.borrow().now();
            let output = self.cluster.borrow_mut().exec(&line, &stdin);
            self.recording.borrow_mut().record(at, &line, &stdin);
            self.recording
                .borrow_mut()
                .reached(self.cluster.borrow().now());
            output
        };
        self.outbox.push(Event::command(&line, &output, source));
        self.after_change();
        // Every command the learner runs is a chance that the step is done.
        self.check_lesson();
        self.commands_run += 1;
        let log = Rc::make_mut(&mut self.log);
        log.push(LogEntry {
            id: self.commands_run,
            line,
            stdin,
            output,
        });
        if log.len() > LOG_LENGTH {
            log.drain(..log.len() - LOG_LENGTH);
        }
        self.tell_time();
    }

    /// Tells the host where the clock is.
    fn tell_time(&self) {
        let now = self.cluster.borrow().now();
        self.outbox
            .push(Event::time(now, self.speed, self.playing, self.behind));
    }

    /// Checks the lesson's current step; a pass is marked where the next step begins, and told.
    fn check_lesson(&mut self) {
        let before = self
            .lesson
            .as_ref()
            .map(|session| session.borrow().run.done_count());
        self.with_lesson(|session, cluster| session.check(cluster, false));
        self.after_lesson_check(before);
    }

    fn after_lesson_check(&mut self, before: Option<usize>) {
        let Some(session) = self.lesson.clone() else {
            return;
        };
        let session = session.borrow();
        let run = &session.run;
        if before.is_some_and(|before| run.done_count() > before) {
            self.step_mark = (
                self.recording.borrow().log.len(),
                self.cluster.borrow().now(),
            );
            if let Some((index, _)) = session.passed
                && let Some(step) = run.lesson().steps.get(index)
            {
                self.outbox.push(Event::Step {
                    index,
                    id: step.id.clone(),
                    title: step.title.clone(),
                    done: run.done_count(),
                    total: run.lesson().steps.len(),
                });
            }
            if run.finished() {
                self.outbox.push(Event::Lesson {
                    title: run.lesson().title.clone(),
                    done: run.done_count(),
                    total: run.lesson().steps.len(),
                    finished: true,
                });
            }
        }
    }

    fn host_action(&mut self, action: HostAction) {
        match action {
            HostAction::Exec { line, stdin } => self.exec(line, stdin, "host"),
            HostAction::Advance(duration) => {
                let target = self.cluster.borrow().now().saturating_add(duration.max(0));
                self.cluster.borrow_mut().run_until(target);
                self.recording.borrow_mut().reached(target);
                self.after_change();
                self.check_lesson_if_due();
                self.tell_time();
            }
            HostAction::SetPlaying(playing) => self.playing = playing,
            HostAction::SetSpeed(speed) => {
                if SPEEDS.contains(&speed) {
                    self.speed = speed;
                }
            }
            HostAction::Show(tab) => self.tab = tab,
            HostAction::Restore { recording, lesson } => self.restore(*recording, lesson),
            HostAction::LinkFailed(message) => self.link_error = Some(message),
        }
    }

    /// Replays `recording` and puts its cluster in place, with its lesson if it had one.
    fn restore(&mut self, recording: Recording, lesson: Option<String>) {
        let lesson = match (&recording.lesson, lesson) {
            (Some(source), Some(text)) => match Lesson::parse(&text) {
                Ok(lesson) => Some((source.clone(), lesson)),
                Err(error) => {
                    self.link_error = Some(format!("{source}: {error}"));
                    return;
                }
            },
            (Some(source), None) => {
                self.link_error = Some(format!(
                    "the link starts from the lesson {source:?}, which could not be loaded"
                ));
                return;
            }
            (None, _) => None,
        };
        let started = match &lesson {
            Some((source, lesson)) => LessonSession::start(source.clone(), lesson.clone())
                .map(|(session, cluster)| (Some(session), cluster)),
            None => recording
                .cluster_without_lesson()
                .map(|cluster| (None, cluster))
                .map_err(|error| error.to_string()),
        };
        let (session, mut cluster) = match started {
            Ok(started) => started,
            Err(message) => {
                self.link_error = Some(message);
                return;
            }
        };
        if let Err(error) = recording.replay_onto(&mut cluster) {
            self.link_error = Some(error.to_string());
            return;
        }
        self.lesson = session.map(|mut session| {
            session.select(0, &cluster);
            Rc::new(RefCell::new(session))
        });
        self.lesson_revision += 1;
        self.step_mark = (recording.log.len(), cluster.now());
        *self.recording.borrow_mut() = recording;
        self.link_error = None;
        self.replace_cluster(cluster);
        self.log = Rc::new(Vec::new());
        self.cleared_through = self.commands_run;
        self.tell_time();
    }

    /// The share link's payload for the cluster as it is now (`k1:...`).
    pub fn share_payload(&self) -> String {
        let mut recording = self.recording.borrow().clone();
        recording.reached(self.cluster.borrow().now());
        recording.encode()
    }

    /// How many commands the session has run (what a saved session offers back).
    pub fn recorded_commands(&self) -> usize {
        self.recording.borrow().log.len()
    }

    pub fn link_error(&self) -> Option<&str> {
        self.link_error.as_deref()
    }

    pub fn readonly(&self) -> bool {
        self.readonly
    }

    /// Runs `change` on the lesson, if one is open, with the cluster as it is.
    fn with_lesson(&mut self, change: impl FnOnce(&mut LessonSession, &Cluster)) {
        if let Some(session) = &self.lesson {
            change(&mut session.borrow_mut(), &self.cluster.borrow());
            self.lesson_revision += 1;
        }
    }

    fn check_lesson_if_due(&mut self) {
        let now = self.cluster.borrow().now();
        if self
            .lesson
            .as_ref()
            .is_some_and(|session| session.borrow().is_due(now))
        {
            self.check_lesson();
        }
    }

    /// Puts `cluster` in place of the learner's (a lesson starting, a step reset).
    fn replace_cluster(&mut self, cluster: Cluster) {
        *self.cluster.borrow_mut() = cluster;
        self.selected = None;
        self.highlighted = None;
        self.leaving.clear();
        self.after_change();
    }

    fn open_lesson(&mut self, source: String, text: &str) {
        let started = Lesson::parse(text)
            .map_err(|error| format!("{source}: {error}"))
            .and_then(|lesson| LessonSession::start(source.clone(), lesson));
        match started {
            Ok((session, cluster)) => {
                *self.recording.borrow_mut() = Recording::for_lesson(&source, session.run.lesson());
                self.step_mark = (0, cluster.now());
                self.lesson = Some(Rc::new(RefCell::new(session)));
                self.lesson_error = None;
                self.lesson_revision += 1;
                self.replace_cluster(cluster);
                self.log = Rc::new(Vec::new());
                self.cleared_through = self.commands_run;
                if self.tab == SideTab::Lessons {
                    self.tab = SideTab::Terminal;
                }
            }
            Err(message) => {
                self.lesson_error = Some(message);
                self.tab = SideTab::Lessons;
            }
        }
    }

    fn lesson_action(&mut self, action: LessonAction) {
        let Some(session) = self.lesson.clone() else {
            return;
        };
        match action {
            LessonAction::Check => {
                self.with_lesson(|session, cluster| session.check(cluster, true))
            }
            LessonAction::Hint => self.with_lesson(|session, _| session.take_hint()),
            LessonAction::ShowSolution => self.with_lesson(|session, _| session.show_solution()),
            LessonAction::ApplySolution => {
                let lines = session.borrow().solution();
                self.with_lesson(|session, _| session.show_solution());
                for (line, stdin) in lines {
                    self.exec(line, stdin, "page");
                }
                self.tab = SideTab::Terminal;
            }
            LessonAction::ResetStep => {
                let cluster = session.borrow_mut().reset_step();
                let (length, at) = self.step_mark;
                self.recording.borrow_mut().truncate(length, at);
                self.lesson_revision += 1;
                self.replace_cluster(cluster);
            }
            LessonAction::ResetLesson => {
                let reset = session.borrow_mut().reset_lesson();
                self.lesson_revision += 1;
                match reset {
                    Ok(cluster) => {
                        let source = session.borrow().source.clone();
                        *self.recording.borrow_mut() =
                            Recording::for_lesson(&source, session.borrow().run.lesson());
                        self.step_mark = (0, cluster.now());
                        self.replace_cluster(cluster);
                    }
                    Err(message) => self.lesson_error = Some(message),
                }
            }
            LessonAction::Select(index) => {
                self.with_lesson(|session, cluster| session.select(index, cluster));
                self.step_mark = (
                    self.recording.borrow().log.len(),
                    self.cluster.borrow().now(),
                );
            }
        }
    }

    /// The lesson panel's view, when a lesson is open.
    pub fn lesson(&self) -> Option<LessonView> {
        self.lesson
            .as_ref()
            .map(|session| lesson_view(&session.borrow()))
    }

    /// What `?lesson=` would name to reopen the lesson being followed.
    pub fn lesson_source(&self) -> Option<String> {
        self.lesson
            .as_ref()
            .map(|session| session.borrow().source.clone())
    }

    /// Changes whenever the lesson panel should render again.
    pub fn lesson_revision(&self) -> u64 {
        self.lesson_revision
    }

    pub fn lesson_error(&self) -> Option<&str> {
        self.lesson_error.as_deref()
    }

    fn after_change(&mut self) {
        self.revision += 1;
        self.view_tick += 1;
        self.panel_tick += 1;
        self.panel_due = false;
        self.sync_shown();
    }

    /// The grid shows the cluster as it is now; nodes that are gone stop their leave animation.
    fn sync_shown(&mut self) {
        let cluster = self.cluster.borrow();
        self.shown_resource_version = cluster.api().resource_version();
        self.leaving.retain(|name| {
            cluster
                .nodes()
                .any(|node| node.metadata.name.as_ref() == Some(name))
        });
    }

    /// Read access for views; never hold the borrow across a dispatch.
    pub fn cluster(&self) -> std::cell::Ref<'_, Cluster> {
        self.cluster.borrow()
    }

    /// Runs a read-only command (describe, get -o yaml) for display, without logging it.
    pub fn query(&self, line: &str) -> CommandOutput {
        self.cluster.borrow_mut().exec(line, "")
    }

    /// Changes whenever the views should read the cluster again: at most every
    /// `VIEW_REFRESH_MS` of play, and after every command.
    pub fn view_tick(&self) -> u64 {
        self.view_tick
    }

    /// Changes whenever the side panel's views should read the cluster again: as often as
    /// [`Playground::view_tick`], a frame later while playing.
    pub fn panel_tick(&self) -> u64 {
        self.panel_tick
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Changes whenever what the node grid shows may have: an object changed (the API server's
    /// resourceVersion), a command ran (`sim node fail` changes no object at first), or a view tick
    /// passed while an eviction counts down. Ticks in which nothing happens leave it alone, so
    /// the grid is not read again for nothing.
    pub fn grid_version(&self) -> (u64, u64, Option<u64>) {
        let cluster = self.cluster.borrow();
        (
            self.shown_resource_version,
            self.commands_run,
            cluster
                .taint_eviction()
                .is_counting_down()
                .then_some(self.view_tick),
        )
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn speed(&self) -> u32 {
        self.speed
    }

    pub fn selected(&self) -> Option<&ObjectRef> {
        self.selected.as_ref()
    }

    pub fn highlighted(&self) -> Option<&str> {
        self.highlighted.as_deref()
    }

    pub fn tab(&self) -> SideTab {
        self.tab
    }

    /// The node grid as it stands: cards, their pods and the unscheduled lane.
    pub fn grid(&self) -> GridView {
        grid_view(&self.cluster.borrow())
    }

    /// Nodes playing their leave animation.
    pub fn leaving(&self) -> Vec<String> {
        self.leaving.iter().cloned().collect()
    }

    /// The workload whose pods the grid lights: the hovered one, else the selected object when
    /// it is a workload.
    pub fn highlight_uid(&self) -> Option<String> {
        if let Some(uid) = &self.highlighted {
            return Some(uid.clone());
        }
        let selected = self.selected.as_ref()?;
        if !matches!(selected.kind, Kind::DaemonSet | Kind::Job | Kind::CronJob) {
            return None;
        }
        let cluster = self.cluster.borrow();
        let object = cluster.get_any(selected.kind, &selected.namespace, &selected.name)?;
        object.meta().uid.clone()
    }

    /// Every command run in the page, oldest first.
    pub fn log(&self) -> &Rc<Vec<LogEntry>> {
        &self.log
    }

    /// The id of the last command `clear` hid from the terminal.
    pub fn cleared_through(&self) -> u64 {
        self.cleared_through
    }

    /// The id the next command run will get.
    pub fn next_command_id(&self) -> u64 {
        self.commands_run + 1
    }

    /// What `kubectl apply --dry-run=server -f -` says about each document of `manifest`.
    pub fn dry_run(&self, manifest: &str) -> Vec<Checked> {
        dry_run(&self.cluster.borrow(), manifest)
    }

    /// The objects of a kind, for pickers.
    pub fn objects(&self, kind: Kind) -> Vec<ObjectRef> {
        crate::view::inspector::objects(&self.cluster.borrow(), kind)
    }

    /// Every event, newest first, as the events panel lists them.
    pub fn events(&self) -> Vec<EventRow> {
        event_rows(&self.cluster.borrow())
    }

    /// Tab completion for the terminal, from the cluster as it is now.
    pub fn complete(&self, line: &str, cursor: usize) -> Completion {
        shell::complete(&self.cluster.borrow(), line, cursor)
    }

    /// The cluster could not keep up with the speed on the last tick.
    pub fn behind(&self) -> bool {
        self.behind
    }
}

/// The page's monotonic clock in milliseconds; the engine itself never reads it. Outside a
/// browser (native tests) it stands still, so a tick's budget never runs out.
pub fn wall_now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|window| window.performance())
            .map_or(0.0, |performance| performance.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}
