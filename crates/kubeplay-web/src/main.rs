//! The standalone page: the playground fills `<body>`.

fn main() {
    yew::Renderer::<kubeplay_web::App>::new().render();
}
