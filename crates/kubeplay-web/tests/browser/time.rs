//! The time controls and the workloads panel, mounted in a real browser.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

fn mounted() -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    kubeplay_web::mount(root.clone());
    root
}

fn find(root: &web_sys::Element, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap()
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

/// The virtual clock's `datetime`, as milliseconds since the epoch.
fn clock(root: &web_sys::Element) -> f64 {
    let datetime = find(root, ".clock time")
        .get_attribute("datetime")
        .unwrap_or_default();
    js_sys::Date::parse(&datetime)
}

async fn frames(ms: u32) {
    TimeoutFuture::new(ms).await;
}

#[wasm_bindgen_test]
async fn the_clock_runs_pauses_and_speeds_up() {
    let root = mounted();
    frames(50).await;
    assert_eq!(text(&root, ".clock-zone"), "UTC");
    assert_eq!(text(&root, ".clock-date"), "Mon 5 Jan 2026");

    // Pause: the button becomes Play, and the clock stands still.
    find(&root, ".time-button.play").click();
    frames(50).await;
    assert_eq!(
        find(&root, ".time-button.play").get_attribute("aria-label"),
        Some("Play".into())
    );
    let paused = clock(&root);
    frames(1200).await;
    assert_eq!(clock(&root), paused);

    // 3600x: an hour a second, so well past ten minutes in a second of frames.
    find(&root, "[data-speed='3600']").click();
    find(&root, ".time-button.play").click();
    frames(1000).await;
    assert_eq!(
        find(&root, "[data-speed='3600']").get_attribute("aria-checked"),
        Some("true".into())
    );
    assert!(clock(&root) - paused > 10.0 * 60_000.0);

    // Step runs `sim step`; without CronJobs there is no run to skip to.
    let skip = find(&root, ".time-button.skip");
    assert!(skip.has_attribute("disabled"));
    assert_eq!(
        skip.get_attribute("title"),
        Some("No CronJob is scheduled".into())
    );
}

#[wasm_bindgen_test]
async fn the_page_opens_on_the_lessons_and_free_play_shows_the_empty_workloads() {
    let root = mounted();
    frames(50).await;
    let tab = find(&root, "[role=tab][aria-selected=true]");
    assert_eq!(tab.text_content().unwrap_or_default(), "Lessons");
    assert_eq!(root.query_selector_all(".lesson-card").unwrap().length(), 8);
    find(&root, ".free-play").click();
    frames(50).await;
    let tab = find(&root, "[role=tab][aria-selected=true]");
    assert_eq!(tab.text_content().unwrap_or_default(), "Workloads");
    assert_eq!(text(&root, ".empty-state h3"), "No workloads yet");
    find(&root, ".empty-state button").click();
    frames(50).await;
    let tab = find(&root, "[role=tab][aria-selected=true]");
    assert_eq!(tab.text_content().unwrap_or_default(), "Editor");
}
