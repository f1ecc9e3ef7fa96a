use yew::prelude::*;

use crate::components::timeline::{CronTimelineView, JobTimelineView};
use crate::state::{ObjectRef, SideTab};
use crate::view::timeline::Timeline;
use crate::view::workloads::{Cascade, WorkloadKind, WorkloadView};

#[derive(Properties, PartialEq)]
pub struct WorkloadsProps {
    /// Shared with the memo that computed them, so an unchanged list compares by pointer.
    pub workloads: std::rc::Rc<Vec<(WorkloadView, Timeline)>>,
    pub highlighted: Option<String>,
    pub on_exec: Callback<String>,
    pub on_highlight: Callback<Option<String>>,
    pub on_select: Callback<ObjectRef>,
    pub on_tab: Callback<SideTab>,
}

/// Each DaemonSet, Job and CronJob with its `kubectl get` columns, its timeline and its actions.
#[component]
pub fn Workloads(props: &WorkloadsProps) -> Html {
    if props.workloads.is_empty() {
        let open_editor = {
            let on_tab = props.on_tab.clone();
            Callback::from(move |_: MouseEvent| on_tab.emit(SideTab::Editor))
        };
        return html! {
            <div class="workloads empty-state">
                <svg viewBox="0 0 48 48" aria-hidden="true" class="empty-icon">
                    <rect x="6" y="10" width="36" height="28" rx="5" />
                    <path d="M14 20h20M14 27h12" />
                </svg>
                <h3>{"No workloads yet"}</h3>
                <p>{"Open the Editor tab and apply an example: a DaemonSet that runs a pod on every node, a Job, or a CronJob. Or type kubectl in the Terminal."}</p>
                <button type="button" class="button primary" onclick={open_editor}>{"Open the examples"}</button>
            </div>
        };
    }
    html! {
        <ul class="workloads" role="list" aria-label="Workloads">
            { for props.workloads.iter().map(|(view, timeline)| html! {
                <WorkloadCard
                    key={view.uid.clone()}
                    view={view.clone()}
                    timeline={timeline.clone()}
                    highlighted={props.highlighted.as_deref() == Some(view.uid.as_str())}
                    on_exec={props.on_exec.clone()}
                    on_highlight={props.on_highlight.clone()}
                    on_select={props.on_select.clone()}
                />
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct WorkloadCardProps {
    view: WorkloadView,
    timeline: Timeline,
    highlighted: bool,
    on_exec: Callback<String>,
    on_highlight: Callback<Option<String>>,
    on_select: Callback<ObjectRef>,
}

/// Which small form a card has open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    None,
    Delete,
    Image,
    Parallelism,
}

#[component]
fn WorkloadCard(props: &WorkloadCardProps) -> Html {
    let view = &props.view;
    // The command line of the action under the pointer or focus, shown under the card.
    let preview = use_state(|| None::<String>);
    let form = use_state(|| Form::None);
    let image = use_state(|| {
        view.containers
            .first()
            .map(|(_, image)| image.clone())
            .unwrap_or_default()
    });
    let parallelism = use_state(|| view.parallelism.unwrap_or(1));

    let uid = view.uid.clone();
    let enter = {
        let on_highlight = props.on_highlight.clone();
        let uid = uid.clone();
        Callback::from(move |_: MouseEvent| on_highlight.emit(Some(uid.clone())))
    };
    let leave = {
        let on_highlight = props.on_highlight.clone();
        let preview = preview.clone();
        Callback::from(move |_: MouseEvent| {
            on_highlight.emit(None);
            preview.set(None);
        })
    };
    let focus_in = {
        let on_highlight = props.on_highlight.clone();
        let uid = uid.clone();
        Callback::from(move |_: FocusEvent| on_highlight.emit(Some(uid.clone())))
    };
    let focus_out = {
        let on_highlight = props.on_highlight.clone();
        Callback::from(move |_: FocusEvent| on_highlight.emit(None))
    };
    let select = {
        let on_select = props.on_select.clone();
        let target = ObjectRef {
            kind: view.kind.kind(),
            namespace: view.namespace.clone(),
            name: view.name.clone(),
        };
        Callback::from(move |_: MouseEvent| on_select.emit(target.clone()))
    };

    // An action button: runs `line`, shows it on hover and focus.
    let action = |label: &str, line: String, class: &'static str| {
        let run = {
            let on_exec = props.on_exec.clone();
            let form = form.clone();
            let line = line.clone();
            Callback::from(move |_: MouseEvent| {
                on_exec.emit(line.clone());
                form.set(Form::None);
            })
        };
        let show = {
            let preview = preview.clone();
            let line = line.clone();
            Callback::from(move |_: MouseEvent| preview.set(Some(line.clone())))
        };
        let show_focus = {
            let preview = preview.clone();
            let line = line.clone();
            Callback::from(move |_: FocusEvent| preview.set(Some(line.clone())))
        };
        html! {
            <button type="button" class={classes!("action", class)} title={line.clone()}
                onclick={run} onmouseenter={show} onfocus={show_focus}>
                {label.to_string()}
            </button>
        }
    };
    let toggle = |which: Form, label: &str, class: &'static str| {
        let open = *form == which;
        let onclick = {
            let form = form.clone();
            Callback::from(move |_: MouseEvent| form.set(if open { Form::None } else { which }))
        };
        html! {
            <button type="button" class={classes!("action", class, open.then_some("open"))}
                aria-expanded={open.to_string()} {onclick}>
                {label.to_string()}
            </button>
        }
    };

    let mut actions: Vec<Html> = Vec::new();
    match view.kind {
        WorkloadKind::DaemonSet => {
            actions.push(action("Restart", view.restart_line(), "restart"));
            actions.push(action("Undo", view.undo_line(), "undo"));
            if !view.containers.is_empty() {
                actions.push(toggle(Form::Image, "Set image", "set-image"));
            }
        }
        WorkloadKind::Job => {
            if !view.finished {
                actions.push(if view.suspended {
                    action("Resume", view.suspend_line(false), "resume")
                } else {
                    action("Suspend", view.suspend_line(true), "suspend")
                });
                actions.push(toggle(Form::Parallelism, "Parallelism", "parallelism"));
            }
        }
        WorkloadKind::CronJob => {
            if let Some(line) = &view.run_now {
                actions.push(action("Run now", line.clone(), "run-now"));
            }
            actions.push(if view.suspended {
                action("Resume", view.suspend_line(false), "resume")
            } else {
                action("Suspend", view.suspend_line(true), "suspend")
            });
        }
    }
    actions.push(toggle(Form::Delete, "Delete", "delete"));

    let open_form = match *form {
        Form::None => html! {},
        Form::Delete => html! {
            <div class="card-form delete-form" role="group" aria-label={format!("Delete {} {}", view.kind.name(), view.name)}>
                <p class="form-title">{"Delete, and its dependents?"}</p>
                { for Cascade::ALL.iter().map(|cascade| {
                    let line = view.delete_line(*cascade);
                    let onclick = {
                        let on_exec = props.on_exec.clone();
                        let form = form.clone();
                        let on_highlight = props.on_highlight.clone();
                        let line = line.clone();
                        Callback::from(move |_: MouseEvent| {
                            on_highlight.emit(None);
                            form.set(Form::None);
                            on_exec.emit(line.clone());
                        })
                    };
                    html! {
                        <button type="button" class="cascade" title={line.clone()} {onclick}>
                            <span class="cascade-name">{cascade.flag()}</span>
                            <span class="cascade-explain">{cascade.explain()}</span>
                            <code>{line}</code>
                        </button>
                    }
                }) }
            </div>
        },
        Form::Image => {
            let (container, _) = view.containers.first().cloned().unwrap_or_default();
            let line = view.set_image_line(&container, &image);
            let oninput = {
                let image = image.clone();
                Callback::from(move |event: InputEvent| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    image.set(input.value());
                })
            };
            let onsubmit = {
                let on_exec = props.on_exec.clone();
                let form = form.clone();
                let line = line.clone();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    if let Some(line) = &line {
                        on_exec.emit(line.clone());
                        form.set(Form::None);
                    }
                })
            };
            let id = format!("image-{}", view.uid);
            html! {
                <form class="card-form image-form" {onsubmit}>
                    <label for={id.clone()}>{format!("Image for container {container}")}</label>
                    <div class="form-row">
                        <input id={id} type="text" value={(*image).clone()} {oninput}
                            spellcheck="false" autocomplete="off" />
                        <button type="submit" class="button primary small" disabled={line.is_none()}>{"Roll out"}</button>
                    </div>
                    <code class="form-line">{line.unwrap_or_else(|| "Type an image, such as httpd:2.4.63".into())}</code>
                </form>
            }
        }
        Form::Parallelism => {
            let line = view.parallelism_line(*parallelism);
            let oninput = {
                let parallelism = parallelism.clone();
                Callback::from(move |event: InputEvent| {
                    let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                    if let Ok(value) = input.value().parse::<i32>() {
                        parallelism.set(value.clamp(0, 1000));
                    }
                })
            };
            let onsubmit = {
                let on_exec = props.on_exec.clone();
                let form = form.clone();
                let line = line.clone();
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    on_exec.emit(line.clone());
                    form.set(Form::None);
                })
            };
            let id = format!("parallelism-{}", view.uid);
            html! {
                <form class="card-form parallelism-form" {onsubmit}>
                    <label for={id.clone()}>{"Pods running at once"}</label>
                    <div class="form-row">
                        <input id={id} type="number" min="0" max="1000" value={parallelism.to_string()} {oninput} />
                        <button type="submit" class="button primary small">{"Apply"}</button>
                    </div>
                    <code class="form-line">{line}</code>
                </form>
            }
        }
    };

    let rollout = view
        .rollout
        .as_ref()
        .filter(|rollout| !rollout.done)
        .map(|rollout| {
            let desired = rollout.desired.max(1) as f64;
            let updated = format!("width:{:.2}%", f64::from(rollout.updated) / desired * 100.0);
            let available = format!(
                "width:{:.2}%",
                f64::from(rollout.available.min(rollout.updated)) / desired * 100.0
            );
            html! {
                <div class="rollout">
                    <div class="progress" role="progressbar"
                        aria-label="Rollout" aria-valuemin="0"
                        aria-valuemax={rollout.desired.to_string()}
                        aria-valuenow={rollout.updated.to_string()}
                        aria-valuetext={rollout.line.clone()}>
                        <span class="updated" style={updated} />
                        <span class="available" style={available} />
                    </div>
                    <p class="rollout-line" title="kubectl rollout status">{&rollout.line}</p>
                </div>
            }
        });

    let timeline = match &props.timeline {
        Timeline::None => html! {},
        Timeline::Job(timeline) => html! {
            <JobTimelineView timeline={timeline.clone()} name={view.name.clone()} />
        },
        Timeline::CronJob {
            timeline,
            next,
            problem,
        } => html! {
            <CronTimelineView timeline={timeline.clone()} name={view.name.clone()}
                next={next.clone()} problem={problem.clone()} />
        },
    };

    let style = format!("--hue:{}", view.hue);
    html! {
        <li class={classes!("workload", view.kind.badge(), props.highlighted.then_some("highlighted"))}
            data-uid={view.uid.clone()} data-workload={view.name.clone()} {style}
            onmouseenter={enter} onmouseleave={leave} onfocusin={focus_in} onfocusout={focus_out}>
            <div class="workload-head">
                <span class="kind-badge" title={view.kind.name()}>{view.kind.badge()}</span>
                <button type="button" class="workload-name" onclick={select}
                    title={format!("Show {} {} in the inspector", view.kind.name(), view.name)}>
                    {&view.name}
                </button>
                if view.namespace != "default" {
                    <span class="namespace" title="namespace">{&view.namespace}</span>
                }
            </div>
            <dl class="cells">
                { for view.cells.iter().map(|cell| html! {
                    <div class={classes!("cell", cell.tone.class(), (cell.value.len() > 14).then_some("wide"))}>
                        <dt>{&cell.header}</dt>
                        <dd>{&cell.value}</dd>
                    </div>
                }) }
            </dl>
            { rollout.unwrap_or_default() }
            if !view.jobs.is_empty() {
                <ul class="child-jobs" role="list" aria-label="Jobs">
                    { for view.jobs.iter().take(3).map(|job| html! {
                        <li key={job.name.clone()}>
                            <span class="child-name">{&job.name}</span>
                            <span class={classes!("child-status", job.status.tone.class())}>{&job.status.value}</span>
                            <span class="child-completions">{&job.completions}</span>
                        </li>
                    }) }
                    if view.jobs.len() > 3 {
                        <li class="more">{format!("and {} more", view.jobs.len() - 3)}</li>
                    }
                </ul>
            }
            { timeline }
            <div class="actions" role="group" aria-label={format!("Actions on {} {}", view.kind.name(), view.name)}>
                { for actions }
            </div>
            { open_form }
            if let Some(line) = &*preview {
                <code class="preview" aria-hidden="true"><span class="prompt">{"$ "}</span>{line}</code>
            }
        </li>
    }
}
