//! Where `?lesson=` points: a built-in lesson by name, or a lesson file on the page's own origin
//! (a docs site hosting its lessons beside the playground). Anything else is refused with a
//! message, and the page stays a working playground.

use crate::lessons::{BUILT_IN, BuiltIn, built_in};

/// A lesson file may be at most this large; a bigger answer is not a lesson.
pub const MAX_LESSON_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LessonSource {
    BuiltIn(&'static BuiltIn),
    /// An address to fetch, relative to the page or absolute on its origin.
    Address(String),
}

/// Reads what `?lesson=` says: a built-in name, or something that looks like an address
/// (it has a `/` or a `.`). The origin is checked where the address is resolved, in the browser.
pub fn lesson_source(value: &str) -> Result<LessonSource, String> {
    let value = value.trim();
    if let Some(lesson) = built_in(value) {
        return Ok(LessonSource::BuiltIn(lesson));
    }
    if value.contains(['/', '.']) {
        return Ok(LessonSource::Address(value.to_string()));
    }
    let names: Vec<&str> = BUILT_IN.iter().map(|lesson| lesson.name).collect();
    Err(format!(
        "there is no built-in lesson {value:?}; the lessons are {}, or give the address of a lesson file on this site",
        names.join(", ")
    ))
}

/// The `?lesson=` value of the page's address, if any.
#[cfg(target_arch = "wasm32")]
pub fn lesson_parameter() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("lesson")
}

/// Puts `?lesson=NAME` in the address bar (or takes it out), so a reload or a copied link opens
/// the same lesson. The page does not reload.
#[cfg(target_arch = "wasm32")]
pub fn show_lesson_parameter(source: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&window.location().href().unwrap_or_default()) else {
        return;
    };
    match source {
        Some(source) => url.search_params().set("lesson", source),
        None => url.search_params().delete("lesson"),
    }
    if let Ok(history) = window.history() {
        // Only fails for a cross-origin address, which this one never is.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// Fetches a lesson file from the page's own origin.
#[cfg(target_arch = "wasm32")]
pub async fn fetch_lesson(address: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or("no window")?;
    let page = window
        .location()
        .href()
        .map_err(|_| "the page has no address")?;
    let url = web_sys::Url::new_with_base(address, &page)
        .map_err(|_| format!("{address:?} is not an address"))?;
    let origin = window.location().origin().unwrap_or_default();
    if url.origin() != origin || !matches!(url.protocol().as_str(), "http:" | "https:") {
        return Err(format!(
            "{address:?} is on another site: lessons load from this page's own origin ({origin}) only"
        ));
    }
    let href = url.href();
    let response = JsFuture::from(window.fetch_with_str(&href))
        .await
        .map_err(|_| format!("{href} could not be fetched"))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| format!("{href} gave no response"))?;
    if !response.ok() {
        return Err(format!(
            "{href} answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response.text().map_err(|_| format!("{href} has no text"))?;
    let text = JsFuture::from(text)
        .await
        .map_err(|_| format!("{href} could not be read"))?
        .as_string()
        .unwrap_or_default();
    if text.len() > MAX_LESSON_BYTES {
        return Err(format!(
            "{href} is {} bytes; a lesson may be at most {MAX_LESSON_BYTES}",
            text.len()
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_addresses_and_mistakes() {
        assert!(
            matches!(lesson_source("jobs"), Ok(LessonSource::BuiltIn(lesson)) if lesson.name == "jobs")
        );
        assert_eq!(
            lesson_source("/docs/lessons/gpu.md"),
            Ok(LessonSource::Address("/docs/lessons/gpu.md".into()))
        );
        assert_eq!(
            lesson_source("gpu.md"),
            Ok(LessonSource::Address("gpu.md".into()))
        );
        let error = lesson_source("jbos").unwrap_err();
        assert!(error.contains("no built-in lesson \"jbos\""), "{error}");
        assert!(error.contains("daemonset-basics"), "{error}");
    }
}
