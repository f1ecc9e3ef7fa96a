//! The standalone page fills `<body>` and saves its session as it goes. Loaded by the embed loader
//! (`embed.js`) or the iframe page (`embed.html`) instead, it mounts nothing: they call `create`.

use std::rc::Rc;

use kubeplay_web::embed::options::EmbedOptions;
use kubeplay_web::{App, AppProps};

fn main() {
    let standalone = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.body())
        .is_some_and(|body| {
            body.class_name()
                .split_whitespace()
                .any(|class| class == "kubeplay-page")
        });
    if standalone {
        let options = EmbedOptions {
            autosave: true,
            ..EmbedOptions::default()
        };
        yew::Renderer::<App>::with_props(AppProps {
            options: Rc::new(options),
            ..AppProps::default()
        })
        .render();
    }
}
