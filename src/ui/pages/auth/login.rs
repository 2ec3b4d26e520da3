//! Log in. Wrong credentials get one generic message whatever was wrong; too many
//! attempts get the throttle's message.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::AuthCard;
use crate::server_fns::auth::Login;
use crate::ui::components::{Field, FormAlert, SubmitButton, action_error, go_on_success};

/// `/login?next=…&invite=…`
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
    let invite = query
        .with_untracked(|q| q.get("invite"))
        .unwrap_or_default();
    let reset = query.with_untracked(|q| q.get("reset")).is_some();
    let login = ServerAction::<Login>::new();
    let error = action_error(login.value());
    go_on_success(login.value());
    let signup_href = if invite.is_empty() {
        "/signup".to_string()
    } else {
        format!("/signup?invite={invite}")
    };

    view! {
        <Title text="Log in · Ledgerlens"/>
        <AuthCard title="Log in">
            {reset.then(|| view! {
                <p role="status" class="mb-4 rounded bg-green-50 px-3 py-2 text-sm text-green-800">
                    "Your password was changed. Log in with the new one."
                </p>
            })}
            <ActionForm action=login>
                <div class="space-y-4">
                    <input type="hidden" name="next" value=next/>
                    <input type="hidden" name="invite" value=invite/>
                    <Field label="Email" name="email" kind="email" autocomplete="username" required=true error/>
                    <Field label="Password" name="password" kind="password" autocomplete="current-password" required=true error/>
                    <FormAlert error fields=&["email", "password"]/>
                    <div class="flex items-center justify-between">
                        <SubmitButton label="Log in" busy_label="Logging in…" pending=login.pending()/>
                        <A href="/forgot-password" attr:class="text-sm text-indigo-700 hover:underline">"Forgot your password?"</A>
                    </div>
                </div>
            </ActionForm>
            <p class="mt-6 text-sm text-slate-600">
                "New to Ledgerlens? " <a href=signup_href class="text-indigo-700 hover:underline">"Create an account"</a>
            </p>
        </AuthCard>
    }
}
