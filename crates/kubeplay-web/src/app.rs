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
    let tabs = vec![
        (SideTab::Workloads, "Workloads"),
        (SideTab::Editor, "Editor"),
        (SideTab::Terminal, "Terminal"),
        (SideTab::Events, "Events"),
        (SideTab::Inspector, "Inspector"),
    ];
    let tab_content = match playground.tab() {
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

    html! {
        <div class="kubeplay">
            <Header>{ time_controls }</Header>
            // Tools (everything but the workloads) take a wider panel.
            <main class={classes!("workspace", (playground.tab() != SideTab::Workloads).then_some("tool-open"))}>
                <NodeGrid
                    {grid}
                    leaving={playground.leaving()}
                    {highlight}
                    selected={playground.selected().cloned()}
                    last_command={playground.log().last().cloned()}
                    on_action={dispatch}
                />
                <SidePanel {tabs} active={playground.tab()} on_select={on_tab}>
                    { tab_content }
                </SidePanel>
            </main>
        </div>
    }
}
