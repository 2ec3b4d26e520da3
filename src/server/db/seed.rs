//! Demo data for local development (`ledgerlens admin seed-demo`): two organizations
//! with a member of every role each, one superuser and one support staff account
//! (assigned to the first org), and two properties. Idempotent: running it twice
//! leaves the same rows. The accounts are listed in the README for local use only.

use sqlx::PgPool;

use super::{begin_org, scope_org};
use crate::shared::OrgId;

/// Slug of the demo organization.
pub const DEMO_ORG_SLUG: &str = "demo";
/// Slug of the second demo organization.
pub const OTHER_ORG_SLUG: &str = "northwind";
/// Password of every demo account (local development only).
pub const DEMO_PASSWORD: &str = "maple harbor ledger lens";

/// The demo accounts: (email, name, org slug and role, or staff role).
pub const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    (
        "owner@demo.ledgerlens.test",
        "Olivia Owner",
        DEMO_ORG_SLUG,
        "owner",
    ),
    (
        "admin@demo.ledgerlens.test",
        "Adam Admin",
        DEMO_ORG_SLUG,
        "admin",
    ),
    (
        "editor@demo.ledgerlens.test",
        "Edith Editor",
        DEMO_ORG_SLUG,
        "editor",
    ),
    (
        "viewer@demo.ledgerlens.test",
        "Victor Viewer",
        DEMO_ORG_SLUG,
        "viewer",
    ),
    (
        "owner@northwind.ledgerlens.test",
        "Nora Owner",
        OTHER_ORG_SLUG,
        "owner",
    ),
    (
        "admin@northwind.ledgerlens.test",
        "Nate Admin",
        OTHER_ORG_SLUG,
        "admin",
    ),
    (
        "editor@northwind.ledgerlens.test",
        "Nina Editor",
        OTHER_ORG_SLUG,
        "editor",
    ),
    (
        "viewer@northwind.ledgerlens.test",
        "Ned Viewer",
        OTHER_ORG_SLUG,
        "viewer",
    ),
    (
        "superuser@staff.ledgerlens.test",
        "Sam Superuser",
        "",
        "superuser",
    ),
    (
        "support@staff.ledgerlens.test",
        "Sue Support",
        "",
        "support",
    ),
];

/// Creates whatever of the demo data is missing; returns the demo org's id.
/// `password_hash` is the argon2 hash of [`DEMO_PASSWORD`] (hashed by the caller, off
/// the async runtime).
pub async fn seed_demo(pool: &PgPool, password_hash: &str) -> Result<OrgId, sqlx::Error> {
    let mut orgs = Vec::new();
    for (slug, name) in [
        (DEMO_ORG_SLUG, "Demo Property Group"),
        (OTHER_ORG_SLUG, "Northwind Realty"),
    ] {
        let id = sqlx::query_scalar!(
            r#"insert into organizations (slug, name) values ($1, $2)
               on conflict (slug) do update set name = organizations.name
               returning id"#,
            slug,
            name
        )
        .fetch_one(pool)
        .await?;
        orgs.push((slug, OrgId(id)));
    }
    let org_of = |slug: &str| orgs.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id);

    for (email, name, org_slug, role) in DEMO_USERS {
        let staff = if org_slug.is_empty() { *role } else { "none" };
        let user = sqlx::query_scalar!(
            r#"insert into users (email, name, password_hash, email_verified_at, staff_role)
               values ($1, $2, $3, now(), $4)
               on conflict (email) do update set staff_role = excluded.staff_role
               returning id"#,
            email,
            name,
            password_hash,
            staff
        )
        .fetch_one(pool)
        .await?;
        let Some(org) = org_of(org_slug) else {
            if *role == "support" {
                let demo = org_of(DEMO_ORG_SLUG).unwrap_or(orgs[0].1);
                let mut tx = begin_org(pool, demo).await?;
                sqlx::query!(
                    "insert into staff_assignments (org_id, user_id) values ($1, $2) on conflict do nothing",
                    demo.0,
                    user
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            continue;
        };
        let mut tx = pool.begin().await?;
        scope_org(&mut tx, org).await?;
        sqlx::query!(
            "insert into memberships (org_id, user_id, role) values ($1, $2, $3)
             on conflict (org_id, user_id) do nothing",
            org.0,
            user,
            role
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }

    for (_, org) in &orgs {
        // Tenant rows go through the RLS-scoped transaction like any other tenant write.
        let mut tx = begin_org(pool, *org).await?;
        sqlx::query!(
            "insert into tenant_settings (org_id) values ($1) on conflict do nothing",
            org.0
        )
        .execute(&mut *tx)
        .await?;
        if *org == orgs[0].1 {
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
        }
        tx.commit().await?;
    }
    Ok(orgs[0].1)
}
