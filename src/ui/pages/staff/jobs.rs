//! `/staff/jobs`: dead jobs — of every tenant for superusers, of assigned tenants for
//! support — with their tenant and error. Read-only: tenants' admins retry them.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::staff::list_dead_jobs;
use crate::shared::job::StaffJobRow;
use crate::ui::components::PageError;
use crate::ui::components::jobs::{JobCells, JobHeaders};

/// `/staff/jobs`
#[component]
pub fn StaffJobsPage() -> impl IntoView {
    let jobs = Resource::new_blocking(|| (), |_| list_dead_jobs());
    view! {
        <Title text="Dead jobs · Staff console · Ledgerlens"/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(rows) => view! { <DeadJobs rows/> }.into_any(),
                    Err(error) => view! { <PageError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeadJobs(rows: Vec<StaffJobRow>) -> impl IntoView {
    view! {
        <div class="max-w-6xl space-y-4">
            <h1 class="text-2xl font-semibold tracking-tight">"Dead jobs"</h1>
            <p class="text-sm text-slate-600">"Jobs that used up their attempts, newest first. The tenant's admins can retry them from their jobs page."</p>
            {if rows.is_empty() {
                view! { <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">"No dead jobs."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                        <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Dead jobs">
                            <thead class="bg-slate-50 text-left text-slate-600">
                                <tr><th scope="col" class="px-3 py-2 font-medium">"Tenant"</th><JobHeaders/></tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td class="px-3 py-2">{r.org_name}<span class="block font-mono text-xs text-slate-500">{r.org_slug}</span></td>
                                        <JobCells job=r.job/>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </div>
    }
}
