//! Members and invitations of an organization. The rules: admins and owners manage
//! members; only owners make or remove owners; nobody raises their own role; the last
//! owner can be neither demoted, removed nor leave (checked under a lock on the owner
//! rows, so two concurrent changes cannot both pass the check).

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::audit::org_event;
use super::input;
use crate::server::auth::{OrgCtx, tokens};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::mail::templates;
use crate::server::state::AppState;
use crate::shared::org::{InvitationRow, MemberRow, MembersPage};
use crate::shared::{InvitationId, Role, UserId};

/// How long an invitation link works.
const INVITE_TTL: Duration = Duration::days(7);

const LAST_OWNER: &str =
    "An organization needs at least one owner. Make another member an owner first.";

fn date(t: OffsetDateTime) -> String {
    t.date().to_string()
}

fn parse_role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw.trim())
        .ok_or_else(|| AppError::field("role", "Choose one of: owner, admin, editor, viewer."))
}

/// The members page: every member; pending invitations for admins and owners.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list(state: &AppState, ctx: &OrgCtx) -> Result<MembersPage, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let members = db::members::list(&mut tx, ctx.org.id).await?;
    let invitations = if ctx.role.at_least(Role::Admin) {
        db::members::pending_invitations(&mut tx, ctx.org.id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    Ok(MembersPage {
        my_role: ctx.role,
        members: members
            .into_iter()
            .map(|m| MemberRow {
                is_me: m.user_id == ctx.user.id,
                user_id: m.user_id,
                name: m.name,
                email: m.email,
                role: Role::parse(&m.role).unwrap_or(Role::Viewer),
                joined: date(m.joined),
            })
            .collect(),
        invitations: invitations
            .into_iter()
            .map(|i| InvitationRow {
                id: i.id,
                email: i.email,
                role: Role::parse(&i.role).unwrap_or(Role::Viewer),
                invited_by: i.invited_by,
                expires: date(i.expires_at),
            })
            .collect(),
    })
}

/// Whether the actor may hand out `role` at all.
fn may_grant(ctx: &OrgCtx, role: Role) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    if role == Role::Owner && ctx.role != Role::Owner {
        return Err(AppError::Denied(
            "Only owners can make someone an owner.".into(),
        ));
    }
    Ok(())
}

/// Invites `email` as `role` (not owner: promote after they join) and mails the link.
/// Inviting the same address again refreshes the pending invitation.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn invite(
    state: &AppState,
    ctx: &OrgCtx,
    email: &str,
    role: &str,
) -> Result<InvitationId, AppError> {
    ctx.require(Role::Admin)?;
    let email = input::email("email", email)?;
    let role = parse_role(role)?;
    if role == Role::Owner {
        return Err(AppError::field(
            "role",
            "Invite as admin, editor or viewer; make them an owner after they join.",
        ));
    }
    may_grant(ctx, role)?;
    let t = tokens::mint()?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    if let Some(existing) = db::users::by_email_in(&mut tx, &email).await?
        && db::members::lock_role(&mut tx, ctx.org.id, existing)
            .await?
            .is_some()
    {
        return Err(AppError::field(
            "email",
            format!("{email} is already a member."),
        ));
    }
    let id = db::members::upsert_invitation(
        &mut tx,
        ctx.org.id,
        &email,
        role.as_str(),
        &t.hash,
        ctx.user.id,
        OffsetDateTime::now_utc() + INVITE_TTL,
    )
    .await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "member.invited")
            .target("invitation", id)
            .details(json!({ "email": email, "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/invite/{}", state.config.base_url, t.token);
    state
        .mailer
        .send(templates::invitation(
            &email,
            &ctx.user.name,
            &ctx.org.name,
            role.label(),
            &link,
        ))
        .await?;
    Ok(id)
}

/// Revokes a pending invitation (its link stops working).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn revoke_invitation(
    state: &AppState,
    ctx: &OrgCtx,
    id: InvitationId,
) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let email = db::members::revoke_invitation(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "invitation.revoked")
            .target("invitation", id)
            .details(json!({ "email": email })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an existing account by its exact email.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn add_existing(
    state: &AppState,
    ctx: &OrgCtx,
    email: &str,
    role: &str,
) -> Result<UserId, AppError> {
    ctx.require(Role::Admin)?;
    let email = input::email("email", email)?;
    let role = parse_role(role)?;
    may_grant(ctx, role)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let user = db::users::by_email_in(&mut tx, &email)
        .await?
        .ok_or_else(|| {
            AppError::field(
                "email",
                "No account uses this email. Send an invitation instead.",
            )
        })?;
    if !db::members::insert(&mut tx, ctx.org.id, user, role.as_str()).await? {
        return Err(AppError::field(
            "email",
            format!("{email} is already a member."),
        ));
    }
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "member.added")
            .target("user", user)
            .details(json!({ "email": email, "role": role.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes a member's role under the rules in the module header.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn change_role(
    state: &AppState,
    ctx: &OrgCtx,
    user: UserId,
    role: &str,
) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    let new = parse_role(role)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    // Owner rows first, then the target: every path takes the locks in this order.
    let owners = db::members::lock_owners(&mut tx, ctx.org.id).await?;
    let current = db::members::lock_role(&mut tx, ctx.org.id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = Role::parse(&current).ok_or_else(|| anyhow::anyhow!("unknown stored role"))?;
    if current == new {
        return Ok(());
    }
    if current == Role::Owner && owners <= 1 {
        return Err(AppError::Conflict(LAST_OWNER.into()));
    }
    if (current == Role::Owner || new == Role::Owner) && ctx.role != Role::Owner {
        return Err(AppError::Denied(
            "Only owners can make or remove owners.".into(),
        ));
    }
    if user == ctx.user.id && new > current {
        return Err(AppError::Denied("You cannot raise your own role.".into()));
    }
    db::members::set_role(&mut tx, ctx.org.id, user, new.as_str()).await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "member.role_changed")
            .target("user", user)
            .details(json!({ "before": current.as_str(), "after": new.as_str() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a member (not oneself: that is [`leave`]).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn remove(state: &AppState, ctx: &OrgCtx, user: UserId) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    if user == ctx.user.id {
        return leave(state, ctx).await;
    }
    remove_member(state, ctx, user, "member.removed").await
}

/// Leaves the org. Any member may, except its last owner.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn leave(state: &AppState, ctx: &OrgCtx) -> Result<(), AppError> {
    remove_member(state, ctx, ctx.user.id, "member.left").await
}

async fn remove_member(
    state: &AppState,
    ctx: &OrgCtx,
    user: UserId,
    action: &str,
) -> Result<(), AppError> {
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let owners = db::members::lock_owners(&mut tx, ctx.org.id).await?;
    let current = db::members::lock_role(&mut tx, ctx.org.id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    if current == Role::Owner.as_str() {
        if owners <= 1 {
            return Err(AppError::Conflict(LAST_OWNER.into()));
        }
        if user != ctx.user.id && ctx.role != Role::Owner {
            return Err(AppError::Denied("Only owners can remove owners.".into()));
        }
    }
    db::members::delete(&mut tx, ctx.org.id, user).await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, action)
            .target("user", user)
            .details(json!({ "role": current })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
