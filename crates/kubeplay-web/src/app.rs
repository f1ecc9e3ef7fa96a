//! The top-level component: owns the state, drives the virtual clock, and lays out the page.
//!
//! Layout: the header (brand, clock and time controls), then the node grid on the left and the
//! side panel (workloads, editor, terminal, events, inspector) on the right.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use std::rc::Rc;

use kubeplay_core::api::Kind;

use crate::components::{Editor, EventsPanel, Header, Inspector, NodeCard, SidePanel, Terminal};
use crate::examples::EXAMPLES;
use crate::state::{Action, ObjectRef, Playground, SideTab};
use crate::view::next_node_name;

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
    let nodes = playground.nodes();

    let add_line = format!(
        "sim node add {}",
        next_node_name(nodes.iter().map(|node| node.name.as_str()))
    );
    let on_add = {
        let dispatcher = playground.dispatcher();
        let line = add_line.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Exec(line.clone())))
    };
    let on_remove = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |name: String| dispatcher.dispatch(Action::Leave(name)))
    };
    let on_left = {
        let dispatcher = playground.dispatcher();
        Callback::from(move |name: String| {
            dispatcher.dispatch(Action::Exec(format!("sim node remove {name}")))
        })
    };
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
                <section class="nodes" aria-labelledby="nodes-heading">
                    <div class="toolbar">
                        <h2 id="nodes-heading">
                            {"Nodes"}
                            <span class="count" aria-label={format!("{} nodes", nodes.len())}>
                                {nodes.len()}
                            </span>
                        </h2>
                        <button type="button" class="button primary" onclick={on_add} title={add_line}>
                            <span aria-hidden="true" class="plus">{"+"}</span>
                            {"Add node"}
                        </button>
                    </div>
                    <ul class="node-grid" role="list">
                        { for nodes.into_iter().map(|node| {
                            let key = node.name.clone();
                            let leaving = playground.is_leaving(&key);
                            html! {
                                <NodeCard
                                    {key}
                                    {leaving}
                                    {node}
                                    on_remove={on_remove.clone()}
                                    on_left={on_left.clone()}
                                />
                            }
                        }) }
                    </ul>
                </section>
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
