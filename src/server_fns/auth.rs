//! Accounts: session view, sign up, log in and out, passwords, email verification,
//! invitations. Successful transitions return the path to go to next; the UI loads it
//! (a fresh page, so every part of the shell sees the new session).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call::Call, call::fail, services};
use crate::shared::UiError;
use crate::shared::account::{InvitationView, SessionView};

/// The signed-in user and their orgs, or anonymous.
#[server(prefix = "/sfn", endpoint = "auth/session")]
pub async fn get_session() -> Result<SessionView, UiError> {
    let call = Call::new().await?;
    let me = match call.user().await? {
        Some(user) => Some(services::orgs::me(&call.state, &user).await.map_err(fail)?),
        None => None,
    };
    Ok(SessionView { me })
}

/// Creates an account (and its org, or joins the inviting org). Returns where to go.
#[server(prefix = "/sfn", endpoint = "auth/signup")]
pub async fn signup(
    name: String,
    email: String,
    password: String,
    #[server(default)] org_name: String,
    #[server(default)] invite: Option<String>,
) -> Result<String, UiError> {
    use services::accounts::{SignupInput, SignupOutcome};
    let call = Call::new().await?;
    let input = SignupInput {
        name,
        email,
        password,
        org_name,
        invite,
    };
    let next = match services::accounts::signup(&call.state, input, &call.meta)
        .await
        .map_err(fail)?
    {
        SignupOutcome::Created {
            user,
            epoch,
            org_slug,
        } => {
            crate::server::auth::session::establish(&call.session, user, epoch)
                .await
                .map_err(fail)?;
            format!("/o/{org_slug}")
        }
        SignupOutcome::ExistingAccount => "/signup/check-email".to_string(),
    };
    call.redirect_plain_form(&next);
    Ok(next)
}

/// Logs in; the session id is cycled. Returns where to go.
#[server(prefix = "/sfn", endpoint = "auth/login")]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
    #[server(default)] invite: Option<String>,
) -> Result<String, UiError> {
    let call = Call::new().await?;
    let done = services::accounts::login(&call.state, &email, password, invite, &call.meta)
        .await
        .map_err(fail)?;
    crate::server::auth::session::establish(&call.session, done.user, done.epoch)
        .await
        .map_err(fail)?;
    let next = match (next.filter(|n| is_local_path(n)), done.org_slug) {
        (Some(n), _) => n,
        (None, Some(slug)) => format!("/o/{slug}"),
        (None, None) => "/account".into(),
    };
    call.redirect_plain_form(&next);
    Ok(next)
}

/// Only same-site paths may be a post-login destination (no open redirect).
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") && !p.contains("://")
}

/// Logs out this session.
#[server(prefix = "/sfn", endpoint = "auth/logout")]
pub async fn logout() -> Result<String, UiError> {
    let call = Call::new().await?;
    crate::server::auth::session::end(&call.session)
        .await
        .map_err(fail)?;
    call.redirect_plain_form("/login");
    Ok("/login".into())
}

/// Logs out every session of the user, this one included.
#[server(prefix = "/sfn", endpoint = "auth/logout-everywhere")]
pub async fn logout_everywhere() -> Result<String, UiError> {
    let call = Call::new().await?;
    let user = call.require_user().await?;
    services::accounts::logout_everywhere(&call.state, &user, &call.meta)
        .await
        .map_err(fail)?;
    crate::server::auth::session::end(&call.session)
        .await
        .map_err(fail)?;
    call.redirect_plain_form("/login");
    Ok("/login".into())
}

/// Changes the password; other sessions end, this one continues under a new id.
#[server(prefix = "/sfn", endpoint = "auth/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), UiError> {
    let call = Call::new().await?;
    let user = call.require_user().await?;
    let epoch = services::accounts::change_password(
        &call.state,
        &user,
        current_password,
        new_password,
        &call.meta,
    )
    .await
    .map_err(fail)?;
    crate::server::auth::session::renew(&call.session, Some(epoch))
        .await
        .map_err(fail)
}

/// Mails a new verification link to the signed-in user.
#[server(prefix = "/sfn", endpoint = "auth/resend-verification")]
pub async fn resend_verification() -> Result<(), UiError> {
    let call = Call::new().await?;
    let user = call.require_user().await?;
    services::accounts::resend_verification(&call.state, &user)
        .await
        .map_err(fail)
}

/// Uses a verification link (a POST from the page the link opens: no change on GET).
#[server(prefix = "/sfn", endpoint = "auth/verify-email")]
pub async fn verify_email(token: String) -> Result<(), UiError> {
    let call = Call::new().await?;
    services::accounts::verify_email(&call.state, &token, &call.meta)
        .await
        .map_err(fail)
}

/// Mails a reset link if the account exists; answers the same either way.
#[server(prefix = "/sfn", endpoint = "auth/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), UiError> {
    let call = Call::new().await?;
    services::accounts::forgot_password(&call.state, &email, &call.meta)
        .await
        .map_err(fail)
}

/// Whether a reset link still works.
#[server(prefix = "/sfn", endpoint = "auth/reset-link")]
pub async fn check_reset_link(token: String) -> Result<bool, UiError> {
    let call = Call::new().await?;
    services::accounts::reset_link_valid(&call.state, &token)
        .await
        .map_err(fail)
}

/// Sets a new password through a reset link; every session of the account ends.
#[server(prefix = "/sfn", endpoint = "auth/reset-password")]
pub async fn reset_password(token: String, new_password: String) -> Result<String, UiError> {
    let call = Call::new().await?;
    services::accounts::reset_password(&call.state, &token, new_password, &call.meta)
        .await
        .map_err(fail)?;
    crate::server::auth::session::end(&call.session)
        .await
        .map_err(fail)?;
    let next = "/login?reset=1".to_string();
    call.redirect_plain_form(&next);
    Ok(next)
}

/// What an invitation link offers (404 when it no longer works).
#[server(prefix = "/sfn", endpoint = "auth/invitation")]
pub async fn get_invitation(token: String) -> Result<InvitationView, UiError> {
    let call = Call::new().await?;
    services::accounts::invitation_view(&call.state, &token)
        .await
        .map_err(fail)
}

/// Accepts an invitation as the signed-in user. Returns the org's path.
#[server(prefix = "/sfn", endpoint = "auth/accept-invitation")]
pub async fn accept_invitation(token: String) -> Result<String, UiError> {
    let call = Call::new().await?;
    let user = call.require_user().await?;
    let slug = services::accounts::accept_invitation(&call.state, &user, &token, &call.meta)
        .await
        .map_err(fail)?;
    // A membership gained is a privilege change: new session id.
    crate::server::auth::session::renew(&call.session, None)
        .await
        .map_err(fail)?;
    let next = format!("/o/{slug}");
    call.redirect_plain_form(&next);
    Ok(next)
}

/// Creates another organization owned by the signed-in user. Returns its path.
#[server(prefix = "/sfn", endpoint = "orgs/create")]
pub async fn create_org(name: String) -> Result<String, UiError> {
    let call = Call::new().await?;
    let user = call.require_user().await?;
    let slug = services::orgs::create(&call.state, &user, &name, &call.meta)
        .await
        .map_err(fail)?;
    crate::server::auth::session::renew(&call.session, None)
        .await
        .map_err(fail)?;
    let next = format!("/o/{slug}");
    call.redirect_plain_form(&next);
    Ok(next)
}
