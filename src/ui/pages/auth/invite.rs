//! An invitation link: who invites you where, and the way in (accept when logged in
//! with the invited address; otherwise log in or sign up with the token carried along).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::AuthCard;
use crate::server_fns::auth::{AcceptInvitation, get_invitation};
use crate::ui::components::{FormAlert, SubmitButton, action_error, go_on_success};

/// `/invite/:token`
#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_params_map()
        .with_untracked(|p| p.get("token"))
        .unwrap_or_default();
    let invitation = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_invitation,
    );
    let session = Some(crate::ui::session::use_session());
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = action_error(accept.value());
    go_on_success(accept.value());

    view! {
        <Title text="Invitation · Ledgerlens"/>
        <AuthCard title="You are invited">
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let me = match session {
                            Some(s) => s.await.ok().and_then(|s| s.me),
                            None => None,
                        };
                        match invitation.await {
                            Err(_) => view! {
                                <p role="alert" class="text-slate-700">
                                    "This invitation has expired, was revoked or was already used. Ask the person who invited you for a new one."
                                </p>
                            }.into_any(),
                            Ok(inv) => {
                                let intro = view! {
                                    <p class="text-slate-700">
                                        {inv.invited_by.clone().unwrap_or_else(|| "Someone".into())}
                                        " invited " <strong>{inv.email.clone()}</strong> " to join "
                                        <strong>{inv.org_name.clone()}</strong> " as " {inv.role.label()} "."
                                    </p>
                                };
                                let body = match me {
                                    Some(me) if me.email == inv.email => view! {
                                        <ActionForm action=accept>
                                            <input type="hidden" name="token" value=token.clone()/>
                                            <div class="mt-6 space-y-4">
                                                <FormAlert error/>
                                                <SubmitButton label="Accept invitation" busy_label="Joining…" pending=accept.pending()/>
                                            </div>
                                        </ActionForm>
                                    }.into_any(),
                                    Some(me) => view! {
                                        <p role="alert" class="mt-6 text-sm text-slate-700">
                                            "You are logged in as " {me.email} ". Log out, then open this link again to accept it as " {inv.email.clone()} "."
                                        </p>
                                    }.into_any(),
                                    None => {
                                        let primary = if inv.account_exists { "/login" } else { "/signup" };
                                        let label = if inv.account_exists { "Log in to accept" } else { "Create your account" };
                                        view! {
                                            <p class="mt-6">
                                                <a href=format!("{primary}?invite={token}") class="inline-flex rounded bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">{label}</a>
                                            </p>
                                        }.into_any()
                                    }
                                };
                                view! { {intro} {body} }.into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </AuthCard>
    }
}
