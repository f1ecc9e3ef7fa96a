use std::rc::Rc;

use yew::prelude::*;

use crate::lessons::LessonCard;

#[derive(Properties, PartialEq)]
pub struct LessonListProps {
    pub lessons: Rc<Vec<LessonCard>>,
    /// The lesson being followed, by name.
    pub active: Option<String>,
    /// Why the last lesson asked for could not start.
    pub error: Option<String>,
    pub on_start: Callback<String>,
    pub on_free_play: Callback<()>,
}

/// What a newcomer sees first: the lessons, each with what it teaches and how long it takes, and
/// free play for exploring on one's own.
#[component]
pub fn LessonList(props: &LessonListProps) -> Html {
    let free_play = {
        let on_free_play = props.on_free_play.clone();
        Callback::from(move |_: MouseEvent| on_free_play.emit(()))
    };
    html! {
        <div class="lesson-list">
            <div class="lesson-list-intro">
                <h2>{"Learn by doing"}</h2>
                <p>{"Short guided lessons on a live cluster. Each step checks your work; hints and solutions are there when you want them."}</p>
            </div>
            if let Some(error) = &props.error {
                <div class="lesson-error" role="alert">
                    <strong>{"The lesson could not start. "}</strong>
                    <pre>{ error.clone() }</pre>
                </div>
            }
            <ol class="lesson-cards" role="list">
                { for props.lessons.iter().enumerate().map(|(index, card)| {
                    let onclick = {
                        let on_start = props.on_start.clone();
                        let name = card.name.clone();
                        Callback::from(move |_: MouseEvent| on_start.emit(name.clone()))
                    };
                    let active = props.active.as_deref() == Some(card.name.as_str());
                    let meta = match card.minutes {
                        Some(minutes) => format!("{} steps · {minutes} min", card.steps),
                        None => format!("{} steps", card.steps),
                    };
                    html! {
                        <li key={card.name.clone()} class={classes!("lesson-card", active.then_some("active"))}>
                            <button type="button" {onclick}
                                aria-label={if active { format!("{} (in progress)", card.title) } else { card.title.clone() }}
                                aria-describedby={format!("lesson-desc-{index}")}>
                                <span class="lesson-number" aria-hidden="true">{ index + 1 }</span>
                                <span class="lesson-card-text">
                                    <span class="lesson-card-title">{ card.title.clone() }</span>
                                    <span class="lesson-card-desc" id={format!("lesson-desc-{index}")}>{ card.description.clone() }</span>
                                    <span class="lesson-card-meta">{ if active { format!("{meta} · in progress") } else { meta } }</span>
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            <button type="button" class="button free-play" onclick={free_play}>
                {"Free play: explore the cluster on your own →"}
            </button>
        </div>
    }
}
