//! What a host page asks of an embedded playground: the `<kube-play>` element's attributes, the
//! iframe's query parameters and `createPlayground`'s options, one allow-listed set. Anything
//! outside it is a clear error naming the option and what it takes, never a half-configured page.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::state::SPEEDS;

/// A panel of the page that `view` can show or hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Panel {
    /// The header's clock and time controls.
    Time,
    Grid,
    Lessons,
    Workloads,
    Editor,
    Terminal,
    Events,
    Inspector,
}

impl Panel {
    pub const ALL: [Panel; 8] = [
        Panel::Time,
        Panel::Grid,
        Panel::Lessons,
        Panel::Workloads,
        Panel::Editor,
        Panel::Terminal,
        Panel::Events,
        Panel::Inspector,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Panel::Time => "time",
            Panel::Grid => "grid",
            Panel::Lessons => "lessons",
            Panel::Workloads => "workloads",
            Panel::Editor => "editor",
            Panel::Terminal => "terminal",
            Panel::Events => "events",
            Panel::Inspector => "inspector",
        }
    }

    pub fn parse(name: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|panel| panel.name() == name)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Theme {
    /// As the visitor's system is set.
    #[default]
    Auto,
    Light,
    Dark,
}

/// When an element or iframe starts its playground (the loader acts on it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Loading {
    /// When it scrolls near the viewport.
    #[default]
    Lazy,
    Eager,
    /// When the reader clicks it.
    Click,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedOptions {
    /// A built-in lesson's name or a lesson file's address on the host's origin.
    pub lesson: Option<String>,
    /// A CSS length for the playground's height (`480px`, `60vh`).
    pub height: Option<String>,
    /// Virtual seconds per second, one of the time controls' speeds.
    pub speed: u32,
    /// Whether the clock starts running.
    pub playing: bool,
    /// Workers `node-1`…`node-N` beside the control plane.
    pub nodes: usize,
    pub seed: u64,
    /// The panels shown; all of them unless `view` says otherwise.
    pub view: BTreeSet<Panel>,
    pub theme: Theme,
    /// The reader watches: commands come only from the host page (and lessons' checks).
    pub readonly: bool,
    pub loading: Loading,
    /// Manifests applied when the playground starts.
    pub manifest: Option<String>,
    /// Command lines run when the playground starts, after the manifest.
    pub setup: Option<String>,
    /// A share link or its `k1:` payload to open.
    pub state: Option<String>,
    /// No page at all: the engine alone, driven from script.
    pub headless: bool,
    /// Whether the page saves its cluster in the browser as it goes (the standalone page does).
    pub autosave: bool,
}

impl Default for EmbedOptions {
    fn default() -> EmbedOptions {
        EmbedOptions {
            lesson: None,
            height: None,
            speed: 1,
            playing: true,
            nodes: 3,
            seed: kubeplay_core::cluster::DEFAULT_SEED,
            view: Panel::ALL.into_iter().collect(),
            theme: Theme::Auto,
            readonly: false,
            loading: Loading::Lazy,
            manifest: None,
            setup: None,
            state: None,
            headless: false,
            autosave: false,
        }
    }
}

/// The options an embed takes, for the message naming an unknown one.
const NAMES: [&str; 15] = [
    "lesson", "height", "speed", "playing", "nodes", "seed", "view", "theme", "readonly",
    "loading", "manifest", "setup", "state", "headless", "autosave",
];
const MAX_NODES: usize = 100;
const MAX_TEXT: usize = 1 << 20;

fn text(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) if text.len() <= MAX_TEXT => Ok(text.clone()),
        Value::String(_) => Err(format!("`{name}` is longer than {MAX_TEXT} bytes")),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        other => Err(format!("`{name}` takes text, not {other}")),
    }
}

