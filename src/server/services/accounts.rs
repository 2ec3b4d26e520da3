//! Account use cases: sign up, log in, log out everywhere, change and reset passwords,
//! verify email. Sessions themselves are the adapters' business (they hold the
//! `Session`); these functions return what the session must become.

use std::net::{IpAddr, Ipv4Addr};

use serde_json::json;
use time::{Duration, OffsetDateTime};
use tokio::sync::OnceCell;

use super::audit::user_event;
use super::{input, orgs};
use crate::server::auth::throttle::Verdict;
use crate::server::auth::{CurrentUser, RequestMeta, password, tokens};
use crate::server::db::{self, users::TokenPurpose};
use crate::server::error::AppError;
use crate::server::mail::templates;
use crate::server::state::AppState;
use crate::shared::{Role, UserId};

/// How long an email-verification link works.
const VERIFY_TTL: Duration = Duration::hours(24);
/// How long a password-reset link works.
const RESET_TTL: Duration = Duration::minutes(30);

/// What sign-up submitted.
#[derive(Debug, Clone)]
pub struct SignupInput {
    pub name: String,
    pub email: String,
    pub password: String,
    /// Name of the organization to create (ignored when joining through an invitation).
    pub org_name: String,
    /// Invitation token when signing up through an invitation link.
    pub invite: Option<String>,
}

/// What the session should become after sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignupOutcome {
    /// A new account: log it in and go to `org_slug`.
    Created {
        user: UserId,
        epoch: i32,
        org_slug: String,
    },
    /// The email already had an account. Its owner got a notice; the answer looks like a
    /// success and nobody is logged in.
    ExistingAccount,
}

/// The user a successful log-in authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedIn {
    pub user: UserId,
    pub epoch: i32,
    /// Where to go next: the org of an invitation accepted on the way, else the first org.
    pub org_slug: Option<String>,
}

/// A hash of a random password, verified against when the email is unknown so that a
/// failed log-in takes as long whether or not the account exists.
async fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            let t = tokens::mint()?;
            password::hash(t.token).await
        })
        .await
        .map(String::as_str)
}

/// Mints a mailed token for `user`, stores its hash with the purpose's lifetime (retiring
/// older ones) and returns the token for the link.
async fn issue_token(
    tx: &mut db::Tx,
    user: UserId,
    purpose: TokenPurpose,
) -> Result<String, AppError> {
    let ttl = match purpose {
        TokenPurpose::VerifyEmail => VERIFY_TTL,
        TokenPurpose::ResetPassword => RESET_TTL,
    };
    let t = tokens::mint()?;
    db::users::insert_token(tx, user, purpose, &t.hash, OffsetDateTime::now_utc() + ttl).await?;
    Ok(t.token)
}

fn link(state: &AppState, path: &str, token: &str) -> String {
    format!("{}{path}{token}", state.config.base_url)
}

