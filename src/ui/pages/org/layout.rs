//! `/o/{org}/…`: resolves the org for the visitor before any child renders. Anonymous
//! visitors are sent to log in; non-members get the 404 page (the org's existence is
//! never confirmed); members see the page with the org in context.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use super::use_org_slug;
use crate::server_fns::org::get_org;
use crate::ui::components::PageError;

/// Parent route of every org screen.
#[component]
pub fn OrgLayout() -> impl IntoView {
    let slug = use_org_slug();
    let org = Resource::new_blocking(move || slug.get(), get_org);
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match org.await {
                    Ok(view) => {
                        provide_context(view);
                        view! { <Outlet/> }.into_any()
                    }
                    Err(error) => view! { <PageError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
