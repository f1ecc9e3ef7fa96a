use kubeplay_core::api::Kind;
use yew::prelude::*;

use super::pod_chip::PodChip;
use crate::state::{Action, ObjectRef};
use crate::view::PodView;

#[derive(Properties, PartialEq)]
pub struct UnscheduledLaneProps {
    pub pods: Vec<PodView>,
    #[prop_or_default]
    pub highlight: Option<String>,
    #[prop_or_default]
    pub selected: Option<ObjectRef>,
    pub on_action: Callback<Action>,
}

/// Pending pods no node has taken, each with the scheduler's reason.
#[component]
pub fn UnscheduledLane(props: &UnscheduledLaneProps) -> Html {
    if props.pods.is_empty() {
        return Html::default();
    }
    html! {
        <section class="unscheduled" aria-labelledby="unscheduled-heading">
            <h3 id="unscheduled-heading">
                {"Unscheduled"}
                <span class="count">{props.pods.len()}</span>
            </h3>
            <ul class="unscheduled-list" role="list">
                { for props.pods.iter().map(|pod| {
                    let selected = props.selected.as_ref().is_some_and(|target| {
                        target.kind == Kind::Pod
                            && target.namespace == pod.namespace
                            && target.name == pod.name
                    });
                    let lit = props.highlight.as_deref().map(|uid| pod.owned_by(uid));
                    let reason = pod
                        .unschedulable
                        .clone()
                        .unwrap_or_else(|| "Waiting for the scheduler.".into());
                    html! {
                        <li key={pod.uid.clone()} class="waiting">
                            <ul class="pods" role="list">
                                <PodChip pod={pod.clone()} {lit} {selected}
                                    on_action={props.on_action.clone()} />
                            </ul>
                            <p class="reason">{reason}</p>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
