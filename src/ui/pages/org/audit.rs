//! The org's audit log (admins and owners): filters by date range, actor and action in
//! the query string (shareable, works without JavaScript), newest first, keyset pages.

use leptos::prelude::*;
use leptos_meta::Title;

use super::use_org_slug;
use crate::server_fns::org::list_org_audit;
use crate::shared::org::OrgView;
use crate::ui::components::PageError;
use crate::ui::components::audit::{AuditFilters, AuditTable, use_audit_filter};

/// `/o/{org}/audit?from=&to=&actor=&action=&after=`
#[component]
pub fn OrgAuditPage() -> impl IntoView {
    let slug = use_org_slug();
    let org = expect_context::<OrgView>();
    let filter = use_audit_filter();
    let page = Resource::new_blocking(
        move || (slug.get(), filter.get()),
        |(org, f)| list_org_audit(org, f),
    );
    view! {
        <Title text=format!("Audit log · {}", org.name)/>
        <div class="max-w-6xl space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">"Audit log"</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading events…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! {
                            <AuditFilters filter=filter.get_untracked() error=None/>
                            <AuditTable page=p filter=filter.get_untracked() show_org=false/>
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
