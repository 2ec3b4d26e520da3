//! SQL of organizations (global), the viewer's memberships across orgs, and tenant
//! settings.

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::Tx;
use crate::shared::{OrgId, UserId};

/// Inserts an organization on the Free plan; `None` when the slug is taken.
pub async fn insert(tx: &mut Tx, slug: &str, name: &str) -> Result<Option<OrgId>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into organizations (slug, name) values ($1, $2)
         on conflict (slug) do nothing returning id",
        slug,
        name
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(OrgId))
}

/// Slugs already taken among `candidates` (to pick a free one without a failed insert).
pub async fn taken_slugs(tx: &mut Tx, candidates: &[String]) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select slug from organizations where slug = any($1)",
        candidates
    )
    .fetch_all(&mut **tx)
    .await
}

/// An organization and a member's role in it.
#[derive(Debug, Clone)]
pub struct MemberOrg {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub role: String,
}

/// The org with this slug if `user` is a member (in a `begin_user` transaction).
pub async fn membership_by_slug(
    tx: &mut Tx,
    user: UserId,
    slug: &str,
) -> Result<Option<MemberOrg>, sqlx::Error> {
    let r = sqlx::query!(
        "select o.id, o.slug, o.name, p.name as plan, m.role
         from organizations o
         join plans p on p.code = o.plan_code
         join memberships m on m.org_id = o.id and m.user_id = $1
         where o.slug = $2",
        user.0,
        slug
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| MemberOrg {
        id: OrgId(r.id),
        slug: r.slug,
        name: r.name,
        plan: r.plan,
        role: r.role,
    }))
}

/// Every org `user` belongs to, by name (in a `begin_user` transaction).
pub async fn memberships_of(tx: &mut Tx, user: UserId) -> Result<Vec<MemberOrg>, sqlx::Error> {
    let rows = sqlx::query!(
        "select o.id, o.slug, o.name, p.name as plan, m.role
         from memberships m
         join organizations o on o.id = m.org_id
         join plans p on p.code = o.plan_code
         where m.user_id = $1
         order by lower(o.name), o.slug",
        user.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MemberOrg {
            id: OrgId(r.id),
            slug: r.slug,
            name: r.name,
            plan: r.plan,
            role: r.role,
        })
        .collect())
}

/// The settings row of a new org, with the defaults (in the org's scope).
pub async fn insert_settings(tx: &mut Tx, org: OrgId) -> Result<(), sqlx::Error> {
    sqlx::query!("insert into tenant_settings (org_id) values ($1)", org.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Tenant settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub autopost_enabled: bool,
    pub autopost_threshold: Decimal,
    pub monthly_budget: Option<Decimal>,
}

/// The org's settings, locked for update when `for_update`.
pub async fn settings(tx: &mut Tx, org: OrgId, for_update: bool) -> Result<Settings, sqlx::Error> {
    let r = if for_update {
        sqlx::query_as!(
            Settings,
            "select autopost_enabled, autopost_threshold, monthly_budget
             from tenant_settings where org_id = $1 for update",
            org.0
        )
        .fetch_one(&mut **tx)
        .await?
    } else {
        sqlx::query_as!(
            Settings,
            "select autopost_enabled, autopost_threshold, monthly_budget
             from tenant_settings where org_id = $1",
            org.0
        )
        .fetch_one(&mut **tx)
        .await?
    };
    Ok(r)
}

/// Writes the org's settings.
pub async fn update_settings(tx: &mut Tx, org: OrgId, s: &Settings) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update tenant_settings
         set autopost_enabled = $2, autopost_threshold = $3, monthly_budget = $4, updated_at = now()
         where org_id = $1",
        org.0,
        s.autopost_enabled,
        s.autopost_threshold,
        s.monthly_budget
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A tenant as the staff console lists it.
#[derive(Debug, Clone)]
pub struct TenantRow {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub subscription_status: String,
    pub member_count: i32,
    pub created_at: OffsetDateTime,
}

/// Every tenant, or only those assigned to `assigned_to` (in a `begin_user`
/// transaction of that user, whose own assignments the policy shows).
pub async fn tenants(
    tx: &mut Tx,
    assigned_to: Option<UserId>,
) -> Result<Vec<TenantRow>, sqlx::Error> {
    let rows = sqlx::query!(
        "select o.id, o.slug, o.name, p.name as plan, o.subscription_status, o.member_count,
                o.created_at
         from organizations o
         join plans p on p.code = o.plan_code
         where $1::uuid is null
            or exists (select 1 from staff_assignments s where s.org_id = o.id and s.user_id = $1)
         order by o.created_at desc, o.slug",
        assigned_to.map(|u| u.0)
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TenantRow {
            id: OrgId(r.id),
            slug: r.slug,
            name: r.name,
            plan: r.plan,
            subscription_status: r.subscription_status,
            member_count: r.member_count,
            created_at: r.created_at,
        })
        .collect())
}

/// The id of the org with this slug (operator tools only: no membership check).
pub async fn id_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<OrgId>, sqlx::Error> {
    let id = sqlx::query_scalar!("select id from organizations where slug = $1", slug)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(id.map(OrgId))
}

/// The slug of an org (organizations are global; any scope may read them).
pub async fn slug_of(tx: &mut Tx, org: OrgId) -> Result<String, sqlx::Error> {
    sqlx::query_scalar!("select slug from organizations where id = $1", org.0)
        .fetch_one(&mut **tx)
        .await
}

/// Usage counters and plan limits of an org.
#[derive(Debug, Clone)]
pub struct Usage {
    pub plan: String,
    pub documents_used: i64,
    pub documents_limit: i64,
    pub storage_used_bytes: i64,
    pub storage_limit_bytes: i64,
}

/// The org's usage against its plan.
pub async fn usage(tx: &mut Tx, org: OrgId) -> Result<Usage, sqlx::Error> {
    sqlx::query_as!(
        Usage,
        "select p.name as plan, o.documents_used, p.documents_limit, o.storage_used_bytes,
                p.storage_limit_bytes
         from organizations o join plans p on p.code = o.plan_code where o.id = $1",
        org.0
    )
    .fetch_one(&mut **tx)
    .await
}
