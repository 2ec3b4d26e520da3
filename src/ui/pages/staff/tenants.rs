//! `/staff`: the tenants a staff user may see, with plan, member count and created date.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::staff::list_tenants;
use crate::shared::StaffRole;
use crate::shared::staff::TenantsPage;
use crate::ui::components::PageError;

/// `/staff`
#[component]
pub fn StaffTenantsPage() -> impl IntoView {
    let tenants = Resource::new_blocking(|| (), |_| list_tenants());
    view! {
        <Title text="Tenants · Staff console · Ledgerlens"/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match tenants.await {
                    Ok(page) => view! { <Tenants page/> }.into_any(),
                    Err(error) => view! { <PageError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Tenants(page: TenantsPage) -> impl IntoView {
    let scope = match page.staff_role {
        StaffRole::Superuser => "All tenants (superuser).",
        _ => "Tenants assigned to you (support, read-only).",
    };
    view! {
        <div class="max-w-5xl space-y-4">
            <h1 class="text-2xl font-semibold tracking-tight">"Tenants"</h1>
            <p class="text-sm text-slate-600">{scope}</p>
            {if page.tenants.is_empty() {
                view! { <p class="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">"No tenants to show."</p> }.into_any()
            } else {
                view! {
                    <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                        <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Tenants">
                            <thead class="bg-slate-50 text-left text-slate-600">
                                <tr>
                                    <th scope="col" class="px-4 py-2 font-medium">"Organization"</th>
                                    <th scope="col" class="px-4 py-2 font-medium">"Slug"</th>
                                    <th scope="col" class="px-4 py-2 font-medium">"Plan"</th>
                                    <th scope="col" class="px-4 py-2 font-medium">"Status"</th>
                                    <th scope="col" class="px-4 py-2 text-right font-medium">"Members"</th>
                                    <th scope="col" class="px-4 py-2 font-medium">"Created"</th>
                                </tr>
                            </thead>
                            <tbody class="divide-y divide-slate-100">
                                {page.tenants.into_iter().map(|t| view! {
                                    <tr>
                                        <td class="px-4 py-2">{t.name}</td>
                                        <td class="px-4 py-2 font-mono text-xs">{t.slug}</td>
                                        <td class="px-4 py-2">{t.plan}</td>
                                        <td class="px-4 py-2">{t.subscription_status}</td>
                                        <td class="px-4 py-2 text-right tabular-nums">{t.member_count}</td>
                                        <td class="px-4 py-2">{t.created}</td>
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
