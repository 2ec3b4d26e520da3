//! Tenant settings (admins and owners): auto-post on/off and its threshold, monthly
//! budget, and the plan. A value out of range is refused with a message next to it and
//! nothing changes.

use leptos::prelude::*;

use super::{WithOrg, use_org_slug};
use crate::server_fns::org::{
    CreateApiToken, RevokeApiToken, UpdateSettings, get_settings, get_usage, list_api_tokens,
};
use crate::shared::org::{ApiTokenRow, SettingsView, UsageView};
use crate::shared::{Role, UiError};
use crate::ui::components::{Field, FormAlert, PageError, SubmitButton, action_error};

/// `/o/{org}/settings`
#[component]
pub fn SettingsPage() -> impl IntoView {
    let slug = use_org_slug();
    // Every resource of the page is made here, at the top, never inside a suspense's
    // async block (see `layout.rs`).
    let settings = Resource::new_blocking(move || slug.get(), get_settings);
    let usage = Resource::new_blocking(move || slug.get(), get_usage);
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let tokens = Resource::new_blocking(
        move || (slug.get(), create.version().get() + revoke.version().get()),
        |(org, _)| list_api_tokens(org),
    );
    view! {
        <WithOrg title="Settings" body=move |org| view! {
            <div class="max-w-2xl space-y-6">
                <h1 class="text-2xl font-semibold tracking-tight">"Settings"</h1>
                <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                    {
                        let slug = org.slug.clone();
                        let role = org.role;
                        move || {
                            let slug = slug.clone();
                            Suspend::new(async move {
                                match settings.await {
                                    Ok(s) => view! {
                                        <SettingsForm s slug=slug.clone()/>
                                        <Usage usage/>
                                        <ApiTokens slug my_role=role tokens create revoke/>
                                    }.into_any(),
                                    Err(error) => view! { <PageError error/> }.into_any(),
                                }
                            })
                        }
                    }
                </Suspense>
            </div>
        }/>
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
    }
}

/// Bytes in the largest unit that keeps the number readable.
fn human_bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// One quota bar: an accessible progressbar with the numbers in words beside it.
#[component]
fn QuotaBar(label: &'static str, used: i64, limit: i64, text: String) -> impl IntoView {
    let percent = if limit > 0 {
        (used.saturating_mul(100) / limit).clamp(0, 100)
    } else {
        100
    };
    let color = if percent >= 90 {
        "bg-red-500"
    } else if percent >= 75 {
        "bg-amber-500"
    } else {
        "bg-indigo-500"
    };
    view! {
        <div class="space-y-1">
            <div class="flex justify-between text-sm"><span class="font-medium text-slate-700">{label}</span><span class="text-slate-600">{text}</span></div>
            <div role="progressbar" aria-label=label aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent class="h-2 rounded bg-slate-100">
                <div class=format!("h-2 rounded {color}") style=format!("width: {percent}%")></div>
            </div>
        </div>
    }
}

/// The plan and how much of it is used.
#[component]
fn Usage(usage: Resource<Result<UsageView, UiError>>) -> impl IntoView {
    view! {
        <section aria-labelledby="plan-heading" class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="plan-heading" class="text-lg font-semibold">"Plan and usage"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    usage.await.ok().map(|u: UsageView| view! {
                        <p class="mt-2 text-sm text-slate-700">"You are on the " <strong>{u.plan.clone()}</strong> " plan."</p>
                        <div class="mt-4 space-y-4">
                            <QuotaBar label="Documents" used=u.documents_used limit=u.documents_limit text=format!("{} of {}", u.documents_used, u.documents_limit)/>
                            <QuotaBar label="Storage" used=u.storage_used_bytes limit=u.storage_limit_bytes text=format!("{} of {}", human_bytes(u.storage_used_bytes), human_bytes(u.storage_limit_bytes))/>
                        </div>
                    })
                })}
            </Suspense>
        </section>
    }
}

/// API tokens: list, create (the text shown once), revoke.
#[component]
fn ApiTokens(
    slug: String,
    my_role: Role,
    tokens: Resource<Result<Vec<ApiTokenRow>, UiError>>,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let create_error = action_error(create.value());
    let revoke_error = action_error(revoke.value());
    let roles: Vec<Role> = [Role::Admin, Role::Editor, Role::Viewer]
        .into_iter()
        .filter(|r| *r <= my_role)
        .collect();
    let fresh = move || match create.value().get() {
        Some(Ok(t)) => Some(t),
        _ => None,
    };
    let slug_list = slug.clone();
    view! {
        <section aria-labelledby="tokens-heading" class="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="tokens-heading" class="text-lg font-semibold">"API tokens"</h2>
            <p class="mt-1 text-sm text-slate-600">"For scripts and integrations: send " <code>"Authorization: Bearer <token>"</code> " to " <code>"/api/v1"</code> "."</p>
            {move || fresh().map(|t| view! {
                <div role="status" class="mt-4 rounded border border-green-200 bg-green-50 p-3 text-sm text-green-900">
                    <p>"Token " <strong>{t.name.clone()}</strong> " created. Copy it now: it will not be shown again."</p>
                    <p class="mt-2"><code data-testid="new-token" class="select-all break-all font-mono">{t.token.clone()}</code></p>
                </div>
            })}
            <Transition fallback=|| ()>
                {move || {
                    let slug = slug_list.clone();
                    Suspend::new(async move {
                        let rows: Vec<ApiTokenRow> = tokens.await.unwrap_or_default();
                        if rows.is_empty() {
                            return view! { <p class="mt-4 text-sm text-slate-600">"No active tokens."</p> }.into_any();
                        }
                        view! {
                            <ul class="mt-4 divide-y divide-slate-100 text-sm" aria-label="Active tokens">
                                {rows.into_iter().map(|t| {
                                    let slug = slug.clone();
                                    view! {
                                        <li class="flex items-center justify-between py-2">
                                            <span>
                                                <strong>{t.name.clone()}</strong> " · " {t.role.label()}
                                                <span class="text-slate-500">
                                                    " · created " {t.created.clone()} {t.created_by.clone().map(|c| format!(" by {c}"))}
                                                    " · " {if t.last_used.is_empty() { "never used".to_string() } else { format!("last used {}", t.last_used) }}
                                                </span>
                                            </span>
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="org" value=slug/>
                                                <input type="hidden" name="token_id" value=t.id.to_string()/>
                                                <button type="submit" class="text-red-700 hover:underline" aria-label=format!("Revoke token {}", t.name)>"Revoke"</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                }}
            </Transition>
            <FormAlert error=revoke_error/>
            <ActionForm action=create>
                <input type="hidden" name="org" value=slug/>
                <div class="mt-4 grid gap-3 md:grid-cols-[1fr_10rem_auto] md:items-end">
                    <Field label="Token name" name="name" id="token-name" required=true error=create_error/>
                    <div class="space-y-1">
                        <label for="token-role" class="block text-sm font-medium text-slate-700">"Token role"</label>
                        <select id="token-role" name="role" class="block w-full rounded border border-slate-300 px-2 py-2 text-sm">
                            {roles.into_iter().map(|r| view! { <option value=r.as_str() selected=r == Role::Editor>{r.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <SubmitButton label="Create token" busy_label="Creating…" pending=create.pending()/>
                </div>
                <div class="mt-2"><FormAlert error=create_error fields=&["name"]/></div>
            </ActionForm>
        </section>
    }
}
