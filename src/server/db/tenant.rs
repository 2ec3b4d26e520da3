//! The tenant-scoped transaction: every org-scoped query runs inside one, so Postgres
//! row-level security sees the org and hides every other tenant's rows.

use sqlx::PgPool;

use super::Tx;
use crate::shared::OrgId;

/// Begins a transaction whose row-level-security scope is `org`.
///
/// `set_config(..., true)` is transaction-local, so the setting disappears at commit or
/// rollback and a pooled connection never carries one tenant's scope into another's work.
pub async fn begin_org(pool: &PgPool, org: OrgId) -> Result<Tx, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query_scalar!(
        "select set_config('app.org_id', $1, true)",
        org.0.to_string()
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(tx)
}
