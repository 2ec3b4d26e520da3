//! `/o/{org}/jobs?state=`: the org's newest background jobs with state, progress, step,
//! attempts and last error, kept live by the org's job stream; admins send failed or dead
//! jobs round again.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{WithOrg, use_org_slug};
use crate::server_fns::jobs::{RetryJob, list_jobs};
use crate::shared::Role;
use crate::shared::job::{JOB_STATES, JobView};
use crate::ui::components::jobs::{JobCells, JobHeaders};
use crate::ui::components::{FormAlert, PageError, action_error};

/// `/o/{org}/jobs`
#[component]
pub fn JobsPage() -> impl IntoView {
    let slug = use_org_slug();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| q.get("state")).unwrap_or_default());
    let retry = ServerAction::<RetryJob>::new();
    let jobs = Resource::new_blocking(
        move || (slug.get(), filter.get(), retry.version().get()),
        |(org, state, _)| list_jobs(org, state),
    );
    let retry_error = action_error(retry.value());
    // Progress, steps and states change while the page is open.
    crate::ui::live::on_org_job_changes(slug, Callback::new(move |()| jobs.refetch()));
    view! {
        <WithOrg title="Jobs" body=move |org| {
            let admin = org.role >= Role::Admin;
            let slug = org.slug.clone();
            view! {
                <div class="max-w-6xl space-y-6">
                    <h1 class="text-2xl font-semibold tracking-tight">"Jobs"</h1>
                    <form method="get" role="search" aria-label="Filter jobs" class="flex items-end gap-3">
                        <div class="space-y-1">
                            <label for="job-state" class="block text-xs font-medium text-slate-600">"State"</label>
                            <select id="job-state" name="state" class="rounded border border-slate-300 px-2 py-1.5 text-sm">
                                <option value="">"Any"</option>
                                {JOB_STATES.into_iter().map(|s| view! { <option value=s selected=filter.get_untracked() == s>{s}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500">"Apply"</button>
                    </form>
                    <FormAlert error=retry_error/>
                    <Transition fallback=|| view! { <p class="text-slate-500">"Loading jobs…"</p> }>
                        {
                            let slug = slug.clone();
                            move || {
                                let slug = slug.clone();
                                Suspend::new(async move {
                                    match jobs.await {
                                        Ok(list) => view! { <JobsTable list slug admin retry/> }.into_any(),
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
fn JobsTable(
    list: Vec<JobView>,
    slug: String,
    admin: bool,
    retry: ServerAction<RetryJob>,
) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
                "No jobs here. Each uploaded document queues an extraction job, which shows up here with its progress."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Jobs">
                <thead class="bg-slate-50 text-left text-slate-600">
                    <tr><JobHeaders/><th scope="col" class="px-3 py-2 font-medium">"Document"</th><th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th></tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list.into_iter().map(|job| {
                        let id = job.id.to_string();
                        let doc = job.document_id.map(|d| view! {
                            <a href=format!("/o/{slug}/documents/{d}") class="text-indigo-700 hover:underline">"Open"</a>
                        });
                        let can_retry = admin && job.retryable();
                        let label = format!("Retry job {id}");
                        let row_label = format!("Job {id}");
                        let slug = slug.clone();
                        view! {
                            <tr aria-label=row_label>
                                <JobCells job/>
                                <td class="px-3 py-2">{doc}</td>
                                <td class="px-3 py-2">
                                    {can_retry.then(|| view! {
                                        <ActionForm action=retry>
                                            <input type="hidden" name="org" value=slug/>
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" aria-label=label class="text-indigo-700 hover:underline">"Retry"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
