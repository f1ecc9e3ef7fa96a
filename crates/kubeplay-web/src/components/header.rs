use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The clock and the time controls.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    html! {
        <header class="app-header">
            <div class="brand">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <path d="M16 2 28.1 9v14L16 30 3.9 23V9z" class="logo-hex" />
                    <rect x="10" y="10" width="5" height="5" rx="1" class="logo-cell" />
                    <rect x="17" y="10" width="5" height="5" rx="1" class="logo-cell" />
                    <rect x="10" y="17" width="5" height="5" rx="1" class="logo-cell" />
                    <rect x="17" y="17" width="5" height="5" rx="1" class="logo-cell dim" />
                </svg>
                <h1 class="brand-name">{"kubeplay"}</h1>
            </div>
            <p class="tagline">{"A Kubernetes playground that runs in your browser"}</p>
            { props.children.clone() }
        </header>
    }
}
