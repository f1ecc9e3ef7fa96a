//! The node dialogs: "Add node" (`sim node add` with presets) and a node's labels and taints
//! (`kubectl label` / `kubectl taint`). Both are native modal `<dialog>`s: the browser traps
//! focus, Escape closes, and focus returns where it was.

use yew::prelude::*;

use super::node_menu::EditKind;
use crate::view::NodeView;
use crate::view::node::{
    LabelChip, NodeForm, Preset, TAINT_EFFECTS, TaintRow, label_line, taint_line, unlabel_line,
    untaint_line,
};

/// Shows the `<dialog>` modally while `open`, closes it otherwise.
#[hook]
fn use_modal(open: bool) -> NodeRef {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(open, move |open| {
            if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                if *open && !dialog.open() {
                    // Fails only when the dialog is detached or already modal; it then stays as is.
                    let _ = dialog.show_modal();
                } else if !*open && dialog.open() {
                    dialog.close();
                }
            }
        });
    }
    dialog
}

/// Escape (the dialog's `cancel`) asks to close; the state decides.
fn on_cancel(on_close: &Callback<()>) -> Callback<Event> {
    let on_close = on_close.clone();
    Callback::from(move |event: Event| {
        event.prevent_default();
        on_close.emit(());
    })
}

fn input_value(event: &InputEvent) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