/// Creates the user, their organization on the Free plan (or their membership of the
/// org that invited them) and the owner membership in ONE transaction, with the audit
/// events. A taken email answers like a success and mails its owner a notice.
#[tracing::instrument(skip_all)]
pub async fn signup(
    state: &AppState,
    input: SignupInput,
    meta: &RequestMeta,
) -> Result<SignupOutcome, AppError> {
    let name = input::name("name", &input.name, "your name")?;
    let email = input::email("email", &input.email)?;
    password::check_policy(&input.password, &[&email, &name])?;
    let invite = match input
        .invite
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(token) => Some(pending_invitation(state, token).await?),
        None => None,
    };
    let org_name = match &invite {
        Some((inv, _)) => {
            if inv.email != email {
                return Err(AppError::field(
                    "email",
                    "This invitation was sent to another address; sign up with that one.",
                ));
            }
            None
        }
        None => Some(input::name(
            "org_name",
            &input.org_name,
            "a name for your organization",
        )?),
    };
    // Hash before looking at the email, so a taken address costs the same time.
    let hash = password::hash(input.password).await?;

    let mut tx = state.db.begin().await?;
    let Some(user) = db::users::insert(&mut tx, &email, &name, &hash).await? else {
        tx.rollback().await?;
        state
            .mailer
            .send_logged(templates::signup_existing(
                &email,
                &format!("{}/login", state.config.base_url),
                &format!("{}/forgot-password", state.config.base_url),
            ))
            .await;
        return Ok(SignupOutcome::ExistingAccount);
    };
    db::audit::insert(
        &mut tx,
        &user_event((user, &email), meta, "user.signed_up").target("user", user),
    )
    .await?;

    let (org_slug, verify) = match (invite, org_name) {
        (Some((inv, slug)), _) => {
            db::scope_org(&mut tx, inv.org_id).await?;
            join_through(&mut tx, &inv, user, &email, meta).await?;
            // Opening the invitation mail proved the address.
            db::users::mark_verified(&mut tx, user).await?;
            (slug, None)
        }
        (None, Some(org_name)) => {
            let slug = orgs::create_in(&mut tx, user, &email, &org_name, meta).await?;
            let token = issue_token(&mut tx, user, TokenPurpose::VerifyEmail).await?;
            (slug, Some(token))
        }
        (None, None) => unreachable!("org_name is set whenever there is no invitation"),
    };
    tx.commit().await?;
    if let Some(token) = verify {
        state
            .mailer
            .send_logged(templates::verify_email(
                &email,
                &name,
                &link(state, "/verify-email?token=", &token),
            ))
            .await;
    }
    Ok(SignupOutcome::Created {
        user,
        epoch: 0,
        org_slug,
    })
}

/// Checks email and password under the throttle. Every failure, whatever its cause,
/// is the same [`AppError::InvalidCredentials`]; the 6th within the window is 429.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    email: &str,
    password_text: String,
    invite: Option<String>,
    meta: &RequestMeta,
) -> Result<LoggedIn, AppError> {
    let email = email.trim().to_lowercase();
    let ip = meta.ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if let Verdict::Blocked { retry_after } = state.throttle.check(&email, ip).await? {
        return Err(AppError::RateLimited(retry_after));
    }
    // No address is longer than 254 characters: such input is a wrong credential, not a
    // lookup.
    let user = if email.is_empty() || email.len() > 254 {
        None
    } else {
        db::users::by_email(&state.db, &email).await?
    };
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await?.to_string(),
    };
    let matches = password::verify(password_text, stored).await?;
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            state.throttle.record_failure(&email, ip).await?;
            return Err(AppError::InvalidCredentials);
        }
    };
    state.throttle.record_success(&email).await?;

    let mut tx = state.db.begin().await?;
    db::audit::insert(
        &mut tx,
        &user_event((user.id, &user.email), meta, "user.logged_in").target("user", user.id),
    )
    .await?;
    tx.commit().await?;

    let current = CurrentUser {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        email_verified: user.email_verified,
        staff_role: crate::shared::StaffRole::parse(&user.staff_role)
            .unwrap_or(crate::shared::StaffRole::None),
    };
    let org_slug = match invite.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => Some(accept_invitation(state, &current, token, meta).await?),
        None => orgs::first_slug(state, user.id).await?,
    };
    Ok(LoggedIn {
        user: user.id,
        epoch: user.session_epoch,
        org_slug,
    })
}

