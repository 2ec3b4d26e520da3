//! Documents of an org: filters (property, period, type, status) in the query string —
//! a plain GET form, so the page is shareable and reads without JavaScript — newest
//! first with keyset pages, status badges, and a link to each document's page. Editors
//! and above also get the upload panel (`upload.rs`); the list refreshes as files land.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::upload::UploadPanel;
use super::{WithOrg, use_org_slug};
use crate::server_fns::documents::list_documents;
use crate::server_fns::org::list_properties;
use crate::shared::Role;
use crate::shared::document::{DocType, DocumentPage, DocumentQuery};
use crate::ui::components::PageError;

/// `/o/{org}/documents?property=&period=&doc_type=&status=&after=`
#[component]
pub fn DocumentsPage() -> impl IntoView {
    let slug = use_org_slug();
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|q| DocumentQuery {
            property: q.get("property").unwrap_or_default(),
            period: q.get("period").unwrap_or_default(),
            doc_type: q.get("doc_type").unwrap_or_default(),
            status: q.get("status").unwrap_or_default(),
            after: q.get("after").unwrap_or_default(),
        })
    });
    let page = Resource::new_blocking(
        move || (slug.get(), query.get()),
        |(org, q)| list_documents(org, q),
    );
    let properties = Resource::new_blocking(move || slug.get(), list_properties);
    let refresh = Callback::new(move |()| page.refetch());
    // Statuses move as extraction jobs run.
    crate::ui::live::on_org_job_changes(slug, refresh);
    view! {
        <WithOrg title="Documents" body=move |org| {
            let slug = org.slug.clone();
            view! {
                <div class="max-w-6xl space-y-6">
                    <h1 class="text-2xl font-semibold tracking-tight">"Documents"</h1>
                    {(org.role >= Role::Editor).then(|| {
                        let slug = slug.clone();
                        view! {
                            <Suspense fallback=|| ()>
                                {
                                    let slug = slug.clone();
                                    move || {
                                        let slug = slug.clone();
                                        Suspend::new(async move {
                                            properties.await.ok().map(|properties| view! { <UploadPanel slug properties on_uploaded=refresh/> })
                                        })
                                    }
                                }
                            </Suspense>
                        }
                    })}
                    <Filters q=query.get_untracked()/>
                    // A transition: refreshing after an upload keeps the table on screen.
                    <Transition fallback=|| view! { <p class="text-slate-500">"Loading documents…"</p> }>
                        {
                            let slug = slug.clone();
                            move || {
                                let slug = slug.clone();
                                Suspend::new(async move {
                                    match page.await {
                                        Ok(p) => view! { <DocumentTable page=p slug q=query.get_untracked()/> }.into_any(),
                                        Err(error) => view! { <PageError error/> }.into_any(),
                                    }
                                })
                            }
                        }
                    </Transition>
                </div>
            }
        }/>
    }
}

