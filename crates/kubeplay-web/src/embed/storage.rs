//! The standalone page's autosave: the session's share payload in `localStorage`, offered back on
//! the next visit. Where storage is missing or refused (a sandboxed iframe's opaque origin throws
//! on `localStorage`, a private window may refuse writes), every call quietly does nothing.

const KEY: &str = "kubeplay.session";
/// A session bigger than this is not saved (storage quotas are a few MiB per origin).
const MAX_SAVED: usize = 512 * 1024;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved session's payload (`k1:...`), if any.
pub fn load() -> Option<String> {
    storage()?.get_item(KEY).ok().flatten()
}

pub fn save(payload: &str) {
    if payload.len() <= MAX_SAVED
        && let Some(storage) = storage()
    {
        // A full or refused storage keeps the last session it had; the page goes on.
        let _ = storage.set_item(KEY, payload);
    }
}

pub fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}