/// `true`, `false`, or present without a value (an attribute written bare: `readonly`).
fn flag(name: &str, value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) => match text.as_str() {
            "" | "true" | "1" | "yes" => Ok(true),
            "false" | "0" | "no" => Ok(false),
            other => Err(format!("`{name}` is true or false, not {other:?}")),
        },
        other => Err(format!("`{name}` is true or false, not {other}")),
    }
}

fn whole(name: &str, value: &Value) -> Result<u64, String> {
    let text = text(name, value)?;
    text.trim()
        .parse()
        .map_err(|_| format!("`{name}` takes a whole number, not {text:?}"))
}

/// `480`, `480px`, `30em`, `60vh`, `100%`: a plain CSS length, nothing that could carry more CSS.
fn css_length(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(digits);
    let number: f64 = number.parse().ok()?;
    if !(0.0..=100_000.0).contains(&number) {
        return None;
    }
    match unit {
        "" => Some(format!("{number}px")),
        "px" | "em" | "rem" | "vh" | "svh" | "dvh" | "%" => Some(format!("{number}{unit}")),
        _ => None,
    }
}

impl EmbedOptions {
    /// Reads options from a JSON object of option names (attributes and query parameters give
    /// strings; script gives strings, numbers and booleans).
    pub fn from_json(value: &Value) -> Result<EmbedOptions, String> {
        let empty = Map::new();
        let fields = match value {
            Value::Object(fields) => fields,
            Value::Null => &empty,
            other => {
                return Err(format!(
                    "the options are an object of names and values, not {other}"
                ));
            }
        };
        let mut options = EmbedOptions::default();
        for (name, value) in fields {
            options.set(name, value)?;
        }
        Ok(options)
    }

    /// Reads the options of a JSON text (what `createPlayground` passes to the engine).
    pub fn from_json_text(text: &str) -> Result<EmbedOptions, String> {
        if text.len() > 4 * MAX_TEXT {
            return Err("the options are too large".into());
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|error| format!("the options are not JSON: {error}"))?;
        EmbedOptions::from_json(&value)
    }

    fn set(&mut self, name: &str, value: &Value) -> Result<(), String> {
        match name {
            "lesson" => self.lesson = Some(text(name, value)?).filter(|lesson| !lesson.is_empty()),
            "height" => {
                let height = text(name, value)?;
                self.height = Some(css_length(&height).ok_or_else(|| {
                    format!("`height` is a CSS length such as 480px or 60vh, not {height:?}")
                })?);
            }
            "speed" => {
                let speed = text(name, value)?;
                let number = speed.trim().trim_end_matches('x');
                self.speed = number
                    .parse()
                    .ok()
                    .filter(|speed| SPEEDS.contains(speed))
                    .ok_or_else(|| {
                        let speeds: Vec<String> =
                            SPEEDS.iter().map(|speed| format!("{speed}x")).collect();
                        format!("`speed` is one of {}, not {speed:?}", speeds.join(", "))
                    })?;
            }
            "playing" => self.playing = flag(name, value)?,
            "nodes" => {
                let nodes = whole(name, value)?;
                self.nodes = usize::try_from(nodes)
                    .ok()
                    .filter(|nodes| *nodes <= MAX_NODES)
                    .ok_or_else(|| {
                        format!("`nodes` is a number of workers from 0 to {MAX_NODES}, not {nodes}")
                    })?;
            }
            "seed" => self.seed = whole(name, value)?,
            "view" => {
                let view = text(name, value)?;
                let mut panels = BTreeSet::new();
                for part in view
                    .split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                {
                    let panel = Panel::parse(part).ok_or_else(|| {
                        let names: Vec<&str> =
                            Panel::ALL.iter().map(|panel| panel.name()).collect();
                        format!(
                            "`view` lists panels among {}; {part:?} is not one",
                            names.join(", ")
                        )
                    })?;
                    panels.insert(panel);
                }
                if panels.is_empty() {
                    return Err("`view` names at least one panel, such as grid".into());
                }
                self.view = panels;
            }
            "theme" => {
                self.theme = match text(name, value)?.as_str() {
                    "auto" | "" => Theme::Auto,
                    "light" => Theme::Light,
                    "dark" => Theme::Dark,
                    other => return Err(format!("`theme` is light, dark or auto, not {other:?}")),
                }
            }
            "readonly" => self.readonly = flag(name, value)?,
            "loading" => {
                self.loading = match text(name, value)?.as_str() {
                    "lazy" | "" => Loading::Lazy,
                    "eager" => Loading::Eager,
                    "click" => Loading::Click,
                    other => {
                        return Err(format!("`loading` is lazy, eager or click, not {other:?}"));
                    }
                }
            }
            "manifest" => {
                self.manifest = Some(text(name, value)?).filter(|text| !text.trim().is_empty())
            }
            "setup" => self.setup = Some(text(name, value)?).filter(|text| !text.trim().is_empty()),
            "state" => self.state = Some(text(name, value)?).filter(|text| !text.is_empty()),
            "headless" => self.headless = flag(name, value)?,
            "autosave" => self.autosave = flag(name, value)?,
            other => {
                return Err(format!(
                    "unknown option `{other}`; a kubeplay embed takes {}",
                    NAMES.join(", ")
                ));
            }
        }
        Ok(())
    }

