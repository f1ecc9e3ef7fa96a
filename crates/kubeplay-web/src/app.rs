//! The top-level component: owns the state, drives the virtual clock, and lays out the page.
//!
//! Layout: the header (brand, clock and time controls), then the node grid on the left and the
//! side panel (workloads, editor, terminal, events, inspector) on the right.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::{Header, NodeGrid, SidePanel, Terminal};
use crate::state::{Action, Playground, SideTab};

/// How often the virtual clock moves: often enough that animations on the virtual clock read
/// smoothly, rarely enough to leave the frame to rendering.
const TICK_MS: u32 = 100;

#[component]
pub fn App() -> Html {
    let playground = use_reducer(Playground::default);
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
    let tab_content = match shown {
        SideTab::Workloads | SideTab::Terminal => {
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
        _ => html! {},
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
