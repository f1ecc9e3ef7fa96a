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
    Editor, EventsPanel, Header, Inspector, NodeGrid, SidePanel, Terminal, TimeControls, Workloads,
};
use crate::examples::EXAMPLES;
use crate::state::{Action, ObjectRef, Playground, SideTab};
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

#[component]
pub fn App() -> Html {
    let playground = use_reducer(Playground::default);
    use_frame_ticks(playground.dispatcher());
    // The editor's text outlives the tab: switching to the terminal and back keeps it.
    let editor_text = use_state(|| EXAMPLES[0].manifest.to_string());
    // The grid is read off the cluster once per change, not on every render.
    let grid = {
        let playground = playground.clone();
        use_memo(playground.grid_version(), move |_| playground.grid())
    };
    // One callback for the whole grid, stable across renders, so unchanged cards skip rendering.
    let on_grid_action = {
        let dispatcher = playground.dispatcher();
        use_callback((), move |action: Action, _| dispatcher.dispatch(action))
    };
    let highlight = playground.highlight_uid();
    let on_tab = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |tab: SideTab| dispatcher.dispatch(Action::ShowTab(tab)))
    };
    let on_exec = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |line: String| dispatcher.dispatch(Action::Exec(line)))
    };
    // The workloads and their timelines are read four times a second at most, like the grid.
    let rows = {
        let playground = playground.clone();
        use_memo(playground.view_tick(), move |_| {
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
    let time_controls = {
        let dispatcher = playground.dispatcher();
        let on_playing =
            Callback::from(move |playing| dispatcher.dispatch(Action::SetPlaying(playing)));
        let dispatcher = playground.dispatcher();
        let on_speed = Callback::from(move |speed| dispatcher.dispatch(Action::SetSpeed(speed)));
        html! {
            <TimeControls {clock} playing={playground.playing()} speed={playground.speed()}
                behind={playground.behind()} {skip} {on_playing} {on_speed} on_exec={on_exec.clone()} />
        }
    };
    let tabs = vec![
        (SideTab::Workloads, "Workloads"),
        (SideTab::Editor, "Editor"),
        (SideTab::Terminal, "Terminal"),
        (SideTab::Events, "Events"),
        (SideTab::Inspector, "Inspector"),
    ];
    let on_run = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |(line, stdin): (String, String)| {
            dispatcher.dispatch(if stdin.is_empty() {
                Action::Exec(line)
            } else {
                Action::ExecWithStdin { line, stdin }
            })
        })
    };
    let on_select = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |object: ObjectRef| dispatcher.dispatch(Action::Select(Some(object))))
    };
    let tab_content = match playground.tab() {
        SideTab::Workloads => {
            let dispatcher = playground.dispatcher();
            let on_highlight =
                Callback::from(move |uid| dispatcher.dispatch(Action::Highlight(uid)));
            html! {
                <Workloads workloads={rows} highlighted={playground.highlighted().map(str::to_string)}
                    on_exec={on_exec.clone()} {on_highlight} on_select={on_select.clone()} on_tab={on_tab.clone()} />
            }
        }
        SideTab::Terminal => {
            let on_clear = {
                let dispatcher = playground.dispatcher();
                Callback::from(move |()| dispatcher.dispatch(Action::ClearTerminal))
            };
            let complete = {
                let playground = playground.clone();
                Callback::from(move |(line, cursor): (String, usize)| {
                    playground.complete(&line, cursor)
                })
            };
            html! {
                <Terminal
                    entries={playground.log().clone()}
                    cleared_through={playground.cleared_through()}
                    {on_run} {on_clear} {complete} />
            }
        }
        SideTab::Editor => {
            let on_change = {
                let editor_text = editor_text.clone();
                Callback::from(move |text: String| editor_text.set(text))
            };
            let check = {
                let playground = playground.clone();
                Callback::from(move |text: String| playground.dry_run(&text))
            };
            html! {
                <Editor
                    text={(*editor_text).clone()}
                    {on_change} {check} {on_run}
                    entries={playground.log().clone()}
                    next_command_id={playground.next_command_id()} />
            }
        }
        SideTab::Events => html! {
            <EventsPanel rows={Rc::new(playground.events())} {on_select} />
        },
        SideTab::Inspector => {
            let query = {
                let playground = playground.clone();
                Callback::from(move |line: String| playground.query(&line))
            };
            let objects = {
                let playground = playground.clone();
                Callback::from(move |kind: Kind| playground.objects(kind))
            };
            html! {
                <Inspector
                    selected={playground.selected().cloned()}
                    revision={playground.revision()}
                    {query} {objects} {on_select} />
            }
        }
    };

    html! {
        <div class="kubeplay">
            <Header>{ time_controls }</Header>
            <main class="workspace">
                <NodeGrid
                    {grid}
                    leaving={playground.leaving()}
                    {highlight}
                    selected={playground.selected().cloned()}
                    last_command={playground.log().last().cloned()}
                    on_action={on_grid_action}
                />
                <SidePanel {tabs} active={playground.tab()} on_select={on_tab}>
                    { tab_content }
                </SidePanel>
            </main>
        </div>
    }
}
