//! The playground rendered in a real browser (headless Chromium via wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "browser/time.rs"]
mod time;

fn card_names(root: &web_sys::Element) -> Vec<String> {
    let cards = root.get_elements_by_class_name("node-card");
    (0..cards.length())
        .filter_map(|i| cards.item(i)?.get_attribute("data-node"))
        .collect()
}

#[wasm_bindgen_test]
async fn mount_renders_the_default_four_nodes() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();

    kubeplay_web::mount(root.clone());
    // Yew renders on its scheduler, after this task yields.
    TimeoutFuture::new(0).await;

    assert_eq!(
        card_names(&root),
        ["control-plane", "node-1", "node-2", "node-3"]
    );
    let taint = root
        .query_selector("[data-node=control-plane] .chip.taint.no-schedule")
        .unwrap()
        .expect("the control-plane card shows its NoSchedule taint");
    assert_eq!(
        taint.text_content().unwrap_or_default(),
        "node-role.kubernetes.io/control-plane:NoSchedule"
    );
    assert!(
        root.query_selector("button[aria-label='Remove node-2']")
            .unwrap()
            .is_some()
    );
}
