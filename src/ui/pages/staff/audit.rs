//! `/staff/audit`: every event of every tenant and outside them (superusers).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::staff::list_global_audit;
use crate::ui::components::PageError;
use crate::ui::components::audit::{AuditFilters, AuditTable, use_audit_filter};

/// `/staff/audit?from=&to=&actor=&action=&after=`
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let filter = use_audit_filter();
    let page = Resource::new_blocking(move || filter.get(), list_global_audit);
    view! {
        <Title text="Global audit log · Staff console · Ledgerlens"/>
        <div class="max-w-6xl space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">"Global audit log"</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <AuditFilters filter=filter.get_untracked() error=None/>
                            <AuditTable page=p filter=filter.get_untracked() show_org=true/>
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
