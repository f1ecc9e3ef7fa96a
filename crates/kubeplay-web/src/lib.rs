//! The kubeplay playground in the browser. `mount` puts it into any element (docs sites embed it);
//! the `kubeplay-web` binary mounts it on `<body>`.

mod app;
pub mod components;
pub mod embed;
mod examples;
pub mod lesson_source;
pub mod lessons;
mod startup;
pub mod state;
pub mod view;

pub use app::{App, AppProps};

/// Renders a playground with the default cluster inside `root`, as an embed (no autosave).
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<App>::with_root(root).render();
}
