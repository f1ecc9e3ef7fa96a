//! The events panel: the cluster's Kubernetes events as `kubectl get events` lists them, newest
//! first, filtered by the object they are about.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::state::ObjectRef;
use crate::view::events::{EventRow, kinds};

/// Rows drawn at most: the newest; a busy cluster at 600x records many.
const SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    /// Newest first.
    pub rows: Rc<Vec<EventRow>>,
    /// Opens the object in the inspector.
    pub on_select: Callback<ObjectRef>,
}

#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    let text = use_state(String::new);
    let kind = use_state(String::new);

    let oninput = {
        let text = text.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                text.set(input.value());
            }
        })
    };
    let onchange = {
        let kind = kind.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                kind.set(select.value());
            }
        })
    };

    let matching: Vec<&EventRow> = props
        .rows
        .iter()
        .filter(|row| row.matches(&kind, &text))
        .collect();
    let warnings = matching.iter().filter(|row| row.warning).count();
    let filtered = !text.is_empty() || !kind.is_empty();

    html! {
        <section class="events tool" aria-label="Events">
            <div class="events-filters">
                <label class="field grow">
                    <span class="field-label">{"Object"}</span>
                    <input type="search" class="input" placeholder="Filter by name, e.g. fluentd"
                        value={(*text).clone()} {oninput} />
                </label>
                <label class="field">
                    <span class="field-label">{"Kind"}</span>
                    <select class="select" {onchange}>
                        <option value="" selected={kind.is_empty()}>{"All kinds"}</option>
                        { for kinds(&props.rows).into_iter().map(|option| html! {
                            <option selected={*kind == option} value={option.clone()}>{option.clone()}</option>
                        }) }
                    </select>
                </label>
            </div>
            <p class="command-line">
                <span class="prompt-sign" aria-hidden="true">{"$ "}</span>
                <code>{"kubectl get events -A"}</code>
                <span class="events-summary">
                    { format!("{} event{}", matching.len(), if matching.len() == 1 { "" } else { "s" }) }
                    if warnings > 0 {
                        {" · "}<span class="warning-count">{format!("{warnings} warning{}", if warnings == 1 { "" } else { "s" })}</span>
                    }
                    {" · newest first"}
                </span>
            </p>
            if matching.is_empty() {
                <div class="tool-empty">
                    if filtered {
                        <p>{"No events match the filter."}</p>
                    } else {
                        <p class="tool-empty-title">{"No events yet"}</p>
                        <p>{"Controllers, the scheduler and the kubelets record events as they act. Apply a workload or add a node to see them."}</p>
                    }
                </div>
            } else {
                <div class="events-scroll">
                    <table class="events-table">
                        <thead>
                            <tr>
                                <th scope="col">{"LAST SEEN"}</th>
                                <th scope="col">{"TYPE"}</th>
                                <th scope="col">{"REASON"}</th>
                                <th scope="col">{"OBJECT"}</th>
                                <th scope="col">{"MESSAGE"}</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for matching.iter().take(SHOWN).map(|row| event_row(row, &props.on_select)) }
                        </tbody>
                    </table>
                    if matching.len() > SHOWN {
                        <p class="events-more">{format!("The {SHOWN} newest of {} are shown.", matching.len())}</p>
                    }
                </div>
            }
        </section>
    }
}

fn event_row(row: &EventRow, on_select: &Callback<ObjectRef>) -> Html {
    let columns = &row.columns;
    let count = row.count();
    let object = match &row.object {
        Some(object) => {
            let onclick = {
                let on_select = on_select.clone();
                let object = object.clone();
                Callback::from(move |_: MouseEvent| on_select.emit(object.clone()))
            };
            html! {
                <button type="button" class="object-link" {onclick}
                    title={format!("Inspect {}", columns.object)}>
                    {&columns.object}
                </button>
            }
        }
        None => html! { {&columns.object} },
    };
    html! {
        <tr key={row.key.clone()} class={classes!(row.warning.then_some("warning"))}>
            <td class="nowrap" title={format!("first seen {} ago", columns.first_seen)}>
                {&columns.last_seen}
                if count > 1 {
                    <span class="repeat" title={format!("seen {count} times")}>{format!("x{count}")}</span>
                }
            </td>
            <td><span class={classes!("event-type", row.warning.then_some("warning"))}>{&columns.event_type}</span></td>
            <td class="reason">{&columns.reason}</td>
            <td class="object">{object}</td>
            <td class="message" title={columns.source.clone()}>{&columns.message}</td>
        </tr>
    }
}
