//! Email verification: the mailed link opens this page, and a button confirms (a GET
//! never changes anything, so link scanners in mail systems cannot use the token up).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::AuthCard;
use crate::server_fns::auth::VerifyEmail;
use crate::ui::components::{FormAlert, SubmitButton, action_error};

/// `/verify-email?token=…`
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = StoredValue::new(
        use_query_map()
            .with_untracked(|q| q.get("token"))
            .unwrap_or_default(),
    );
    let verify = ServerAction::<VerifyEmail>::new();
    let error = action_error(verify.value());
    let done = move || matches!(verify.value().get(), Some(Ok(())));
    view! {
        <Title text="Confirm your email · Ledgerlens"/>
        <AuthCard title="Confirm your email">
            <Show
                when=done
                fallback=move || view! {
                    <ActionForm action=verify>
                        <div class="space-y-4">
                            <input type="hidden" name="token" value=token.get_value()/>
                            <p class="text-sm text-slate-600">"Confirm that this email address belongs to you."</p>
                            <FormAlert error/>
                            <SubmitButton label="Confirm my email" busy_label="Confirming…" pending=verify.pending()/>
                        </div>
                    </ActionForm>
                }
            >
                <p role="status" class="text-slate-700">"Thank you — your email is confirmed."</p>
                <p class="mt-4 text-sm"><a href="/" class="text-indigo-700 hover:underline">"Continue"</a></p>
            </Show>
        </AuthCard>
    }
}
