//! The org switcher: the current org's name and a menu of the user's other orgs plus
//! "Create organization". A `<details>` menu, so it works with the keyboard and
//! without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::shell::org_of_path;
use crate::shared::account::Me;

/// Switches between the user's organizations.
#[component]
pub fn OrgSwitcher(me: Me) -> impl IntoView {
    let location = use_location();
    let orgs = me.orgs.clone();
    let current = move || {
        let slug = org_of_path(&location.pathname.get());
        slug.and_then(|s| orgs.iter().find(|o| o.slug == s).map(|o| o.name.clone()))
    };
    view! {
        <nav aria-label="Organizations" class="relative text-sm">
            <details class="group">
                <summary class="cursor-pointer list-none rounded border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-50">
                    <span class="sr-only">"Current organization: "</span>
                    {move || current().unwrap_or_else(|| "Choose organization".into())}
                    <span aria-hidden="true">" ▾"</span>
                </summary>
                <ul class="absolute z-10 mt-1 w-64 rounded border border-slate-200 bg-white py-1 shadow-lg">
                    {me.orgs.iter().map(|o| view! {
                        <li>
                            <a href=format!("/o/{}", o.slug) class="flex justify-between px-3 py-2 hover:bg-slate-100">
                                <span>{o.name.clone()}</span>
                                <span class="text-xs text-slate-500">{o.role.label()}</span>
                            </a>
                        </li>
                    }).collect_view()}
                    <li class="border-t border-slate-100">
                        <a href="/account#create-org" class="block px-3 py-2 text-indigo-700 hover:bg-slate-100">"Create organization"</a>
                    </li>
                </ul>
            </details>
        </nav>
    }
}
