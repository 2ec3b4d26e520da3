//! The org's landing page. The dashboard's numbers (documents by status, automation
//! rate, open failures) arrive with documents and validation; today it shows the org,
//! the visitor's role and where to go.

use leptos::prelude::*;

use super::WithOrg;
use crate::shared::Role;
use crate::shared::org::OrgView;

/// `/o/{org}`
#[component]
pub fn OrgHomePage() -> impl IntoView {
    view! { <WithOrg title="Dashboard" body=home/> }
}

fn home(org: OrgView) -> impl IntoView {
    let base = format!("/o/{}", org.slug);
    let admin = org.role.at_least(Role::Admin);
    view! {
        <section aria-labelledby="org-heading" class="max-w-3xl">
            <h1 id="org-heading" class="text-2xl font-semibold tracking-tight">{org.name.clone()}</h1>
            <p class="mt-1 text-slate-600">
                "You are " <strong data-testid="my-role">{org.role.label()}</strong> " here · " {org.plan.clone()} " plan"
            </p>
            <div class="mt-8 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-slate-600">
                <h2 class="font-medium text-slate-800">"No documents yet"</h2>
                <p class="mt-1 text-sm">"Uploads, extraction and validation results will appear here."</p>
            </div>
            <ul class="mt-6 flex gap-4 text-sm">
                <li><a href=format!("{base}/properties") class="text-indigo-700 hover:underline">"Properties"</a></li>
                <li><a href=format!("{base}/members") class="text-indigo-700 hover:underline">"Members"</a></li>
                {admin.then(|| view! {
                    <li><a href=format!("{base}/settings") class="text-indigo-700 hover:underline">"Settings"</a></li>
                    <li><a href=format!("{base}/audit") class="text-indigo-700 hover:underline">"Audit log"</a></li>
                })}
            </ul>
        </section>
    }
}
