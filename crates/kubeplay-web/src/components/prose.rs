use std::rc::Rc;

use kubeplay_core::lesson::markdown::{Block, CodeAction, Inline};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProseProps {
    pub blocks: Rc<Vec<Block>>,
    /// Runs a script of command lines (code marked `{{run}}`).
    pub on_run: Callback<String>,
    /// Copies text (code marked `{{copy}}`).
    pub on_copy: Callback<String>,
}

/// A lesson's prose as elements: every text is a text node, so nothing a lesson says becomes
/// markup; code marked to run or copy is a button that does it.
#[component]
pub fn Prose(props: &ProseProps) -> Html {
    html! {
        <div class="prose">
            { for props.blocks.iter().map(|block| block_html(block, props)) }
        </div>
    }
}

fn block_html(block: &Block, props: &ProseProps) -> Html {
    match block {
        Block::Heading { level, children } => {
            // Inside a step the lesson's headings sit below the step's own title (h3).
            let tag = format!("h{}", (level + 2).min(6));
            html! { <@{tag}>{ inlines_html(children, props) }</@> }
        }
        Block::Paragraph(children) => html! { <p>{ inlines_html(children, props) }</p> },
        Block::Code {
            language,
            text,
            action,
        } => {
            let code = html! { <pre class="code-block" data-language={language.clone()}><code>{ text.clone() }</code></pre> };
            match action {
                None => code,
                Some(action) => html! {
                    <div class="code-action-block">
                        { code }
                        { action_button(*action, text, props, true) }
                    </div>
                },
            }
        }
        Block::List { start, items } => {
            let items = items.iter().map(|item| {
                html! { <li>{ for item.iter().map(|block| block_html(block, props)) }</li> }
            });
            match start {
                Some(start) => html! { <ol start={start.to_string()}>{ for items }</ol> },
                None => html! { <ul>{ for items }</ul> },
            }
        }
        Block::Quote(blocks) => html! {
            <blockquote>{ for blocks.iter().map(|block| block_html(block, props)) }</blockquote>
        },
        Block::Rule => html! { <hr /> },
    }
}

fn inlines_html(inlines: &[Inline], props: &ProseProps) -> Html {
    inlines
        .iter()
        .map(|inline| inline_html(inline, props))
        .collect()
}

fn inline_html(inline: &Inline, props: &ProseProps) -> Html {
    match inline {
        Inline::Text(text) => html! { { text.clone() } },
        Inline::Code { text, action: None } => html! { <code>{ text.clone() }</code> },
        Inline::Code {
            text,
            action: Some(action),
        } => action_button(*action, text, props, false),
        Inline::Emphasis(children) => html! { <em>{ inlines_html(children, props) }</em> },
        Inline::Strong(children) => html! { <strong>{ inlines_html(children, props) }</strong> },
        Inline::Link { href, children } => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ inlines_html(children, props) }</a>
        },
        Inline::LineBreak => html! { <br /> },
    }
}

/// Code that runs or copies when clicked: a button whose label is the code itself.
fn action_button(action: CodeAction, text: &str, props: &ProseProps, block: bool) -> Html {
    let (callback, class, label, icon) = match action {
        CodeAction::Run => (props.on_run.clone(), "run", "Run in the terminal", "▶"),
        CodeAction::Copy => (props.on_copy.clone(), "copy", "Copy", "⧉"),
    };
    let onclick = {
        let text = text.to_string();
        Callback::from(move |_: MouseEvent| callback.emit(text.clone()))
    };
    if block {
        return html! {
            <button type="button" class={classes!("code-action", class)} {onclick}
                title={label} aria-label={format!("{label}: {}", text.lines().next().unwrap_or_default())}>
                <span aria-hidden="true">{icon}</span>{" "}{ if action == CodeAction::Run { "Run" } else { "Copy" } }
            </button>
        };
    }
    html! {
        <button type="button" class={classes!("inline-code-action", class)} {onclick}
            title={label} aria-label={format!("{label}: {text}")}>
            <code>{ text.to_string() }</code><span class="code-icon" aria-hidden="true">{icon}</span>
        </button>
    }
}
