//! The terminal: a prompt that runs `kubectl` and `sim` command lines, and the scrollback of
//! every command run in the page, the buttons' included. What a line means (heredocs, completion)
//! is the core's `shell`; this only edits the line and shows the output.

use std::rc::Rc;

use kubeplay_core::shell::{Candidate, Completion, Entered, entered};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::state::LogEntry;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// Every command run in the page, oldest first.
    pub entries: Rc<Vec<LogEntry>>,
    /// Entries up to this id were cleared from the screen.
    pub cleared_through: u64,
    /// Runs a command line with its stdin.
    pub on_run: Callback<(String, String)>,
    pub on_clear: Callback<()>,
    /// Completions for a line and a cursor (a byte offset).
    pub complete: Callback<(String, usize), Completion>,
}

#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let input_ref = use_node_ref();
    let scroll_ref = use_node_ref();
    // Lines of a command still waiting for the end of its heredoc or `\` continuation.
    let pending = use_state(String::new);
    let candidates = use_state(Vec::<Candidate>::new);
    let notice = use_state(|| None::<String>);
    // Where ArrowUp/ArrowDown is in the history, and the line being typed before it moved.
    let history_position = use_mut_ref(|| None::<usize>);
    let draft = use_mut_ref(String::new);

    let history = use_memo(props.entries.clone(), |entries| history_of(entries));

    {
        let scroll_ref = scroll_ref.clone();
        let last = props.entries.last().map(|entry| entry.id);
        use_effect_with(
            (
                last,
                props.cleared_through,
                pending.len(),
                candidates.len(),
                notice.is_some(),
            ),
            move |_| {
                if let Some(element) = scroll_ref.cast::<web_sys::Element>() {
                    element.set_scroll_top(element.scroll_height());
                }
            },
        );
    }

    // Enters lines as if each ended with Enter: runs what is complete, keeps what waits.
    let enter = {
        let pending = pending.clone();
        let notice = notice.clone();
        let candidates = candidates.clone();
        let on_run = props.on_run.clone();
        let on_clear = props.on_clear.clone();
        let history_position = history_position.clone();
        move |lines: &[&str]| {
            let mut text = (*pending).clone();
            let mut message = None;
            for line in lines {
                text.push_str(line);
                text.push('\n');
                match entered(&text) {
                    Entered::Complete(steps) => {
                        text.clear();
                        for step in steps {
                            if step.line == "clear" {
                                on_clear.emit(());
                            } else {
                                on_run.emit((step.line, step.stdin));
                            }
                        }
                    }
                    Entered::Incomplete => {}
                    Entered::Invalid(error) => {
                        text.clear();
                        message = Some(error);
                    }
                }
            }
            pending.set(text);
            notice.set(message);
            candidates.set(Vec::new());
            *history_position.borrow_mut() = None;
        }
    };

    let onkeydown = {
        let input_ref = input_ref.clone();
        let pending = pending.clone();
        let candidates = candidates.clone();
        let notice = notice.clone();
        let complete = props.complete.clone();
        let on_clear = props.on_clear.clone();
        let history = history.clone();
        let enter = enter.clone();
        Callback::from(move |event: KeyboardEvent| {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            let control = event.ctrl_key() || event.meta_key();
            match event.key().as_str() {
                "Enter" => {
                    event.prevent_default();
                    let line = input.value();
                    input.set_value("");
                    enter(&[&line]);
                }
                "Tab" if !event.shift_key() => {
                    event.prevent_default();
                    let value = input.value();
                    let cursor = byte_offset(&value, input.selection_start().ok().flatten());
                    let completion = complete.emit((value.clone(), cursor));
                    let (line, cursor) = completion.apply(&value, cursor);
                    input.set_value(&line);
                    let cursor = utf16_offset(&line, cursor);
                    let _ = input.set_selection_range(cursor, cursor);
                    candidates.set(if completion.candidates.len() > 1 {
                        completion.candidates
                    } else {
                        Vec::new()
                    });
                }
                "ArrowUp" | "ArrowDown" => {
                    event.prevent_default();
                    let up = event.key() == "ArrowUp";
                    let mut position = history_position.borrow_mut();
                    let next = match (*position, up) {
                        (None, true) if !history.is_empty() => {
                            *draft.borrow_mut() = input.value();
                            Some(history.len() - 1)
                        }
                        (Some(index), true) => Some(index.saturating_sub(1)),
                        (Some(index), false) if index + 1 < history.len() => Some(index + 1),
                        (Some(_), false) => None,
                        (None, _) => return,
                    };
                    *position = next;
                    let line = match next {
                        Some(index) => history[index].clone(),
                        None => draft.borrow().clone(),
                    };
                    input.set_value(&line);
                    let end = utf16_offset(&line, line.len());
                    let _ = input.set_selection_range(end, end);
                    candidates.set(Vec::new());
                }
                "l" | "L" if event.ctrl_key() => {
                    event.prevent_default();
                    on_clear.emit(());
                    notice.set(None);
                }
                "c" | "C" if control && !has_selection(&input) => {
                    // As in a shell: drop the line (and a heredoc being typed) and start over.
                    event.prevent_default();
                    input.set_value("");
                    pending.set(String::new());
                    candidates.set(Vec::new());
                }
                "Escape" => candidates.set(Vec::new()),
                _ => {}
            }
        })
    };

    // A paste of several lines runs like lines typed one by one; the last stays to be edited.
    let onpaste = {
        let input_ref = input_ref.clone();
        let enter = enter.clone();
        Callback::from(move |event: Event| {
            let Some(text) = event
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|event| event.clipboard_data())
                .and_then(|data| data.get_data("text").ok())
            else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            let Some(input) = input_ref.cast::<HtmlInputElement>() else {
                return;
            };
            event.prevent_default();
            let value = input.value();
            let start = byte_offset(&value, input.selection_start().ok().flatten());
            let end = byte_offset(&value, input.selection_end().ok().flatten()).max(start);
            let combined = format!(
                "{}{}{}",
                &value[..start],
                text.replace("\r\n", "\n"),
                &value[end..]
            );
            let mut lines: Vec<&str> = combined.split('\n').collect();
            let last = lines.pop().unwrap_or_default().to_string();
            enter(&lines);
            input.set_value(&last);
        })
    };

    let onclick = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            // Selecting output to copy it is a click too; only a plain click moves the focus.
            let selecting = web_sys::window()
                .and_then(|window| window.get_selection().ok().flatten())
                .is_some_and(|selection| !selection.is_collapsed());
            if !selecting && let Some(input) = input_ref.cast::<HtmlElement>() {
                let _ = input.focus();
            }
        })
    };

    let waiting = !pending.is_empty();

    html! {
        <section class="terminal tool" aria-label="Terminal" {onclick}>
            <div class="terminal-scroll" ref={scroll_ref} role="log" aria-live="polite" aria-label="Terminal output">
                <Scrollback entries={props.entries.clone()} cleared_through={props.cleared_through} />
                if waiting {
                    <pre class="terminal-pending">{ pending_html(&pending) }</pre>
                }
                if let Some(message) = &*notice {
                    <pre class="terminal-stderr">{message}</pre>
                }
                if !candidates.is_empty() {
                    <ul class="terminal-candidates" aria-label="Completions">
                        { for candidates.iter().map(|candidate| html! {
                            <li>
                                <span class="candidate-value">{&candidate.value}</span>
                                if !candidate.description.is_empty() {
                                    <span class="candidate-description">{&candidate.description}</span>
                                }
                            </li>
                        }) }
                    </ul>
                }
            </div>
            <div class="terminal-prompt">
                <span class="prompt-sign" aria-hidden="true">{ if waiting { ">" } else { "$" } }</span>
                <input ref={input_ref} type="text" class="terminal-input"
                    aria-label={if waiting { "Continue the command" } else { "Command line" }}
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    placeholder={if waiting { "" } else { "kubectl get nodes" }}
                    {onkeydown} {onpaste} />
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ScrollbackProps {
    entries: Rc<Vec<LogEntry>>,
    cleared_through: u64,
}

/// The commands run and their output; its own component so a clock tick, which changes no
/// entry, does not render it again.
#[component]
fn Scrollback(props: &ScrollbackProps) -> Html {
    let mut visible = props
        .entries
        .iter()
        .filter(|entry| entry.id > props.cleared_through)
        .peekable();
    if visible.peek().is_none() {
        return html! {
            <p class="terminal-hint">
                {"Run "}<code>{"kubectl"}</code>{" and "}<code>{"sim"}</code>
                {" commands here, as in a shell. Tab completes, ↑ and ↓ recall earlier commands, "}
                <code>{"help"}</code>{" lists what runs. What the buttons elsewhere do shows here as commands too."}
            </p>
        };
    }
    visible.map(entry_html).collect()
}

fn entry_html(entry: &LogEntry) -> Html {
    let failed = entry.output.exit_code != 0;
    html! {
        <div key={entry.id} class={classes!("terminal-entry", failed.then_some("failed"))}>
            <div class="terminal-command">
                <span class="prompt-sign" aria-hidden="true">{"$ "}</span>
                {&entry.line}
                if !entry.stdin.is_empty() {
                    {" <<EOF"}
                }
            </div>
            if !entry.stdin.is_empty() {
                <details class="terminal-stdin">
                    <summary>{format!("{} lines of stdin", entry.stdin.lines().count())}</summary>
                    <pre>{&entry.stdin}{"EOF"}</pre>
                </details>
            }
            if !entry.output.stdout.is_empty() {
                <pre class="terminal-stdout">{&entry.output.stdout}</pre>
            }
            if !entry.output.stderr.is_empty() {
                <pre class="terminal-stderr">{&entry.output.stderr}</pre>
            }
        </div>
    }
}

/// The lines typed so far of a command that waits, each after its prompt.
fn pending_html(pending: &str) -> Html {
    pending
        .lines()
        .enumerate()
        .map(|(index, line)| {
            let sign = if index == 0 { "$ " } else { "> " };
            html! { <>{sign}{line}{"\n"}</> }
        })
        .collect()
}

/// The lines run, oldest first, without a line repeated right after itself (as shells keep it).
fn history_of(entries: &[LogEntry]) -> Vec<String> {
    let mut history: Vec<String> = Vec::new();
    for entry in entries {
        if history.last() != Some(&entry.line) {
            history.push(entry.line.clone());
        }
    }
    history
}

fn has_selection(input: &HtmlInputElement) -> bool {
    matches!(
        (input.selection_start(), input.selection_end()),
        (Ok(Some(start)), Ok(Some(end))) if start != end
    )
}

/// The byte offset in `text` of a DOM cursor, which counts UTF-16 code units.
fn byte_offset(text: &str, utf16: Option<u32>) -> usize {
    let Some(utf16) = utf16 else {
        return text.len();
    };
    let mut units = 0;
    for (index, c) in text.char_indices() {
        if units >= utf16 as usize {
            return index;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The DOM cursor (UTF-16 code units) of a byte offset in `text`.
fn utf16_offset(text: &str, byte: usize) -> u32 {
    let units: usize = text
        .get(..byte)
        .unwrap_or(text)
        .chars()
        .map(char::len_utf16)
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}
