//! The engine's face to a host page's script: `create(element, options)` mounts a playground
//! into an element, `createHeadless(options)` runs one with no page at all. Both give the same
//! `Playground` object, whose every call is one of the state's actions, so a host does exactly
//! what a reader could (and a read-only playground still takes the host's commands). `embed.js`
//! wraps it in promises, `watch(event, fn)` and the `<kube-play>` element.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use kubeplay_core::kubectl::parse_duration;
use kubeplay_core::share::MAX_SPAN;
use wasm_bindgen::prelude::*;
use yew::{AppHandle, Reducible};

use super::bridge::Bridge;
use super::events::{Event, Outbox};
use super::options::EmbedOptions;
use crate::app::{App, AppProps};
use crate::state::{self, Action, HostAction, LessonAction, SideTab};

/// A headless playground's clock moves this often, in wall milliseconds, while playing.
const HEADLESS_TICK_MS: u32 = 100;

type State = Rc<RefCell<Rc<state::Playground>>>;

enum Target {
    Mounted {
        bridge: Bridge,
        app: Option<AppHandle<App>>,
    },
    Headless {
        state: State,
        clock: Option<Interval>,
    },
    Destroyed,
}

#[wasm_bindgen]
pub struct Playground {
    target: Target,
    outbox: Outbox,
    /// The host's `fn(name, json)` for events.
    listener: Rc<RefCell<Option<js_sys::Function>>>,
}

fn deliver(listener: &Rc<RefCell<Option<js_sys::Function>>>, events: Vec<Event>) {
    let listener = listener.borrow().clone();
    if let Some(listener) = listener {
        for event in events {
            // A listener that throws is the host's bug; the playground goes on.
            let _ = listener.call2(
                &JsValue::NULL,
                &JsValue::from_str(event.name()),
                &JsValue::from_str(&event.to_json()),
            );
        }
    }
}

fn options(text: &str) -> Result<EmbedOptions, JsValue> {
    EmbedOptions::from_json_text(text).map_err(|error| JsValue::from_str(&error))
}

/// Mounts a playground into `root` with `options` (a JSON object of the embed's options).
#[wasm_bindgen]
pub fn create(root: web_sys::Element, options_json: &str) -> Result<Playground, JsValue> {
    let options = options(options_json)?;
    let outbox = Outbox::default();
    let bridge = Bridge::default();
    let listener: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
    {
        let listener = listener.clone();
        bridge.listen(move |events| deliver(&listener, events));
    }
    let props = AppProps {
        options: Rc::new(options),
        outbox: outbox.clone(),
        bridge: bridge.clone(),
    };
    let app = yew::Renderer::<App>::with_root_and_props(root, props).render();
    Ok(Playground {
        target: Target::Mounted {
            bridge,
            app: Some(app),
        },
        outbox,
        listener,
    })
}

/// A playground with no page: the engine, its lessons and its clock, driven from script.
#[wasm_bindgen(js_name = createHeadless)]
pub fn create_headless(options_json: &str) -> Result<Playground, JsValue> {
    let options = options(options_json)?;
    let outbox = Outbox::default();
    let state: State = Rc::new(RefCell::new(Rc::new(state::Playground::new(
        &options,
        outbox.clone(),
    ))));
    let mut playground = Playground {
        target: Target::Headless { state, clock: None },
        outbox,
        listener: Rc::default(),
    };
    if let Some(manifest) = &options.manifest {
        playground.apply(Action::Host(HostAction::Exec {
            line: "kubectl apply -f -".into(),
            stdin: manifest.clone(),
        }))?;
    }
    if let Some(setup) = &options.setup {
        for step in
            kubeplay_core::shell::parse_script(setup).map_err(|error| JsValue::from_str(&error))?
        {
            playground.apply(Action::Host(HostAction::Exec {
                line: step.line,
                stdin: step.stdin,
            }))?;
        }
    }
    if options.playing {
        playground.set_playing(true)?;
    }
    Ok(playground)
}

fn destroyed() -> JsValue {
    JsValue::from_str("this playground was destroyed")
}

impl Playground {
    /// Applies `action` now and hands what happened to the listener; returns those events.
    fn apply(&mut self, action: Action) -> Result<Vec<Event>, JsValue> {
        match &self.target {
            Target::Mounted { bridge, .. } => {
                if !bridge.dispatch(action) {
                    return Err(JsValue::from_str(
                        "the playground is not ready yet: wait for its ready event",
                    ));
                }
            }
            Target::Headless { state, .. } => {
                let current = state.borrow().clone();
                *state.borrow_mut() = current.reduce(action);
            }
            Target::Destroyed => return Err(destroyed()),
        }
        let events = self.outbox.drain();
        deliver(&self.listener, events.clone());
        Ok(events)
    }