fn select_value(event: &Event) -> String {
    event
        .target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

#[derive(Properties, PartialEq)]
struct CommandPreviewProps {
    line: String,
}

/// The command the dialog will run, updated as the person types.
#[component]
fn CommandPreview(props: &CommandPreviewProps) -> Html {
    html! {
        <div class="command-preview">
            <span class="preview-caption">{"Runs"}</span>
            <code class="preview-line" aria-live="polite">
                <span class="prompt" aria-hidden="true">{"$ "}</span>{&props.line}
            </code>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ErrorProps {
    error: Option<String>,
}

#[component]
fn DialogError(props: &ErrorProps) -> Html {
    match &props.error {
        Some(error) => html! { <p class="dialog-error" role="alert">{error}</p> },
        None => Html::default(),
    }
}

#[derive(Properties, PartialEq)]
pub struct AddNodeDialogProps {
    pub open: bool,
    /// The name proposed when the dialog opens: the next free `node-N`.
    pub name: String,
    /// The last attempt's stderr.
    #[prop_or_default]
    pub error: Option<String>,
    /// Runs the `sim node add` line.
    pub on_submit: Callback<String>,
    pub on_close: Callback<()>,
}

/// "Add node": name, presets, labels, taints and capacity, with the `sim node add` line live.
#[component]
pub fn AddNodeDialog(props: &AddNodeDialogProps) -> Html {
    let dialog = use_modal(props.open);
    let form = use_state(|| NodeForm::new(&props.name));
    let preset = use_state(|| Preset::Worker);
    {
        // Each opening starts from a plain worker with the next free name.
        let (form, preset) = (form.clone(), preset.clone());
        use_effect_with((props.open, props.name.clone()), move |(open, name)| {
            if *open {
                form.set(NodeForm::new(name));
                preset.set(Preset::Worker);
            }
        });
    }
    let update = |change: fn(&mut NodeForm, String)| {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*form).clone();
            change(&mut next, input_value(&event));
            form.set(next);
        })
    };
    let line = form.command_line();
    let onsubmit = {
        let on_submit = props.on_submit.clone();
        let line = line.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_submit.emit(line.clone());
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let presets = Preset::ALL.map(|choice| {
        let onchange = {
            let (form, preset) = (form.clone(), preset.clone());
            Callback::from(move |_: Event| {
                form.set(choice.form(&form.name));
                preset.set(choice);
            })
        };
        html! {
            <label class={classes!("preset", (*preset == choice).then_some("chosen"))}>
                <input type="radio" name="preset" checked={*preset == choice} {onchange} />
                <span class="preset-title">{choice.title()}</span>
                <span class="preset-description">{choice.description()}</span>
            </label>
        }
    });
    let label_rows = form.labels.iter().enumerate().map(|(index, (key, value))| {
        let edit = |set_key: bool| {
            let form = form.clone();
            Callback::from(move |event: InputEvent| {
                let mut next = (*form).clone();
                if let Some(row) = next.labels.get_mut(index) {
                    if set_key {
                        row.0 = input_value(&event);
                    } else {
                        row.1 = input_value(&event);
                    }
                }
                form.set(next);
            })
        };
        let remove = {
            let form = form.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*form).clone();
                if index < next.labels.len() {
                    next.labels.remove(index);
                }
                form.set(next);
            })
        };
        html! {
            <div class="row">
                <input class="mono" aria-label={format!("Label {} key", index + 1)} placeholder="key"
                    value={key.clone()} oninput={edit(true)} spellcheck="false" />
                <span class="row-sep" aria-hidden="true">{"="}</span>
                <input class="mono" aria-label={format!("Label {} value", index + 1)} placeholder="value"
                    value={value.clone()} oninput={edit(false)} spellcheck="false" />
                <button type="button" class="icon-button" onclick={remove}
                    aria-label={format!("Remove label {}", index + 1)}>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
                </button>
            </div>
        }
    });
    let taint_rows = form.taints.iter().enumerate().map(|(index, taint)| {
        let edit = |field: fn(&mut TaintRow) -> &mut String| {
            let form = form.clone();
            Callback::from(move |value: String| {
                let mut next = (*form).clone();
                if let Some(row) = next.taints.get_mut(index) {
                    *field(row) = value;
                }
                form.set(next);
            })
        };
        let (key, value, effect) = (
            edit(|row| &mut row.key),
            edit(|row| &mut row.value),
            edit(|row| &mut row.effect),
        );
        let remove = {
            let form = form.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*form).clone();
                if index < next.taints.len() {
                    next.taints.remove(index);
                }
                form.set(next);
            })
        };
        html! {
            <div class="row">
                <input class="mono" aria-label={format!("Taint {} key", index + 1)} placeholder="key"
                    value={taint.key.clone()} spellcheck="false"
                    oninput={Callback::from(move |event: InputEvent| key.emit(input_value(&event)))} />
                <span class="row-sep" aria-hidden="true">{"="}</span>
                <input class="mono" aria-label={format!("Taint {} value", index + 1)} placeholder="value"
                    value={taint.value.clone()} spellcheck="false"
                    oninput={Callback::from(move |event: InputEvent| value.emit(input_value(&event)))} />
                <span class="row-sep" aria-hidden="true">{":"}</span>
                <EffectSelect label={format!("Taint {} effect", index + 1)} value={taint.effect.clone()}
                    onchange={effect} />
                <button type="button" class="icon-button" onclick={remove}
                    aria-label={format!("Remove taint {}", index + 1)}>
                    <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
                </button>
            </div>
        }
    });
    let add_label = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*form).clone();
            next.labels.push(Default::default());
            form.set(next);
        })
    };
    let add_taint = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*form).clone();
            next.taints.push(TaintRow {
                effect: TAINT_EFFECTS[0].into(),
                ..TaintRow::default()
            });
            form.set(next);
        })
    };

    html! {
        <dialog class="node-dialog add-node" ref={dialog} aria-labelledby="add-node-title"
            oncancel={on_cancel(&props.on_close)}>
            if props.open {
                <form method="dialog" {onsubmit}>
                    <header class="dialog-head">
                        <h2 id="add-node-title">{"Add a node"}</h2>
                        <button type="button" class="icon-button" aria-label="Close" onclick={close.clone()}>
                            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
                        </button>
                    </header>
                    <fieldset class="presets">
                        <legend>{"Preset"}</legend>
                        { for presets }
                    </fieldset>
                    <div class="fields">
                        <label class="field name">
                            <span>{"Name"}</span>
                            <input class="mono" value={form.name.clone()} required=true spellcheck="false"
                                autofocus=true
                                oninput={update(|form, value| form.name = value)} />
                        </label>
                        <label class="field">
                            <span>{"CPU"}</span>
                            <input class="mono" value={form.cpu.clone()} spellcheck="false"
                                oninput={update(|form, value| form.cpu = value)} />
                        </label>
                        <label class="field">
                            <span>{"Memory"}</span>
                            <input class="mono" value={form.memory.clone()} spellcheck="false"
                                oninput={update(|form, value| form.memory = value)} />
                        </label>
                        <label class="field">
                            <span>{"Pods"}</span>
                            <input class="mono" value={form.pods.clone()} spellcheck="false" inputmode="numeric"
                                oninput={update(|form, value| form.pods = value)} />
                        </label>
                    </div>
                    <section class="rows" aria-labelledby="add-node-labels">
                        <div class="rows-head">
                            <h3 id="add-node-labels">{"Labels"}</h3>
                            <button type="button" class="button small" onclick={add_label}>{"+ Label"}</button>
                        </div>
                        { for label_rows }
                    </section>
                    <section class="rows" aria-labelledby="add-node-taints">
                        <div class="rows-head">
                            <h3 id="add-node-taints">{"Taints"}</h3>
                            <button type="button" class="button small" onclick={add_taint}>{"+ Taint"}</button>
                        </div>
                        { for taint_rows }
                    </section>
                    <CommandPreview line={line} />
                    <DialogError error={props.error.clone()} />
                    <footer class="dialog-actions">
                        <button type="button" class="button" onclick={close}>{"Cancel"}</button>
                        <button type="submit" class="button primary">{"Add node"}</button>
                    </footer>
                </form>
            }
        </dialog>
    }
}

