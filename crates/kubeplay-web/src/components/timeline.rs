use yew::prelude::*;

use crate::view::timeline::{Bar, CronTimeline, JobTimeline, Mark, Tick, percent};

/// With more lanes than this, lanes are thin lines that lose their labels and gaps, and each is
/// drawn as one element (its bars a gradient) with a summary for its tooltip.
const DENSE_LANES: usize = 12;

fn bar(bar: &Bar) -> Html {
    let style = format!(
        "left:{};width:{}",
        percent(bar.start),
        percent((bar.end - bar.start).max(0.0))
    );
    html! {
        <span key={bar.key.clone()} class={classes!("bar", bar.state.class())} {style}
            role="img" aria-label={bar.title.clone()} title={bar.title.clone()} />
    }
}

fn axis(ticks: &[Tick]) -> Html {
    html! {
        <div class="axis" aria-hidden="true">
            { for ticks.iter().map(|tick| html! {
                <span key={tick.label.clone()} class="tick" style={format!("left:{}", percent(tick.at))}>{&tick.label}</span>
            }) }
        </div>
    }
}

fn legend(entries: &[(&'static str, &'static str)]) -> Html {
    html! {
        <ul class="legend" aria-hidden="true">
            { for entries.iter().map(|(class, label)| html! {
                <li><span class={classes!("swatch", *class)} />{*label}</li>
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct JobTimelineProps {
    pub timeline: JobTimeline,
    pub name: String,
}

/// A Job's pods as lanes over time, with the parallelism limit drawn after as many lanes.
#[component]
pub fn JobTimelineView(props: &JobTimelineProps) -> Html {
    let timeline = &props.timeline;
    if timeline.lanes.is_empty() {
        return html! {};
    }
    let dense = timeline.lanes.len() > DENSE_LANES;
    let limit = timeline.parallelism;
    let lanes = timeline.lanes.iter().enumerate().map(|(i, lane)| {
        let over = limit.is_some_and(|limit| i >= limit);
        let divider = (limit == Some(i) && i > 0).then(|| {
            html! {
                <div class="limit" key="limit" title="Lanes below this line held pods beyond the parallelism limit while others were still stopping">
                    <span>{format!("parallelism {i}")}</span>
                </div>
            }
        });
        html! {
            <>
                { divider.unwrap_or_default() }
                <div key={format!("lane-{i}")} class={classes!("lane", over.then_some("over"))}>
                    if dense {
                        <div class="track" style={format!("background:{}", lane.background())}
                            role="img" aria-label={lane.summary.clone()} title={lane.summary.clone()} />
                    } else {
                        if let Some(label) = &lane.label {
                            <span class="lane-label">{label}</span>
                        }
                        <div class="track">{ for lane.bars.iter().map(bar) }</div>
                    }
                </div>
            </>
        }
    });
    let caption = match limit {
        Some(limit) => format!("parallelism {limit}: one lane per pod running at once"),
        None => "one lane per completion index".to_string(),
    };
    html! {
        <figure class={classes!("timeline", "job-timeline", dense.then_some("dense"))}
            aria-label={format!("Pods of job {} over time", props.name)}>
            <div class="plot">
                <div class="lanes">{ for lanes }</div>
                if let Some(now) = timeline.now {
                    <span class="now" style={format!("left:{}", percent(now))} aria-hidden="true" />
                }
            </div>
            { axis(&timeline.ticks) }
            <figcaption>
                <span class="caption">
                    {caption}
                    if timeline.hidden_lanes > 0 {
                        {format!(", {} more not drawn", timeline.hidden_lanes)}
                    }
                    if limit.is_some() && timeline.lanes.len() > limit.unwrap_or(0) {
                        {"; lanes below the line held pods while others were still stopping"}
                    }
                </span>
                { legend(&[("pending", "Pending"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed"), ("backoff", "Back-off"), ("deleted", "Deleted")]) }
            </figcaption>
        </figure>
    }
}

fn mark(mark: &Mark) -> Html {
    html! {
        <span key={mark.key.clone()} class={classes!("mark", mark.state.class())}
            style={format!("left:{}", percent(mark.at))}
            role="img" aria-label={mark.title.clone()} title={mark.title.clone()} />
    }
}

#[derive(Properties, PartialEq)]
pub struct CronTimelineProps {
    pub timeline: CronTimeline,
    pub name: String,
    pub next: Option<String>,
    pub problem: Option<String>,
}

/// A CronJob's runs on a time axis around now: past runs by outcome, runs that never started,
/// and the next scheduled times.
#[component]
pub fn CronTimelineView(props: &CronTimelineProps) -> Html {
    let timeline = &props.timeline;
    html! {
        <figure class="timeline cron-timeline" aria-label={format!("Runs of cronjob {} over time", props.name)}>
            <div class="plot">
                <div class="track">
                    { for timeline.runs.iter().map(bar) }
                    { for timeline.marks.iter().map(mark) }
                </div>
                <span class="now" style={format!("left:{}", percent(timeline.now))} aria-hidden="true" />
            </div>
            { axis(&timeline.ticks) }
            <figcaption>
                if let Some(problem) = &props.problem {
                    <span class="caption problem">{problem}</span>
                } else if let Some(next) = &props.next {
                    <span class="caption">{next}</span>
                } else {
                    <span class="caption">{"suspended: no run is scheduled"}</span>
                }
                { legend(&[("succeeded", "Succeeded"), ("failed", "Failed"), ("running", "Active"), ("replaced", "Replaced"), ("skipped", "Skipped"), ("missed", "Missed"), ("next", "Next")]) }
            </figcaption>
        </figure>
    }
}
