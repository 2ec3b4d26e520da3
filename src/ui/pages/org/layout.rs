//! `/o/{org}/…`: provides the org of the path to every screen under it as one shared
//! resource. Each screen awaits it through [`WithOrg`]: anonymous visitors are sent to
//! log in, non-members get the 404 page (the org's existence is never confirmed),
//! members see the screen. Screens create their own resources at their top level, not
//! inside this one's suspense, so server and browser create them in the same order and
//! hydration finds their data (a resource made inside an async block hydrated
//! unreliably: seen as a panic on the settings page).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

use super::use_org_slug;
use crate::server_fns::org::get_org;
use crate::shared::UiError;
use crate::shared::org::OrgView;
use crate::ui::components::PageError;

/// The org of the path, shared by the layout and its screens.
pub type OrgResource = Resource<Result<OrgView, UiError>>;

/// The org resource the layout provides.
pub fn use_org() -> OrgResource {
    expect_context::<OrgResource>()
}

/// Parent route of every org screen.
#[component]
pub fn OrgLayout() -> impl IntoView {
    let slug = use_org_slug();
    let org: OrgResource = Resource::new_blocking(move || slug.get(), get_org);
    provide_context(org);
    view! { <Outlet/> }
}

/// Renders `body` with the org once it is known, or the right error page.
#[component]
pub fn WithOrg<F, V>(
    /// Page title (before the org's name).
    title: &'static str,
    body: F,
) -> impl IntoView
where
    F: Fn(OrgView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let org = use_org();
    view! {
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match org.await {
                        Ok(o) => view! {
                            <Title text=format!("{title} · {}", o.name)/>
                            {body(o)}
                        }
                        .into_any(),
                        Err(error) => view! { <PageError error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
