//! The terminal component in a real browser: typing a command runs it, the output shows, and
//! ArrowUp brings it back.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

async fn mounted() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    kubeplay_web::mount(root.clone());
    TimeoutFuture::new(0).await;
    root
}

fn find<T: JsCast>(root: &Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into::<T>()
        .unwrap()
}

fn press(target: &HtmlInputElement, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// Yew renders on its scheduler, after the current task.
async fn rendered() {
    TimeoutFuture::new(0).await;
    TimeoutFuture::new(0).await;
}

async fn terminal(root: &Element) -> HtmlInputElement {
    find::<HtmlElement>(root, "[role=tab][aria-controls=panel-terminal]").click();
    rendered().await;
    find(root, "input[aria-label='Command line']")
}

#[wasm_bindgen_test]
async fn a_typed_command_runs_and_its_output_shows() {
    let root = mounted().await;
    let input = terminal(&root).await;
    input.set_value("kubectl get nodes");
    press(&input, "Enter");
    rendered().await;

    assert_eq!(input.value(), "", "the prompt is empty again");
    let entry: Element = find(&root, ".terminal-entry:last-child");
    let command = entry.query_selector(".terminal-command").unwrap().unwrap();
    assert_eq!(command.text_content().unwrap(), "$ kubectl get nodes");
    let stdout = entry.query_selector(".terminal-stdout").unwrap().unwrap();
    let table = stdout.text_content().unwrap();
    assert!(table.starts_with("NAME "), "{table}");
    assert_eq!(table.lines().count(), 5, "{table}");

    input.set_value("kubectl get pods nope");
    press(&input, "Enter");
    rendered().await;
    let stderr: Element = find(&root, ".terminal-entry:last-child .terminal-stderr");
    assert_eq!(
        stderr.text_content().unwrap(),
        "Error from server (NotFound): pods \"nope\" not found\n"
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_the_history_and_tab_completes() {
    let root = mounted().await;
    let input = terminal(&root).await;
    for line in ["sim node add node-9", "kubectl get nodes node-9"] {
        input.set_value(line);
        press(&input, "Enter");
        rendered().await;
    }
    input.set_value("half typed");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get nodes node-9");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "sim node add node-9");
    press(&input, "ArrowDown");
    press(&input, "ArrowDown");
    assert_eq!(input.value(), "half typed");

    input.set_value("kubectl desc");
    input.set_selection_range(12, 12).unwrap();
    press(&input, "Tab");
    assert_eq!(input.value(), "kubectl describe ");
    input.set_value("sim node fail node-");
    input.set_selection_range(19, 19).unwrap();
    press(&input, "Tab");
    rendered().await;
    let offered = root
        .query_selector_all(".terminal-candidates .candidate-value")
        .unwrap();
    assert_eq!(offered.length(), 4, "node-1, node-2, node-3 and node-9");
}