    pub fn shows(&self, panel: Panel) -> bool {
        self.view.contains(&panel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attributes_and_script_values_read_alike() {
        let options = EmbedOptions::from_json(&json!({
            "lesson": "jobs", "height": "480", "speed": "60x", "nodes": "5", "seed": 7,
            "view": "grid, terminal", "theme": "dark", "readonly": "", "loading": "click",
            "manifest": "kind: Namespace", "playing": false,
        }))
        .unwrap();
        assert_eq!(options.lesson.as_deref(), Some("jobs"));
        assert_eq!(options.height.as_deref(), Some("480px"));
        assert_eq!(options.speed, 60);
        assert_eq!(options.nodes, 5);
        assert_eq!(options.seed, 7);
        assert_eq!(
            options.view,
            [Panel::Grid, Panel::Terminal].into_iter().collect()
        );
        assert_eq!(options.theme, Theme::Dark);
        assert!(options.readonly);
        assert!(!options.playing);
        assert_eq!(options.loading, Loading::Click);
        assert_eq!(
            EmbedOptions::from_json(&Value::Null).unwrap(),
            EmbedOptions::default()
        );
        assert_eq!(
            EmbedOptions::from_json(&json!({"speed": 600}))
                .unwrap()
                .speed,
            600
        );
    }

    #[test]
    fn anything_outside_the_allow_list_is_an_error_naming_it() {
        let cases = [
            (json!({"colour": "red"}), "unknown option `colour`"),
            (
                json!({"speed": "7x"}),
                "`speed` is one of 1x, 10x, 60x, 600x, 3600x",
            ),
            (json!({"nodes": "1000"}), "from 0 to 100"),
            (json!({"nodes": "-1"}), "whole number"),
            (json!({"view": "grid,chart"}), "\"chart\" is not one"),
            (json!({"view": ""}), "at least one panel"),
            (json!({"theme": "neon"}), "light, dark or auto"),
            (json!({"height": "100px; background: url(x)"}), "CSS length"),
            (json!({"height": "calc(1px)"}), "CSS length"),
            (json!({"readonly": "maybe"}), "true or false"),
            (json!({"loading": "later"}), "lazy, eager or click"),
            (json!({"lesson": ["a"]}), "takes text"),
            (json!(["lesson"]), "an object"),
        ];
        for (value, message) in cases {
            let error = EmbedOptions::from_json(&value).unwrap_err();
            assert!(error.contains(message), "{value}: {error}");
        }
        assert!(
            EmbedOptions::from_json_text("{")
                .unwrap_err()
                .contains("not JSON")
        );
    }
}
