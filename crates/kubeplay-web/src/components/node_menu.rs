use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::Action;
use crate::view::node::NodeAction;

/// Which of a node's dialogs to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    Labels,
    Taints,
}

impl EditKind {
    pub fn title(self) -> &'static str {
        match self {
            EditKind::Labels => "Labels…",
            EditKind::Taints => "Taints…",
        }
    }

    /// The command the dialog runs, as the menu item shows it.
    pub fn line(self, node: &str) -> String {
        match self {
            EditKind::Labels => format!("kubectl label node {node} KEY=VALUE | KEY-"),
            EditKind::Taints => format!("kubectl taint node {node} KEY=VALUE:EFFECT | KEY:EFFECT-"),
        }
    }
}

/// The widest the menu gets, in CSS pixels: nearer the left edge than this, it opens rightwards.
const MENU_WIDTH: f64 = 340.0;
/// About the menu's height: nearer the bottom of the window than this, it opens upwards.
const MENU_HEIGHT: f64 = 340.0;

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    /// Only what the menu offers depends on, so a card whose pods change leaves its menu alone.
    pub name: String,
    pub cordoned: bool,
    pub failed: bool,
    #[prop_or_default]
    pub disabled: bool,
    pub on_action: Callback<Action>,
    pub on_edit: Callback<(String, EditKind)>,
}

