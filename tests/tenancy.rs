//! Tenancy guarantees of the schema, checked against a real migrated database:
//! the catalog guard (every org_id table has RLS enabled, forced and a policy; the app
//! role owns nothing) and row-level security as the app role actually experiences it.

mod common;

use ledgerlens::server::db::{self, begin_org, catalog};
use ledgerlens::shared::OrgId;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

async fn org(pool: &PgPool, slug: &str) -> OrgId {
    OrgId(
        sqlx::query_scalar("insert into organizations (slug, name) values ($1, $1) returning id")
            .bind(slug)
            .fetch_one(pool)
            .await
            .unwrap(),
    )
}

async fn add_property(pool: &PgPool, org: OrgId, code: &str) {
    let mut tx = begin_org(pool, org).await.unwrap();
    sqlx::query("insert into properties (org_id, code, name) values ($1, $2, $2)")
        .bind(org.0)
        .bind(code)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn visible_codes(pool: &PgPool, scope: Option<OrgId>) -> Vec<String> {
    let sql = "select code from properties order by code";
    match scope {
        Some(org) => {
            let mut tx = begin_org(pool, org).await.unwrap();
            let rows = sqlx::query_scalar(sql).fetch_all(&mut *tx).await.unwrap();
            tx.commit().await.unwrap();
            rows
        }
        None => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

/// Runs one statement as the superuser that owns the test database.
async fn exec(pool: &PgPool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

#[sqlx::test]
async fn catalog_guard_finds_no_violation(pool: PgPool) {
    let violations = catalog::tenancy_violations(&pool).await.unwrap();
    assert!(violations.is_empty(), "tenancy violations: {violations:#?}");
}

#[sqlx::test]
async fn catalog_guard_catches_disabled_rls(pool: PgPool) {
    exec(&pool, "alter table properties disable row level security").await;
    let violations = catalog::tenancy_violations(&pool).await.unwrap();
    assert!(
        violations
            .iter()
            .any(|v| v.0 == "public.properties has org_id but row level security is not enabled"),
        "{violations:#?}"
    );
}

#[sqlx::test]
async fn catalog_guard_catches_unforced_rls_missing_policy_and_app_owned_tables(pool: PgPool) {
    exec(&pool, "alter table properties no force row level security").await;
    exec(
        &pool,
        "create table notes (org_id uuid not null, body text)",
    )
    .await;
    exec(&pool, "alter table notes enable row level security").await;
    exec(&pool, "alter table notes force row level security").await;
    exec(&pool, "alter table notes owner to ledgerlens_app").await;
    let found: Vec<String> = catalog::tenancy_violations(&pool)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.0)
        .collect();
    assert!(
        found.contains(&"public.properties has org_id but row level security is not forced".into()),
        "{found:#?}"
    );
    assert!(
        found.contains(&"public.notes has org_id but no policy".into()),
        "{found:#?}"
    );
    assert!(
        found.contains(&"public.notes is owned by the app role ledgerlens_app".into()),
        "{found:#?}"
    );
}

#[sqlx::test]
async fn app_role_sees_only_the_scoped_org(_opts: PgPoolOptions, conn: PgConnectOptions) {
    let app = common::app_pool(&conn).await;
    let role = db::system::current_role(&app).await.unwrap();
    assert_eq!(role.name, db::APP_ROLE);
    assert!(!role.superuser && !role.bypass_rls);

    let a = org(&app, "org-a").await;
    let b = org(&app, "org-b").await;
    add_property(&app, a, "A1").await;
    add_property(&app, a, "A2").await;
    add_property(&app, b, "B1").await;

    assert_eq!(visible_codes(&app, Some(a)).await, ["A1", "A2"]);
    assert_eq!(visible_codes(&app, Some(b)).await, ["B1"]);
    // No scope: nothing, and (after scoped transactions ran on these pooled connections)
    // no `invalid input syntax for type uuid: ""` either.
    for _ in 0..8 {
        assert!(visible_codes(&app, None).await.is_empty());
    }
    app.close().await;
}

#[sqlx::test]
async fn app_role_cannot_write_into_another_org_or_switch_rls_off(
    _opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let app = common::app_pool(&conn).await;
    let a = org(&app, "org-a").await;
    let b = org(&app, "org-b").await;

    let mut tx = begin_org(&app, a).await.unwrap();
    let err = sqlx::query("insert into properties (org_id, code, name) values ($1, 'X', 'X')")
        .bind(b.0)
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row-level security"), "{err}");
    tx.rollback().await.unwrap();

    let unscoped = sqlx::query("insert into properties (org_id, code, name) values ($1, 'Y', 'Y')")
        .bind(a.0)
        .execute(&app)
        .await;
    assert!(unscoped.is_err(), "unscoped tenant insert must fail");

    let err = sqlx::query("alter table properties disable row level security")
        .execute(&app)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("must be owner"), "{err}");
    assert!(visible_codes(&app, Some(a)).await.is_empty());
    app.close().await;
}

#[sqlx::test]
async fn seed_demo_is_idempotent_and_scoped(_opts: PgPoolOptions, conn: PgConnectOptions) {
    let app = common::app_pool(&conn).await;
    let hash = common::cheap_hash(db::seed::DEMO_PASSWORD);
    let first = db::seed::seed_demo(&app, &hash).await.unwrap();
    let second = db::seed::seed_demo(&app, &hash).await.unwrap();
    assert_eq!(first, second);
    assert_eq!(visible_codes(&app, Some(first)).await, ["HARBOR", "MAPLE"]);
    app.close().await;
}