#[component]
fn Filters(q: DocumentQuery) -> impl IntoView {
    let input = "block w-full rounded border border-slate-300 px-2 py-1.5 text-sm";
    view! {
        <form method="get" role="search" aria-label="Filter documents" class="grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-5">
            <div class="space-y-1">
                <label for="doc-property" class="block text-xs font-medium text-slate-600">"Property code"</label>
                <input id="doc-property" name="property" value=q.property class=input/>
            </div>
            <div class="space-y-1">
                <label for="doc-period" class="block text-xs font-medium text-slate-600">"Period"</label>
                <input id="doc-period" name="period" type="month" value=q.period class=input/>
            </div>
            <div class="space-y-1">
                <label for="doc-type" class="block text-xs font-medium text-slate-600">"Type"</label>
                <select id="doc-type" name="doc_type" class=input>
                    <option value="">"Any"</option>
                    {DocType::ALL.into_iter().map(|d| view! { <option value=d.as_str() selected=q.doc_type == d.as_str()>{d.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="space-y-1">
                <label for="doc-status" class="block text-xs font-medium text-slate-600">"Status"</label>
                <select id="doc-status" name="status" class=input>
                    <option value="">"Any"</option>
                    {["queued", "extracting", "extracted", "failed"].into_iter().map(|s| view! { <option value=s selected=q.status == s>{s}</option> }).collect_view()}
                </select>
            </div>
            <div class="flex gap-2">
                <button type="submit" class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">"Apply"</button>
                <a href="?" class="rounded border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100">"Clear"</a>
            </div>
        </form>
    }
}

fn badge(status: &str) -> &'static str {
    match status {
        "extracted" => "bg-green-100 text-green-800",
        "failed" => "bg-red-100 text-red-800",
        "extracting" => "bg-amber-100 text-amber-800",
        _ => "bg-slate-100 text-slate-700",
    }
}

#[component]
fn DocumentTable(page: DocumentPage, slug: String, q: DocumentQuery) -> impl IntoView {
    if page.documents.is_empty() {
        return view! {
            <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
                "No documents match. Upload a property's monthly package (editors can drop files above, scripts use the API) and it appears here."
            </p>
        }
        .into_any();
    }
    let next = page.next.clone().map(|cursor| {
        crate::ui::url::query(&[
            ("property", &q.property),
            ("period", &q.period),
            ("doc_type", &q.doc_type),
            ("status", &q.status),
            ("after", &cursor),
        ])
    });
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Documents">
                <thead class="bg-slate-50 text-left text-slate-600">
                    <tr>
                        <th scope="col" class="px-3 py-2 font-medium">"Property"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Period"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Type"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"File"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Status"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Uploaded"</th>
                        <th scope="col" class="px-3 py-2 font-medium"><span class="sr-only">"Download"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {page.documents.into_iter().map(|d| {
                        let href = format!("/o/{slug}/documents/{}", d.id);
                        let download = format!("/api/v1/documents/{}/download?org={}", d.id, crate::ui::url::encode(&slug));
                        view! {
                            <tr aria-label=d.filename.clone()>
                                <td class="px-3 py-2 font-mono">{d.property.clone()}</td>
                                <td class="px-3 py-2">{d.period.clone()}</td>
                                <td class="px-3 py-2">{d.doc_type.label()}</td>
                                <td class="px-3 py-2"><a href=href class="text-indigo-700 hover:underline">{d.filename.clone()}</a></td>
                                <td class="px-3 py-2">
                                    <span class=format!("rounded px-2 py-0.5 text-xs font-medium {}", badge(&d.status))>{d.status.clone()}</span>
                                    {(d.status != "failed").then(|| {
                                        let done = if d.status == "extracted" { 100 } else { d.progress.unwrap_or(0) };
                                        view! {
                                            <div role="progressbar" aria-label=format!("Extraction progress of {}", d.filename)
                                                aria-valuemin="0" aria-valuemax="100" aria-valuenow=done.to_string()
                                                class="mt-1 h-1 w-24 overflow-hidden rounded bg-slate-200">
                                                <div class="h-full bg-indigo-500 transition-all" style=format!("width: {done}%")></div>
                                            </div>
                                        }
                                    })}
                                    {d.error.clone().map(|e| view! { <p class="mt-1 text-xs text-red-700">{e}</p> })}
                                </td>
                                <td class="px-3 py-2 text-slate-600">{d.created_at.get(..10).unwrap_or("").to_string()}{d.uploaded_by.clone().map(|u| format!(" · {u}"))}</td>
                                <td class="px-3 py-2"><a href=download download="" class="text-indigo-700 hover:underline" aria-label=format!("Download {}", d.filename)>"Download"</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {next.map(|href| view! {
            <nav aria-label="Pages" class="mt-3"><a href=href class="text-sm text-indigo-700 hover:underline">"Older documents →"</a></nav>
        })}
    }
    .into_any()
}
