use std::collections::HashMap;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::node_card::NodeCard;
use super::node_dialog::{AddNodeDialog, NodeEditDialog};
use super::node_menu::EditKind;
use super::pod_chip::kind_name;
use super::unscheduled_lane::UnscheduledLane;
use crate::state::{Action, LogEntry, ObjectRef};
use crate::view::{GridView, NodeView, OwnerKind, PodView, next_node_name};

/// How long a deleted pod's chip plays its leave animation (wall time; the CSS matches it).
const POD_LEAVE_MS: f64 = 450.0;
/// The badges the legend explains.
const LEGEND: [OwnerKind; 4] = [
    OwnerKind::DaemonSet,
    OwnerKind::Job,
    OwnerKind::CronJob,
    OwnerKind::None,
];
/// How long a failed command's message stays up.
const TOAST_MS: u32 = 8_000;

#[derive(Properties, PartialEq)]
pub struct NodeGridProps {
    pub grid: Rc<GridView>,
    /// Nodes playing their leave animation.
    #[prop_or_default]
    pub leaving: Vec<String>,
    #[prop_or_default]
    pub highlight: Option<String>,
    #[prop_or_default]
    pub selected: Option<ObjectRef>,
    /// The newest command in the log: how the grid learns whether its own commands failed.
    #[prop_or_default]
    pub last_command: Option<LogEntry>,
    pub on_action: Callback<Action>,
}

/// Where a command came from, so its error shows there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    AddDialog,
    EditDialog,
    Menu,
}

/// A command the grid sent and has not seen the result of.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    line: String,
    /// The id of the newest log entry when it was sent: the result is a later one.
    after: u64,
    origin: Origin,
}

/// Pods that were on a node at the last render and are gone now, kept briefly so their chips
/// can fade out where they stood instead of vanishing.
#[derive(Default)]
struct Departures {
    seen: HashMap<String, (String, usize, PodView)>,
    gone: Vec<(String, usize, PodView, f64)>,
}

impl Departures {
    fn update(&mut self, grid: &GridView, now: f64) {
        let mut seen = HashMap::new();
        for node in &grid.nodes {
            for (index, pod) in node.pods.iter().enumerate() {
                seen.insert(pod.uid.clone(), (node.name.clone(), index, pod.clone()));
            }
        }
        let nodes: Vec<&str> = grid.nodes.iter().map(|node| node.name.as_str()).collect();
        for (uid, (node, index, pod)) in self.seen.drain() {
            if !seen.contains_key(&uid) && nodes.contains(&node.as_str()) {
                self.gone.push((node, index, pod, now + POD_LEAVE_MS));
            }
        }
        self.gone
            .retain(|(_, _, pod, until)| *until > now && !seen.contains_key(&pod.uid));
        self.seen = seen;
    }

    /// The node's pods with the departing ones back where they stood, and their uids.
    fn merged(&self, node: &NodeView) -> (NodeView, Vec<String>) {
        let mut node = node.clone();
        let mut gone: Vec<&(String, usize, PodView, f64)> = self
            .gone
            .iter()
            .filter(|(name, ..)| *name == node.name)
            .collect();
        gone.sort_by_key(|(_, index, ..)| *index);
        let mut uids = Vec::new();
        for (_, index, pod, _) in gone {
            node.pods.insert((*index).min(node.pods.len()), pod.clone());
            uids.push(pod.uid.clone());
        }
        (node, uids)
    }

