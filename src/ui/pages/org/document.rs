//! One document, `/o/{org}/documents/{id}`: its metadata (property, period, type, status,
//! pages, size, SHA-256, who uploaded it and when), download, the extracted lines beside
//! an inline view of the PDF (a line's page link opens that page in the viewer — a plain
//! link targeting the frame, so it works without JavaScript), live while extraction
//! runs, and delete for admins (a confirm step that works without JavaScript too).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::{WithOrg, use_org_slug};
use crate::server_fns::documents::{DeleteDocument, get_document, get_document_lines};
use crate::shared::Role;
use crate::shared::document::{DocumentLines, DocumentView, LineView};
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
    let lines = Resource::new_blocking(
        move || (slug.get(), id.get()),
        |(org, id)| get_document_lines(org, id),
    );
    // Status and lines follow the extraction job as it runs.
    crate::ui::live::on_org_job_changes(
        slug,
        Callback::new(move |()| {
            doc.refetch();
            lines.refetch();
        }),
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
                                match (doc.await, lines.await) {
                                    (Ok(d), Ok(lines)) => view! { <Details d lines slug admin delete/> }.into_any(),
                                    (Err(error), _) | (_, Err(error)) => view! { <PageError error/> }.into_any(),
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
    lines: DocumentLines,
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
        <div class="max-w-7xl space-y-6">
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
            <div class=if is_pdf { "grid gap-4 lg:grid-cols-2" } else { "" }>
                <Lines lines pdf=is_pdf.then(|| inline.clone())/>
                {is_pdf.then(|| view! {
                    <section aria-label="PDF preview" class="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm lg:sticky lg:top-4 lg:self-start">
                        <iframe title="PDF preview" name="pdf-preview" src=inline class="h-[80vh] w-full"></iframe>
                    </section>
                })}
            </div>
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

/// The extracted lines as a table: page (a link into the PDF viewer), label indented by
/// level, section, amount right-aligned; totals in bold.
#[component]
fn Lines(lines: DocumentLines, pdf: Option<String>) -> impl IntoView {
    let count = lines.lines.len();
    let empty = match lines.status.as_str() {
        "extracted" => "No line items were found in this document.",
        "failed" => "Extraction failed; the reason is shown above.",
        _ => "Line items appear here once extraction has finished.",
    };
    view! {
        <section aria-labelledby="lines-heading" class="rounded-lg border border-slate-200 bg-white shadow-sm">
            <header class="flex items-baseline justify-between border-b border-slate-100 px-4 py-2">
                <h2 id="lines-heading" class="font-medium">"Line items"</h2>
                <span class="text-xs text-slate-500">
                    {if count == 0 { String::new() } else { format!("{count} lines") }}
                    {lines.extractor_version.clone().map(|v| format!(" · {v}"))}
                </span>
            </header>
            {if count == 0 {
                view! { <p class="px-4 py-6 text-sm text-slate-500">{empty}</p> }.into_any()
            } else {
                view! {
                    <div class="max-h-[80vh] overflow-auto">
                        <table class="w-full text-sm" aria-label="Extracted line items">
                            <thead class="sticky top-0 bg-slate-50 text-left text-xs uppercase text-slate-500">
                                <tr>
                                    <th scope="col" class="px-3 py-1.5">{if pdf.is_some() { "Page" } else { "Row" }}</th>
                                    <th scope="col" class="px-3 py-1.5">"Label"</th>
                                    <th scope="col" class="px-3 py-1.5 text-right">"Amount"</th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {lines.lines.into_iter().map(|l| view! { <LineRow l pdf=pdf.clone()/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn LineRow(l: LineView, pdf: Option<String>) -> impl IntoView {
    let weight = if l.is_total { "font-semibold" } else { "" };
    let pad = format!(
        "padding-left: {}rem",
        0.75 + 0.75 * l.level.clamp(0, 6) as f32
    );
    let place = match (&pdf, &l.cell, l.row) {
        (Some(url), _, _) => view! {
            <a href=format!("{url}#page={}", l.page) target="pdf-preview"
                class="text-indigo-700 hover:underline"
                aria-label=format!("Show page {} of the PDF", l.page)>{l.page}</a>
        }
        .into_any(),
        (None, Some(cell), _) => {
            view! { <span>{format!("{} {cell}", l.sheet.clone().unwrap_or_default())}</span> }
                .into_any()
        }
        (None, None, Some(row)) => view! { <span>{row}</span> }.into_any(),
        _ => view! { <span>"—"</span> }.into_any(),
    };
    view! {
        <tr class=weight title=l.section.clone()>
            <td class="px-3 py-1 text-slate-500 tabular-nums">{place}</td>
            <td class="py-1" style=pad>{l.label}</td>
            <td class="px-3 py-1 text-right tabular-nums">{l.amount}</td>
        </tr>
    }
}
