//! SQL of properties (an org's reporting entities), inside an org-scoped transaction.

use time::OffsetDateTime;
use uuid::Uuid;

use super::Tx;
use crate::shared::{OrgId, PropertyId};

/// A row as selected (every query selects these four columns).
struct Row {
    id: Uuid,
    code: String,
    name: String,
    created_at: OffsetDateTime,
}

impl From<Row> for Property {
    fn from(r: Row) -> Self {
        Property {
            id: PropertyId(r.id),
            code: r.code,
            name: r.name,
            created_at: r.created_at,
        }
    }
}

/// A property as stored.
#[derive(Debug, Clone)]
pub struct Property {
    pub id: PropertyId,
    pub code: String,
    pub name: String,
    pub created_at: OffsetDateTime,
}

/// Every property of the org, by code.
pub async fn list(tx: &mut Tx, org: OrgId) -> Result<Vec<Property>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Row,
        "select id, code, name, created_at from properties where org_id = $1 order by code",
        org.0
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Property::from).collect())
}

/// Inserts a property; `None` when the code is taken in this org.
pub async fn insert(
    tx: &mut Tx,
    org: OrgId,
    code: &str,
    name: &str,
) -> Result<Option<Property>, sqlx::Error> {
    let r = sqlx::query_as!(
        Row,
        "insert into properties (org_id, code, name) values ($1, $2, $3)
         on conflict (org_id, code) do nothing
         returning id, code, name, created_at",
        org.0,
        code,
        name
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(Property::from))
}

/// The property, locked for update.
pub async fn lock(
    tx: &mut Tx,
    org: OrgId,
    id: PropertyId,
) -> Result<Option<Property>, sqlx::Error> {
    let r = sqlx::query_as!(
        Row,
        "select id, code, name, created_at from properties where org_id = $1 and id = $2 for update",
        org.0,
        id.0
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(Property::from))
}

/// Whether another property of the org uses `code`.
pub async fn code_taken(
    tx: &mut Tx,
    org: OrgId,
    code: &str,
    except: PropertyId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from properties where org_id = $1 and code = $2 and id <> $3) as "taken!""#,
        org.0,
        code,
        except.0
    )
    .fetch_one(&mut **tx)
    .await
}

/// Renames / re-codes a property.
pub async fn update(
    tx: &mut Tx,
    org: OrgId,
    id: PropertyId,
    code: &str,
    name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update properties set code = $3, name = $4, updated_at = now() where org_id = $1 and id = $2",
        org.0,
        id.0,
        code,
        name
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
