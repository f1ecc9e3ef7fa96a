//! The lesson panel in a real browser: the prose's code runs when clicked, the buttons ask for
//! their actions, and nothing a lesson writes becomes markup.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use kubeplay_core::lesson::Lesson;
use kubeplay_web::components::{LessonPanel, LessonPanelProps};
use kubeplay_web::state::LessonAction;
use kubeplay_web::state::lesson::LessonSession;
use kubeplay_web::view::lesson::lesson_view;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlElement;

const LESSON: &str = "---
kubeplay: 1
title: Markup stays text
steps:
  - id: first
    title: Make a namespace
    check: kubectl get namespace team-a
    fail: There is no namespace `team-a` yet.
    hints:
      - \"`kubectl create namespace team-a`\"
    solution: kubectl create namespace team-a
---
Look: `kubectl get nodes`{{run}} <img src=x onerror=\"window.owned=1\"> <script>window.owned=2</script>

## Make it {#first}

[a link](javascript:window.owned=3) and a **bold** word.
";

fn button(root: &web_sys::Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_prose_runs_code_and_keeps_markup_as_text() {
    let (session, _cluster) =
        LessonSession::start("test".into(), Lesson::parse(LESSON).unwrap()).unwrap();
    let ran: Rc<RefCell<Vec<String>>> = Rc::default();
    let actions: Rc<RefCell<Vec<LessonAction>>> = Rc::default();
    let props = LessonPanelProps {
        view: lesson_view(&session),
        on_action: {
            let actions = actions.clone();
            yew::Callback::from(move |action| actions.borrow_mut().push(action))
        },
        on_run: {
            let ran = ran.clone();
            yew::Callback::from(move |line| ran.borrow_mut().push(line))
        },
        on_copy: yew::Callback::noop(),
        on_close: yew::Callback::noop(),
        on_lessons: yew::Callback::noop(),
    };
    let root = super::render::<LessonPanel>(props).await;
    assert_eq!(super::text(&root, "#lesson-title"), "Markup stays text");
    assert_eq!(super::text(&root, ".lesson-progress-text"), "0 of 1 done");

    button(&root, ".inline-code-action.run").click();
    button(&root, ".step-actions .button.primary").click();
    TimeoutFuture::new(0).await;
    assert_eq!(*ran.borrow(), ["kubectl get nodes"]);
    assert_eq!(*actions.borrow(), [LessonAction::Check]);

    // The raw HTML is there as text, and no element, handler or script link came of it.
    let intro = super::text(&root, ".lesson-intro");
    assert!(intro.contains("<img src=x onerror"), "{intro}");
    assert!(root.query_selector(".lesson-panel img").unwrap().is_none());
    assert!(
        root.query_selector(".lesson-panel script")
            .unwrap()
            .is_none()
    );
    assert!(root.query_selector(".lesson-panel a").unwrap().is_none());
    TimeoutFuture::new(50).await;
    let owned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"owned".into()).unwrap();
    assert!(owned.is_undefined());
    assert_eq!(super::text(&root, ".prose strong"), "bold");
}
