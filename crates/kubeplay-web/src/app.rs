//! The top-level component: owns the state, drives the virtual clock, and lays out the page.
//!
//! Layout: the header (brand, clock and time controls), then the node grid on the left and the
//! side panel (workloads, editor, terminal, events, inspector) on the right.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use std::rc::Rc;

use kubeplay_core::api::Kind;

use crate::components::{Editor, EventsPanel, Header, Inspector, NodeGrid, SidePanel, Terminal};
use crate::examples::EXAMPLES;
use crate::state::{Action, ObjectRef, Playground, SideTab};

/// How often the virtual clock moves: often enough that animations on the virtual clock read
/// smoothly, rarely enough to leave the frame to rendering.
const TICK_MS: u32 = 100;

#[component]
pub fn App() -> Html {
    let playground = use_reducer(Playground::default);
    // The editor's text outlives the tab: switching to the terminal and back keeps it.
    let editor_text = use_state(|| EXAMPLES[0].manifest.to_string());
    {
        let dispatcher = playground.dispatcher();
        use_effect_with((), move |_| {
            let mut last = now_ms();
            let interval = Interval::new(TICK_MS, move || {
                let now = now_ms();
                dispatcher.dispatch(Action::Tick {
                    wall_ms: now - last,
                });
                last = now;
            });
            move || drop(interval)
        });
    }
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
    let tabs = vec![
        (SideTab::Editor, "Editor"),
        (SideTab::Terminal, "Terminal"),
        (SideTab::Events, "Events"),
        (SideTab::Inspector, "Inspector"),
    ];
    // The Workloads tab is the workloads panel's; without it the terminal is the first tool.
    let shown = match playground.tab() {
        SideTab::Workloads => SideTab::Terminal,
        tab => tab,
    };
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
    let tab_content = match shown {
        SideTab::Workloads | SideTab::Terminal => {
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
            <Header />
            <main class="workspace">
                <NodeGrid
                    {grid}
                    leaving={playground.leaving()}
                    {highlight}
                    selected={playground.selected().cloned()}
                    last_command={playground.log().last().cloned()}
                    on_action={on_grid_action}
                />
                <SidePanel {tabs} active={shown} on_select={on_tab}>
                    { tab_content }
                </SidePanel>
            </main>
        </div>
    }
}

/// Wall-clock milliseconds from the page's monotonic clock; the engine itself never reads it.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}
