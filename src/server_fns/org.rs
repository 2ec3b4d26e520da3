//! Org-scoped server functions: the org header, members and invitations, settings and
//! the org audit log. Each authorizes through `Call::org` (the one authorize step) and
//! calls one service function.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call::Call, call::fail, services};
use crate::shared::audit::{AuditFilter, AuditPage};
use crate::shared::org::{
    ApiTokenRow, MembersPage, NewApiToken, OrgView, PropertyRow, SettingsView, UsageView,
};
use crate::shared::{InvitationId, PropertyId, UiError, UserId};

/// The org a page is about and the viewer's role there (404 for non-members).
#[server(prefix = "/sfn", endpoint = "org/view")]
pub async fn get_org(org: String) -> Result<OrgView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    Ok(services::orgs::view(&ctx))
}

/// Members and (for admins) pending invitations.
#[server(prefix = "/sfn", endpoint = "org/members")]
pub async fn list_members(org: String) -> Result<MembersPage, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::list(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// Invites someone by email (admins).
#[server(prefix = "/sfn", endpoint = "org/members/invite")]
pub async fn invite_member(org: String, email: String, role: String) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::invite(&call.state, &ctx, &email, &role)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Adds an existing account by exact email (admins).
#[server(prefix = "/sfn", endpoint = "org/members/add")]
pub async fn add_member(org: String, email: String, role: String) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::add_existing(&call.state, &ctx, &email, &role)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Changes a member's role (admins; owners for anything involving owners).
#[server(prefix = "/sfn", endpoint = "org/members/role")]
pub async fn change_member_role(org: String, user_id: UserId, role: String) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::change_role(&call.state, &ctx, user_id, &role)
        .await
        .map_err(fail)
}

/// Removes a member (admins; owners to remove owners).
#[server(prefix = "/sfn", endpoint = "org/members/remove")]
pub async fn remove_member(org: String, user_id: UserId) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::remove(&call.state, &ctx, user_id)
        .await
        .map_err(fail)
}

/// Leaves the org (not its last owner). Returns where to go.
#[server(prefix = "/sfn", endpoint = "org/leave")]
pub async fn leave_org(org: String) -> Result<String, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::leave(&call.state, &ctx)
        .await
        .map_err(fail)?;
    crate::server::auth::session::renew(&call.session, None)
        .await
        .map_err(fail)?;
    call.redirect_plain_form("/account");
    Ok("/account".into())
}

/// Revokes a pending invitation (admins).
#[server(prefix = "/sfn", endpoint = "org/invitations/revoke")]
pub async fn revoke_invitation(org: String, invitation_id: InvitationId) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::members::revoke_invitation(&call.state, &ctx, invitation_id)
        .await
        .map_err(fail)
}

/// Tenant settings (admins).
#[server(prefix = "/sfn", endpoint = "org/settings")]
pub async fn get_settings(org: String) -> Result<SettingsView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::settings::get(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// Saves tenant settings (admins); a bad value changes nothing.
#[server(prefix = "/sfn", endpoint = "org/settings/update")]
pub async fn update_settings(
    org: String,
    #[server(default)] autopost_enabled: Option<String>,
    autopost_threshold: String,
    #[server(default)] monthly_budget: String,
) -> Result<SettingsView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    let enabled = matches!(autopost_enabled.as_deref(), Some("on" | "true" | "1"));
    services::settings::update(
        &call.state,
        &ctx,
        enabled,
        &autopost_threshold,
        &monthly_budget,
    )
    .await
    .map_err(fail)
}

/// One page of the org's audit log (admins); the view itself is audited.
#[server(prefix = "/sfn", endpoint = "org/audit")]
pub async fn list_org_audit(
    org: String,
    #[server(default)] filter: AuditFilter,
) -> Result<AuditPage, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::audit::list_org(&call.state, &ctx, &filter)
        .await
        .map_err(fail)
}

/// Every property of the org (members).
#[server(prefix = "/sfn", endpoint = "org/properties")]
pub async fn list_properties(org: String) -> Result<Vec<PropertyRow>, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::properties::list(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// Creates a property (admins).
#[server(prefix = "/sfn", endpoint = "org/properties/create")]
pub async fn create_property(
    org: String,
    name: String,
    code: String,
) -> Result<PropertyRow, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::properties::create(&call.state, &ctx, &name, &code)
        .await
        .map_err(fail)
}

/// Renames or re-codes a property (admins).
#[server(prefix = "/sfn", endpoint = "org/properties/update")]
pub async fn update_property(
    org: String,
    property_id: PropertyId,
    name: String,
    code: String,
) -> Result<PropertyRow, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::properties::update(&call.state, &ctx, property_id, &name, &code)
        .await
        .map_err(fail)
}

/// Plan and usage against its quotas (admins).
#[server(prefix = "/sfn", endpoint = "org/usage")]
pub async fn get_usage(org: String) -> Result<UsageView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::settings::usage(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// The org's active API tokens (admins).
#[server(prefix = "/sfn", endpoint = "org/tokens")]
pub async fn list_api_tokens(org: String) -> Result<Vec<ApiTokenRow>, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::api_tokens::list(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// Creates an API token (admins); its text is in this answer only.
#[server(prefix = "/sfn", endpoint = "org/tokens/create")]
pub async fn create_api_token(
    org: String,
    name: String,
    role: String,
) -> Result<NewApiToken, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::api_tokens::create(&call.state, &ctx, &name, &role)
        .await
        .map_err(fail)
}

/// Revokes an API token (admins).
#[server(prefix = "/sfn", endpoint = "org/tokens/revoke")]
pub async fn revoke_api_token(org: String, token_id: uuid::Uuid) -> Result<(), UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::api_tokens::revoke(&call.state, &ctx, token_id)
        .await
        .map_err(fail)
}
