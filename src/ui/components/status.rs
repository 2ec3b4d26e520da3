//! Status pages shown inside the shell: 403 for a role that is too low, the log-in
//! redirect for anonymous visitors, and a generic error box. On the server they set the
//! HTTP status (or the redirect) so the answer is right with JavaScript off too.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::shared::UiError;
use crate::ui::pages::NotFoundPage;

/// "You do not have access" with status 403.
#[component]
pub fn Forbidden(#[prop(optional, into)] message: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::FORBIDDEN);
        }
    }
    view! {
        <section aria-labelledby="forbidden-heading" class="mx-auto max-w-xl py-16 text-center">
            <p class="text-sm font-semibold text-indigo-600">"403"</p>
            <h1 id="forbidden-heading" class="mt-2 text-2xl font-semibold">"You do not have access to this page"</h1>
            <p class="mt-4 text-slate-600">
                {message.unwrap_or_else(|| "Your role in this organization does not include it. Ask an admin if you need it.".into())}
            </p>
        </section>
    }
}

/// Sends an anonymous visitor to the log-in page, coming back here afterwards.
#[component]
pub fn Unauthenticated() -> impl IntoView {
    let location = use_location();
    let here = location.pathname.get_untracked() + &location.search.get_untracked();
    let next = crate::ui::url::encode(&here);
    view! { <Redirect path=format!("/login?next={next}")/> }
}

/// The right page for a failed load: log-in redirect, 404, 403 or an error box.
#[component]
pub fn PageError(error: UiError) -> impl IntoView {
    match error.code.as_str() {
        "unauthenticated" => view! { <Unauthenticated/> }.into_any(),
        "not_found" => view! { <NotFoundPage/> }.into_any(),
        "forbidden" => view! { <Forbidden/> }.into_any(),
        _ => view! {
            <p role="alert" class="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-800">
                {error.message}
            </p>
        }
        .into_any(),
    }
}
