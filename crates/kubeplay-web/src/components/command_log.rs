use yew::prelude::*;

use crate::state::LogEntry;

#[derive(Properties, PartialEq)]
pub struct CommandLogProps {
    /// Newest first.
    pub entries: Vec<LogEntry>,
}

/// Every action in the UI is a command line; this shows them as a terminal would.
#[component]
pub fn CommandLog(props: &CommandLogProps) -> Html {
    html! {
        <aside class="command-log" aria-labelledby="log-heading">
            <h2 id="log-heading">{"Commands"}</h2>
            if props.entries.is_empty() {
                <p class="empty">{"Each action here runs as a command line, the same one you could type in a terminal. They appear here."}</p>
            } else {
                <ol class="entries" aria-live="polite">
                    { for props.entries.iter().map(|entry| html! {
                        <li key={entry.id} class={classes!("entry", (entry.output.exit_code != 0).then_some("failed"))}>
                            <code class="line"><span class="prompt" aria-hidden="true">{"$ "}</span>{&entry.line}</code>
                            if !entry.output.stdout.is_empty() {
                                <pre class="stdout">{&entry.output.stdout}</pre>
                            }
                            if !entry.output.stderr.is_empty() {
                                <pre class="stderr">{&entry.output.stderr}</pre>
                            }
                        </li>
                    }) }
                </ol>
            }
        </aside>
    }
}
