use std::rc::Rc;

use kubeplay_core::lesson::markdown;
use yew::prelude::*;

use super::prose::Prose;
use crate::state::LessonAction;
use crate::state::lesson::StepStatus;
use crate::view::lesson::{CurrentStep, FinishView, LessonView};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub view: LessonView,
    pub on_action: Callback<LessonAction>,
    /// Runs a script of command lines in the terminal (code marked `{{run}}`, fast-forward).
    pub on_run: Callback<String>,
    pub on_copy: Callback<String>,
    /// Leaves the lesson for free play.
    pub on_close: Callback<()>,
    /// Back to the list of lessons.
    pub on_lessons: Callback<()>,
}

/// Short Markdown (a hint, a fail message) as prose.
fn short_prose(text: &str) -> Rc<Vec<markdown::Block>> {
    Rc::new(markdown::parse(text).before)
}

/// The lesson beside the grid: its steps, the current one's prose, check, hints and solution,
/// and the finish screen.
#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    let view = &props.view;
    let pane = use_node_ref();
    {
        // A new step (or the finish screen) starts at its top, not where the last one was scrolled.
        let pane = pane.clone();
        let step = view.current.as_ref().map(|current| current.index);
        use_effect_with(step, move |_| {
            if let Some(element) = pane.cast::<web_sys::Element>() {
                element.set_scroll_top(0);
            }
        });
    }
    let percent = (view.done * 100).checked_div(view.total).unwrap_or(0);
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <section class="lesson-panel" aria-labelledby="lesson-title" ref={pane}>
            <header class="lesson-head">
                <div class="lesson-heading">
                    <p class="eyebrow">{"Lesson"}</p>
                    <h2 id="lesson-title">{ view.title.clone() }</h2>
                </div>
                <button type="button" class="icon-button lesson-close" onclick={close}
                    title="Leave the lesson (the cluster stays)" aria-label="Leave the lesson">{"✕"}</button>
            </header>
            <div class="lesson-progress">
                <div class="lesson-progress-bar" role="progressbar" aria-label="Steps done"
                    aria-valuemin="0" aria-valuemax={view.total.to_string()} aria-valuenow={view.done.to_string()}>
                    <span style={format!("width: {percent}%")}></span>
                </div>
                <span class="lesson-progress-text">{ format!("{} of {} done", view.done, view.total) }</span>
            </div>
            <div class="lesson-steps-row">
            <ol class="lesson-steps" aria-label="Steps">
                { for view.steps.iter().enumerate().map(|(index, step)| {
                    let onclick = {
                        let on_action = props.on_action.clone();
                        Callback::from(move |_: MouseEvent| on_action.emit(LessonAction::Select(index)))
                    };
                    let label = format!(
                        "Step {}: {}{}",
                        index + 1,
                        step.title,
                        if step.done { " (done)" } else { "" }
                    );
                    html! {
                        <li class={classes!(step.done.then_some("done"), step.current.then_some("current"))}>
                            <button type="button" {onclick} title={label.clone()} aria-label={label}
                                aria-current={step.current.then_some("step")}>
                                { if step.done { "✓".to_string() } else { (index + 1).to_string() } }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if let Some((step, count)) = view.passed {
                <div class="step-passed" key={count.to_string()} role="status">
                    <span aria-hidden="true">{"✓"}</span>
                    { format!(" Step {} done", step + 1) }
                </div>
            }
            </div>
            if let Some(current) = &view.current {
                { step_html(view, current, props) }
            }
            if let Some(finish) = &view.finish {
                { finish_html(view, finish, props) }
            }
        </section>
    }
}

fn step_html(view: &LessonView, current: &CurrentStep, props: &LessonPanelProps) -> Html {
    let action = |action: LessonAction| {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
    };
    let hints_left = current.hints.len() < current.hint_total;
    let hint_label = if current.hint_total == 0 {
        "No hints".to_string()
    } else if hints_left {
        format!(
            "Hint ({} of {})",
            current.hints.len() + 1,
            current.hint_total
        )
    } else {
        format!("All {} hints shown", current.hint_total)
    };
    let show_intro = current.index == 0 && view.done == 0 && !view.intro.is_empty();
    html! {
        <article class="lesson-step" aria-labelledby="lesson-step-title">
            if show_intro {
                <div class="lesson-intro">
                    <Prose blocks={view.intro.clone()} on_run={props.on_run.clone()} on_copy={props.on_copy.clone()} />
                </div>
            }
            <h3 id="lesson-step-title">
                <span class="step-number">{ format!("Step {} of {}", current.index + 1, view.total) }</span>
                {" "}{ current.title.clone() }
            </h3>
            <Prose blocks={current.prose.clone()} on_run={props.on_run.clone()} on_copy={props.on_copy.clone()} />
            <div class="step-status" aria-live="polite">
                { status_html(current, props) }
            </div>
            <div class="step-actions">
                <button type="button" class="button primary" onclick={action(LessonAction::Check)}
                    disabled={current.done}>{"Check"}</button>
                <button type="button" class="button" onclick={action(LessonAction::Hint)}
                    disabled={!hints_left}>{ hint_label }</button>
                if current.solution.is_none() {
                    <button type="button" class="button" onclick={action(LessonAction::ShowSolution)}>{"Show solution"}</button>
                }
                <button type="button" class="button subtle" onclick={action(LessonAction::ResetStep)}
                    title="Put the cluster back as it was when this step began">{"Reset step"}</button>
            </div>
            if !current.hints.is_empty() {
                <ol class="hints" aria-label="Hints">
                    { for current.hints.iter().enumerate().map(|(index, hint)| html! {
                        <li>
                            <span class="hint-label">{ format!("Hint {} of {}", index + 1, current.hint_total) }</span>
                            <Prose blocks={short_prose(hint)} on_run={props.on_run.clone()} on_copy={props.on_copy.clone()} />
                        </li>
                    }) }
                </ol>
            }
            if let Some(solution) = &current.solution {
                <div class="solution">
                    <div class="solution-head">
                        <span>{"Solution"}</span>
                        <button type="button" class="button small" onclick={action(LessonAction::ApplySolution)}>{"Apply solution"}</button>
                    </div>
                    <pre class="code-block"><code>{ solution.clone() }</code></pre>
                </div>
            }
        </article>
    }
}

fn status_html(current: &CurrentStep, props: &LessonPanelProps) -> Html {
    if current.done {
        return html! { <p class="status-line ok">{"✓ Done. Pick the next step, or keep exploring."}</p> };
    }
    match &current.status {
        StepStatus::Unchecked => html! {},
        StepStatus::Failed { fail, line, output } => {
            let message = if fail.is_empty() {
                "Not done yet.".to_string()
            } else {
                fail.clone()
            };
            html! {
                <div class={classes!("status-failed", current.asked.then_some("asked"))}>
                    <p class="status-line bad"><strong>{"Not yet. "}</strong></p>
                    <Prose blocks={short_prose(&message)} on_run={props.on_run.clone()} on_copy={props.on_copy.clone()} />
                    <details>
                        <summary>{"What the check saw"}</summary>
                        <pre class="code-block"><code>{ format!("$ {line}\n{output}") }</code></pre>
                    </details>
                </div>
            }
        }
        StepStatus::PassesAfter { wait, advance } => {
            let onclick = {
                let on_run = props.on_run.clone();
                let advance = advance.clone();
                Callback::from(move |_: MouseEvent| on_run.emit(advance.clone()))
            };
            html! {
                <div class="status-pending">
                    <p class="status-line">{ format!("Almost: this passes in {wait} of cluster time, if nothing else changes.") }</p>
                    <button type="button" class="button small" {onclick}>{ format!("⏩ Fast-forward {wait}") }</button>
                </div>
            }
        }
        StepStatus::Blocked { needs } => html! {
            <p class="status-line">{ format!("Finish {} first.", needs.iter().map(|title| format!("“{title}”")).collect::<Vec<_>>().join(" and ")) }</p>
        },
    }
}

fn finish_html(view: &LessonView, finish: &FinishView, props: &LessonPanelProps) -> Html {
    let lessons = {
        let on_lessons = props.on_lessons.clone();
        Callback::from(move |_: MouseEvent| on_lessons.emit(()))
    };
    let keep_playing = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let again = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(LessonAction::ResetLesson))
    };
    let help = match (finish.hints_used, finish.solutions_seen) {
        (0, 0) => "with no hints".to_string(),
        (hints, 0) => format!("with {hints} hint{}", if hints == 1 { "" } else { "s" }),
        (hints, solutions) => format!(
            "with {hints} hint{} and {solutions} solution{}",
            if hints == 1 { "" } else { "s" },
            if solutions == 1 { "" } else { "s" }
        ),
    };
    html! {
        <article class="lesson-finish" aria-labelledby="lesson-finish-title">
            <div class="finish-badge" aria-hidden="true">{"✓"}</div>
            <h3 id="lesson-finish-title">{"Lesson complete"}</h3>
            <p class="finish-summary">{ format!("All {} steps of “{}” done, {help}.", view.total, view.title) }</p>
            <Prose blocks={finish.prose.clone()} on_run={props.on_run.clone()} on_copy={props.on_copy.clone()} />
            <div class="step-actions">
                <button type="button" class="button primary" onclick={lessons}>{"More lessons"}</button>
                <button type="button" class="button" onclick={keep_playing}>{"Keep playing"}</button>
                <button type="button" class="button subtle" onclick={again}>{"Start over"}</button>
            </div>
        </article>
    }
}
