//! Home page: what Ledgerlens does and the live system status (version, database clock).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::system::get_system_status;
use crate::shared::{SystemStatus, UiError};
use crate::ui::session::use_session;

/// Landing page. The status is loaded with a blocking resource so the server sends it in
/// the first HTML (readable without JavaScript); "Refresh status" works after hydration.
#[component]
pub fn HomePage() -> impl IntoView {
    let (refreshes, set_refreshes) = signal(0u32);
    let status = Resource::new_blocking(move || refreshes.get(), |_| get_system_status());
    let session = use_session();

    view! {
        <Title text="Ledgerlens"/>
        <section aria-labelledby="home-heading" class="max-w-3xl">
            <h1 id="home-heading" class="text-3xl font-semibold tracking-tight">
                "Financial packages in, validated numbers out"
            </h1>
            <p class="mt-3 text-slate-600">
                "Ledgerlens reads the monthly packages of your properties — balance sheets, income "
                "statements, cash flows, rent rolls and GL exports — maps every line to your chart "
                "of accounts with a calibrated confidence, and explains each validation result "
                "down to the page and line of the source."
            </p>
        </section>

        <Transition fallback=|| ()>
            {move || Suspend::new(async move { where_next(session.await.ok().and_then(|s| s.me)) })}
        </Transition>

        <section
            aria-labelledby="status-heading"
            class="mt-8 max-w-3xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
        >
            <div class="flex items-center justify-between gap-4">
                <h2 id="status-heading" class="text-lg font-semibold">"System status"</h2>
                <button
                    type="button"
                    class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2"
                    on:click=move |_| set_refreshes.update(|n| *n += 1)
                >
                    "Refresh status"
                </button>
            </div>
            <Transition fallback=|| view! { <p class="mt-4 text-slate-500">"Loading status…"</p> }>
                {move || Suspend::new(async move { status_view(status.await) })}
            </Transition>
            <p role="status" aria-live="polite" class="mt-4 text-xs text-slate-500">
                {move || match refreshes.get() {
                    0 => "Loaded with the page.".to_string(),
                    1 => "Refreshed 1 time.".to_string(),
                    n => format!("Refreshed {n} times."),
                }}
            </p>
        </section>
    }
}

fn status_view(result: Result<SystemStatus, UiError>) -> AnyView {
    match result {
        Ok(s) => view! {
            <dl aria-label="System status" class="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2 text-sm">
                <dt class="text-slate-500">"Version"</dt>
                <dd data-testid="app-version" class="font-mono">{s.version}</dd>
                <dt class="text-slate-500">"Database time"</dt>
                <dd data-testid="database-time" class="font-mono">{s.database_time}</dd>
                <dt class="text-slate-500">"Database"</dt>
                <dd data-testid="database-version" class="font-mono">{s.database_version}</dd>
            </dl>
        }
        .into_any(),
        Err(e) => view! {
            <p role="alert" class="mt-4 rounded bg-red-50 p-3 text-sm text-red-800">{e.message}</p>
        }
        .into_any(),
    }
}

/// Your organizations when signed in; the way in otherwise.
fn where_next(me: Option<crate::shared::account::Me>) -> AnyView {
    match me {
        Some(me) if !me.orgs.is_empty() => view! {
            <section aria-labelledby="your-orgs-heading" class="mt-8 max-w-3xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <h2 id="your-orgs-heading" class="text-lg font-semibold">"Your organizations"</h2>
                <ul class="mt-3 space-y-1">
                    {me.orgs.into_iter().map(|o| view! {
                        <li><a href=format!("/o/{}", o.slug) class="text-indigo-700 hover:underline">{o.name}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
        Some(_) => view! {
            <p class="mt-8 text-slate-700">
                <a href="/account#create-org" class="text-indigo-700 hover:underline">"Create your first organization"</a>
            </p>
        }
        .into_any(),
        None => view! {
            <div class="mt-8 flex gap-3">
                <a href="/signup" class="rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">"Create an account"</a>
                <a href="/login" class="rounded border border-slate-300 px-4 py-2 text-sm text-slate-700 hover:bg-slate-100">"Log in"</a>
            </div>
        }
        .into_any(),
    }
}
