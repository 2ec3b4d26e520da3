//! `/staff/audit`: every event of every tenant and outside them (superusers).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::staff::list_global_audit;
use crate::ui::components::audit::{AuditLog, use_audit_filter};

/// `/staff/audit?from=&to=&actor=&action=&after=`
#[component]
pub fn StaffAuditPage() -> impl IntoView {
    let filter = use_audit_filter();
    let page = Resource::new_blocking(move || filter.get(), list_global_audit);
    view! {
        <Title text="Global audit log · Staff console · Ledgerlens"/>
        <AuditLog heading="Global audit log" filter page show_org=true/>
    }
}
