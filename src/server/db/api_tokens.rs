//! SQL of API tokens: created and listed in the org's scope, looked up by the hash of a
//! presented token (in a `begin_api_token` transaction) to authenticate a request.

use time::OffsetDateTime;
use uuid::Uuid;

use super::Tx;
use crate::shared::{OrgId, UserId};

/// A token as the settings page lists it.
#[derive(Debug, Clone)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub created_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// Stores a new token's hash; returns its id.
pub async fn insert(
    tx: &mut Tx,
    org: OrgId,
    name: &str,
    role: &str,
    token_hash: &[u8; 32],
    created_by: Option<UserId>,
) -> Result<Uuid, sqlx::Error> {
    let via = if created_by.is_some() { "ui" } else { "cli" };
    sqlx::query_scalar!(
        "insert into api_tokens (org_id, name, role, token_hash, created_by, created_via)
         values ($1, $2, $3, $4, $5, $6) returning id",
        org.0,
        name,
        role,
        &token_hash[..],
        created_by.map(|u| u.0),
        via
    )
    .fetch_one(&mut **tx)
    .await
}

/// The org's tokens that still work, newest first.
pub async fn active(tx: &mut Tx, org: OrgId) -> Result<Vec<Token>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select t.id, t.name, t.role, u.email as "created_by?", t.created_at, t.last_used_at
           from api_tokens t left join users u on u.id = t.created_by
           where t.org_id = $1 and t.revoked_at is null
           order by t.created_at desc"#,
        org.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Token {
            id: r.id,
            name: r.name,
            role: r.role,
            created_by: r.created_by,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
        })
        .collect())
}

/// Revokes a token; returns its name, or `None` if there was no such active token.
pub async fn revoke(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "update api_tokens set revoked_at = now()
         where org_id = $1 and id = $2 and revoked_at is null returning name",
        org.0,
        id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// What a presented token resolves to.
#[derive(Debug, Clone)]
pub struct Presented {
    pub id: Uuid,
    pub org_id: OrgId,
    pub role: String,
    pub created_by: Option<UserId>,
    pub created_via: String,
    pub revoked: bool,
    pub last_used_at: Option<OffsetDateTime>,
}

/// The token whose hash is `token_hash` (in a `begin_api_token` transaction).
pub async fn by_hash(tx: &mut Tx, token_hash: &[u8; 32]) -> Result<Option<Presented>, sqlx::Error> {
    let r = sqlx::query!(
        r#"select id, org_id, role, created_by, created_via, revoked_at is not null as "revoked!", last_used_at
           from api_tokens where token_hash = $1"#,
        &token_hash[..]
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| Presented {
        id: r.id,
        org_id: OrgId(r.org_id),
        role: r.role,
        created_by: r.created_by.map(UserId),
        created_via: r.created_via,
        revoked: r.revoked,
        last_used_at: r.last_used_at,
    }))
}

/// Records that a token was used (in its org's scope).
pub async fn touch(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update api_tokens set last_used_at = now() where org_id = $1 and id = $2",
        org.0,
        id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The org as an API request sees it (slug, name, plan).
pub async fn org_ref(tx: &mut Tx, org: OrgId) -> Result<(String, String, String), sqlx::Error> {
    let r = sqlx::query!(
        "select o.slug, o.name, p.name as plan from organizations o join plans p on p.code = o.plan_code where o.id = $1",
        org.0
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok((r.slug, r.name, r.plan))
}