    fn state(&self) -> Result<state::Playground, JsValue> {
        match &self.target {
            Target::Mounted { bridge, .. } => bridge.state().ok_or_else(destroyed),
            Target::Headless { state, .. } => Ok((**state.borrow()).clone()),
            Target::Destroyed => Err(destroyed()),
        }
    }
}

#[wasm_bindgen]
impl Playground {
    /// Runs a command line, as the terminal would; `{stdout, stderr, exitCode}` as JSON.
    pub fn exec(&mut self, line: &str, stdin: Option<String>) -> Result<String, JsValue> {
        if line.len() > 64 * 1024 || stdin.as_ref().is_some_and(|stdin| stdin.len() > 1 << 20) {
            return Err(JsValue::from_str("the command is too long"));
        }
        let events = self.apply(Action::Host(HostAction::Exec {
            line: line.to_string(),
            stdin: stdin.unwrap_or_default(),
        }))?;
        events
            .into_iter()
            .find(|event| matches!(event, Event::Command { .. }))
            .map(|event| event.to_json())
            .ok_or_else(|| JsValue::from_str("the command did not run"))
    }

    /// Lets `duration` (`90s`, `5m`, `1h30m`) of virtual time pass now.
    pub fn advance(&mut self, duration: &str) -> Result<(), JsValue> {
        let millis = parse_duration(duration)
            .ok()
            .filter(|millis| (0..=MAX_SPAN).contains(millis))
            .ok_or_else(|| {
                JsValue::from_str(&format!(
                    "advance takes a duration such as 90s, 5m or 1h30m, at most 31 days, not {duration:?}"
                ))
            })?;
        self.apply(Action::Host(HostAction::Advance(millis)))?;
        Ok(())
    }

    #[wasm_bindgen(js_name = setPlaying)]
    pub fn set_playing(&mut self, playing: bool) -> Result<(), JsValue> {
        self.apply(Action::Host(HostAction::SetPlaying(playing)))?;
        if let Target::Headless { state, clock } = &mut self.target {
            *clock = playing.then(|| {
                let state = state.clone();
                let outbox = self.outbox.clone();
                let listener = self.listener.clone();
                Interval::new(HEADLESS_TICK_MS, move || {
                    let current = state.borrow().clone();
                    *state.borrow_mut() = current.reduce(Action::Tick {
                        wall_ms: f64::from(HEADLESS_TICK_MS),
                    });
                    deliver(&listener, outbox.drain());
                })
            });
        }
        Ok(())
    }

    /// One of the time controls' speeds: 1, 10, 60, 600 or 3600.
    #[wasm_bindgen(js_name = setSpeed)]
    pub fn set_speed(&mut self, speed: u32) -> Result<(), JsValue> {
        if !state::SPEEDS.contains(&speed) {
            return Err(JsValue::from_str(&format!(
                "setSpeed takes one of {:?}, not {speed}",
                state::SPEEDS
            )));
        }
        self.apply(Action::Host(HostAction::SetSpeed(speed)))?;
        Ok(())
    }

    /// Opens a side panel: lessons, workloads, editor, terminal, events or inspector.
    pub fn show(&mut self, panel: &str) -> Result<(), JsValue> {
        let tab = match panel {
            "lessons" => SideTab::Lessons,
            "workloads" => SideTab::Workloads,
            "editor" => SideTab::Editor,
            "terminal" => SideTab::Terminal,
            "events" => SideTab::Events,
            "inspector" => SideTab::Inspector,
            other => {
                return Err(JsValue::from_str(&format!(
                    "show takes lessons, workloads, editor, terminal, events or inspector, not {other:?}"
                )));
            }
        };
        self.apply(Action::Host(HostAction::Show(tab)))?;
        Ok(())
    }

    /// The share link's payload (`k1:...`): the part after `#`.
    #[wasm_bindgen(js_name = sharePayload)]
    pub fn share_payload(&self) -> Result<String, JsValue> {
        Ok(self.state()?.share_payload())
    }

