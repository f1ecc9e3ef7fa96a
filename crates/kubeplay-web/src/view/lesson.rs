//! What the lesson panel shows: the steps with their state, the current step's prose, the hints
//! opened so far, the last check's answer, and the finish screen.

use std::rc::Rc;

use kubeplay_core::lesson::markdown::Block;

use crate::state::lesson::{LessonSession, StepStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepItem {
    pub title: String,
    pub done: bool,
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentStep {
    pub index: usize,
    pub title: String,
    pub prose: Rc<Vec<Block>>,
    /// The hints opened so far, in order.
    pub hints: Vec<String>,
    pub hint_total: usize,
    /// The solution's text, once the learner asked to see it.
    pub solution: Option<String>,
    pub done: bool,
    pub status: StepStatus,
    /// The learner pressed Check (rather than the page checking after a command).
    pub asked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishView {
    pub prose: Rc<Vec<Block>>,
    pub hints_used: usize,
    pub solutions_seen: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonView {
    pub title: String,
    pub intro: Rc<Vec<Block>>,
    pub steps: Vec<StepItem>,
    pub done: usize,
    pub total: usize,
    /// `None` once every step is done.
    pub current: Option<CurrentStep>,
    pub finish: Option<FinishView>,
    /// The step that passed last with a count that changes per pass, for a brief celebration.
    pub passed: Option<(usize, u64)>,
}

pub fn lesson_view(session: &LessonSession) -> LessonView {
    let run = &session.run;
    let lesson = run.lesson();
    let progress = run.progress();
    let steps = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| StepItem {
            title: step.title.clone(),
            done: progress.done.contains(&step.id),
            current: index == run.current(),
        })
        .collect();
    let finished = run.finished();
    let current = (!finished)
        .then(|| run.current_step().map(|step| (run.current(), step)))
        .flatten()
        .map(|(index, step)| CurrentStep {
            index,
            title: step.title.clone(),
            prose: Rc::new(step.prose.clone()),
            hints: step.hints.iter().take(run.hints_open()).cloned().collect(),
            hint_total: step.hints.len(),
            solution: session.solution_open.then(|| step.solution_text.clone()),
            done: progress.done.contains(&step.id),
            status: session.status.clone(),
            asked: session.asked,
        });
    let finish = finished.then(|| FinishView {
        prose: session.finish_prose(),
        hints_used: progress.hints.values().sum(),
        solutions_seen: progress.solutions_seen.len(),
    });
    LessonView {
        title: lesson.title.clone(),
        intro: Rc::new(lesson.intro.clone()),
        steps,
        done: run.done_count(),
        total: lesson.steps.len(),
        current,
        finish,
        passed: session.passed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::built_in;
    use kubeplay_core::lesson::Lesson;

    #[test]
    fn a_step_through_the_view() {
        let text = built_in("daemonset-basics")
            .map(|lesson| lesson.text)
            .unwrap_or_default();
        let lesson = Lesson::parse(text).unwrap();
        let (mut session, mut cluster) =
            LessonSession::start("daemonset-basics".into(), lesson).unwrap();
        let view = lesson_view(&session);
        assert_eq!(view.done, 0);
        assert_eq!(view.steps.iter().filter(|step| step.current).count(), 1);
        let current = view.current.clone().unwrap();
        assert_eq!(current.index, 0);
        assert!(current.hints.is_empty());
        assert!(current.solution.is_none());
        session.check(&cluster, true);
        assert!(matches!(
            lesson_view(&session).current.unwrap().status,
            StepStatus::Failed { .. }
        ));
        session.take_hint();
        assert_eq!(lesson_view(&session).current.unwrap().hints.len(), 1);
        session.show_solution();
        assert!(lesson_view(&session).current.unwrap().solution.is_some());
        for (line, stdin) in session.solution() {
            assert_eq!(cluster.exec(&line, &stdin).exit_code, 0, "{line}");
        }
        session.check(&cluster, false);
        if let Some(due) = session.due {
            cluster.run_until(due);
            session.check(&cluster, false);
        }
        let view = lesson_view(&session);
        assert_eq!(view.done, 1, "{:?}", session.status);
        assert_eq!(view.passed.map(|(step, _)| step), Some(0));
        assert_eq!(view.current.unwrap().index, 1);
    }
}