    /// When the first departing chip is due to go, in `performance.now()` milliseconds.
    fn next_expiry(&self) -> Option<f64> {
        self.gone.iter().map(|(.., until)| *until).reduce(f64::min)
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// The node grid: a toolbar with "Add node", one card per node, the unscheduled lane, the
/// node dialogs, and a toast for a command that failed.
#[component]
pub fn NodeGrid(props: &NodeGridProps) -> Html {
    let adding = use_state(|| false);
    let editing = use_state(|| None::<(String, EditKind)>);
    let sent = use_state(|| None::<Sent>);
    let add_error = use_state(|| None::<String>);
    let edit_error = use_state(|| None::<String>);
    let edits_done = use_state(|| 0_u64);
    let toast = use_state(|| None::<(String, String)>);
    let departures = use_mut_ref(Departures::default);
    departures.borrow_mut().update(&props.grid, now_ms());
    {
        // A quiet or paused cluster renders the grid no more, so the faded chips would stay in the
        // page (and be read out) for good: render again once the first has played its animation.
        let refresh = use_force_update();
        let expiry = departures.borrow().next_expiry();
        use_effect_with(expiry.map(|at| at.ceil() as i64), move |expiry| {
            let timer = expiry.map(|at| {
                let wait = (at as f64 - now_ms()).max(0.0).ceil() as u32 + 1;
                Timeout::new(wait, move || refresh.force_update())
            });
            move || drop(timer)
        });
    }

    let last_id = props.last_command.as_ref().map_or(0, |entry| entry.id);
    let section = use_node_ref();
    {
        let section = section.clone();
        // A command the grid sent has landed in the log: report its outcome where it came from.
        let (sent, adding, add_error, edit_error, edits_done, toast) = (
            sent.clone(),
            adding.clone(),
            add_error.clone(),
            edit_error.clone(),
            edits_done.clone(),
            toast.clone(),
        );
        use_effect_with(props.last_command.clone(), move |entry| {
            let (Some(entry), Some(pending)) = (entry, (*sent).clone()) else {
                return;
            };
            if entry.id <= pending.after || entry.line != pending.line {
                return;
            }
            sent.set(None);
            let failed = entry.output.exit_code != 0;
            let message = || {
                let stderr = entry.output.stderr.trim();
                if stderr.is_empty() {
                    format!("exit code {}", entry.output.exit_code)
                } else {
                    stderr.to_string()
                }
            };
            match pending.origin {
                Origin::AddDialog if failed => add_error.set(Some(message())),
                Origin::AddDialog => {
                    add_error.set(None);
                    adding.set(false);
                    // The new node may land below the fold: bring it into view and mark it.
                    let name = kubeplay_core::shell::split_words(&entry.line)
                        .ok()
                        .and_then(|words| words.get(3).cloned());
                    if let (Some(name), Some(section)) = (name, section.cast::<web_sys::Element>())
                        && let Ok(Some(card)) =
                            section.query_selector(&format!(".node-card[data-node=\"{name}\"]"))
                    {
                        card.scroll_into_view_with_bool(false);
                        let _ = card.set_attribute("data-arrived", "");
                    }
                }
                Origin::EditDialog if failed => edit_error.set(Some(message())),
                Origin::EditDialog => {
                    edit_error.set(None);
                    edits_done.set(*edits_done + 1);
                }
                Origin::Menu if failed => toast.set(Some((entry.line.clone(), message()))),
                Origin::Menu => {}
            }
        });
    }
    {
        let toast_handle = toast.clone();
        use_effect_with((*toast).clone(), move |shown| {
            let timeout = shown
                .is_some()
                .then(|| Timeout::new(TOAST_MS, move || toast_handle.set(None)));
            move || drop(timeout)
        });
    }
    // Read when a command is sent, so the callbacks below stay the same from render to render
    // and cards whose data did not change skip rendering.
    let newest = use_mut_ref(|| 0);
    *newest.borrow_mut() = last_id;
    let send = |origin: Origin| {
        let (on_action, sent, newest) = (props.on_action.clone(), sent.clone(), newest.clone());
        move |line: String| {
            sent.set(Some(Sent {
                line: line.clone(),
                after: *newest.borrow(),
                origin,
            }));
            on_action.emit(Action::Exec(line));
        }
    };
    // The cards' menus run commands; a failure shows as a toast.
    let card_action = {
        let run = send(Origin::Menu);
        use_callback(
            props.on_action.clone(),
            move |action: Action, on_action| match action {
                Action::Exec(line) => run(line),
                other => on_action.emit(other),
            },
        )
    };
    let on_edit = {
        let (editing, edit_error) = (editing.clone(), edit_error.clone());
        use_callback((), move |target: (String, EditKind), _| {
            edit_error.set(None);
            editing.set(Some(target));
        })
    };
    let open_add = {
        let (adding, add_error) = (adding.clone(), add_error.clone());
        Callback::from(move |_: MouseEvent| {
            add_error.set(None);
            adding.set(true);
        })
    };
    let close_add = {
        let adding = adding.clone();
        Callback::from(move |()| adding.set(false))
    };
    let close_edit = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(None))
    };
    let dismiss = {
        let toast = toast.clone();
        Callback::from(move |_: MouseEvent| toast.set(None))
    };

