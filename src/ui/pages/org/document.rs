//! One document, `/o/{org}/documents/{id}`: its metadata (property, period, type, status,
//! pages, size, SHA-256, who uploaded it and when), download, an inline view for PDFs,
//! and delete for admins (a confirm step that works without JavaScript too).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{WithOrg, use_org_slug};
use crate::server_fns::documents::{DeleteDocument, get_document};
use crate::shared::Role;
use crate::shared::document::DocumentView;
use crate::ui::components::{FormAlert, PageError, action_error, go_on_success};
use crate::ui::format::{human_size, short_time};

/// `/o/{org}/documents/{id}`
#[component]
pub fn DocumentDetailPage() -> impl IntoView {
    let slug = use_org_slug();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let doc = Resource::new_blocking(
        move || (slug.get(), id.get()),
        |(org, id)| get_document(org, id),
    );
    let delete = ServerAction::<DeleteDocument>::new();
    go_on_success(delete.value());
    view! {
        <WithOrg title="Document" body=move |org| {
            let admin = org.role >= Role::Admin;
            let slug = org.slug.clone();
            view! {
                <Suspense fallback=|| view! { <p class="text-slate-500">"Loading the document…"</p> }>
                    {
                        let slug = slug.clone();
                        move || {
                            let slug = slug.clone();
                            Suspend::new(async move {
                                match doc.await {
                                    Ok(d) => view! { <Details d slug admin delete/> }.into_any(),
                                    Err(error) => view! { <PageError error/> }.into_any(),
                                }
                            })
                        }
                    }
                </Suspense>
            }
        }/>
    }
}

#[component]
fn Details(
    d: DocumentView,
    slug: String,
    admin: bool,
    delete: ServerAction<DeleteDocument>,
) -> impl IntoView {
    let base = format!(
        "/api/v1/documents/{}/download?org={}",
        d.id,
        crate::ui::url::encode(&slug)
    );
    let inline = format!("{base}&inline=1");
    let is_pdf = d.content_type == "application/pdf";
    let row = |label: &'static str, value: String| {
        view! {
            <div class="grid grid-cols-3 gap-2 px-4 py-2">
                <dt class="text-slate-500">{label}</dt>
                <dd class="col-span-2 break-all text-slate-900">{value}</dd>
            </div>
        }
    };
    let delete_error = action_error(delete.value());
    view! {
        <div class="max-w-4xl space-y-6">
            <nav aria-label="Breadcrumb" class="text-sm">
                <a href=format!("/o/{slug}/documents") class="text-indigo-700 hover:underline">"← Documents"</a>
            </nav>
            <header class="flex flex-wrap items-start justify-between gap-3">
                <div>
                    <h1 class="break-all text-2xl font-semibold tracking-tight">{d.filename.clone()}</h1>
                    <p class="text-sm text-slate-600">{format!("{} · {} · {}", d.property, d.period, d.doc_type.label())}</p>
                </div>
                <div class="flex gap-2">
                    <a href=base.clone() download="" class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">"Download"</a>
                    {is_pdf.then(|| view! {
                        <a href=inline.clone() target="_blank" rel="noopener" class="rounded border border-slate-300 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100">"Open PDF"</a>
                    })}
                </div>
            </header>
            <dl aria-label="Document details" class="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm shadow-sm">
                {row("Status", d.status.clone())}
                {d.error.clone().map(|e| row("Extraction error", e))}
                {row("Property", d.property.clone())}
                {row("Period", d.period.clone())}
                {row("Type", d.doc_type.label().to_string())}
                {row("Pages", d.pages.map(|p| p.to_string()).unwrap_or_else(|| "—".into()))}
                {row("Size", human_size(d.size_bytes))}
                {row("Content type", d.content_type.clone())}
                {row("SHA-256", d.sha256.clone())}
                {row("Uploaded by", d.uploaded_by.clone().unwrap_or_else(|| "an API token or a removed member".into()))}
                {row("Uploaded", format!("{} UTC", short_time(&d.created_at)))}
            </dl>
            {is_pdf.then(|| view! {
                <section aria-label="PDF preview" class="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
                    <iframe title="PDF preview" src=inline class="h-[70vh] w-full"></iframe>
                </section>
            })}
            {admin.then(|| view! {
                <details class="rounded-lg border border-red-200 bg-white p-4 text-sm">
                    <summary class="cursor-pointer font-medium text-red-800">"Delete this document…"</summary>
                    <p class="mt-2 text-slate-700">"The file and everything extracted from it are removed, and it stops counting against the plan's quota. The audit log keeps a record."</p>
                    <ActionForm action=delete attr:class="mt-3 space-y-2">
                        <input type="hidden" name="org" value=slug.clone()/>
                        <input type="hidden" name="id" value=d.id.to_string()/>
                        <FormAlert error=delete_error/>
                        <button type="submit" disabled=move || delete.pending().get()
                            class="rounded bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-600 disabled:opacity-60">"Delete permanently"</button>
                    </ActionForm>
                </details>
            })}
        </div>
    }
}
