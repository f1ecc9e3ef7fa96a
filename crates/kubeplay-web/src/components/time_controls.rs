use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::state::SPEEDS;
use crate::view::time::{ClockView, STEP_LINE, speed_label, speed_title};

#[derive(Properties, PartialEq)]
pub struct TimeControlsProps {
    pub clock: ClockView,
    pub playing: bool,
    pub speed: u32,
    /// The cluster could not keep up with the speed on the last frame.
    pub behind: bool,
    /// `sim advance ...` to the next CronJob run, and which CronJob; None without one scheduled.
    pub skip: Option<(String, String)>,
    pub on_playing: Callback<bool>,
    pub on_speed: Callback<u32>,
    pub on_exec: Callback<String>,
}

/// Play and pause (also Space), the speed, and the two ways to jump ahead: to the next event and
/// to the next CronJob run. Beside them, the cluster's clock.
#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    use_space_toggles(props.playing, props.on_playing.clone());

    let toggle = {
        let on_playing = props.on_playing.clone();
        let playing = props.playing;
        Callback::from(move |_: MouseEvent| on_playing.emit(!playing))
    };
    let step = {
        let on_exec = props.on_exec.clone();
        Callback::from(move |_: MouseEvent| on_exec.emit(STEP_LINE.to_string()))
    };
    let (skip_line, skip_title) = match &props.skip {
        Some((line, name)) => (
            Some(line.clone()),
            format!("Skip to the next CronJob run ({name}): {line}"),
        ),
        None => (None, "No CronJob is scheduled".to_string()),
    };
    let skip = {
        let on_exec = props.on_exec.clone();
        let line = skip_line.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(line) = &line {
                on_exec.emit(line.clone());
            }
        })
    };
    let index = SPEEDS
        .iter()
        .position(|speed| *speed == props.speed)
        .unwrap_or(0);
    let onkeydown = {
        let on_speed = props.on_speed.clone();
        Callback::from(move |event: KeyboardEvent| {
            let count = SPEEDS.len();
            let target = match event.key().as_str() {
                "ArrowRight" | "ArrowUp" => (index + 1).min(count - 1),
                "ArrowLeft" | "ArrowDown" => index.saturating_sub(1),
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            event.prevent_default();
            on_speed.emit(SPEEDS[target]);
            focus(&format!("[data-speed='{}']", SPEEDS[target]));
        })
    };
    let (play_label, play_title) = if props.playing {
        ("Pause", "Pause the cluster's clock (Space)")
    } else {
        ("Play", "Let the cluster's clock run (Space)")
    };

    html! {
        <div class="time-controls" role="group" aria-label="Time">
            <div class={classes!("clock", (!props.playing).then_some("paused"))} role="timer"
                title={format!("The cluster's clock: {}", props.clock.text())}>
                <time datetime={props.clock.datetime.clone()}>
                    <span class="clock-date">{&props.clock.date}</span>
                    <span class="clock-time">{&props.clock.time}</span>
                    <span class="clock-zone">{"UTC"}</span>
                </time>
                if !props.playing {
                    <span class="clock-state">{"Paused"}</span>
                }
            </div>
            <button type="button" class="time-button play"
                aria-label={play_label} title={play_title}
                aria-keyshortcuts="Space"
                onclick={toggle}>
                if props.playing {
                    <svg viewBox="0 0 24 24" aria-hidden="true"><rect x="6.5" y="5" width="4" height="14" rx="1" /><rect x="13.5" y="5" width="4" height="14" rx="1" /></svg>
                } else {
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5.5v13a1 1 0 0 0 1.5.86l10.5-6.5a1 1 0 0 0 0-1.72L9.5 4.64A1 1 0 0 0 8 5.5z" /></svg>
                }
            </button>
            <div class={classes!("speeds", props.behind.then_some("behind"))} role="radiogroup" aria-label="Speed" {onkeydown}
                title={props.behind.then_some("The cluster has more to do than fits in a frame at this speed: its clock runs slower until it catches up")}>
                { for SPEEDS.iter().map(|speed| {
                    let checked = *speed == props.speed;
                    let onclick = {
                        let on_speed = props.on_speed.clone();
                        let speed = *speed;
                        Callback::from(move |_: MouseEvent| on_speed.emit(speed))
                    };
                    html! {
                        <button type="button" role="radio"
                            class={classes!("speed", checked.then_some("active"))}
                            aria-checked={checked.to_string()}
                            tabindex={if checked { "0" } else { "-1" }}
                            data-speed={speed.to_string()}
                            title={speed_title(*speed)}
                            {onclick}>
                            {speed_label(*speed)}
                        </button>
                    }
                }) }
            </div>
            <button type="button" class="time-button step"
                aria-label="Step to the next event"
                title={format!("Step to the next event: {STEP_LINE}")}
                onclick={step}>
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6.5v11a1 1 0 0 0 1.52.85l8.5-5.5a1 1 0 0 0 0-1.7l-8.5-5.5A1 1 0 0 0 6 6.5z" /><rect x="16.5" y="5.5" width="2.5" height="13" rx="1" /></svg>
            </button>
            <button type="button" class="time-button skip"
                aria-label="Skip to the next CronJob run"
                title={skip_title}
                disabled={skip_line.is_none()}
                onclick={skip}>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="stroke"><circle cx="11" cy="12" r="7.5" /><path d="M11 7.5V12l3 2" /><path d="M19.5 4.5v4h-4" /></svg>
                <span class="skip-label">{"Next run"}</span>
            </button>
        </div>
    }
}

/// Space plays and pauses, unless focus is on something Space already operates (a text field,
/// a button, a link).
#[hook]
fn use_space_toggles(playing: bool, on_playing: Callback<bool>) {
    // The listener is added once; it reads the latest state here, so rendering every frame never
    // re-adds it.
    let latest = use_mut_ref(|| (playing, on_playing.clone()));
    *latest.borrow_mut() = (playing, on_playing);
    use_effect_with((), move |_| {
        type Listener = Closure<dyn Fn(KeyboardEvent)>;
        let listener: Rc<RefCell<Option<Listener>>> = Rc::default();
        let closure = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            if event.key() != " "
                || event.repeat()
                || event.ctrl_key()
                || event.meta_key()
                || event.alt_key()
                || event.default_prevented()
                || space_operates_target(&event)
            {
                return;
            }
            event.prevent_default();
            let (playing, on_playing) = latest.borrow().clone();
            on_playing.emit(!playing);
        });
        let window = web_sys::window();
        if let Some(window) = &window {
            // Adding a listener to the window cannot fail.
            let _ = window
                .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
        }
        *listener.borrow_mut() = Some(closure);
        move || {
            if let (Some(window), Some(closure)) = (window, listener.borrow_mut().take()) {
                let _ = window.remove_event_listener_with_callback(
                    "keydown",
                    closure.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

fn space_operates_target(event: &KeyboardEvent) -> bool {
    const OPERATED: &str = "input, textarea, select, button, summary, a[href], [contenteditable], \
        [role=button], [role=tab], [role=radio], [role=checkbox], [role=switch], [role=menuitem], [role=textbox]";
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest(OPERATED).ok().flatten())
        .is_some()
}

fn focus(selector: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector(selector).ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        // Focus only fails on a detached element, which then has nothing to focus.
        let _ = element.focus();
    }
}
