//! A learner going through a lesson. Progress (the steps done, the hints and solutions seen) lives
//! apart from the cluster: resetting a step puts back the cluster as it was when the step began
//! and keeps what the learner has done; resetting the lesson starts both over.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::check::{self, CheckResult, Verdict};
use super::{Lesson, SetupError, Step};
use crate::clock::Millis;
use crate::cluster::Cluster;

/// What a learner has done, by step id: small, serializable, and meaningful without the cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub done: BTreeSet<String>,
    /// How many of each step's hints the learner has opened.
    pub hints: BTreeMap<String, usize>,
    pub solutions_seen: BTreeSet<String>,
}

/// What checking the current step found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The step passed and is done; `next` is the step now current, if any is left.
    Passed {
        step: usize,
        next: Option<usize>,
    },
    /// It would pass after this much virtual time with nothing else done.
    PassesAfter {
        after: Millis,
        result: CheckResult,
    },
    Failed {
        result: CheckResult,
    },
    /// Steps it needs are not done yet (their indexes).
    Blocked {
        needs: Vec<usize>,
    },
    /// Every step is done.
    Finished,
}

#[derive(Clone)]
pub struct LessonRun {
    lesson: Lesson,
    progress: Progress,
    current: usize,
    /// The cluster as it was when the current step began, for "reset step".
    step_start: Cluster,
}

