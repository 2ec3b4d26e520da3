//! API tokens for integrations: admins create (shown once), list and revoke them on the
//! settings page; operators create them with `ledgerlens admin create-api-token`.

use serde_json::json;
use uuid::Uuid;

use super::audit::org_event;
use crate::server::auth::{OrgCtx, RequestMeta, api_token};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::Role;
use crate::shared::org::{ApiTokenRow, NewApiToken};

fn parse_role(raw: &str, cap: Role) -> Result<Role, AppError> {
    let role = match Role::parse(raw.trim()) {
        Some(r) if r != Role::Owner => r,
        _ => return Err(AppError::field("role", "Choose viewer, editor or admin.")),
    };
    if role > cap {
        return Err(AppError::field(
            "role",
            "A token cannot have a higher role than yours.",
        ));
    }
    Ok(role)
}

fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::field(
            "name",
            "Give the token a name of 1–100 characters, e.g. \"nightly import\".",
        ));
    }
    Ok(name.to_string())
}

/// The org's active tokens (admins).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list(state: &AppState, ctx: &OrgCtx) -> Result<Vec<ApiTokenRow>, AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let rows = db::api_tokens::active(&mut tx, ctx.org.id).await?;
    tx.commit().await?;
    let minute = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    Ok(rows
        .into_iter()
        .map(|t| ApiTokenRow {
            id: t.id,
            name: t.name,
            role: Role::parse(&t.role).unwrap_or(Role::Viewer),
            created_by: t.created_by,
            created: t.created_at.date().to_string(),
            last_used: t
                .last_used_at
                .and_then(|d| d.format(&minute).ok())
                .unwrap_or_default(),
        })
        .collect())
}

/// Creates a token with a role no higher than the creator's (admins). The text is in
/// the answer only.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn create(
    state: &AppState,
    ctx: &OrgCtx,
    name: &str,
    role: &str,
) -> Result<NewApiToken, AppError> {
    ctx.require(Role::Admin)?;
    let name = parse_name(name)?;
    let role = parse_role(role, ctx.role)?;
    let (token, hash) = api_token::mint()?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let id = db::api_tokens::insert(
        &mut tx,
        ctx.org.id,
        &name,
        role.as_str(),
        &hash,
        Some(ctx.user.id),
    )
    .await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "api_token.created")
            .target("api_token", id)
            .details(json!({ "name": name, "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(NewApiToken { id, name, token })
}

/// Revokes a token at once (admins).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn revoke(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let name = db::api_tokens::revoke(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "api_token.revoked")
            .target("api_token", id)
            .details(json!({ "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a token as the operator (CLI): any role up to admin. Returns the text.
pub async fn create_for_operator(
    state: &AppState,
    org_slug: &str,
    name: &str,
    role: &str,
) -> Result<String, AppError> {
    let name = parse_name(name)?;
    let role = parse_role(role, Role::Admin)?;
    let (token, hash) = api_token::mint()?;
    let mut tx = state.db.begin().await?;
    let org = db::orgs::id_by_slug(&mut tx, org_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    db::scope_org(&mut tx, org).await?;
    let id = db::api_tokens::insert(&mut tx, org, &name, role.as_str(), &hash, None).await?;
    let meta = RequestMeta::default();
    let event = db::audit::NewEvent {
        org: Some(org),
        request_id: meta.request_id.as_deref(),
        ..db::audit::NewEvent::new("api_token.created")
    }
    .target("api_token", id)
    .details(json!({ "name": name, "role": role.as_str(), "via": "cli" }));
    db::audit::insert(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(token)
}
