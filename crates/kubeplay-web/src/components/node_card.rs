use yew::prelude::*;

use crate::view::{NodeView, Readiness};

/// The keyframes that play when a card leaves; their end is the signal to remove the node.
const LEAVE_ANIMATION: &str = "kubeplay-node-leave";

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub node: NodeView,
    pub leaving: bool,
    /// Asked to remove the node: starts the leave animation.
    pub on_remove: Callback<String>,
    /// The leave animation ended.
    pub on_left: Callback<String>,
}

#[component]
pub fn NodeCard(props: &NodeCardProps) -> Html {
    let node = &props.node;
    let onclick = {
        let on_remove = props.on_remove.clone();
        let name = node.name.clone();
        Callback::from(move |_: MouseEvent| on_remove.emit(name.clone()))
    };
    let onanimationend = {
        let on_left = props.on_left.clone();
        let name = node.name.clone();
        let leaving = props.leaving;
        Callback::from(move |event: AnimationEvent| {
            if leaving && event.animation_name() == LEAVE_ANIMATION {
                on_left.emit(name.clone());
            }
        })
    };
    let (readiness_class, readiness_title) = match node.readiness {
        Readiness::Ready => ("ready", "The kubelet reports Ready"),
        Readiness::NotReady => ("not-ready", "The kubelet reports NotReady"),
        Readiness::Unknown => ("unknown", "No Ready condition reported yet"),
    };
    let role_class = (node.role != "worker").then_some("special");

    html! {
        <li class={classes!("node-card", props.leaving.then_some("leaving"))}
            data-node={node.name.clone()}
            {onanimationend}>
            <div class="node-head">
                <svg class="node-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <rect x="3" y="4" width="18" height="7" rx="2" />
                    <rect x="3" y="13" width="18" height="7" rx="2" />
                    <circle cx="7" cy="7.5" r="1" />
                    <circle cx="7" cy="16.5" r="1" />
                </svg>
                <h3 class="node-name">{&node.name}</h3>
                <button type="button" class="icon-button"
                    aria-label={format!("Remove {}", node.name)}
                    title={format!("sim node remove {}", node.name)}
                    disabled={props.leaving}
                    {onclick}>
                    <svg viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M6 6l12 12M18 6L6 18" />
                    </svg>
                </button>
            </div>
            <dl class="node-meta">
                <div>
                    <dt class="visually-hidden">{"Role"}</dt>
                    <dd class={classes!("pill", "role", role_class)}>{&node.role}</dd>
                </div>
                <div>
                    <dt class="visually-hidden">{"Status"}</dt>
                    <dd class={classes!("pill", "status", readiness_class)} title={readiness_title}>
                        {node.readiness.text()}
                    </dd>
                </div>
            </dl>
            <div class="chip-group">
                <h4>{"Labels"}</h4>
                <ul class="chips" role="list">
                    { for node.labels.iter().map(|label| html! { <li class="chip label">{breakable(label)}</li> }) }
                </ul>
            </div>
            if !node.taints.is_empty() {
                <div class="chip-group">
                    <h4>{"Taints"}</h4>
                    <ul class="chips" role="list">
                        { for node.taints.iter().map(|taint| html! {
                            <li class={classes!("chip", "taint", taint.effect.class())}>{breakable(&taint.text)}</li>
                        }) }
                    </ul>
                </div>
            }
        </li>
    }
}

/// Lets a long label or taint wrap after `/`, `=` and `:`, where it reads well, rather than
/// mid-word.
fn breakable(text: &str) -> Html {
    text.split_inclusive(['/', '=', ':'])
        .map(|part| html! { <>{part}<wbr /></> })
        .collect()
}
