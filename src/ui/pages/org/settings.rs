//! Tenant settings (admins and owners): auto-post on/off and its threshold, monthly
//! budget, and the plan. A value out of range is refused with a message next to it and
//! nothing changes.

use leptos::prelude::*;
use leptos_meta::Title;

use super::use_org_slug;
use crate::server_fns::org::{UpdateSettings, get_settings};
use crate::shared::org::{OrgView, SettingsView};
use crate::ui::components::{Field, FormAlert, PageError, SubmitButton, action_error};

/// `/o/{org}/settings`
#[component]
pub fn SettingsPage() -> impl IntoView {
    let slug = use_org_slug();
    let org = expect_context::<OrgView>();
    let settings = Resource::new_blocking(move || slug.get(), get_settings);
    view! {
        <Title text=format!("Settings · {}", org.name)/>
        <div class="max-w-2xl space-y-6">
            <h1 class="text-2xl font-semibold tracking-tight">"Settings"</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(s) => view! { <SettingsForm s slug=slug.get_untracked()/> }.into_any(),
                        Err(error) => view! { <PageError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SettingsForm(s: SettingsView, slug: String) -> impl IntoView {
    let update = ServerAction::<UpdateSettings>::new();
    let error = action_error(update.value());
    let saved = move || matches!(update.value().get(), Some(Ok(_)));
    view! {
        <section aria-labelledby="autopost-heading" class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="autopost-heading" class="text-lg font-semibold">"Automation"</h2>
            <ActionForm action=update>
                <input type="hidden" name="org" value=slug/>
                <div class="mt-4 space-y-4">
                    <div class="flex items-center gap-2">
                        <input id="field-autopost_enabled" type="checkbox" name="autopost_enabled" value="on" checked=s.autopost_enabled class="h-4 w-4"/>
                        <label for="field-autopost_enabled" class="text-sm font-medium text-slate-700">"Post confident lines automatically"</label>
                    </div>
                    <Field
                        label="Auto-post threshold"
                        name="autopost_threshold"
                        value=s.autopost_threshold.clone()
                        required=true
                        hint="Lines whose mapping confidence is at least this go straight through (0.80–0.98)."
                        error
                    />
                    <Field
                        label="Monthly budget"
                        name="monthly_budget"
                        value=s.monthly_budget.clone()
                        hint="Optional, in your reporting currency."
                        error
                    />
                    <FormAlert error fields=&["autopost_threshold", "monthly_budget"]/>
                    <Show when=saved><p role="status" class="text-sm text-green-800">"Settings saved."</p></Show>
                    <SubmitButton label="Save settings" busy_label="Saving…" pending=update.pending()/>
                </div>
            </ActionForm>
        </section>
        <section aria-labelledby="plan-heading" class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="plan-heading" class="text-lg font-semibold">"Plan"</h2>
            <p class="mt-2 text-sm text-slate-700">"You are on the " <strong>{s.plan}</strong> " plan."</p>
        </section>
    }
}
