//! Properties: every member lists them; admins create and edit them. Codes are
//! upper-cased so `maple` and `MAPLE` cannot be two properties (uploads name them).

use serde_json::json;

use super::audit::org_event;
use super::input;
use crate::server::auth::OrgCtx;
use crate::server::db::{self, properties::Property};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::org::PropertyRow;
use crate::shared::{PropertyId, Role};

/// A property code: 1–32 of `A-Z 0-9 . _ -`, starting with a letter or digit.
pub fn parse_code(raw: &str) -> Result<String, AppError> {
    let code = raw.trim().to_uppercase();
    let ok = !code.is_empty()
        && code.len() <= 32
        && code.starts_with(|c: char| c.is_ascii_alphanumeric())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(code)
    } else {
        Err(AppError::field(
            "code",
            "Use 1–32 letters, digits, dots, dashes or underscores, starting with a letter or digit.",
        ))
    }
}

fn row(p: Property) -> PropertyRow {
    PropertyRow {
        id: p.id,
        code: p.code,
        name: p.name,
        created: p.created_at.date().to_string(),
    }
}

/// Every property of the org.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list(state: &AppState, ctx: &OrgCtx) -> Result<Vec<PropertyRow>, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let rows = db::properties::list(&mut tx, ctx.org.id).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(row).collect())
}

/// The checked name and code of a create or update.
fn parse(name: &str, code: &str) -> Result<(String, String), AppError> {
    Ok((
        input::name("name", name, "the property's name")?,
        parse_code(code)?,
    ))
}

fn taken() -> AppError {
    AppError::field(
        "code",
        "Another property of this organization already uses this code.",
    )
}

/// Creates a property (admins).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn create(
    state: &AppState,
    ctx: &OrgCtx,
    name: &str,
    code: &str,
) -> Result<PropertyRow, AppError> {
    ctx.require(Role::Admin)?;
    let (name, code) = parse(name, code)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let created = db::properties::insert(&mut tx, ctx.org.id, &code, &name)
        .await?
        .ok_or_else(taken)?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "property.created")
            .target("property", created.id)
            .details(json!({ "code": code, "name": name })),
    )
    .await?;
    tx.commit().await?;
    Ok(row(created))
}

/// Renames or re-codes a property (admins).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn update(
    state: &AppState,
    ctx: &OrgCtx,
    id: PropertyId,
    name: &str,
    code: &str,
) -> Result<PropertyRow, AppError> {
    ctx.require(Role::Admin)?;
    let (name, code) = parse(name, code)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let before = db::properties::lock(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::properties::code_taken(&mut tx, ctx.org.id, &code, id).await? {
        return Err(taken());
    }
    if before.code != code || before.name != name {
        db::properties::update(&mut tx, ctx.org.id, id, &code, &name).await?;
        db::audit::insert(
            &mut tx,
            &org_event(ctx, "property.updated")
                .target("property", id)
                .details(json!({
                    "before": { "code": before.code, "name": before.name },
                    "after": { "code": code, "name": name },
                })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(PropertyRow {
        id,
        code,
        name,
        created: before.created_at.date().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_cased_and_checked() {
        assert_eq!(parse_code(" maple-1 ").unwrap(), "MAPLE-1");
        for bad in ["", "-x", "a b", "ü", &"x".repeat(33)] {
            assert!(parse_code(bad).is_err(), "{bad:?} accepted");
        }
    }
}
