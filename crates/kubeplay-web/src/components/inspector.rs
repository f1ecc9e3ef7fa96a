//! The inspector: the selected object's `kubectl describe` and `kubectl get -o yaml`, kept up to
//! date as the cluster changes, with a picker to choose any object.

use kubeplay_core::CommandOutput;
use kubeplay_core::api::Kind;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::ObjectRef;
use crate::view::inspector::{describe_command, yaml_command};

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub selected: Option<ObjectRef>,
    /// Bumped on every cluster change: the output is read again.
    pub revision: u64,
    /// Runs a read-only command line for display, unlogged.
    pub query: Callback<String, CommandOutput>,
    /// The objects of a kind, for the picker.
    pub objects: Callback<Kind, Vec<ObjectRef>>,
    pub on_select: Callback<ObjectRef>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Describe,
    Yaml,
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let view = use_state(|| View::Describe);
    let picked_kind = use_state(|| None::<Kind>);
    let kind = (*picked_kind)
        .or(props.selected.as_ref().map(|selected| selected.kind))
        .unwrap_or(Kind::Pod);

    let line = props.selected.as_ref().map(|selected| match *view {
        View::Describe => describe_command(selected),
        View::Yaml => yaml_command(selected),
    });
    let output = {
        let query = props.query.clone();
        use_memo((line.clone(), props.revision), move |(line, _)| {
            line.as_ref().map(|line| query.emit(line.clone()))
        })
    };
    let candidates = {
        let objects = props.objects.clone();
        use_memo((kind, props.revision), move |(kind, _)| objects.emit(*kind))
    };

    let onchange_kind = {
        let picked_kind = picked_kind.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                picked_kind.set(
                    Kind::ALL
                        .into_iter()
                        .find(|kind| kind.name() == select.value()),
                );
            }
        })
    };
    let onchange_object = {
        let on_select = props.on_select.clone();
        let candidates = candidates.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            if let Some(object) = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|index| candidates.get(index))
            {
                on_select.emit(object.clone());
            }
        })
    };
    let toggle = |target: View, label: &'static str| {
        let view = view.clone();
        let pressed = *view == target;
        html! {
            <button type="button" class={classes!("segment", pressed.then_some("active"))}
                aria-pressed={pressed.to_string()}
                onclick={Callback::from(move |_: MouseEvent| view.set(target))}>
                {label}
            </button>
        }
    };
    let selected_index = props.selected.as_ref().and_then(|selected| {
        candidates
            .iter()
            .position(|candidate| candidate == selected)
    });

    html! {
        <section class="inspector tool" aria-label="Inspector">
            <div class="inspector-picker">
                <label class="field">
                    <span class="field-label">{"Kind"}</span>
                    <select class="select" onchange={onchange_kind}>
                        { for Kind::ALL.into_iter().map(|option| html! {
                            <option value={option.name()} selected={option == kind}>{option.name()}</option>
                        }) }
                    </select>
                </label>
                <label class="field grow">
                    <span class="field-label">{"Object"}</span>
                    <select class="select" onchange={onchange_object} disabled={candidates.is_empty()}>
                        <option value="" disabled=true selected={selected_index.is_none()}>
                            { if candidates.is_empty() { format!("No {} yet", kind.plural()) } else { format!("Choose one of {}…", candidates.len()) } }
                        </option>
                        { for candidates.iter().enumerate().map(|(index, candidate)| html! {
                            <option value={index.to_string()} selected={selected_index == Some(index)}>
                                { if candidate.namespace.is_empty() { candidate.name.clone() } else { format!("{}/{}", candidate.namespace, candidate.name) } }
                            </option>
                        }) }
                    </select>
                </label>
            </div>
            if let (Some(selected), Some(line), Some(output)) = (&props.selected, &line, &*output) {
                <div class="inspector-head">
                    <h3 class="inspector-title">
                        <span class="inspector-kind">{selected.kind.name()}</span>
                        <span class="inspector-name">{&selected.name}</span>
                        if !selected.namespace.is_empty() {
                            <span class="inspector-namespace" title="Namespace">{&selected.namespace}</span>
                        }
                    </h3>
                    <div class="segmented" role="group" aria-label="Show">
                        { toggle(View::Describe, "Describe") }
                        { toggle(View::Yaml, "YAML") }
                    </div>
                </div>
                <p class="command-line">
                    <span class="prompt-sign" aria-hidden="true">{"$ "}</span>
                    <code>{line}</code>
                </p>
                if output.exit_code == 0 {
                    <pre class="inspector-output" tabindex="0" aria-label={format!("Output of {line}")}>{&output.stdout}</pre>
                } else {
                    <div class="inspector-gone" role="status">
                        <pre>{&output.stderr}</pre>
                        <p>{"The object is gone; pick another one above, or click one in the grid."}</p>
                    </div>
                }
            } else {
                <div class="tool-empty">
                    <p class="tool-empty-title">{"Nothing selected"}</p>
                    <p>{"Click a pod, a node or a workload, or an object in the events, to see its "}
                        <code>{"kubectl describe"}</code>{" and its YAML here. Or pick one above."}</p>
                </div>
            }
        </section>
    }
}
