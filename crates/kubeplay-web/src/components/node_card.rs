use kubeplay_core::api::Kind;
use yew::prelude::*;

use super::node_menu::{EditKind, NodeMenu};
use super::pod_chip::PodChip;
use crate::state::{Action, ObjectRef};
use crate::view::node::{LabelChip, NodeAction};
use crate::view::{Density, GhostView, NodeView, ResourceBar};

/// The keyframes that play when a card leaves; their end is the signal to remove the node.
const LEAVE_ANIMATION: &str = "kubeplay-node-leave";

/// More pods than this on one node draw as dots even on a roomy grid.
const NAMED_PODS_UP_TO: usize = 12;

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub node: NodeView,
    pub density: Density,
    #[prop_or_default]
    pub leaving: bool,
    /// Pods (in `node.pods`) that left the cluster and play their leave animation.
    #[prop_or_default]
    pub gone: Vec<String>,
    /// The highlighted workload's uid.
    #[prop_or_default]
    pub highlight: Option<String>,
    #[prop_or_default]
    pub selected: Option<ObjectRef>,
    pub on_action: Callback<Action>,
    /// Open the labels or taints dialog for this node.
    pub on_edit: Callback<(String, EditKind)>,
}

#[component]
pub fn NodeCard(props: &NodeCardProps) -> Html {
    let node = &props.node;
    let show_standard = use_state(|| false);
    let onanimationend = {
        let on_action = props.on_action.clone();
        let line = NodeAction::Remove.line(&node.name);
        let leaving = props.leaving;
        Callback::from(move |event: AnimationEvent| {
            if leaving && event.animation_name() == LEAVE_ANIMATION {
                on_action.emit(Action::Exec(line.clone()));
            }
        })
    };
    let select_node = {
        let on_action = props.on_action.clone();
        let target = ObjectRef {
            kind: Kind::Node,
            namespace: String::new(),
            name: node.name.clone(),
        };
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Select(Some(target.clone()))))
    };
    let selected = props
        .selected
        .as_ref()
        .is_some_and(|target| target.kind == Kind::Node && target.name == node.name);
    let selected_pod = props
        .selected
        .as_ref()
        .filter(|target| target.kind == Kind::Pod);
    let compact = props.density == Density::Compact;
    let dots = compact || node.pods.len() > NAMED_PODS_UP_TO;
    let lit = |owned: bool| props.highlight.as_ref().map(|_| owned);
    let toggle_standard = {
        let show_standard = show_standard.clone();
        Callback::from(move |_: MouseEvent| show_standard.set(!*show_standard))
    };
    let states: Vec<&str> = node.status.split(',').collect();
    // Compact cards hide a status that says only "Ready": the stripe and dot already do.
    let only_ready = states == ["Ready"] && !node.failed;

    // Every item of the pod list carries a key, so the list is reconciled by key: a pod leaving
    // from the middle moves no other chip to a new element (which would replay its entrance).
    let mut pod_items: Vec<Html> = Vec::with_capacity(node.pods.len() + node.ghosts.len() + 1);
    if compact {
        // Compact cards keep one height: their taints are marks at the row's start.
        pod_items.extend(node.taints.iter().map(|taint| {
            let label = format!("taint {}", taint.text);
            html! {
                <li key={label.clone()} class={classes!("taint-mark", taint.effect.class())}
                    title={label.clone()} aria-label={label}></li>
            }
        }));
    }
    pod_items.extend(node.pods.iter().map(|pod| {
        let selected = selected_pod
            .is_some_and(|target| target.namespace == pod.namespace && target.name == pod.name);
        let lit = lit(props
            .highlight
            .as_deref()
            .is_some_and(|uid| pod.owned_by(uid)));
        html! {
            <PodChip key={pod.uid.clone()} pod={pod.clone()} dot={dots}
                {lit} {selected}
                gone={props.gone.contains(&pod.uid)}
                on_action={props.on_action.clone()} />
        }
    }));
    if !compact && node.pods.is_empty() && node.ghosts.is_empty() {
        pod_items.push(html! { <li key="no-pods" class="no-pods">{"No pods"}</li> });
    }
    pod_items.extend(node.ghosts.iter().map(|ghost| {
        let lit = lit(props.highlight.as_deref() == Some(ghost.ds_uid.as_str()));
        html! { <Ghost key={format!("ghost-{}", ghost.ds_uid)} ghost={ghost.clone()} dot={dots} {lit} /> }
    }));

    html! {
        <li class={classes!(
                "node-card",
                node.readiness.class(),
                node.cordoned.then_some("cordoned"),
                node.failed.then_some("failed"),
                selected.then_some("selected"),
                props.leaving.then_some("leaving"),
            )}
            data-node={node.name.clone()}
            aria-label={node.summary()}
            {onanimationend}>
            <div class="node-head">
                <span class={classes!("status-dot", node.readiness.class())} aria-hidden="true"></span>
                <button type="button" class="node-name" onclick={select_node}
                    title={format!("{}: show kubectl describe node {}", node.name, node.name)}
                    aria-pressed={selected.to_string()}>
                    {&node.name}
                </button>
                <NodeMenu name={node.name.clone()} cordoned={node.cordoned} failed={node.failed} disabled={props.leaving}
                    on_action={props.on_action.clone()} on_edit={props.on_edit.clone()} />
            </div>
            <div class={classes!("node-status", only_ready.then_some("only-ready"))} title={node.condition.clone()}>
                if !compact {
                    <span class={classes!("pill", "role", (node.role != "worker").then_some("special"))}
                        title="ROLES, from node-role.kubernetes.io/* labels">
                        {&node.role}
                    </span>
                }
                { for states.iter().map(|state| html! {
                    <span class={classes!("pill", "status", state_class(state))}>{*state}</span>
                }) }
                if node.failed {
                    <span class="pill status failed-kubelet" title="sim node fail: the kubelet stopped posting status">
                        {"kubelet stopped"}
                    </span>
                }
            </div>
            if !compact && !node.taints.is_empty() {
                <div class="chip-group taints">
                    <h4 class="visually-hidden">{"Taints"}</h4>
                    <ul class="chips" role="list">
                        { for node.taints.iter().map(|taint| html! {
                            <li class={classes!("chip", "taint", taint.effect.class())}
                                title={format!("taint {} ({})", taint.text, taint.effect_name)}>
                                {breakable(&taint.text)}
                            </li>
                        }) }
                    </ul>
                </div>
            }
            if !compact {
                <div class="chip-group labels">
                    <h4 class="visually-hidden">{"Labels"}</h4>
                    <ul class="chips" role="list">
                        { for node.labels.iter().map(label_chip) }
                        if *show_standard {
                            { for node.standard_labels.iter().map(label_chip) }
                        }
                        if !node.standard_labels.is_empty() {
                            <li>
                                <button type="button" class="chip more" onclick={toggle_standard}
                                    aria-expanded={show_standard.to_string()}
                                    title="Labels the kubelet sets: kubernetes.io/*, beta.kubernetes.io/*, node.kubernetes.io/*">
                                    if *show_standard {
                                        {"hide standard"}
                                    } else {
                                        {format!("+{} standard", node.standard_labels.len())}
                                    }
                                </button>
                            </li>
                        }
                    </ul>
                </div>
            }
            <div class="bars">
                <Bar bar={node.cpu.clone()} />
                <Bar bar={node.memory.clone()} />
            </div>
            <div class="pods-area">
                if !compact {
                    <h4 class="pods-heading">
                        {"Pods"}
                        <span class="pod-count" title="non-terminated pods / pod capacity">{&node.pod_count}</span>
                    </h4>
                }
                <ul class={classes!("pods", dots.then_some("dots"))} role="list">
                    { for pod_items }
                </ul>
            </div>
        </li>
    }
}

