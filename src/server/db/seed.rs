//! Demo data for local development (`ledgerlens admin seed-demo`). Idempotent: running it
//! twice leaves the same rows.

use sqlx::PgPool;

use super::begin_org;
use crate::shared::OrgId;

/// Slug of the demo organization.
pub const DEMO_ORG_SLUG: &str = "demo";

/// Creates the demo organization and its properties if they are missing; returns its id.
pub async fn seed_demo(pool: &PgPool) -> Result<OrgId, sqlx::Error> {
    let org_id = sqlx::query_scalar!(
        r#"insert into organizations (slug, name) values ($1, $2)
           on conflict (slug) do update set name = organizations.name
           returning id"#,
        DEMO_ORG_SLUG,
        "Demo Property Group"
    )
    .fetch_one(pool)
    .await?;
    let org = OrgId(org_id);

    // Tenant rows go through the RLS-scoped transaction like any other tenant write.
    let mut tx = begin_org(pool, org).await?;
    for (code, name) in [
        ("MAPLE", "Maple Court Apartments"),
        ("HARBOR", "Harbor Point Offices"),
    ] {
        sqlx::query!(
            "insert into properties (org_id, code, name) values ($1, $2, $3)
             on conflict (org_id, code) do nothing",
            org.0,
            code,
            name
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(org)
}
