//! The application shell: header (product name, org switcher, account menu), the
//! verify-your-email banner, a sidebar for the current org's screens, and the main
//! region. Marks itself hydrated so tests (and people) can tell when the page became
//! interactive.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use super::org_switcher::OrgSwitcher;
use crate::server_fns::auth::{Logout, ResendVerification};
use crate::shared::Role;
use crate::shared::account::Me;
use crate::ui::components::go_on_success;
use crate::ui::session::use_session;

/// The org slug of a path under `/o/{slug}`.
pub fn org_of_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/o/")?;
    let slug = rest.split('/').next()?;
    (!slug.is_empty()).then(|| slug.to_string())
}

/// Header, sidebar and main region around the routed page.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    // Effects run only in the browser, after hydration: the attribute flips from
    // "false" (server HTML) to "true" once the wasm bundle has taken over. Content inside
    // <Suspense> hydrates in tasks of its own, one level of nesting per executor tick, so
    // wait a few ticks: tests that wait for the marker then never click a form whose
    // handler is not attached yet (seen: a token form submitted natively).
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            for _ in 0..8 {
                leptos::task::tick().await;
            }
            set_hydrated.set(true);
        });
    });
    let session = use_session();
    let me = move || session.get().and_then(|s| s.ok()).and_then(|s| s.me);

    view! {
        <div class="flex min-h-screen flex-col" data-hydrated=move || hydrated.get().to_string()>
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
            >
                "Skip to content"
            </a>
            <header class="border-b border-slate-200 bg-white">
                <div class="flex h-14 items-center gap-4 px-4">
                    <A href="/" attr:class="flex items-center gap-2 font-semibold tracking-tight">
                        <span
                            aria-hidden="true"
                            class="grid h-7 w-7 place-items-center rounded bg-indigo-600 text-sm font-bold text-white"
                        >
                            "L"
                        </span>
                        <span>"Ledgerlens"</span>
                    </A>
                    <Transition fallback=|| ()>
                        {move || me().map(|me| view! { <OrgSwitcher me/> })}
                    </Transition>
                    <div class="ml-auto flex items-center gap-3 text-sm">
                        <Transition fallback=|| ()>
                            {move || match me() {
                                Some(me) => view! { <AccountMenu me/> }.into_any(),
                                None => view! {
                                    <A href="/login" attr:class="text-slate-700 hover:underline">"Log in"</A>
                                    <A href="/signup" attr:class="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500">"Sign up"</A>
                                }.into_any(),
                            }}
                        </Transition>
                    </div>
                </div>
            </header>
            <Transition fallback=|| ()>
                {move || me().filter(|m| !m.email_verified).map(|_| view! { <VerifyBanner/> })}
            </Transition>
            <div class="flex flex-1">
                <Transition fallback=|| ()>
                    {move || view! { <Sidebar me=me()/> }}
                </Transition>
                <main id="main" class="min-w-0 flex-1 p-6 md:p-10">
                    {children()}
                </main>
            </div>
        </div>
    }
}

/// The signed-in user's name, account link and log-out button.
#[component]
fn AccountMenu(me: Me) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    go_on_success(logout.value());
    view! {
        {me.staff_role.is_staff().then(|| view! {
            <A href="/staff" attr:class="text-slate-700 hover:underline">"Staff console"</A>
        })}
        <A href="/account" attr:class="text-slate-700 hover:underline" attr:title=format!("Account of {}", me.email)>
            {me.name}
        </A>
        <ActionForm action=logout>
            <button type="submit" class="rounded border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-100">
                "Log out"
            </button>
        </ActionForm>
    }
}

/// Reminds an unverified user to confirm their email, with a resend button.
#[component]
fn VerifyBanner() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    view! {
        <div role="region" aria-label="Email verification" class="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
            <div class="flex flex-wrap items-center gap-3">
                <span>"Please confirm your email address — we sent you a link."</span>
                <Show when=sent fallback=move || view! {
                    <ActionForm action=resend>
                        <button type="submit" class="underline hover:no-underline">"Send the link again"</button>
                    </ActionForm>
                }>
                    <span role="status">"A new link is on its way."</span>
                </Show>
            </div>
        </div>
    }
}

/// Navigation for the org in the path (and the staff console for staff).
#[component]
fn Sidebar(me: Option<Me>) -> impl IntoView {
    let location = use_location();
    let slug = move || org_of_path(&location.pathname.get());
    let role_in = {
        let me = me.clone();
        move |slug: &str| {
            me.as_ref()
                .and_then(|m| m.orgs.iter().find(|o| o.slug == slug).map(|o| o.role))
        }
    };
    let link = "block rounded px-2 py-1.5 hover:bg-slate-100 aria-[current=page]:bg-slate-100 aria-[current=page]:font-medium";
    view! {
        <nav aria-label="Main" class="hidden w-56 shrink-0 border-r border-slate-200 bg-white p-4 md:block">
            <ul class="space-y-1 text-sm">
                {move || match slug().and_then(|s| role_in(&s).map(|r| (s, r))) {
                    Some((s, role)) => {
                        let base = format!("/o/{s}");
                        let admin = role.at_least(Role::Admin);
                        view! {
                            <li><A href=base.clone() exact=true attr:class=link>"Dashboard"</A></li>
                            <li><A href=format!("{base}/documents") attr:class=link>"Documents"</A></li>
                            <li><A href=format!("{base}/jobs") attr:class=link>"Jobs"</A></li>
                            <li><A href=format!("{base}/properties") attr:class=link>"Properties"</A></li>
                            <li><A href=format!("{base}/members") attr:class=link>"Members"</A></li>
                            {admin.then(|| view! {
                                <li><A href=format!("{base}/settings") attr:class=link>"Settings"</A></li>
                                <li><A href=format!("{base}/audit") attr:class=link>"Audit log"</A></li>
                            })}
                        }
                        .into_any()
                    }
                    None => view! { <li><A href="/" exact=true attr:class=link>"Home"</A></li> }.into_any(),
                }}
                {me.as_ref().filter(|m| m.staff_role.is_staff()).map(|_| view! {
                    <li class="pt-4 text-xs font-semibold uppercase text-slate-500">"Staff"</li>
                    <li><A href="/staff" exact=true attr:class=link>"Tenants"</A></li>
                    <li><A href="/staff/audit" attr:class=link>"Global audit log"</A></li>
                    <li><A href="/staff/jobs" attr:class=link>"Dead jobs"</A></li>
                })}
            </ul>
        </nav>
    }
}