fn state_class(state: &str) -> &'static str {
    match state {
        "Ready" => "ready",
        "NotReady" => "not-ready",
        "SchedulingDisabled" => "disabled",
        _ => "unknown",
    }
}

fn label_chip(label: &LabelChip) -> Html {
    let text = label.text();
    html! { <li class="chip label" title={format!("label {text}")}>{breakable(&text)}</li> }
}

#[derive(Properties, PartialEq)]
struct BarProps {
    bar: ResourceBar,
}

/// Requested against allocatable, as `kubectl describe node`'s "Allocated resources".
#[component]
fn Bar(props: &BarProps) -> Html {
    let bar = &props.bar;
    let level = match bar.percent {
        ..=69 => "low",
        70..=89 => "high",
        _ => "full",
    };
    html! {
        <div class={classes!("bar", level)} title={bar.text()}>
            <span class="bar-name">{bar.resource}</span>
            <span class="bar-track" role="meter" aria-label={bar.text()}
                aria-valuemin="0" aria-valuemax="100" aria-valuenow={bar.percent.clamp(0, 100).to_string()}>
                <span class="bar-fill" style={format!("width: {}%", bar.percent.clamp(0, 100))}></span>
            </span>
            <span class="bar-value">{format!("{} / {}", bar.requested, bar.allocatable)}</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct GhostProps {
    ghost: GhostView,
    dot: bool,
    lit: Option<bool>,
}

/// The slot a DaemonSet's pod would take on this node, with why it is empty.
#[component]
fn Ghost(props: &GhostProps) -> Html {
    let ghost = &props.ghost;
    let label = format!("no pod of DaemonSet {}: {}", ghost.ds_name, ghost.detail);
    html! {
        <li class={classes!(
                "ghost",
                ghost.class,
                props.dot.then_some("dot"),
                match props.lit { Some(true) => Some("lit"), Some(false) => Some("dim"), None => None },
            )}
            style={format!("--hue: {}", ghost.hue)}
            title={label.clone()} aria-label={label}
            data-ghost={ghost.ds_name.clone()}>
            if !props.dot {
                <span class="badge" aria-hidden="true">{"DS"}</span>
                <span class="ghost-name" aria-hidden="true">{&ghost.ds_name}</span>
                <span class="ghost-why" aria-hidden="true">{&ghost.short}</span>
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
