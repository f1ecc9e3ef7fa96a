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
        root.query_selector("button[aria-label='Actions for node-2'][aria-haspopup=menu]")
            .unwrap()
            .is_some()
    );
}

/// A cluster prepared by commands, as the page would run them: a DaemonSet whose pods request
/// cpu, a bare pod too big for any node, node-2 cordoned; `seconds` of virtual time later.
fn prepared_grid(seconds: i64) -> kubeplay_web::view::GridView {
    let mut cluster = kubeplay_core::Cluster::default_cluster();
    for (line, stdin) in [
        (
            "kubectl apply -f -",
            "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluentd}
spec:
  selector: {matchLabels: {app: fluentd}}
  template:
    metadata: {labels: {app: fluentd}}
    spec:
      containers: [{name: fluentd, image: fluentd, resources: {requests: {cpu: '1', memory: 1Gi}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers: [{name: c, image: busybox, resources: {requests: {cpu: '64'}}}]
",
        ),
        ("kubectl cordon node-2", ""),
    ] {
        let output = cluster.exec(line, stdin);
        assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    }
    cluster.advance(seconds * 1000);
    kubeplay_web::view::grid_view(&cluster)
}

/// Renders `props` into a fresh element and waits for Yew's first render.
async fn render<C>(props: C::Properties) -> web_sys::Element
where
    C: yew::BaseComponent,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_class_name("kubeplay");
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<C>::with_root_and_props(root.clone(), props).render();
    TimeoutFuture::new(0).await;
    root
}

/// Collects what a component asks of the state, as text.
fn recorder() -> (
    std::rc::Rc<std::cell::RefCell<Vec<String>>>,
    yew::Callback<kubeplay_web::state::Action>,
) {
    use kubeplay_web::state::Action;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let callback = yew::Callback::from(move |action: Action| {
        sink.borrow_mut().push(match action {
            Action::Exec(line) => format!("exec {line}"),
            Action::Select(Some(target)) => {
                format!(
                    "select {:?} {}/{}",
                    target.kind, target.namespace, target.name
                )
            }
            Action::Highlight(uid) => format!("highlight {}", uid.is_some()),
            Action::Leave(name) => format!("leave {name}"),
            _ => "other".into(),
        })
    });
    (seen, callback)
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_node_card_shows_its_pods_ghosts_status_and_bars() {
    use kubeplay_web::components::{EditKind, NodeCard, NodeCardProps};
    use kubeplay_web::view::Density;
    let grid = prepared_grid(10);
    let (_, on_action) = recorder();
    let card = |index: usize| NodeCardProps {
        node: grid.nodes[index].clone(),
        density: Density::Comfortable,
        leaving: false,
        gone: Vec::new(),
        highlight: None,
        selected: None,
        on_action: on_action.clone(),
        on_edit: yew::Callback::from(|_: (String, EditKind)| ()),
    };

    let worker = render::<NodeCard>(card(1)).await;
    let chip = worker
        .query_selector(".pod-chip.kind-ds.ready")
        .unwrap()
        .expect("node-1 runs fluentd's pod, ready");
    let name = chip.get_attribute("data-pod").unwrap_or_default();
    assert!(name.starts_with("fluentd-"), "{name}");
    assert_eq!(
        chip.get_attribute("aria-label").as_deref(),
        Some(format!("pod {name}: Running").as_str())
    );
    assert_eq!(text(&worker, ".pod-chip .badge"), "DS");
    assert!(
        chip.query_selector("svg.mark").unwrap().is_some(),
        "a check mark"
    );
    assert_eq!(text(&worker, ".bar .bar-value"), "1 / 4");
    assert_eq!(text(&worker, ".node-status .status.ready"), "Ready");
    assert_eq!(text(&worker, ".chip.more"), "+5 standard");

    let cordoned = render::<NodeCard>(card(2)).await;
    assert_eq!(text(&cordoned, ".status.disabled"), "SchedulingDisabled");
    assert!(
        cordoned
            .query_selector(".node-card.cordoned")
            .unwrap()
            .is_some()
    );

    let control_plane = render::<NodeCard>(card(0)).await;
    assert_eq!(
        text(&control_plane, ".ghost[data-ghost=fluentd] .ghost-why"),
        "taint node-role.kubernetes.io/control-plane:NoSchedule"
    );
    assert_eq!(
        text(&control_plane, ".chip.taint.no-schedule"),
        "node-role.kubernetes.io/control-plane:NoSchedule"
    );
}

#[wasm_bindgen_test]
async fn a_pod_chip_selects_its_pod_and_highlights_its_owner() {
    use kubeplay_web::components::{PodChip, PodChipProps};
    use wasm_bindgen::JsCast;
    let grid = prepared_grid(1);
    let pod = grid.nodes[1].pods[0].clone();
    // One second in, the container is still being created: the chip fills.
    assert_eq!(pod.status, "ContainerCreating");
    let (seen, on_action) = recorder();
    let root = render::<PodChip>(PodChipProps {
        pod: pod.clone(),
        dot: false,
        lit: Some(false),
        selected: false,
        gone: false,
        on_action,
    })
    .await;
    let chip: web_sys::HtmlElement = root
        .query_selector("button.pod-chip")
        .unwrap()
        .expect("a pod chip is a button")
        .dyn_into()
        .unwrap();
    assert_eq!(
        chip.class_name(),
        "pod-chip creating kind-ds dim",
        "styled by state and owner, dimmed while another workload is lit"
    );
    assert_eq!(
        chip.get_attribute("aria-label").as_deref(),
        Some(format!("pod {}: ContainerCreating", pod.name).as_str())
    );
    chip.focus().unwrap();
    chip.click();
    chip.blur().unwrap();
    TimeoutFuture::new(0).await;
    assert_eq!(
        *seen.borrow(),
        [
            "highlight true".to_string(),
            format!("select Pod default/{}", pod.name),
            "highlight false".to_string(),
        ]
    );

    // The pod no node can take waits in the unscheduled lane with the scheduler's reason.
    let huge = &grid.unscheduled[0];
    assert_eq!(huge.name, "huge");
    assert!(
        huge.unschedulable
            .as_deref()
            .unwrap_or_default()
            .contains("Insufficient cpu"),
        "{:?}",
        huge.unschedulable
    );
}

#[path = "browser/tools.rs"]
mod tools;

#[path = "browser/lesson.rs"]
mod lesson;

#[path = "browser/headless.rs"]
mod headless;
