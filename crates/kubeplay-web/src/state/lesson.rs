//! A lesson in the page: the core's `LessonRun` (steps, progress, the cluster at each step's
//! start) and what the panel shows about the current step: the last check's answer, the hints
//! and solution opened, a step that just passed. Checking is the core's; this only keeps the
//! answers for the view.

use std::rc::Rc;

use kubeplay_core::clock::{Millis, go_duration};
use kubeplay_core::lesson::Lesson;
use kubeplay_core::lesson::markdown::Block;
use kubeplay_core::lesson::progress::{LessonRun, Outcome};
use kubeplay_core::{Cluster, CommandOutput};

/// What the panel says about the current step after its last check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepStatus {
    /// Not checked since the step began.
    Unchecked,
    /// Fails now; `output` is what the deciding line printed.
    Failed {
        fail: String,
        line: String,
        output: String,
    },
    /// Would pass after this much virtual time: `advance` is the `sim advance` line that gets there.
    PassesAfter { wait: String, advance: String },
    /// Steps it needs come first (their titles).
    Blocked { needs: Vec<String> },
}

#[derive(Clone)]
pub struct LessonSession {
    /// What `?lesson=` names: a built-in lesson's name or the lesson's address.
    pub source: String,
    pub run: LessonRun,
    pub status: StepStatus,
    /// The virtual instant the current step's check said it would pass: checked again then.
    pub due: Option<Millis>,
    pub solution_open: bool,
    /// The step that passed last, and a count that changes on every pass, so the panel can play
    /// its brief celebration once per pass.
    pub passed: Option<(usize, u64)>,
    passes: u64,
    /// Whether the learner asked for the check (a button) rather than the page after a command:
    /// a failure after a command the learner ran for other reasons is shown quietly.
    pub asked: bool,
}

impl LessonSession {
    /// Starts `lesson`: the session and the learner's new cluster.
    pub fn start(source: String, lesson: Lesson) -> Result<(LessonSession, Cluster), String> {
        let (run, cluster) = LessonRun::start(lesson).map_err(|error| error.to_string())?;
        Ok((
            LessonSession {
                source,
                run,
                status: StepStatus::Unchecked,
                due: None,
                solution_open: false,
                passed: None,
                passes: 0,
                asked: false,
            },
            cluster,
        ))
    }

    /// Checks the current step against `cluster`; `asked` when the learner pressed Check.
    pub fn check(&mut self, cluster: &Cluster, asked: bool) {
        self.asked = asked;
        self.due = None;
        match self.run.check(cluster) {
            Outcome::Passed { step, .. } => {
                self.passes += 1;
                self.passed = Some((step, self.passes));
                self.step_changed();
            }
            Outcome::PassesAfter { after, .. } => {
                self.due = Some(cluster.now().saturating_add(after));
                self.status = StepStatus::PassesAfter {
                    wait: go_duration(after),
                    advance: format!("sim advance {}", go_duration(after)),
                };
            }
            Outcome::Failed { result } => {
                let fail = self
                    .run
                    .current_step()
                    .map(|step| step.fail.clone())
                    .unwrap_or_default();
                self.status = StepStatus::Failed {
                    fail,
                    line: result.line,
                    output: output_text(&result.output),
                };
            }
            Outcome::Blocked { needs } => {
                let steps = &self.run.lesson().steps;
                self.status = StepStatus::Blocked {
                    needs: needs
                        .iter()
                        .filter_map(|index| steps.get(*index))
                        .map(|step| step.title.clone())
                        .collect(),
                };
            }
            Outcome::Finished => self.status = StepStatus::Unchecked,
        }
    }

    /// A check is due: the clock reached the instant the last check said the step would pass.
    pub fn is_due(&self, now: Millis) -> bool {
        self.due.is_some_and(|due| now >= due)
    }

    fn step_changed(&mut self) {
        self.status = StepStatus::Unchecked;
        self.due = None;
        self.solution_open = false;
        self.asked = false;
    }

    pub fn select(&mut self, index: usize, cluster: &Cluster) {
        self.run.select(index, cluster);
        self.step_changed();
    }

    pub fn take_hint(&mut self) {
        self.run.take_hint();
    }

    pub fn show_solution(&mut self) {
        self.run.show_solution();
        self.solution_open = true;
    }

    pub fn reset_step(&mut self) -> Cluster {
        self.step_changed();
        self.run.reset_step()
    }

    pub fn reset_lesson(&mut self) -> Result<Cluster, String> {
        self.step_changed();
        self.passed = None;
        self.run.reset_lesson().map_err(|error| error.to_string())
    }

    /// The current step's solution as command lines with their stdin, to run one by one.
    pub fn solution(&self) -> Vec<(String, String)> {
        self.run
            .current_step()
            .map(|step| {
                step.solution
                    .iter()
                    .map(|line| (line.line.clone(), line.stdin.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The lesson's prose, shared with the view without copying.
    pub fn finish_prose(&self) -> Rc<Vec<Block>> {
        Rc::new(self.run.lesson().finish.clone())
    }
}

fn output_text(output: &CommandOutput) -> String {
    let mut text = output.stdout.clone();
    text.push_str(&output.stderr);
    text.trim_end().to_string()
}
