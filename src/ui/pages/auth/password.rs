//! Forgot password (always the same answer) and reset through the mailed link (works
//! once; the form is shown only while the link is valid).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::AuthCard;
use crate::server_fns::auth::{ForgotPassword, ResetPassword, check_reset_link};
use crate::ui::components::{Field, FormAlert, SubmitButton, action_error, go_on_success};

/// `/forgot-password`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let forgot = ServerAction::<ForgotPassword>::new();
    let error = action_error(forgot.value());
    let sent = move || matches!(forgot.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot password · Ledgerlens"/>
        <AuthCard title="Reset your password">
            <Show
                when=sent
                fallback=move || view! {
                    <ActionForm action=forgot>
                        <div class="space-y-4">
                            <p class="text-sm text-slate-600">"Enter the email of your account and we will send you a link to choose a new password."</p>
                            <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
                            <FormAlert error fields=&["email"]/>
                            <SubmitButton label="Send reset link" busy_label="Sending…" pending=forgot.pending()/>
                        </div>
                    </ActionForm>
                }
            >
                <p role="status" class="text-slate-700">
                    "If an account uses that address, a reset link is on its way. It works once, for 30 minutes."
                </p>
            </Show>
        </AuthCard>
    }
}

/// `/reset-password?token=…`
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = use_query_map()
        .with_untracked(|q| q.get("token"))
        .unwrap_or_default();
    let valid = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        check_reset_link,
    );
    let reset = ServerAction::<ResetPassword>::new();
    let error = action_error(reset.value());
    go_on_success(reset.value());
    view! {
        <Title text="Choose a new password · Ledgerlens"/>
        <AuthCard title="Choose a new password">
            <Suspense fallback=|| view! { <p class="text-slate-500">"Checking the link…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        if valid.await.unwrap_or(false) {
                            view! {
                                <ActionForm action=reset>
                                    <div class="space-y-4">
                                        <input type="hidden" name="token" value=token/>
                                        <Field
                                            label="New password"
                                            name="new_password"
                                            kind="password"
                                            autocomplete="new-password"
                                            required=true
                                            hint="At least 12 characters. Every session of your account will be logged out."
                                            error
                                        />
                                        <FormAlert error fields=&["new_password", "password"]/>
                                        <SubmitButton label="Set new password" busy_label="Saving…" pending=reset.pending()/>
                                    </div>
                                </ActionForm>
                            }
                            .into_any()
                        } else {
                            view! {
                                <p role="alert" class="text-slate-700">
                                    "This reset link has expired or was already used. "
                                    <a href="/forgot-password" class="text-indigo-700 hover:underline">"Ask for a new one"</a>
                                    "."
                                </p>
                            }
                            .into_any()
                        }
                    })
                }}
            </Suspense>
        </AuthCard>
    }
}
