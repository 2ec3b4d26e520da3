//! The account page: who you are, your organizations (and creating another), changing
//! your password, and logging out everywhere.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::server_fns::auth::{ChangePassword, CreateOrg, LogoutEverywhere};
use crate::shared::account::Me;
use crate::ui::components::{
    Field, FormAlert, SubmitButton, Unauthenticated, action_error, go_on_success,
};
use crate::ui::session::use_session;

/// `/account`
#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Your account · Ledgerlens"/>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await.ok().and_then(|s| s.me) {
                    Some(me) => view! { <Account me/> }.into_any(),
                    None => view! { <Unauthenticated/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Account(me: Me) -> impl IntoView {
    let create = ServerAction::<CreateOrg>::new();
    let create_error = action_error(create.value());
    go_on_success(create.value());
    let change = ServerAction::<ChangePassword>::new();
    let change_error = action_error(change.value());
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    let everywhere = ServerAction::<LogoutEverywhere>::new();
    go_on_success(everywhere.value());
    let card = "rounded-lg border border-slate-200 bg-white p-6 shadow-sm";

    view! {
        <div class="max-w-3xl space-y-8">
            <header>
                <h1 class="text-2xl font-semibold tracking-tight">"Your account"</h1>
                <p class="mt-1 text-slate-600">{me.name.clone()} " · " {me.email.clone()}</p>
            </header>

            <section aria-labelledby="orgs-heading" class=card>
                <h2 id="orgs-heading" class="text-lg font-semibold">"Your organizations"</h2>
                {if me.orgs.is_empty() {
                    view! { <p class="mt-3 text-sm text-slate-600">"You are not a member of any organization yet. Create one below, or open an invitation link."</p> }.into_any()
                } else {
                    view! {
                        <ul class="mt-3 divide-y divide-slate-100">
                            {me.orgs.iter().map(|o| view! {
                                <li class="flex items-center justify-between py-2">
                                    <a href=format!("/o/{}", o.slug) class="text-indigo-700 hover:underline">{o.name.clone()}</a>
                                    <span class="text-sm text-slate-500">{o.role.label()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div id="create-org" class="mt-6 border-t border-slate-100 pt-4">
                    <h3 class="font-medium">"Create another organization"</h3>
                    <ActionForm action=create>
                        <div class="mt-3 flex flex-wrap items-end gap-3">
                            <div class="min-w-64 flex-1">
                                <Field label="Organization name" name="name" autocomplete="organization" required=true error=create_error/>
                            </div>
                            <SubmitButton label="Create" busy_label="Creating…" pending=create.pending()/>
                        </div>
                        <div class="mt-2"><FormAlert error=create_error fields=&["name"]/></div>
                    </ActionForm>
                </div>
            </section>

            <section aria-labelledby="password-heading" class=card>
                <h2 id="password-heading" class="text-lg font-semibold">"Change password"</h2>
                <ActionForm action=change>
                    <div class="mt-3 max-w-md space-y-4">
                        <Field label="Current password" name="current_password" kind="password" autocomplete="current-password" required=true error=change_error/>
                        <Field label="New password" name="new_password" kind="password" autocomplete="new-password" required=true hint="At least 12 characters. Your other sessions will be logged out." error=change_error/>
                        <FormAlert error=change_error fields=&["current_password", "new_password"]/>
                        <Show when=changed>
                            <p role="status" class="text-sm text-green-800">"Password changed. Other sessions were logged out."</p>
                        </Show>
                        <SubmitButton label="Change password" busy_label="Saving…" pending=change.pending()/>
                    </div>
                </ActionForm>
            </section>

            <section aria-labelledby="sessions-heading" class=card>
                <h2 id="sessions-heading" class="text-lg font-semibold">"Sessions"</h2>
                <p class="mt-2 text-sm text-slate-600">"Log out on every device and browser, this one included."</p>
                <ActionForm action=everywhere>
                    <button type="submit" class="mt-3 rounded border border-red-300 px-4 py-2 text-sm font-medium text-red-700 hover:bg-red-50">
                        "Log out everywhere"
                    </button>
                </ActionForm>
            </section>
        </div>
    }
}
