//! The catalog guard: walks `pg_catalog` and lists every way the schema breaks the
//! tenancy rules. Tests assert the list is empty, so a new tenant table without RLS, or
//! a table owned by the app role, fails the build.

use sqlx::PgPool;

use super::APP_ROLE;

/// One broken rule, in words fit for a test failure message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation(pub String);

/// Checks every table in the database: those with an `org_id` column must have row-level
/// security enabled and forced and at least one policy; the app role must own no table
/// and must be neither superuser nor BYPASSRLS.
pub async fn tenancy_violations(pool: &PgPool) -> Result<Vec<Violation>, sqlx::Error> {
    let mut out = Vec::new();

    let tables = sqlx::query!(
        r#"select n.nspname as "schema!", c.relname as "table!",
                  c.relrowsecurity as "rls!", c.relforcerowsecurity as "forced!",
                  (select count(*) from pg_policy p where p.polrelid = c.oid) as "policies!"
           from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'p')
             and n.nspname not in ('pg_catalog', 'information_schema')
             and exists (select 1 from pg_attribute a
                         where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped)
           order by 1, 2"#
    )
    .fetch_all(pool)
    .await?;
    for t in tables {
        let name = format!("{}.{}", t.schema, t.table);
        if !t.rls {
            out.push(Violation(format!(
                "{name} has org_id but row level security is not enabled"
            )));
        }
        if !t.forced {
            out.push(Violation(format!(
                "{name} has org_id but row level security is not forced"
            )));
        }
        if t.policies == 0 {
            out.push(Violation(format!("{name} has org_id but no policy")));
        }
    }

    let owned = sqlx::query_scalar!(
        r#"select n.nspname || '.' || c.relname as "name!"
           from pg_class c
           join pg_namespace n on n.oid = c.relnamespace
           join pg_roles r on r.oid = c.relowner
           where r.rolname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S')"#,
        APP_ROLE
    )
    .fetch_all(pool)
    .await?;
    for name in owned {
        out.push(Violation(format!(
            "{name} is owned by the app role {APP_ROLE}"
        )));
    }

    let role = sqlx::query!(
        r#"select rolsuper as "superuser!", rolbypassrls as "bypass!" from pg_roles where rolname = $1"#,
        APP_ROLE
    )
    .fetch_optional(pool)
    .await?;
    match role {
        None => out.push(Violation(format!("the app role {APP_ROLE} does not exist"))),
        Some(r) if r.superuser || r.bypass => out.push(Violation(format!(
            "the app role {APP_ROLE} is superuser or has BYPASSRLS"
        ))),
        Some(_) => {}
    }
    Ok(out)
}