impl LessonRun {
    /// Starts `lesson` from its first step: the run, and the learner's cluster.
    pub fn start(lesson: Lesson) -> Result<(LessonRun, Cluster), SetupError> {
        let cluster = lesson.start()?;
        let run = LessonRun {
            lesson,
            progress: Progress::default(),
            current: 0,
            step_start: cluster.clone(),
        };
        Ok((run, cluster))
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The index of the step the learner is on.
    pub fn current(&self) -> usize {
        self.current
    }

    pub fn current_step(&self) -> Option<&Step> {
        self.lesson.steps.get(self.current)
    }

    pub fn is_done(&self, index: usize) -> bool {
        self.lesson
            .steps
            .get(index)
            .is_some_and(|step| self.progress.done.contains(&step.id))
    }

    pub fn done_count(&self) -> usize {
        self.lesson
            .steps
            .iter()
            .filter(|step| self.progress.done.contains(&step.id))
            .count()
    }

    pub fn finished(&self) -> bool {
        self.done_count() == self.lesson.steps.len()
    }

    /// Moves to step `index` (any step: nothing blocks exploring); resetting it will go back to
    /// `cluster` as it is now.
    pub fn select(&mut self, index: usize, cluster: &Cluster) {
        if index < self.lesson.steps.len() {
            self.current = index;
            self.step_start = cluster.clone();
        }
    }

    /// The current step's needs that are not done yet.
    fn missing_needs(&self) -> Vec<usize> {
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        step.needs
            .iter()
            .filter(|need| !self.progress.done.contains(*need))
            .filter_map(|need| self.lesson.step_index(need))
            .collect()
    }

    /// Checks the current step against `cluster`, which stays as it is. A pass marks the step
    /// done and moves on to the next step not done.
    pub fn check(&mut self, cluster: &Cluster) -> Outcome {
        if self.finished() {
            return Outcome::Finished;
        }
        let Some(step) = self.current_step() else {
            return Outcome::Finished;
        };
        if self.progress.done.contains(&step.id) {
            return self.advance(cluster);
        }
        let needs = self.missing_needs();
        if !needs.is_empty() {
            return Outcome::Blocked { needs };
        }
        let result = check::run(cluster, &step.check);
        match result.verdict {
            Verdict::Passes => {
                let id = step.id.clone();
                self.progress.done.insert(id);
                self.advance(cluster)
            }
            Verdict::PassesAfter(after) => Outcome::PassesAfter { after, result },
            Verdict::Fails => Outcome::Failed { result },
        }
    }

    /// After the current step is done: on to the next step not done, from here.
    fn advance(&mut self, cluster: &Cluster) -> Outcome {
        let step = self.current;
        let count = self.lesson.steps.len();
        let next = (1..count)
            .map(|offset| (step + offset) % count)
            .find(|index| !self.is_done(*index));
        if let Some(next) = next {
            self.select(next, cluster);
        }
        Outcome::Passed { step, next }
    }

    /// Opens the current step's next hint: its number (from 1) and text.
    pub fn take_hint(&mut self) -> Option<(usize, &str)> {
        let step = self.lesson.steps.get(self.current)?;
        let used = self.progress.hints.get(&step.id).copied().unwrap_or(0);
        let hint = step.hints.get(used)?;
        self.progress.hints.insert(step.id.clone(), used + 1);
        Some((used + 1, hint))
    }

    /// How many of the current step's hints are open.
    pub fn hints_open(&self) -> usize {
        self.current_step()
            .and_then(|step| self.progress.hints.get(&step.id))
            .copied()
            .unwrap_or(0)
    }

    /// The current step's solution, now seen.
    pub fn show_solution(&mut self) -> Option<&str> {
        let step = self.lesson.steps.get(self.current)?;
        self.progress.solutions_seen.insert(step.id.clone());
        Some(&step.solution_text)
    }

    /// The cluster as it was when the current step began; progress stays.
    pub fn reset_step(&self) -> Cluster {
        self.step_start.clone()
    }

    /// Starts the lesson over: a fresh cluster and no progress.
    pub fn reset_lesson(&mut self) -> Result<Cluster, SetupError> {
        let (run, cluster) = LessonRun::start(self.lesson.clone())?;
        *self = run;
        Ok(cluster)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::tests::EXAMPLE;

    fn started() -> (LessonRun, Cluster) {
        LessonRun::start(Lesson::parse(EXAMPLE).unwrap()).unwrap()
    }

    #[test]
    fn a_learner_goes_through_the_steps() {
        let (mut run, mut cluster) = started();
        assert!(matches!(run.check(&cluster), Outcome::Failed { .. }));
        assert_eq!(run.take_hint(), Some((1, "Use kubectl create.")));
        assert_eq!(run.take_hint(), Some((2, "Or apply a manifest.")));
        assert_eq!(run.take_hint(), None);
        assert_eq!(run.hints_open(), 2);
        for line in &run.lesson().steps[0].solution.clone() {
            assert_eq!(cluster.exec(&line.line, &line.stdin).exit_code, 0);
        }
        assert_eq!(
            run.check(&cluster),
            Outcome::Passed {
                step: 0,
                next: Some(1)
            }
        );
        assert_eq!(run.done_count(), 1);
        // Step 2 waits for 4 ready pods: a fifth node is added, and it passes once its pod runs.
        cluster.exec("sim node add node-3", "");
        let Outcome::PassesAfter { after, .. } = run.check(&cluster) else {
            panic!("the new node's pod is not ready yet");
        };
        cluster.advance(after);
        assert_eq!(
            run.check(&cluster),
            Outcome::Passed {
                step: 1,
                next: None
            }
        );
        assert!(run.finished());
        assert_eq!(run.check(&cluster), Outcome::Finished);
    }

    #[test]
    fn needs_come_first_and_reset_step_restores_the_cluster() {
        let (mut run, mut cluster) = started();
        run.select(1, &cluster);
        assert_eq!(run.check(&cluster), Outcome::Blocked { needs: vec![0] });
        let before = cluster.save_state();
        cluster.exec("sim node add extra", "");
        assert_ne!(cluster.save_state(), before);
        assert_eq!(run.reset_step().save_state(), before);
        run.take_hint();
        let fresh = run.reset_lesson().unwrap();
        assert_eq!(run.progress(), &Progress::default());
        assert_eq!(run.current(), 0);
        assert_eq!(fresh.nodes().count(), 4);
    }
}
