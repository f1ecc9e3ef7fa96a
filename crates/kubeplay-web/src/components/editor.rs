//! The YAML editor: a manifest of one or many documents, checked with
//! `kubectl apply --dry-run=server -f -` and applied with `kubectl apply -f -` only when every
//! document passes, so nothing applies on error.

use std::rc::Rc;

use kubeplay_core::kubectl::apply::Checked;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::examples::EXAMPLES;
use crate::state::LogEntry;
use crate::view::editor::{Problem, line_count, line_range, marked_lines, problems};

const DRY_RUN: &str = "kubectl apply --dry-run=server -f -";
const APPLY: &str = "kubectl apply -f -";

/// The editor's line height in pixels, as `tools.css` sets it; scrolling to a line uses it.
const LINE_HEIGHT: i32 = 20;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: String,
    pub on_change: Callback<String>,
    /// The dry run of a manifest against the cluster as it is.
    pub check: Callback<String, Vec<Checked>>,
    /// Runs a command line with its stdin (logged, as the terminal shows).
    pub on_run: Callback<(String, String)>,
    /// Every command run, to show the apply's output.
    pub entries: Rc<Vec<LogEntry>>,
    /// The id the next command run gets.
    pub next_command_id: u64,
}

/// What the last Apply gave.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// The dry run refused these; nothing was applied.
    Refused(Vec<Problem>),
    /// Every document passed; the apply is the log entry with this id.
    Applied(u64),
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let textarea_ref = use_node_ref();
    let gutter_ref = use_node_ref();
    let outcome = use_state(|| None::<Outcome>);
    let example = use_state(String::new);
    // After Escape, Tab moves the focus on instead of indenting, so the keyboard can leave.
    let tab_leaves = use_mut_ref(|| false);

    let apply = {
        let outcome = outcome.clone();
        let check = props.check.clone();
        let on_run = props.on_run.clone();
        let next_id = props.next_command_id;
        Callback::from(move |text: String| {
            let checked = check.emit(text.clone());
            on_run.emit((DRY_RUN.to_string(), text.clone()));
            match problems(&checked) {
                Some(problems) => outcome.set(Some(Outcome::Refused(problems))),
                None => {
                    on_run.emit((APPLY.to_string(), text));
                    // The dry run took `next_id`; the apply is the command after it.
                    outcome.set(Some(Outcome::Applied(next_id + 1)));
                }
            }
        })
    };

    let oninput = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(textarea) = event.target_dyn_into::<HtmlTextAreaElement>() {
                on_change.emit(textarea.value());
            }
        })
    };

    let onscroll = {
        let gutter_ref = gutter_ref.clone();
        Callback::from(move |event: Event| {
            if let (Some(textarea), Some(gutter)) = (
                event.target_dyn_into::<HtmlTextAreaElement>(),
                gutter_ref.cast::<web_sys::Element>(),
            ) {
                gutter.set_scroll_top(textarea.scroll_top());
            }
        })
    };
    {
        // The gutter follows the text after it changes too (an example loaded, a line jumped to).
        let textarea_ref = textarea_ref.clone();
        let gutter_ref = gutter_ref.clone();
        use_effect(move || {
            if let (Some(textarea), Some(gutter)) = (
                textarea_ref.cast::<HtmlTextAreaElement>(),
                gutter_ref.cast::<web_sys::Element>(),
            ) {
                gutter.set_scroll_top(textarea.scroll_top());
            }
        });
    }

    let onkeydown = {
        let apply = apply.clone();
        let tab_leaves = tab_leaves.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            let leaves = std::mem::replace(&mut *tab_leaves.borrow_mut(), key == "Escape");
            let Some(textarea) = event.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            match key.as_str() {
                "Enter" if event.ctrl_key() || event.meta_key() => {
                    event.prevent_default();
                    apply.emit(textarea.value());
                }
                "Tab" if !leaves && !event.shift_key() && !event.ctrl_key() && !event.alt_key() => {
                    event.prevent_default();
                    insert_text(&textarea, "  ");
                }
                _ => {}
            }
        })
    };

    let onchange_example = {
        let on_change = props.on_change.clone();
        let outcome = outcome.clone();
        let example = example.clone();
        let text = props.text.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<HtmlSelectElement>() else {
                return;
            };
            let file = select.value();
            // What was typed is not thrown away unasked: only the last example loaded, as loaded.
            let loaded = EXAMPLES
                .iter()
                .find(|candidate| candidate.file == *example)
                .map_or(EXAMPLES[0].manifest, |candidate| candidate.manifest);
            let typed = !text.trim().is_empty() && text.trim() != loaded.trim();
            if typed
                && !web_sys::window()
                    .and_then(|window| {
                        window
                            .confirm_with_message(
                                "Replace what you typed in the editor with this example?",
                            )
                            .ok()
                    })
                    .unwrap_or(false)
            {
                select.set_value(&example);
                return;
            }
            if let Some(chosen) = EXAMPLES.iter().find(|candidate| candidate.file == file) {
                on_change.emit(chosen.manifest.to_string());
                outcome.set(None);
            }
            example.set(file);
        })
    };

    let onclick_apply = {
        let apply = apply.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| apply.emit(text.clone()))
    };

    let go_to_line = {
        let textarea_ref = textarea_ref.clone();
        let text = props.text.clone();
        move |line: usize| {
            let textarea_ref = textarea_ref.clone();
            let text = text.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() {
                    let range = line_range(&text, line);
                    let utf16 = |byte: usize| {
                        u32::try_from(text[..byte].encode_utf16().count()).unwrap_or(u32::MAX)
                    };
                    let _ = textarea.focus();
                    let _ = textarea.set_selection_range(utf16(range.start), utf16(range.end));
                    let row = i32::try_from(line).unwrap_or(i32::MAX).saturating_sub(1);
                    let top = row.saturating_mul(LINE_HEIGHT) - textarea.client_height() / 3;
                    textarea.set_scroll_top(top.max(0));
                }
            })
        }
    };

    let (marked, status) = match &*outcome {
        None => (Default::default(), html! {}),
        Some(Outcome::Refused(problems)) => (
            marked_lines(problems),
            html! {
                <div class="editor-result refused" role="alert">
                    <p class="editor-verdict">
                        {"Nothing was applied: the dry run refused "}
                        { if problems.len() == 1 { "a document" } else { "some documents" } }
                        {"."}
                    </p>
                    <ul class="editor-problems">
                        { for problems.iter().map(|problem| html! {
                            <li>
                                <button type="button" class="problem" onclick={go_to_line(problem.line)}
                                    title={format!("Go to line {}", problem.line)}>
                                    {problem.headline()}
                                </button>
                                if !problem.causes.is_empty() {
                                    <ul>
                                        { for problem.causes.iter().map(|(line, cause)| html! {
                                            <li>
                                                <button type="button" class="problem" onclick={go_to_line(*line)}
                                                    title={format!("Go to line {line}")}>
                                                    {format!("line {line}: {cause}")}
                                                </button>
                                            </li>
                                        }) }
                                    </ul>
                                }
                            </li>
                        }) }
                    </ul>
                </div>
            },
        ),
        Some(Outcome::Applied(id)) => {
            let entry = props.entries.iter().rev().find(|entry| entry.id == *id);
            (
                Default::default(),
                html! {
                    <div class={classes!("editor-result", entry.map(|entry| if entry.output.exit_code == 0 { "applied" } else { "refused" }))}
                        role="status">
                        <p class="editor-command">
                            <span class="prompt-sign" aria-hidden="true">{"$ "}</span>{APPLY}
                        </p>
                        if let Some(entry) = entry {
                            if !entry.output.stdout.is_empty() {
                                <pre class="editor-stdout">{&entry.output.stdout}</pre>
                            }
                            if !entry.output.stderr.is_empty() {
                                <pre class="editor-stderr">{&entry.output.stderr}</pre>
                            }
                        }
                    </div>
                },
            )
        }
    };

    let lines = line_count(&props.text);
    html! {
        <section class="editor tool" aria-label="YAML editor">
            <div class="editor-toolbar">
                <label class="field">
                    <span class="field-label">{"Example"}</span>
                    <select class="select" onchange={onchange_example} aria-label="Load an example manifest">
                        <option value="" selected={example.is_empty()} disabled=true>{"Load an example…"}</option>
                        { for ["DaemonSet", "Job", "CronJob"].into_iter().map(|kind| html! {
                            <optgroup label={kind}>
                                { for EXAMPLES.iter().filter(|candidate| candidate.kind == kind).map(|candidate| html! {
                                    <option value={candidate.file} selected={*example == candidate.file}>
                                        {candidate.title}
                                    </option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                </label>
                <button type="button" class="button primary" onclick={onclick_apply}
                    title={format!("{DRY_RUN}, then {APPLY} if every document passes (Ctrl+Enter)")}>
                    {"Apply"}
                </button>
            </div>
            <div class="editor-body">
                <div class="editor-gutter" ref={gutter_ref} aria-hidden="true">
                    { for (1..=lines).map(|line| html! {
                        <div class={classes!("gutter-line", marked.contains(&line).then_some("error"))}>{line}</div>
                    }) }
                </div>
                <textarea ref={textarea_ref} class="editor-text"
                    aria-label="Manifest (YAML)"
                    aria-describedby="editor-keys"
                    wrap="off" spellcheck="false" autocomplete="off" autocapitalize="off"
                    value={props.text.clone()}
                    {oninput} {onscroll} {onkeydown} />
            </div>
            <p class="editor-keys" id="editor-keys">
                <kbd>{"Ctrl"}</kbd>{"+"}<kbd>{"Enter"}</kbd>{" applies · "}
                <kbd>{"Tab"}</kbd>{" indents · "}
                <kbd>{"Esc"}</kbd>{" then "}<kbd>{"Tab"}</kbd>{" leaves the editor"}
            </p>
            <div aria-live="polite">{ status }</div>
        </section>
    }
}

/// Types `text` at the cursor as if typed, so the browser's undo keeps it.
fn insert_text(textarea: &HtmlTextAreaElement, text: &str) {
    let inserted = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|document| {
            document
                .exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !inserted {
        let value = textarea.value();
        let start = textarea.selection_start().ok().flatten().unwrap_or(0);
        let end = textarea
            .selection_end()
            .ok()
            .flatten()
            .unwrap_or(start)
            .max(start);
        let units: Vec<u16> = value.encode_utf16().collect();
        let clamp = |index: u32| (index as usize).min(units.len());
        let before = String::from_utf16_lossy(&units[..clamp(start)]);
        let after = String::from_utf16_lossy(&units[clamp(end)..]);
        textarea.set_value(&format!("{before}{text}{after}"));
        let cursor = start + u32::try_from(text.encode_utf16().count()).unwrap_or(0);
        let _ = textarea.set_selection_range(cursor, cursor);
        // The value changed without an input event; send one so the text is kept.
        if let Ok(event) = web_sys::InputEvent::new("input") {
            let _ = textarea
                .unchecked_ref::<HtmlElement>()
                .dispatch_event(&event);
        }
    }
}