/// A node's actions: a WAI-ARIA menu button. Each item shows the command line it runs.
#[component]
pub fn NodeMenu(props: &NodeMenuProps) -> Html {
    let open = use_state(|| false);
    // Opens toward the right when the card sits too near the left edge for the menu to fit, and
    // upward when too near the bottom.
    let start = use_state(|| false);
    let up = use_state(|| false);
    let trigger = use_node_ref();
    let menu = use_node_ref();
    let name = props.name.clone();
    {
        // Opening moves focus to the first item, as a menu button does.
        let menu = menu.clone();
        use_effect_with(*open, move |open| {
            if *open {
                focus_item(&menu, |_| 0);
            }
        });
    }
    let close = {
        let open = open.clone();
        let trigger = trigger.clone();
        move |refocus: bool| {
            open.set(false);
            if refocus && let Some(trigger) = trigger.cast::<web_sys::HtmlElement>() {
                // Focus only fails on a detached element, which has nothing to focus.
                let _ = trigger.focus();
            }
        }
    };
    let show = {
        let (open, start, up, trigger) = (open.clone(), start.clone(), up.clone(), trigger.clone());
        move || {
            if let Some(trigger) = trigger.cast::<web_sys::Element>() {
                let rect = trigger.get_bounding_client_rect();
                let height = web_sys::window()
                    .and_then(|window| window.inner_height().ok())
                    .and_then(|height| height.as_f64())
                    .unwrap_or(f64::INFINITY);
                start.set(rect.right() < MENU_WIDTH);
                up.set(rect.bottom() + MENU_HEIGHT > height && rect.top() > MENU_HEIGHT);
            }
            open.set(true);
        }
    };
    let toggle = {
        let (open, show) = (open.clone(), show.clone());
        Callback::from(move |_: MouseEvent| {
            if *open {
                open.set(false);
            } else {
                show();
            }
        })
    };
    let on_trigger_key = Callback::from(move |event: KeyboardEvent| {
        if matches!(event.key().as_str(), "ArrowDown" | "ArrowUp") {
            event.prevent_default();
            show();
        }
    });
    let onkeydown = {
        let menu = menu.clone();
        let close = close.clone();
        Callback::from(move |event: KeyboardEvent| {
            let step = match event.key().as_str() {
                "Escape" => {
                    event.prevent_default();
                    close(true);
                    return;
                }
                "Tab" => {
                    close(false);
                    return;
                }
                "ArrowDown" => 1,
                "ArrowUp" => -1,
                "Home" => isize::MIN,
                "End" => isize::MAX,
                _ => return,
            };
            event.prevent_default();
            focus_item(&menu, |(current, count)| match step {
                isize::MIN => 0,
                isize::MAX => count - 1,
                step => (current as isize + step).rem_euclid(count as isize) as usize,
            });
        })
    };
    let onfocusout = {
        let menu = menu.clone();
        let trigger = trigger.clone();
        let close = close.clone();
        Callback::from(move |event: FocusEvent| {
            let inside = |target: &NodeRef| {
                let next = event
                    .related_target()
                    .and_then(|next| next.dyn_into::<web_sys::Node>().ok());
                target
                    .get()
                    .is_some_and(|element| element.contains(next.as_ref()))
            };
            if !inside(&menu) && !inside(&trigger) {
                close(false);
            }
        })
    };
    let item = |title: String, line: String, danger: bool, run: Callback<()>| {
        let close = close.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            close(true);
            run.emit(());
        });
        html! {
            <button type="button" role="menuitem" tabindex="-1"
                class={classes!("menu-item", danger.then_some("danger"))}
                title={line.clone()} {onclick}>
                <span class="menu-title">{title}</span>
                <code class="menu-line">{line}</code>
            </button>
        }
    };
    let edit = |kind: EditKind| {
        let on_edit = props.on_edit.clone();
        let name = name.clone();
        item(
            kind.title().into(),
            kind.line(&name.clone()),
            false,
            Callback::from(move |()| on_edit.emit((name.clone(), kind))),
        )
    };
    let actions = NodeAction::offered(props.cordoned, props.failed).map(|action| {
        let on_action = props.on_action.clone();
        let name = name.clone();
        let line = action.line(&name);
        let run = Callback::from(move |()| {
            on_action.emit(match action {
                // Removing plays the card's leave animation first; its end runs the command.
                NodeAction::Remove => Action::Leave(name.clone()),
                _ => Action::Exec(action.line(&name)),
            })
        });
        item(
            action.title().into(),
            line,
            matches!(action, NodeAction::Remove | NodeAction::Fail),
            run,
        )
    });
    let menu_id = format!("node-menu-{name}");
    html! {
        <div class={classes!("node-menu", open.then_some("open"))}>
            <button type="button" class="icon-button menu-button" ref={trigger}
                aria-label={format!("Actions for {name}")}
                aria-haspopup="menu"
                aria-expanded={open.to_string()}
                aria-controls={menu_id.clone()}
                disabled={props.disabled}
                onclick={toggle}
                onkeydown={on_trigger_key}
                onfocusout={onfocusout.clone()}>
                <svg viewBox="0 0 24 24" aria-hidden="true">
                    <circle cx="5" cy="12" r="1.6" />
                    <circle cx="12" cy="12" r="1.6" />
                    <circle cx="19" cy="12" r="1.6" />
                </svg>
            </button>
            if *open {
                <div class={classes!("menu", start.then_some("start"), up.then_some("up"))} role="menu" id={menu_id} ref={menu}
                    aria-label={format!("Actions for {name}")}
                    {onkeydown} {onfocusout}>
                    { edit(EditKind::Labels) }
                    { edit(EditKind::Taints) }
                    <div class="menu-separator" role="separator"></div>
                    { for actions }
                </div>
            }
        </div>
    }
}

/// Focuses the menu item `pick((current, count))` returns, `current` being the focused one's index.
fn focus_item(menu: &NodeRef, pick: impl Fn((usize, usize)) -> usize) {
    let Some(menu) = menu.cast::<web_sys::Element>() else {
        return;
    };
    let Ok(items) = menu.query_selector_all("[role=menuitem]") else {
        return;
    };
    let count = items.length() as usize;
    if count == 0 {
        return;
    }
    let active = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element());
    let current = (0..count)
        .find(|&i| {
            let item = items
                .item(i as u32)
                .map(|item| item.unchecked_into::<web_sys::Element>());
            item.is_some() && item == active
        })
        .unwrap_or(0);
    if let Some(item) = items
        .item(pick((current, count)).min(count - 1) as u32)
        .and_then(|item| item.dyn_into::<web_sys::HtmlElement>().ok())
    {
        // Focus only fails on a detached element, which has nothing to focus.
        let _ = item.focus();
    }
}
