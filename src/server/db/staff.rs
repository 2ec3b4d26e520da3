//! SQL of staff assignments (support staff ↔ tenants).

use super::Tx;
use crate::shared::{OrgId, UserId};

/// Assigns `user` to `org` (idempotent; in the org's scope).
pub async fn assign(tx: &mut Tx, org: OrgId, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into staff_assignments (org_id, user_id) values ($1, $2)
         on conflict do nothing",
        org.0,
        user.0
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