    /// Opens a share payload (or a whole link) in place of this cluster; resolves when done.
    #[wasm_bindgen(js_name = openLink)]
    pub fn open_link(&self, link: String) -> js_sys::Promise {
        let target = match &self.target {
            Target::Mounted { bridge, .. } => Ok(bridge.clone()),
            Target::Headless { state, .. } => Err(state.clone()),
            Target::Destroyed => return js_sys::Promise::reject(&destroyed()),
        };
        let (outbox, listener) = (self.outbox.clone(), self.listener.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let action = crate::startup::open_link(&link).await;
            match target {
                Ok(bridge) => {
                    bridge.dispatch(action);
                }
                Err(state) => {
                    let current = state.borrow().clone();
                    *state.borrow_mut() = current.reduce(action);
                }
            }
            deliver(&listener, outbox.drain());
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Why the last link could not be opened, if it could not.
    #[wasm_bindgen(js_name = linkError)]
    pub fn link_error(&self) -> Result<Option<String>, JsValue> {
        Ok(self.state()?.link_error().map(str::to_string))
    }

    /// `kubectl get` and friends for reading, without logging: what the inspector runs.
    pub fn query(&self, line: &str) -> Result<String, JsValue> {
        let output = self.state()?.query(line);
        Ok(Event::command(line, &output, "host").to_json())
    }

    /// Starts a lesson: `text` (a lesson file) named `source`, or without text the built-in
    /// lesson `source` names.
    #[wasm_bindgen(js_name = openLesson)]
    pub fn open_lesson(&mut self, source: String, text: Option<String>) -> Result<(), JsValue> {
        let text = match text {
            Some(text) => text,
            None => crate::lessons::built_in(&source)
                .map(|lesson| lesson.text.to_string())
                .ok_or_else(|| {
                    JsValue::from_str(
                        &crate::lesson_source::lesson_source(&source)
                            .err()
                            .unwrap_or_default(),
                    )
                })?,
        };
        self.apply(Action::OpenLesson { source, text })?;
        if let Some(error) = self.state()?.lesson_error() {
            return Err(JsValue::from_str(error));
        }
        Ok(())
    }

    /// A lesson control: check, hint, solution, apply, reset-step, reset-lesson, close.
    pub fn lesson(&mut self, control: &str) -> Result<(), JsValue> {
        let action = match control {
            "check" => Action::Lesson(LessonAction::Check),
            "hint" => Action::Lesson(LessonAction::Hint),
            "solution" => Action::Lesson(LessonAction::ShowSolution),
            "apply" => Action::Lesson(LessonAction::ApplySolution),
            "reset-step" => Action::Lesson(LessonAction::ResetStep),
            "reset-lesson" => Action::Lesson(LessonAction::ResetLesson),
            "close" => Action::CloseLesson,
            other => {
                return Err(JsValue::from_str(&format!(
                    "lesson takes check, hint, solution, apply, reset-step, reset-lesson or close, not {other:?}"
                )));
            }
        };
        self.apply(action)?;
        Ok(())
    }

    /// Goes to step `index` (from 0) of the lesson.
    #[wasm_bindgen(js_name = lessonStep)]
    pub fn lesson_step(&mut self, index: usize) -> Result<(), JsValue> {
        self.apply(Action::Lesson(LessonAction::Select(index)))?;
        Ok(())
    }

    /// The lesson's state as JSON: title, steps (title, done), current, done, total; null without one.
    #[wasm_bindgen(js_name = lessonState)]
    pub fn lesson_state(&self) -> Result<Option<String>, JsValue> {
        Ok(self.state()?.lesson().map(|view| {
            let steps: Vec<serde_json::Value> = view
                .steps
                .iter()
                .map(|step| serde_json::json!({"title": step.title, "done": step.done}))
                .collect();
            serde_json::json!({
                "title": view.title,
                "steps": steps,
                "current": view.current.as_ref().map(|current| current.index),
                "done": view.done,
                "total": view.total,
                "finished": view.finish.is_some(),
            })
            .to_string()
        }))
    }

    /// The host's `fn(name, json)` for every event from now on.
    #[wasm_bindgen(js_name = onEvent)]
    pub fn on_event(&mut self, listener: js_sys::Function) {
        *self.listener.borrow_mut() = Some(listener);
    }

    /// Takes the playground down: its page, its clock, its listener. Later calls fail.
    pub fn destroy(&mut self) {
        match std::mem::replace(&mut self.target, Target::Destroyed) {
            Target::Mounted { bridge, app } => {
                bridge.disconnect();
                if let Some(app) = app {
                    app.destroy();
                }
            }
            Target::Headless { clock, .. } => drop(clock),
            Target::Destroyed => {}
        }
        self.listener.borrow_mut().take();
    }
}
