//! Sign up: name, email, password and the new organization's name (or, through an
//! invitation link, the invited address and no new org).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::AuthCard;
use crate::server_fns::auth::{Signup, get_invitation};
use crate::ui::components::{Field, FormAlert, SubmitButton, action_error, go_on_success};

/// `/signup` or `/signup?invite=…`
#[component]
pub fn SignupPage() -> impl IntoView {
    let query = use_query_map();
    let invite = query
        .with_untracked(|q| q.get("invite"))
        .unwrap_or_default();
    let invitation = Resource::new_blocking(
        {
            let invite = invite.clone();
            move || invite.clone()
        },
        |token| async move {
            if token.is_empty() {
                None
            } else {
                get_invitation(token).await.ok()
            }
        },
    );
    let signup = ServerAction::<Signup>::new();
    let error = action_error(signup.value());
    go_on_success(signup.value());
    let login_href = if invite.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?invite={invite}")
    };

    view! {
        <Title text="Create your account · Ledgerlens"/>
        <AuthCard title="Create your account">
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || {
                    let invite = invite.clone();
                    Suspend::new(async move {
                        let inv = invitation.await;
                        view! {
                            {inv.clone().map(|i| view! {
                                <p role="status" class="mb-4 rounded bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
                                    "You are joining " <strong>{i.org_name}</strong> " as " {i.role.label()} "."
                                </p>
                            })}
                            <ActionForm action=signup>
                                <div class="space-y-4">
                                    <input type="hidden" name="invite" value=invite/>
                                    <Field label="Your name" name="name" autocomplete="name" required=true error/>
                                    <Field
                                        label="Email"
                                        name="email"
                                        kind="email"
                                        autocomplete="email"
                                        required=true
                                        value=inv.as_ref().map(|i| i.email.clone()).unwrap_or_default()
                                        readonly=inv.is_some()
                                        error
                                    />
                                    <Field
                                        label="Password"
                                        name="password"
                                        kind="password"
                                        autocomplete="new-password"
                                        required=true
                                        hint="At least 12 characters; a phrase of unrelated words works well."
                                        error
                                    />
                                    {inv.is_none().then(|| view! {
                                        <Field label="Organization name" name="org_name" autocomplete="organization" required=true error/>
                                    })}
                                    <FormAlert error fields=&["name", "email", "password", "org_name"]/>
                                    <SubmitButton label="Create account" busy_label="Creating…" pending=signup.pending()/>
                                </div>
                            </ActionForm>
                        }
                    })
                }}
            </Suspense>
            <p class="mt-6 text-sm text-slate-600">
                "Already have an account? " <a href=login_href class="text-indigo-700 hover:underline">"Log in"</a>
            </p>
        </AuthCard>
    }
}

/// Shown after a sign-up whose email already had an account (the answer looks the same
/// as any sign-up that needs the inbox next).
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text="Check your email · Ledgerlens"/>
        <AuthCard title="Check your email">
            <p class="text-slate-700">
                "We sent a message to the address you entered. Follow it to continue; if it does not arrive in a few minutes, check your spam folder."
            </p>
            <p class="mt-6 text-sm"><a href="/login" class="text-indigo-700 hover:underline">"Back to log in"</a></p>
        </AuthCard>
    }
}