#[derive(Properties, PartialEq)]
struct EffectSelectProps {
    label: String,
    value: String,
    onchange: Callback<String>,
}

#[component]
fn EffectSelect(props: &EffectSelectProps) -> Html {
    let onchange = {
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| onchange.emit(select_value(&event)))
    };
    html! {
        <select aria-label={props.label.clone()} {onchange}>
            { for TAINT_EFFECTS.iter().map(|effect| html! {
                <option value={*effect} selected={props.value == *effect}>{*effect}</option>
            }) }
        </select>
    }
}

#[derive(Properties, PartialEq)]
pub struct NodeEditDialogProps {
    /// The node being edited, live: its chips update as commands land.
    pub node: Option<NodeView>,
    pub kind: EditKind,
    #[prop_or_default]
    pub error: Option<String>,
    /// How many of the dialog's commands have succeeded: each success clears the fields.
    #[prop_or_default]
    pub done: u64,
    pub on_run: Callback<String>,
    pub on_close: Callback<()>,
}

/// A node's labels or taints: each one removable, a new one added, every command shown.
#[component]
pub fn NodeEditDialog(props: &NodeEditDialogProps) -> Html {
    let dialog = use_modal(props.node.is_some());
    let key = use_state(String::new);
    let value = use_state(String::new);
    let effect = use_state(|| TAINT_EFFECTS[0].to_string());
    {
        let (key, value) = (key.clone(), value.clone());
        let opened = props.node.as_ref().map(|node| node.name.clone());
        use_effect_with((opened, props.kind, props.done), move |_| {
            key.set(String::new());
            value.set(String::new());
        });
    }
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let Some(node) = &props.node else {
        return html! {
            <dialog class="node-dialog" ref={dialog} oncancel={on_cancel(&props.on_close)}></dialog>
        };
    };
    let name = node.name.as_str();
    let run = |line: String| {
        let on_run = props.on_run.clone();
        Callback::from(move |_: MouseEvent| on_run.emit(line.clone()))
    };
    // Until a key is typed the preview shows the command's shape.
    let (shown_key, shown_value) = if key.trim().is_empty() {
        (
            "KEY",
            if value.trim().is_empty() {
                "VALUE"
            } else {
                value.trim()
            },
        )
    } else {
        (key.trim(), value.trim())
    };
    let (title, rows, line): (String, Html, String) = match props.kind {
        EditKind::Labels => {
            let exists = node
                .labels
                .iter()
                .chain(&node.standard_labels)
                .any(|label| label.key == *key);
            let row = |label: &LabelChip| {
                let remove = unlabel_line(name, &label.key);
                html! {
                    <li class="existing">
                        <code class="chip label">{label.text()}</code>
                        <button type="button" class="button small" title={remove.clone()}
                            aria-label={format!("Remove label {}", label.key)}
                            onclick={run(remove)}>{"Remove"}</button>
                    </li>
                }
            };
            let rows = html! {
                <>
                    { for node.labels.iter().map(row) }
                    if !node.standard_labels.is_empty() {
                        <li class="existing-heading">{"Standard labels, set by the kubelet"}</li>
                    }
                    { for node.standard_labels.iter().map(row) }
                </>
            };
            (
                format!("Labels of {name}"),
                rows,
                label_line(name, shown_key, shown_value, exists),
            )
        }
        EditKind::Taints => {
            let rows = node
                .taints
                .iter()
                .map(|taint| {
                    let remove = untaint_line(name, &taint.key, &taint.effect_name);
                    html! {
                        <li class="existing">
                            <code class={classes!("chip", "taint", taint.effect.class())}>{&taint.text}</code>
                            <button type="button" class="button small" title={remove.clone()}
                                aria-label={format!("Remove taint {}", taint.text)}
                                onclick={run(remove)}>{"Remove"}</button>
                        </li>
                    }
                })
                .collect();
            (
                format!("Taints of {name}"),
                rows,
                taint_line(name, shown_key, shown_value, &effect),
            )
        }
    };
    let onsubmit = {
        let on_run = props.on_run.clone();
        let line = line.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_run.emit(line.clone());
        })
    };
    let set = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |event: InputEvent| state.set(input_value(&event)))
    };
    let noun = match props.kind {
        EditKind::Labels => "label",
        EditKind::Taints => "taint",
    };
    html! {
        <dialog class="node-dialog edit-node" ref={dialog} aria-labelledby="edit-node-title"
            oncancel={on_cancel(&props.on_close)}>
            <form method="dialog" {onsubmit}>
                <header class="dialog-head">
                    <h2 id="edit-node-title">{title}</h2>
                    <button type="button" class="icon-button" aria-label="Close" onclick={close.clone()}>
                        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
                    </button>
                </header>
                <ul class="existing-list" role="list">
                    { rows }
                </ul>
                <h3 class="add-heading">{format!("Add a {noun}")}</h3>
                <div class="row">
                    <input class="mono" aria-label="Key" placeholder="key" value={(*key).clone()}
                        oninput={set(&key)} spellcheck="false" required=true autofocus=true />
                    <span class="row-sep" aria-hidden="true">{"="}</span>
                    <input class="mono" aria-label="Value" placeholder="value" value={(*value).clone()}
                        oninput={set(&value)} spellcheck="false" />
                    if props.kind == EditKind::Taints {
                        <span class="row-sep" aria-hidden="true">{":"}</span>
                        <EffectSelect label="Effect" value={(*effect).clone()}
                            onchange={{
                                let effect = effect.clone();
                                Callback::from(move |value: String| effect.set(value))
                            }} />
                    }
                </div>
                <CommandPreview line={line} />
                <DialogError error={props.error.clone()} />
                <footer class="dialog-actions">
                    <button type="button" class="button" onclick={close}>{"Done"}</button>
                    <button type="submit" class="button primary">{format!("Add {noun}")}</button>
                </footer>
            </form>
        </dialog>
    }
}
