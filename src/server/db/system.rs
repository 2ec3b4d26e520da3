//! Queries about the database itself (clock, version, role flags).

use sqlx::PgPool;

/// Clock and version as Postgres reports them.
pub struct DatabaseClock {
    pub now: time::OffsetDateTime,
    pub version: String,
}

/// Reads `now()` and `server_version` in one round trip.
pub async fn clock(pool: &PgPool) -> Result<DatabaseClock, sqlx::Error> {
    let row =
        sqlx::query!(r#"select now() as "now!", current_setting('server_version') as "version!""#)
            .fetch_one(pool)
            .await?;
    Ok(DatabaseClock {
        now: row.now,
        version: row.version,
    })
}

/// Privileges of the role this pool connects as.
pub struct RoleFlags {
    pub name: String,
    pub superuser: bool,
    pub bypass_rls: bool,
}

/// Reads the connected role's superuser and BYPASSRLS flags.
pub async fn current_role(pool: &PgPool) -> Result<RoleFlags, sqlx::Error> {
    let row = sqlx::query!(
        r#"select rolname as "name!", rolsuper as "superuser!", rolbypassrls as "bypass_rls!"
           from pg_roles where rolname = current_user"#
    )
    .fetch_one(pool)
    .await?;
    Ok(RoleFlags {
        name: row.name,
        superuser: row.superuser,
        bypass_rls: row.bypass_rls,
    })
}

/// Cheap liveness query for readiness checks.
pub async fn ping(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query_scalar!("select 1 as one")
        .fetch_one(pool)
        .await?;
    Ok(())
}
