//! Scoped transactions: every tenant query runs inside one, so Postgres row-level
//! security sees the org (or the narrower scope a policy names) and hides everything
//! else. All settings are transaction-local: a pooled connection never carries one
//! request's scope into another's work.

use sqlx::PgPool;

use super::Tx;
use crate::shared::{OrgId, UserId};

/// Begins a transaction whose row-level-security scope is `org`.
///
/// `set_config(..., true)` is transaction-local, so the setting disappears at commit or
/// rollback and a pooled connection never carries one tenant's scope into another's work.
pub async fn begin_org(pool: &PgPool, org: OrgId) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    scope_org(&mut tx, org).await?;
    Ok(tx)
}

/// Moves an open transaction to `org` (sign-up and invitation acceptance create or find
/// the org inside the transaction that then writes its rows).
pub async fn scope_org(tx: &mut Tx, org: OrgId) -> Result<(), sqlx::Error> {
    set(tx, "app.org_id", &org.0.to_string()).await
}

/// Begins a transaction scoped to one user: the policies named `*_own` let it read that
/// user's memberships and staff assignments in every org, and nothing else of any tenant.
/// Call only with the id of a user the session layer has authenticated.
pub async fn begin_user(pool: &PgPool, user: UserId) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set(&mut tx, "app.user_id", &user.0.to_string()).await?;
    Ok(tx)
}

/// Begins a transaction that may read the invitation whose token hashes to
/// `token_hash` (and no other): holding the token is the permission.
pub async fn begin_invite(pool: &PgPool, token_hash: &[u8; 32]) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set(&mut tx, "app.invite_token", &hex::encode(token_hash)).await?;
    Ok(tx)
}

/// Begins a transaction that may read the API token whose hash is `token_hash`.
pub async fn begin_api_token(pool: &PgPool, token_hash: &[u8; 32]) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set(&mut tx, "app.api_token", &hex::encode(token_hash)).await?;
    Ok(tx)
}

/// Begins a transaction with superuser staff's read scope (the global audit log). Call
/// only after the service has checked the user's `staff_role` in the database.
pub async fn begin_superuser(pool: &PgPool, user: UserId) -> Result<Tx, sqlx::Error> {
    let mut tx = begin_user(pool, user).await?;
    set(&mut tx, "app.staff_role", "superuser").await?;
    Ok(tx)
}

/// Begins a transaction of the job worker: it may claim, heartbeat and finish jobs of
/// every tenant (policy `jobs_worker`) and nothing else across tenants; a job's own work
/// runs in `begin_org` of the job's org. Only the job runner calls this.
pub async fn begin_worker(pool: &PgPool) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    set(&mut tx, "app.worker", "on").await?;
    Ok(tx)
}

/// `in_worker!(pool, |tx| body)`: `body` — code using `tx: &mut Tx` and `?` on
/// database errors — in one worker transaction (`begin_worker`), committed; evaluates
/// to `Result<body's value, sqlx::Error>`.
/// A macro, not a function taking an async closure: such a closure borrowing the
/// transaction does not prove `Send` for `tokio::spawn`.
macro_rules! in_worker {
    ($pool:expr, |$tx:ident| $body:expr) => {
        async {
            let mut tx = $crate::server::db::begin_worker($pool).await?;
            let $tx = &mut tx;
            let out = $body;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(out)
        }
        .await
    };
}
pub(crate) use in_worker;

async fn set(tx: &mut Tx, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!("select set_config($1, $2, true)", key, value)
        .fetch_one(&mut **tx)
        .await?;
    Ok(())
}
