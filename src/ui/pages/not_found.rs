//! The 404 page. Sets the HTTP status on the server so crawlers and clients see a real 404.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Shown for any path no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }

    view! {
        <Title text="Page not found · Ledgerlens"/>
        <section aria-labelledby="not-found-heading" class="mx-auto max-w-xl py-16 text-center">
            <p class="text-sm font-semibold text-indigo-600">"404"</p>
            <h1 id="not-found-heading" class="mt-2 text-3xl font-semibold tracking-tight">
                "Page not found"
            </h1>
            <p class="mt-4 text-slate-600">
                "The page you asked for does not exist, or you do not have access to it."
            </p>
            <A href="/" attr:class="mt-8 inline-block rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
                "Back to the home page"
            </A>
        </section>
    }
}
