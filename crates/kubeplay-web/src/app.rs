//! The top-level component: owns the state and turns clicks into actions.

use yew::prelude::*;

use crate::components::{CommandLog, Header, NodeCard};
use crate::state::{Action, Playground};
use crate::view::next_node_name;

#[component]
pub fn App() -> Html {
    let playground = use_reducer(Playground::default);
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
                <CommandLog entries={playground.log().iter().cloned().collect::<Vec<_>>()} />
            </main>
        </div>
    }
}
