use yew::prelude::*;

use crate::state::SideTab;

#[derive(Properties, PartialEq)]
pub struct SidePanelProps {
    /// The tabs to offer, in order, with their labels.
    pub tabs: Vec<(SideTab, &'static str)>,
    pub active: SideTab,
    pub on_select: Callback<SideTab>,
    /// The active tab's content.
    pub children: Html,
    /// The page's skip link points here (the standalone page only: ids are one per document).
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

/// The panel beside the node grid: a WAI-ARIA tab list over one tab panel.
#[component]
pub fn SidePanel(props: &SidePanelProps) -> Html {
    let ids = |tab: SideTab| {
        let slug = format!("{tab:?}").to_lowercase();
        (format!("tab-{slug}"), format!("panel-{slug}"))
    };
    let (active_tab_id, panel_id) = ids(props.active);
    let index = props
        .tabs
        .iter()
        .position(|(tab, _)| *tab == props.active)
        .unwrap_or(0);
    let onkeydown = {
        let tabs: Vec<SideTab> = props.tabs.iter().map(|(tab, _)| *tab).collect();
        let on_select = props.on_select.clone();
        Callback::from(move |event: KeyboardEvent| {
            let count = tabs.len();
            let target = match event.key().as_str() {
                "ArrowRight" => (index + 1) % count,
                "ArrowLeft" => (index + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            event.prevent_default();
            on_select.emit(tabs[target]);
            focus_tab(&ids(tabs[target]).0);
        })
    };
    html! {
        <aside class="side-panel" id={props.id.clone()} tabindex={props.id.as_ref().map(|_| "-1")}>
            <div class="tabs" role="tablist" aria-label="Tools" {onkeydown}>
                { for props.tabs.iter().map(|(tab, label)| {
                    let (tab_id, panel_id) = ids(*tab);
                    let selected = *tab == props.active;
                    let onclick = {
                        let on_select = props.on_select.clone();
                        let tab = *tab;
                        Callback::from(move |_: MouseEvent| on_select.emit(tab))
                    };
                    html! {
                        <button type="button" role="tab" id={tab_id}
                            class={classes!("tab", selected.then_some("active"))}
                            aria-selected={selected.to_string()}
                            aria-controls={panel_id}
                            tabindex={if selected { "0" } else { "-1" }}
                            {onclick}>
                            {*label}
                        </button>
                    }
                }) }
            </div>
            <div class="tab-panel" role="tabpanel" id={panel_id} aria-labelledby={active_tab_id}>
                { props.children.clone() }
            </div>
        </aside>
    }
}

fn focus_tab(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        // Focus can only fail on a detached element; the tab list then has nothing to focus.
        let _ = element.focus();
    }
}
