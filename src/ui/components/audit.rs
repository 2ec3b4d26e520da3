//! The audit log's filter form and table, shared by the org and the global audit pages.
//! Filters live in the query string: a plain GET form, so links are shareable and the
//! pages work without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::shared::UiError;
use crate::shared::audit::{AuditFilter, AuditPage};
use crate::ui::components::PageError;

/// The filter in the current URL.
pub fn use_audit_filter() -> Memo<AuditFilter> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| AuditFilter {
            from: q.get("from").unwrap_or_default(),
            to: q.get("to").unwrap_or_default(),
            actor: q.get("actor").unwrap_or_default(),
            action: q.get("action").unwrap_or_default(),
            after: q.get("after").unwrap_or_default(),
        })
    })
}

/// The query string of `f` with `after` replaced.
fn query_with_after(f: &AuditFilter, after: &str) -> String {
    crate::ui::url::query(&[
        ("from", &f.from),
        ("to", &f.to),
        ("actor", &f.actor),
        ("action", &f.action),
        ("after", after),
    ])
}

/// Date range, actor and action filters, with inline errors.
#[component]
pub fn AuditFilters(filter: AuditFilter, error: Option<UiError>) -> impl IntoView {
    let msg = |field: &str| {
        error
            .as_ref()
            .and_then(|e| e.field(field).map(str::to_string))
    };
    let input = "block w-full rounded border border-slate-300 px-2 py-1.5 text-sm";
    let field = |id: &'static str, label: &'static str, kind: &'static str, value: String| {
        let m = msg(id);
        view! {
            <div class="space-y-1">
                <label for=format!("audit-{id}") class="block text-xs font-medium text-slate-600">{label}</label>
                <input
                    id=format!("audit-{id}")
                    name=id
                    type=kind
                    value=value
                    class=input
                    aria-invalid=m.is_some().then_some("true")
                    aria-describedby=m.is_some().then(|| format!("audit-{id}-error"))
                />
                {m.map(|m| view! { <p id=format!("audit-{id}-error") class="text-xs text-red-700">{m}</p> })}
            </div>
        }
    };
    let cursor_error = msg("after");
    view! {
        <form method="get" role="search" aria-label="Filter events" class="grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-5">
            {field("from", "From", "date", filter.from.clone())}
            {field("to", "To", "date", filter.to.clone())}
            {field("actor", "Actor email", "text", filter.actor.clone())}
            {field("action", "Action", "text", filter.action.clone())}
            <div class="flex gap-2">
                <button type="submit" class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">"Apply"</button>
                <a href="?" class="rounded border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100">"Clear"</a>
            </div>
            {cursor_error.map(|m| view! { <p role="alert" class="col-span-full text-sm text-red-700">{m}</p> })}
        </form>
    }
}

/// One page of events, newest first, with a link to older ones.
#[component]
pub fn AuditTable(page: AuditPage, filter: AuditFilter, show_org: bool) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
                "No events match these filters."
            </p>
        }
        .into_any();
    }
    let next = page.next.clone();
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit events">
                <thead class="bg-slate-50 text-left text-slate-600">
                    <tr>
                        <th scope="col" class="px-3 py-2 font-medium">"Time (UTC)"</th>
                        {show_org.then(|| view! { <th scope="col" class="px-3 py-2 font-medium">"Organization"</th> })}
                        <th scope="col" class="px-3 py-2 font-medium">"Actor"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Action"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Target"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Details"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Request"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 align-top">
                    {page.rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="whitespace-nowrap px-3 py-2 font-mono text-xs">{r.occurred_at.replace('T', " ")}</td>
                            {show_org.then(|| view! { <td class="px-3 py-2">{r.org.clone().unwrap_or_else(|| "—".into())}</td> })}
                            <td class="px-3 py-2">{r.actor.clone().unwrap_or_else(|| "system".into())}</td>
                            <td class="px-3 py-2 font-mono text-xs">{r.action.clone()}</td>
                            <td class="px-3 py-2 text-xs text-slate-600">{r.target.clone().unwrap_or_default()}</td>
                            <td class="max-w-md break-all px-3 py-2 font-mono text-xs text-slate-600">{r.details.clone()}</td>
                            <td class="px-3 py-2 font-mono text-xs text-slate-500" title=r.ip.clone().unwrap_or_default()>
                                {r.request_id.clone().map(|id| id.chars().take(8).collect::<String>()).unwrap_or_default()}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {next.map(|cursor| view! {
            <nav aria-label="Pages" class="mt-3">
                <a href=query_with_after(&filter, &cursor) class="text-sm text-indigo-700 hover:underline">"Older events →"</a>
            </nav>
        })}
    }
    .into_any()
}

/// A whole audit log screen: heading, filters (with inline errors) and the table, over a
/// resource that loads the page for the current filter.
#[component]
pub fn AuditLog(
    heading: &'static str,
    filter: Memo<AuditFilter>,
    page: Resource<Result<AuditPage, UiError>>,
    show_org: bool,
) -> impl IntoView {
    view! {
        <div class="max-w-6xl space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">{heading}</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <AuditFilters filter=filter.get_untracked() error=None/>
                            <AuditTable page=p filter=filter.get_untracked() show_org/>
                        }.into_any(),
                        Err(error) if error.code == "validation" => view! {
                            <AuditFilters filter=filter.get_untracked() error=Some(error)/>
                        }.into_any(),
                        Err(error) => view! { <PageError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
