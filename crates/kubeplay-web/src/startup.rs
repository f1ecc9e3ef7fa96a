//! What a playground does as it first shows, in order: open the share link it was given (the
//! standalone page's `#k1:...`, an embed's `state`), else the lesson (`?lesson=`, an embed's
//! `lesson`), then apply the embed's manifest and run its setup lines. The standalone page also
//! finds the session it saved last time (`saved_session`), which it offers back, never forces.

use std::rc::Rc;

use kubeplay_core::share::Recording;
use yew::prelude::*;

use crate::embed::options::EmbedOptions;
use crate::lessons::built_in;
use crate::state::{Action, HostAction, Playground};

/// The text of the lesson `source` names: a built-in one, or a file on the page's origin.
async fn lesson_text(source: &str) -> Result<String, String> {
    use crate::lesson_source::{LessonSource, lesson_source};
    match lesson_source(source)? {
        LessonSource::BuiltIn(lesson) => Ok(lesson.text.to_string()),
        #[cfg(target_arch = "wasm32")]
        LessonSource::Address(address) => crate::lesson_source::fetch_lesson(&address).await,
        #[cfg(not(target_arch = "wasm32"))]
        LessonSource::Address(address) => Err(format!("{address}: lessons load in a browser")),
    }
}

/// The action that opens a share link: its cluster replayed, its lesson loaded first.
pub async fn open_link(link: &str) -> Action {
    let recording = match Recording::decode(link) {
        Ok(recording) => recording,
        Err(error) => {
            return Action::Host(HostAction::LinkFailed(format!(
                "This link could not be opened: {error}. The playground starts empty instead."
            )));
        }
    };
    let lesson = match &recording.lesson {
        Some(source) => match lesson_text(source).await {
            Ok(text) => Some(text),
            Err(error) => {
                return Action::Host(HostAction::LinkFailed(format!(
                    "This link's lesson could not be loaded: {error}"
                )));
            }
        },
        None => None,
    };
    Action::Host(HostAction::Restore {
        recording: Box::new(recording),
        lesson,
    })
}

/// The share link in the page's address (`#k1:...`), if any.
fn link_in_address() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let hash = web_sys::window()?.location().hash().ok()?;
        let payload = hash.strip_prefix('#')?;
        payload.starts_with('k').then(|| payload.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

fn lesson_in_address() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        crate::lesson_source::lesson_parameter()
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// The session the standalone page saved last time, to offer back: unless the address names a
/// link or a lesson, which the reader came for instead. Read before anything is saved again.
pub fn saved_session(options: &EmbedOptions) -> Option<String> {
    if !options.autosave || link_in_address().is_some() || lesson_in_address().is_some() {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    {
        crate::embed::storage::load()
            .filter(|saved| Recording::decode(saved).is_ok_and(|saved| !saved.log.is_empty()))
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// Runs the start-up sequence once.
#[hook]
pub fn use_startup(dispatcher: UseReducerDispatcher<Playground>, options: Rc<EmbedOptions>) {
    use_effect_with((), move |_| {
        let standalone = options.autosave;
        let link = options
            .state
            .clone()
            .or_else(|| standalone.then(link_in_address).flatten());
        let lesson = options
            .lesson
            .clone()
            .or_else(|| standalone.then(lesson_in_address).flatten());
        let run = async move {
            if let Some(link) = link {
                dispatcher.dispatch(open_link(&link).await);
            } else if let Some(source) = lesson {
                dispatcher.dispatch(match lesson_text(&source).await {
                    Ok(text) => {
                        // A built-in lesson goes by its name, so a link to it is short.
                        let source = built_in(source.trim())
                            .map_or(source, |lesson| lesson.name.to_string());
                        Action::OpenLesson { source, text }
                    }
                    Err(message) => Action::LessonUnavailable(message),
                });
            }
            if let Some(manifest) = &options.manifest {
                dispatcher.dispatch(Action::Host(HostAction::Exec {
                    line: "kubectl apply -f -".into(),
                    stdin: manifest.clone(),
                }));
            }
            if let Some(setup) = &options.setup {
                match kubeplay_core::shell::parse_script(setup) {
                    Ok(steps) => {
                        for step in steps {
                            dispatcher.dispatch(Action::Host(HostAction::Exec {
                                line: step.line,
                                stdin: step.stdin,
                            }));
                        }
                    }
                    Err(message) => dispatcher.dispatch(Action::Host(HostAction::LinkFailed(
                        format!("The playground's setup lines do not read: {message}"),
                    ))),
                }
            }
        };
        #[cfg(target_arch = "wasm32")]
        wasm_bindgen_futures::spawn_local(run);
        #[cfg(not(target_arch = "wasm32"))]
        drop(run);
    });
}