    let grid = &props.grid;
    let next_name = next_node_name(grid.nodes.iter().map(|node| node.name.as_str()));
    let edited_node = (*editing)
        .as_ref()
        .and_then(|(name, _)| grid.nodes.iter().find(|node| node.name == *name).cloned());
    let edit_kind = (*editing)
        .as_ref()
        .map_or(EditKind::Labels, |(_, kind)| *kind);
    let highlighting = props.highlight.is_some();
    let departures = departures.borrow();

    html! {
        <section ref={section} class={classes!("nodes", grid.density.class(), highlighting.then_some("highlighting"))}
            aria-labelledby="nodes-heading">
            <div class="toolbar">
                <h2 id="nodes-heading">
                    {"Nodes"}
                    <span class="count" aria-label={format!("{} nodes", grid.nodes.len())}>
                        {grid.nodes.len()}
                    </span>
                </h2>
                <ul class="legend" aria-label="Pod badges">
                    { for LEGEND.iter().map(|kind| html! {
                        <li><span class={classes!("badge", kind.class())}>{kind.badge()}</span>{kind_name(*kind)}</li>
                    }) }
                </ul>
                <button type="button" class="button primary add-node-button" onclick={open_add}
                    title={format!("sim node add {next_name} ...")} aria-haspopup="dialog">
                    <span aria-hidden="true" class="plus">{"+"}</span>
                    {"Add node"}
                </button>
            </div>
            <UnscheduledLane pods={grid.unscheduled.clone()} highlight={props.highlight.clone()}
                selected={props.selected.clone()} on_action={props.on_action.clone()} />
            <ul class="node-grid" role="list">
                { for grid.nodes.iter().map(|node| {
                    let (node, gone) = departures.merged(node);
                    let name = node.name.clone();
                    html! {
                        <NodeCard
                            key={name.clone()}
                            leaving={props.leaving.contains(&name)}
                            density={grid.density}
                            {gone}
                            highlight={props.highlight.clone()}
                            selected={props.selected.clone()}
                            on_action={card_action.clone()}
                            on_edit={on_edit.clone()}
                            {node}
                        />
                    }
                }) }
            </ul>
            if let Some((line, message)) = &*toast {
                <div class="toast" role="alert">
                    <div class="toast-body">
                        <code class="toast-line">{format!("$ {line}")}</code>
                        <p class="toast-message">{message}</p>
                    </div>
                    <button type="button" class="icon-button" aria-label="Dismiss" onclick={dismiss}>
                        <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
                    </button>
                </div>
            }
            <AddNodeDialog open={*adding} name={next_name} error={(*add_error).clone()}
                on_submit={Callback::from(send(Origin::AddDialog))} on_close={close_add} />
            <NodeEditDialog node={edited_node} kind={edit_kind} error={(*edit_error).clone()}
                done={*edits_done}
                on_run={Callback::from(send(Origin::EditDialog))} on_close={close_edit} />
        </section>
    }
}
