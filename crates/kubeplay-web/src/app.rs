//! The top-level component: owns the state, drives the virtual clock, and lays out the page.
//!
//! Layout: the header (brand, clock and time controls), then the node grid on the left and the
//! side panel (workloads, editor, terminal, events, inspector) on the right.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use kubeplay_core::api::Kind;

use crate::components::{
    Editor, EventsPanel, Header, Inspector, LessonList, LessonPanel, NodeGrid, SidePanel, Terminal,
    TimeControls, Workloads,
};
use crate::embed::bridge::Bridge;
use crate::embed::events::Outbox;
use crate::embed::options::{EmbedOptions, Panel, Theme};
use crate::examples::EXAMPLES;
use crate::lessons::{built_in, cards};
use crate::startup::{open_link, saved_session, use_startup};
use crate::state::{Action, LessonAction, ObjectRef, Playground, SideTab};
use crate::view::time::{ClockView, advance_line, next_cron_run};
use crate::view::timeline::timeline_of;
use crate::view::workloads::workloads;

/// Moves the virtual clock once per animation frame, by the wall time since the last frame:
/// timelines and animations on the virtual clock move as smoothly as the screen refreshes.
#[hook]
fn use_frame_ticks(dispatcher: UseReducerDispatcher<Playground>) {
    use_effect_with((), move |_| {
        type FrameCallback = Closure<dyn FnMut(f64)>;
        let callback: Rc<RefCell<Option<FrameCallback>>> = Rc::default();
        let handle = Rc::new(Cell::new(0));
        let last = Cell::new(None::<f64>);
        let request = {
            let callback = callback.clone();
            let handle = handle.clone();
            move || {
                if let (Some(window), Some(callback)) =
                    (web_sys::window(), callback.borrow().as_ref())
                {
                    // Only fails without a window, where nothing is drawn anyway.
                    if let Ok(id) =
                        window.request_animation_frame(callback.as_ref().unchecked_ref())
                    {
                        handle.set(id);
                    }
                }
            }
        };
        let next = request.clone();
        *callback.borrow_mut() = Some(Closure::new(move |time: f64| {
            if let Some(previous) = last.replace(Some(time)) {
                dispatcher.dispatch(Action::Tick {
                    wall_ms: time - previous,
                });
            }
            next();
        }));
        request();
        move || {
            if let Some(window) = web_sys::window() {
                let _ = window.cancel_animation_frame(handle.get());
            }
            // Dropping the closure breaks its reference to itself.
            callback.borrow_mut().take();
        }
    });
}

/// Runs a script of command lines from a lesson (code marked `{{run}}`, fast-forward) as the
/// terminal would, and shows the terminal so its output is in view.
fn run_script(dispatch: &Callback<Action>, script: &str) {
    match kubeplay_core::shell::parse_script(script) {
        Ok(steps) => {
            for step in steps {
                dispatch.emit(if step.stdin.is_empty() {
                    Action::Exec(step.line)
                } else {
                    Action::ExecWithStdin {
                        line: step.line,
                        stdin: step.stdin,
                    }
                });
            }
        }
        // The terminal says what is wrong with it, as it would for a typed line.
        Err(_) => dispatch.emit(Action::Exec(script.trim().to_string())),
    }
    dispatch.emit(Action::ShowTab(SideTab::Terminal));
}

fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        // The promise settles on its own; a refused copy leaves the text on the page to select.
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Whether the system asks for dark colours, following it as it changes.
#[hook]
fn use_prefers_dark() -> bool {
    let dark = use_state(|| {
        web_sys::window()
            .and_then(|window| {
                window
                    .match_media("(prefers-color-scheme: dark)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|query| query.matches())
    });
    {
        let dark = dark.clone();
        use_effect_with((), move |_| {
            let query = web_sys::window().and_then(|window| {
                window
                    .match_media("(prefers-color-scheme: dark)")
                    .ok()
                    .flatten()
            });
            let listener = query.as_ref().map(|query| {
                let watched = query.clone();
                let listener = Closure::<dyn Fn()>::new(move || dark.set(watched.matches()));
                let _ = query
                    .add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
                listener
            });
            move || {
                if let (Some(query), Some(listener)) = (query, listener) {
                    let _ = query.remove_event_listener_with_callback(
                        "change",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    *dark
}

#[derive(Properties, Clone, PartialEq, Default)]
pub struct AppProps {
    /// What the host asked for; the standalone page's own when not embedded.
    #[prop_or_default]
    pub options: Rc<EmbedOptions>,
    /// Where the playground tells its host what happened.
    #[prop_or_default]
    pub outbox: Outbox,
    /// How the host's script reaches the playground.
    #[prop_or_default]
    pub bridge: Bridge,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let playground = {
        let (options, outbox) = (props.options.clone(), props.outbox.clone());
        use_reducer(move || Playground::new(&options, outbox))
    };
    use_frame_ticks(playground.dispatcher());
    let prefers_dark = use_prefers_dark();
    let offer = {
        let options = props.options.clone();
        use_state(move || saved_session(&options))
    };
    use_startup(playground.dispatcher(), props.options.clone());
    // The host's script reaches this state; what happened since the last render goes to it.
    props.bridge.connect(playground.dispatcher(), &playground);
    {
        let (bridge, outbox) = (props.bridge.clone(), props.outbox.clone());
        use_effect(move || bridge.deliver(outbox.drain()));
    }
    #[cfg(target_arch = "wasm32")]
    {
        // The standalone page saves its session as it goes, once the reader has answered the
        // offer of the last one: after every command and every two seconds of play.
        let autosave = props.options.autosave && offer.is_none();
        let key = (playground.recorded_commands(), playground.view_tick() / 8);
        let playground = playground.clone();
        use_effect_with(key, move |_| {
            if autosave {
                crate::embed::storage::save(&playground.share_payload());
            }
        });
    }
    // The editor's text outlives the tab: switching to the terminal and back keeps it.
    let editor_text = use_state(|| EXAMPLES[0].manifest.to_string());
    // The grid is read off the cluster once per change, not on every render.
    let grid = {
        let playground = playground.clone();
        use_memo(playground.grid_version(), move |_| playground.grid())
    };
    // Every callback is made once and kept (the dispatcher never changes): a new callback on each
    // frame's render would differ from the last, and every panel would render again 60 times a
    // second for nothing.
    let dispatch = {
        let dispatcher = playground.dispatcher();
        use_callback((), move |action: Action, _| dispatcher.dispatch(action))
    };
    let on_tab = use_callback(dispatch.clone(), |tab: SideTab, dispatch| {
        dispatch.emit(Action::ShowTab(tab))
    });
    let on_exec = use_callback(dispatch.clone(), |line: String, dispatch| {
        dispatch.emit(Action::Exec(line))
    });
    let on_playing = use_callback(dispatch.clone(), |playing: bool, dispatch| {
        dispatch.emit(Action::SetPlaying(playing))
    });
    let on_speed = use_callback(dispatch.clone(), |speed: u32, dispatch| {
        dispatch.emit(Action::SetSpeed(speed))
    });
    let on_run = use_callback(
        dispatch.clone(),
        |(line, stdin): (String, String), dispatch| {
            dispatch.emit(if stdin.is_empty() {
                Action::Exec(line)
            } else {
                Action::ExecWithStdin { line, stdin }
            })
        },
    );
    let on_select = use_callback(dispatch.clone(), |object: ObjectRef, dispatch| {
        dispatch.emit(Action::Select(Some(object)))
    });
    let on_highlight = use_callback(dispatch.clone(), |uid: Option<String>, dispatch| {
        dispatch.emit(Action::Highlight(uid))
    });
    let on_clear = use_callback(dispatch.clone(), |(), dispatch| {
        dispatch.emit(Action::ClearTerminal)
    });
    let on_editor_change = {
        let editor_text = editor_text.clone();
        use_callback((), move |text: String, _| editor_text.set(text))
    };
    // These read the cluster, which every state shares (only its snapshot of the rest differs),
    // so the first render's copy answers for the cluster as it is now.
    let complete = {
        let playground = playground.clone();
        use_callback((), move |(line, cursor): (String, usize), _| {
            playground.complete(&line, cursor)
        })
    };
    let check = {
        let playground = playground.clone();
        use_callback((), move |text: String, _| playground.dry_run(&text))
    };
    let query = {
        let playground = playground.clone();
        use_callback((), move |line: String, _| playground.query(&line))
    };
    let objects = {
        let playground = playground.clone();
        use_callback((), move |kind: Kind, _| playground.objects(kind))
    };
    // Read like the grid: at most four times a second while playing, and after every command.
    let events = {
        let playground = playground.clone();
        let showing = playground.tab() == SideTab::Events;
        use_memo((showing, playground.panel_tick()), move |(showing, _)| {
            if *showing {
                playground.events()
            } else {
                Vec::new()
            }
        })
    };
    let lesson_cards = use_memo((), |_| Rc::new(cards()));
    let lesson = {
        let playground = playground.clone();
        use_memo(playground.lesson_revision(), move |_| playground.lesson())
    };
    let on_lesson_start = use_callback(dispatch.clone(), |name: String, dispatch| {
        if let Some(lesson) = built_in(&name) {
            #[cfg(target_arch = "wasm32")]
            crate::lesson_source::show_lesson_parameter(Some(lesson.name));
            dispatch.emit(Action::OpenLesson {
                source: lesson.name.to_string(),
                text: lesson.text.to_string(),
            });
        }
    });
    let on_lesson_action = use_callback(dispatch.clone(), |action: LessonAction, dispatch| {
        dispatch.emit(Action::Lesson(action))
    });
    let on_lesson_close = use_callback(dispatch.clone(), |(), dispatch| {
        #[cfg(target_arch = "wasm32")]
        crate::lesson_source::show_lesson_parameter(None);
        dispatch.emit(Action::CloseLesson);
        dispatch.emit(Action::ShowTab(SideTab::Workloads));
    });
    let on_lessons = use_callback(dispatch.clone(), |(), dispatch| {
        dispatch.emit(Action::ShowTab(SideTab::Lessons))
    });
    let on_prose_run = use_callback(dispatch.clone(), |script: String, dispatch| {
        run_script(dispatch, &script)
    });
    let on_copy = use_callback((), |text: String, _| copy_to_clipboard(&text));
    let on_restore = {
        let offer = offer.clone();
        use_callback(dispatch.clone(), move |(), dispatch| {
            if let Some(saved) = (*offer).clone() {
                let dispatch = dispatch.clone();
                let run = async move { dispatch.emit(open_link(&saved).await) };
                #[cfg(target_arch = "wasm32")]
                wasm_bindgen_futures::spawn_local(run);
                #[cfg(not(target_arch = "wasm32"))]
                drop(run);
            }
            offer.set(None);
        })
    };
    let on_fresh = {
        let offer = offer.clone();
        use_callback((), move |(), _| {
            #[cfg(target_arch = "wasm32")]
            crate::embed::storage::clear();
            offer.set(None);
        })
    };
    let copied = use_state(|| false);
    let on_share = {
        let playground = playground.clone();
        let copied = copied.clone();
        use_callback((), move |(), _| {
            copied.set(true);
            {
                let copied = copied.clone();
                gloo_timers::callback::Timeout::new(2_000, move || copied.set(false)).forget();
            }
            let payload = playground.share_payload();
            #[cfg(target_arch = "wasm32")]
            if let Some(window) = web_sys::window() {
                let location = window.location();
                let page = format!(
                    "{}{}{}",
                    location.origin().unwrap_or_default(),
                    location.pathname().unwrap_or_default(),
                    location.search().unwrap_or_default()
                );
                let link = format!("{page}#{payload}");
                // The address bar holds the link too, so it can be copied from there.
                if let Ok(history) = window.history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&link),
                    );
                }
                copy_to_clipboard(&link);
            }
            #[cfg(not(target_arch = "wasm32"))]
            let _ = payload;
        })
    };
    let highlight = playground.highlight_uid();
    // The workloads and their timelines are read four times a second at most, like the grid.
    let rows = {
        let playground = playground.clone();
        use_memo(playground.panel_tick(), move |_| {
            let cluster = playground.cluster();
            workloads(cluster.api())
                .into_iter()
                .map(|view| {
                    let timeline = timeline_of(&cluster, &view);
                    (view, timeline)
                })
                .collect::<Vec<_>>()
        })
    };
    let (clock, skip) = {
        let cluster = playground.cluster();
        let now = cluster.now();
        // Every frame: the skip's duration is exact to the millisecond the clock shows.
        let skip = next_cron_run(&cluster).map(|(at, name)| (advance_line(now, at), name));
        (ClockView::at(now), skip)
    };
    let time_controls = html! {
        <TimeControls {clock} playing={playground.playing()} speed={playground.speed()}
            behind={playground.behind()} {skip} {on_playing} {on_speed} on_exec={on_exec.clone()} />
    };
    let options = &props.options;
    let tabs: Vec<(SideTab, &'static str)> = [
        (Panel::Lessons, SideTab::Lessons, "Lessons"),
        (Panel::Workloads, SideTab::Workloads, "Workloads"),
        (Panel::Editor, SideTab::Editor, "Editor"),
        (Panel::Terminal, SideTab::Terminal, "Terminal"),
        (Panel::Events, SideTab::Events, "Events"),
        (Panel::Inspector, SideTab::Inspector, "Inspector"),
    ]
    .into_iter()
    .filter(|(panel, ..)| options.shows(*panel))
    .map(|(_, tab, label)| (tab, label))
    .collect();
    let tab_content = match playground.tab() {
        SideTab::Lessons => html! {
            <LessonList lessons={(*lesson_cards).clone()} active={playground.lesson_source()}
                error={playground.lesson_error().map(str::to_string)}
                on_start={on_lesson_start} on_free_play={on_lesson_close.clone()} />
        },
        SideTab::Workloads => html! {
            <Workloads workloads={rows} highlighted={playground.highlighted().map(str::to_string)}
                on_exec={on_exec.clone()} {on_highlight} on_select={on_select.clone()} on_tab={on_tab.clone()} />
        },
        SideTab::Terminal => html! {
            <Terminal
                entries={playground.log().clone()}
                cleared_through={playground.cleared_through()}
                {on_run} {on_clear} {complete} />
        },
        SideTab::Editor => html! {
            <Editor
                text={(*editor_text).clone()}
                on_change={on_editor_change} {check} {on_run}
                entries={playground.log().clone()}
                next_command_id={playground.next_command_id()} />
        },
        SideTab::Events => html! {
            <EventsPanel rows={events} {on_select} />
        },
        SideTab::Inspector => html! {
            <Inspector
                selected={playground.selected().cloned()}
                revision={playground.revision()}
                {query} {objects} {on_select} />
        },
    };

    let dark = match options.theme {
        Theme::Auto => prefers_dark,
        Theme::Light => false,
        Theme::Dark => true,
    };
    let theme = dark.then_some("theme-dark");
    let root_class = classes!(
        "kubeplay",
        theme,
        playground.readonly().then_some("readonly"),
        (!options.autosave).then_some("embedded"),
        (!options.shows(Panel::Grid)).then_some("no-grid"),
        tabs.is_empty().then_some("no-panel"),
    );
    let style = options
        .height
        .as_ref()
        .map(|height| format!("height: {height}"));
    let shows_time = options.shows(Panel::Time);
    let link_error = playground.link_error().map(str::to_string);
    html! {
        <div class={root_class} {style}>
            if options.autosave {
                <a class="skip-link" href="#kubeplay-tools">{"Skip to the tools"}</a>
            }
            if shows_time {
                <Header>
                    { time_controls }
                    if options.autosave {
                        <button type="button" class="button small share-button"
                            title="Copy a link that opens this cluster as it is now"
                            aria-live="polite"
                            onclick={Callback::from(move |_: MouseEvent| on_share.emit(()))}>
                            { if *copied { "Link copied" } else { "Share" } }
                        </button>
                    }
                </Header>
            }
            if let Some(message) = link_error {
                <div class="banner bad" role="alert">{ message }</div>
            }
            if offer.is_some() {
                <div class="banner offer" role="region" aria-label="Your last session">
                    <span>{"Pick up where you left off? Your last cluster is saved in this browser."}</span>
                    <button type="button" class="button small primary"
                        onclick={Callback::from(move |_: MouseEvent| on_restore.emit(()))}>{"Restore"}</button>
                    <button type="button" class="button small"
                        onclick={Callback::from(move |_: MouseEvent| on_fresh.emit(()))}>{"Start fresh"}</button>
                </div>
            }
            // A tool (everything but the workloads and lessons) stays in view as the grid scrolls.
            <main class={classes!(
                "workspace",
                (!matches!(playground.tab(), SideTab::Workloads | SideTab::Lessons)).then_some("tool-open"),
                lesson.is_some().then_some("with-lesson"),
            )}>
                if let Some(view) = (*lesson).clone() {
                    <LessonPanel {view} on_action={on_lesson_action} on_run={on_prose_run}
                        {on_copy} on_close={on_lesson_close} {on_lessons} />
                }
                if options.shows(Panel::Grid) {
                    <NodeGrid
                        {grid}
                        leaving={playground.leaving()}
                        {highlight}
                        selected={playground.selected().cloned()}
                        last_command={playground.log().last().cloned()}
                        on_action={dispatch}
                    />
                }
                if !tabs.is_empty() {
                    <SidePanel {tabs} active={playground.tab()} on_select={on_tab}
                        id={options.autosave.then_some(AttrValue::Static("kubeplay-tools"))}>
                        { tab_content }
                    </SidePanel>
                }
            </main>
        </div>
    }
}
