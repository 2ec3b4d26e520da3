//! SQL of memberships and invitations, always inside an org-scoped transaction.

use time::OffsetDateTime;

use super::Tx;
use crate::shared::{InvitationId, OrgId, UserId};

/// A member with their account details.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: String,
    pub joined: OffsetDateTime,
}

/// Every member of the org, owners first, then by name.
pub async fn list(tx: &mut Tx, org: OrgId) -> Result<Vec<Member>, sqlx::Error> {
    let rows = sqlx::query!(
        "select m.user_id, u.name, u.email, m.role, m.created_at
         from memberships m join users u on u.id = m.user_id
         where m.org_id = $1
         order by array_position(array['owner','admin','editor','viewer'], m.role),
                  lower(u.name), u.email",
        org.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Member {
            user_id: UserId(r.user_id),
            name: r.name,
            email: r.email,
            role: r.role,
            joined: r.created_at,
        })
        .collect())
}

/// A member's role, locked for update (role changes and removals serialize on it).
pub async fn lock_role(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select role from memberships where org_id = $1 and user_id = $2 for update",
        org.0,
        user.0
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Locks every owner row of the org and returns how many there are. Taken before any
/// change that could remove an owner, so two concurrent demotions cannot both see
/// "another owner remains" and leave none.
pub async fn lock_owners(tx: &mut Tx, org: OrgId) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query_scalar!(
        "select user_id from memberships where org_id = $1 and role = 'owner'
         order by user_id for update",
        org.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.len())
}

/// Adds a member; `false` when they already are one.
pub async fn insert(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    role: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into memberships (org_id, user_id, role) values ($1, $2, $3)
         on conflict (org_id, user_id) do nothing",
        org.0,
        user.0,
        role
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets a member's role.
pub async fn set_role(
    tx: &mut Tx,
    org: OrgId,
    user: UserId,
    role: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update memberships set role = $3 where org_id = $1 and user_id = $2",
        org.0,
        user.0,
        role
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes a member.
pub async fn delete(tx: &mut Tx, org: OrgId, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from memberships where org_id = $1 and user_id = $2",
        org.0,
        user.0
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A pending invitation.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: InvitationId,
    pub org_id: OrgId,
    pub email: String,
    pub role: String,
    pub invited_by: Option<String>,
    pub expires_at: OffsetDateTime,
    pub accepted: bool,
    pub revoked: bool,
}

/// Pending (unanswered, unexpired) invitations of the org, newest first.
pub async fn pending_invitations(tx: &mut Tx, org: OrgId) -> Result<Vec<Invitation>, sqlx::Error> {
    let rows = sqlx::query!(
        "select i.id, i.org_id, i.email, i.role, u.email as \"invited_by?\", i.expires_at
         from invitations i left join users u on u.id = i.invited_by
         where i.org_id = $1 and i.accepted_at is null and i.revoked_at is null
           and i.expires_at > now()
         order by i.created_at desc",
        org.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Invitation {
            id: InvitationId(r.id),
            org_id: OrgId(r.org_id),
            email: r.email,
            role: r.role,
            invited_by: r.invited_by,
            expires_at: r.expires_at,
            accepted: false,
            revoked: false,
        })
        .collect())
}

/// Creates an invitation, or refreshes the pending one for the same email (new token,
/// role and expiry: the older link stops working). Returns its id.
pub async fn upsert_invitation(
    tx: &mut Tx,
    org: OrgId,
    email: &str,
    role: &str,
    token_hash: &[u8; 32],
    invited_by: UserId,
    expires_at: OffsetDateTime,
) -> Result<InvitationId, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into invitations (org_id, email, role, token_hash, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (org_id, email) where accepted_at is null and revoked_at is null
         do update set role = excluded.role, token_hash = excluded.token_hash,
                       invited_by = excluded.invited_by, expires_at = excluded.expires_at,
                       created_at = now()
         returning id",
        org.0,
        email,
        role,
        &token_hash[..],
        invited_by.0,
        expires_at
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(InvitationId(id))
}

/// Revokes a pending invitation; `false` if there was none with this id.
pub async fn revoke_invitation(
    tx: &mut Tx,
    org: OrgId,
    id: InvitationId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update invitations set revoked_at = now()
         where org_id = $1 and id = $2 and accepted_at is null and revoked_at is null
         returning email",
        org.0,
        id.0
    )
    .fetch_optional(&mut **tx)
    .await
}

/// The invitation whose token hashes to `token_hash` (in a `begin_invite`
/// transaction; the policy for it allows reading only, so acceptance re-checks with
/// [`mark_accepted`]).
pub async fn invitation_by_token(
    tx: &mut Tx,
    token_hash: &[u8; 32],
) -> Result<Option<Invitation>, sqlx::Error> {
    let r = sqlx::query!(
        "select i.id, i.org_id, i.email, i.role, i.expires_at,
                i.accepted_at is not null as \"accepted!\", i.revoked_at is not null as \"revoked!\",
                (select u.name from users u where u.id = i.invited_by) as \"invited_by?\"
         from invitations i where i.token_hash = $1",
        &token_hash[..]
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| Invitation {
        id: InvitationId(r.id),
        org_id: OrgId(r.org_id),
        email: r.email,
        role: r.role,
        invited_by: r.invited_by,
        expires_at: r.expires_at,
        accepted: r.accepted,
        revoked: r.revoked,
    }))
}

/// Marks an invitation accepted by `user` (in the invitation's org scope) if it is
/// still pending and unexpired; `false` otherwise. The conditional update makes a
/// link single-use even when two tabs accept at once.
pub async fn mark_accepted(
    tx: &mut Tx,
    org: OrgId,
    id: InvitationId,
    user: UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update invitations set accepted_at = now(), accepted_by = $3
         where org_id = $1 and id = $2 and accepted_at is null and revoked_at is null
           and expires_at > now()",
        org.0,
        id.0,
        user.0
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The org's name (in its scope or any scope: organizations are global).
pub async fn org_name(tx: &mut Tx, org: OrgId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("select name from organizations where id = $1", org.0)
        .fetch_one(&mut **tx)
        .await
}

/// A member's role, without locking (in the org's scope).
pub async fn role_of(tx: &mut Tx, org: OrgId, user: UserId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select role from memberships where org_id = $1 and user_id = $2",
        org.0,
        user.0
    )
    .fetch_optional(&mut **tx)
    .await
}
