//! The top-level component: owns the state, drives the virtual clock, and lays out the page.
//!
//! Layout: the header (brand, clock and time controls), then the node grid on the left and the
//! side panel (workloads, editor, terminal, events, inspector) on the right.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::components::{CommandLog, Header, NodeGrid, SidePanel};
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
        use_memo(playground.revision(), move |_| playground.grid())
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
    let tabs = vec![(SideTab::Terminal, "Commands")];
    let tab_content = match playground.tab() {
        _ => html! {
            <CommandLog entries={playground.log().iter().cloned().collect::<Vec<_>>()} />
        },
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
                    last_command={playground.log().front().cloned()}
                    on_action={on_grid_action}
                />
                <SidePanel {tabs} active={SideTab::Terminal} on_select={on_tab}>
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
