//! The org's audit log (admins and owners): filters by date range, actor and action in
//! the query string (shareable, works without JavaScript), newest first, keyset pages.

use leptos::prelude::*;

use super::{WithOrg, use_org_slug};
use crate::server_fns::org::list_org_audit;
use crate::ui::components::audit::{AuditLog, use_audit_filter};

/// `/o/{org}/audit?from=&to=&actor=&action=&after=`
#[component]
pub fn OrgAuditPage() -> impl IntoView {
    let slug = use_org_slug();
    let filter = use_audit_filter();
    let page = Resource::new_blocking(
        move || (slug.get(), filter.get()),
        |(org, f)| list_org_audit(org, f),
    );
    view! {
        <WithOrg title="Audit log" body=move |_| view! { <AuditLog heading="Audit log" filter page show_org=false/> }/>
    }
}
