use kubeplay_core::api::Kind;
use yew::prelude::*;

use crate::state::{Action, ObjectRef};
use crate::view::{OwnerKind, PodState, PodView};

#[derive(Properties, PartialEq)]
pub struct PodChipProps {
    pub pod: PodView,
    /// A dot without text (many nodes, or a crowded node).
    #[prop_or_default]
    pub dot: bool,
    /// Some workload is highlighted: this chip is lit (`Some(true)`) or dimmed (`Some(false)`).
    #[prop_or_default]
    pub lit: Option<bool>,
    #[prop_or_default]
    pub selected: bool,
    /// The pod is gone from the cluster and the chip plays its leave animation.
    #[prop_or_default]
    pub gone: bool,
    pub on_action: Callback<Action>,
}

/// One pod: coloured by its owner, styled by its STATUS, a button that selects it. Hovering or
/// focusing it highlights its workload across the grid.
#[component]
pub fn PodChip(props: &PodChipProps) -> Html {
    let pod = &props.pod;
    let onclick = {
        let on_action = props.on_action.clone();
        let target = ObjectRef {
            kind: Kind::Pod,
            namespace: pod.namespace.clone(),
            name: pod.name.clone(),
        };
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Select(Some(target.clone()))))
    };
    // A bare pod has no workload to light: hovering it clears the highlight.
    let highlight = |uid: Option<String>| {
        let on_action = props.on_action.clone();
        (
            {
                let (on_action, uid) = (on_action.clone(), uid.clone());
                Callback::from(move |_: MouseEvent| on_action.emit(Action::Highlight(uid.clone())))
            },
            Callback::from(move |_: FocusEvent| on_action.emit(Action::Highlight(uid.clone()))),
        )
    };
    let (onmouseenter, onfocus) = highlight(pod.owner.uids.first().cloned());
    let (onmouseleave, onblur) = highlight(None);
    let style = pod.owner.hue.map(|hue| format!("--hue: {hue}"));
    let label = pod.label();
    let title = if pod.owner.description.is_empty() {
        format!("{label}\nbare pod, {} ready", pod.ready)
    } else {
        format!("{label}\n{}, {} ready", pod.owner.description, pod.ready)
    };
    let class = classes!(
        "pod-chip",
        pod.state.class(),
        pod.owner.kind.class(),
        props.dot.then_some("dot"),
        pod.owner.hue.is_none().then_some("neutral"),
        props.selected.then_some("selected"),
        props.gone.then_some("gone"),
        match props.lit {
            Some(true) => Some("lit"),
            Some(false) => Some("dim"),
            None => None,
        },
    );
    html! {
        <li class="pod-slot">
            <button type="button" {class} {style} {title}
                aria-label={label}
                aria-pressed={props.selected.to_string()}
                data-pod={pod.name.clone()}
                data-status={pod.status.clone()}
                disabled={props.gone}
                {onclick} {onmouseenter} {onmouseleave} {onfocus} {onblur}>
                // A dot is its colour and outline alone: hundreds of them, so no inner elements.
                if !props.dot {
                    <span class="badge" aria-hidden="true">{pod.owner.kind.badge()}</span>
                    <span class="pod-name" aria-hidden="true">{&pod.name}</span>
                    <StateMark state={pod.state} />
                }
            </button>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct StateMarkProps {
    state: PodState,
}

/// The small mark after the name: a check when ready, a cross when failed.
#[component]
fn StateMark(props: &StateMarkProps) -> Html {
    let path = match props.state {
        PodState::Ready => "M3.5 8.5l3 3 6-7",
        PodState::Completed => "M3.5 8.5l3 3 6-7",
        PodState::Failed => "M4.5 4.5l7 7M11.5 4.5l-7 7",
        _ => return Html::default(),
    };
    html! {
        <svg class="mark" viewBox="0 0 16 16" aria-hidden="true"><path d={path} /></svg>
    }
}

/// The kind badge's long name, for legends.
pub fn kind_name(kind: OwnerKind) -> &'static str {
    match kind {
        OwnerKind::DaemonSet => "DaemonSet",
        OwnerKind::Job => "Job",
        OwnerKind::CronJob => "CronJob",
        OwnerKind::Other => "other controller",
        OwnerKind::None => "bare pod",
    }
}