/// Ends every session of the user (the caller ends the current one too).
#[tracing::instrument(skip_all)]
pub async fn logout_everywhere(
    state: &AppState,
    user: &CurrentUser,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    db::users::bump_epoch(&mut tx, user.id).await?;
    db::audit::insert(
        &mut tx,
        &user_event((user.id, &user.email), meta, "user.logged_out_everywhere")
            .target("user", user.id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password after checking the current one; every other session ends.
/// Returns the new session epoch for the current session.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    current: String,
    new: String,
    meta: &RequestMeta,
) -> Result<i32, AppError> {
    let ip = meta.ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if let Verdict::Blocked { retry_after } = state.throttle.check(&user.email, ip).await? {
        return Err(AppError::RateLimited(retry_after));
    }
    let row = db::users::by_id(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify(current, row.password_hash).await? {
        state.throttle.record_failure(&user.email, ip).await?;
        return Err(AppError::field(
            "current_password",
            "This is not your current password.",
        ));
    }
    password::check_policy(&new, &[&user.email, &user.name])
        .map_err(|e| rename_field(e, "new_password"))?;
    let hash = password::hash(new).await?;
    let mut tx = state.db.begin().await?;
    let epoch = db::users::set_password(&mut tx, user.id, &hash).await?;
    db::audit::insert(
        &mut tx,
        &user_event((user.id, &user.email), meta, "user.password_changed").target("user", user.id),
    )
    .await?;
    tx.commit().await?;
    state
        .mailer
        .send_logged(templates::password_changed(
            &user.email,
            &format!("{}/forgot-password", state.config.base_url),
        ))
        .await;
    Ok(epoch)
}

fn rename_field(err: AppError, field: &str) -> AppError {
    match err {
        AppError::Validation { message, .. } => AppError::field(field, message),
        other => other,
    }
}

/// Mails a new verification link (the previous one stops working).
#[tracing::instrument(skip_all)]
pub async fn resend_verification(state: &AppState, user: &CurrentUser) -> Result<(), AppError> {
    if user.email_verified {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    let token = issue_token(&mut tx, user.id, TokenPurpose::VerifyEmail).await?;
    tx.commit().await?;
    state
        .mailer
        .send(templates::verify_email(
            &user.email,
            &user.name,
            &link(state, "/verify-email?token=", &token),
        ))
        .await
}

fn invalid_link(what: &str) -> AppError {
    AppError::field(
        "token",
        format!("This {what} link has expired or was already used. Ask for a new one."),
    )
}

/// Uses a verification link.
#[tracing::instrument(skip_all)]
pub async fn verify_email(
    state: &AppState,
    token: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let hash = tokens::hash(token).ok_or_else(|| invalid_link("verification"))?;
    let mut tx = state.db.begin().await?;
    let user = db::users::consume_token(&mut tx, TokenPurpose::VerifyEmail, &hash)
        .await?
        .ok_or_else(|| invalid_link("verification"))?;
    db::users::mark_verified(&mut tx, user).await?;
    let row = db::users::lock(&mut tx, user)
        .await?
        .ok_or_else(|| invalid_link("verification"))?;
    db::audit::insert(
        &mut tx,
        &user_event((user, &row.email), meta, "user.email_verified").target("user", user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Mails a reset link if the address has an active account. Always succeeds the same
/// way, so the answer never tells whether the account exists.
#[tracing::instrument(skip_all)]
pub async fn forgot_password(
    state: &AppState,
    email: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let email = input::email("email", email)?;
    let Some(user) = db::users::by_email(&state.db, &email).await? else {
        return Ok(());
    };
    if user.disabled {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    let token = issue_token(&mut tx, user.id, TokenPurpose::ResetPassword).await?;
    db::audit::insert(
        &mut tx,
        &user_event(
            (user.id, &user.email),
            meta,
            "user.password_reset_requested",
        )
        .target("user", user.id),
    )
    .await?;
    tx.commit().await?;
    state
        .mailer
        .send_logged(templates::reset_password(
            &user.email,
            &link(state, "/reset-password?token=", &token),
        ))
        .await;
    Ok(())
}

/// Whether a reset link still works (the page shows the form or says it expired).
pub async fn reset_link_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    match tokens::hash(token) {
        Some(hash) => {
            Ok(db::users::token_valid(&state.db, TokenPurpose::ResetPassword, &hash).await?)
        }
        None => Ok(false),
    }
}

/// Sets a new password through a reset link: single use, ends every session.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new: String,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let hash = tokens::hash(token).ok_or_else(|| invalid_link("reset"))?;
    // A refused password rolls back below, so it never costs the user their link.
    password::check_policy(&new, &[])?;
    let new_hash = password::hash(new.clone()).await?;
    let mut tx = state.db.begin().await?;
    let user = db::users::consume_token(&mut tx, TokenPurpose::ResetPassword, &hash)
        .await?
        .ok_or_else(|| invalid_link("reset"))?;
    let row = db::users::lock(&mut tx, user)
        .await?
        .ok_or_else(|| invalid_link("reset"))?;
    if let Err(e) = password::check_policy(&new, &[&row.email, &row.name]) {
        tx.rollback().await?;
        return Err(e);
    }
    db::users::set_password(&mut tx, user, &new_hash).await?;
    db::users::mark_verified(&mut tx, user).await?;
    db::audit::insert(
        &mut tx,
        &user_event((user, &row.email), meta, "user.password_reset").target("user", user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A pending invitation for `token` and its org's slug, or a clear error.
async fn pending_invitation(
    state: &AppState,
    token: &str,
) -> Result<(db::members::Invitation, String), AppError> {
    let gone = || {
        AppError::field(
            "invite",
            "This invitation has expired, was revoked or was already used. Ask for a new one.",
        )
    };
    let hash = tokens::hash(token).ok_or_else(gone)?;
    let mut tx = db::begin_invite(&state.db, &hash).await?;
    let inv = db::members::invitation_by_token(&mut tx, &hash)
        .await?
        .ok_or_else(gone)?;
    let slug = db::orgs::slug_of(&mut tx, inv.org_id).await?;
    tx.commit().await?;
    if inv.accepted || inv.revoked || inv.expires_at <= OffsetDateTime::now_utc() {
        return Err(gone());
    }
    Ok((inv, slug))
}

/// What the invitation page shows.
pub async fn invitation_view(
    state: &AppState,
    token: &str,
) -> Result<crate::shared::account::InvitationView, AppError> {
    let (inv, _slug) = pending_invitation(state, token)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let org_name = db::members::org_name(&mut tx, inv.org_id).await?;
    tx.commit().await?;
    let account_exists = db::users::by_email(&state.db, &inv.email).await?.is_some();
    Ok(crate::shared::account::InvitationView {
        org_name,
        email: inv.email,
        role: Role::parse(&inv.role).unwrap_or(Role::Viewer),
        invited_by: inv.invited_by,
        account_exists,
    })
}

/// Membership + acceptance + audit, inside a transaction already scoped to the org.
async fn join_through(
    tx: &mut db::Tx,
    inv: &db::members::Invitation,
    user: UserId,
    email: &str,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if !db::members::mark_accepted(tx, inv.org_id, inv.id, user).await? {
        return Err(AppError::field(
            "invite",
            "This invitation has expired, was revoked or was already used.",
        ));
    }
    let role = Role::parse(&inv.role).unwrap_or(Role::Viewer);
    db::members::insert(tx, inv.org_id, user, role.as_str()).await?;
    let event = db::audit::NewEvent {
        org: Some(inv.org_id),
        ..user_event((user, email), meta, "invitation.accepted")
    }
    .target("invitation", inv.id)
    .details(json!({ "email": inv.email, "role": role.as_str() }));
    db::audit::insert(tx, &event).await?;
    Ok(())
}

/// Accepts an invitation as the logged-in `user`, whose email must be the invited one.
/// Returns the org's slug. Accepting twice is harmless for an existing member (the
/// link is used up, the role is kept).
#[tracing::instrument(skip_all)]
pub async fn accept_invitation(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    meta: &RequestMeta,
) -> Result<String, AppError> {
    let (inv, slug) = pending_invitation(state, token).await?;
    if inv.email != user.email {
        return Err(AppError::field(
            "invite",
            format!(
                "This invitation was sent to {}. Log in with that address to accept it.",
                inv.email
            ),
        ));
    }
    let mut tx = db::begin_org(&state.db, inv.org_id).await?;
    join_through(&mut tx, &inv, user.id, &user.email, meta).await?;
    db::users::mark_verified(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(slug)
}
