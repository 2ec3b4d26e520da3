//! The audit log: event builders every service uses inside its own transaction, and the
//! org and global audit pages (reading them is itself audited).

use serde_json::json;
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::server::auth::ctx::StaffCtx;
use crate::server::auth::{OrgCtx, RequestMeta};
use crate::server::db::{self, audit::NewEvent};
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::audit::{AuditFilter, AuditPage, AuditRow};
use crate::shared::{Role, UserId};

/// Events per page.
const PAGE: i64 = 50;

/// An event in the org of `ctx`, by its user, with the request's id and address.
pub fn org_event<'a>(ctx: &'a OrgCtx, action: &'a str) -> NewEvent<'a> {
    NewEvent {
        org: Some(ctx.org.id),
        actor: Some((ctx.user.id, &ctx.user.email)),
        request_id: ctx.meta.request_id.as_deref(),
        ip: ctx.meta.ip,
        ..NewEvent::new(action)
    }
}

/// An event outside any org (accounts, staff), by `actor`.
pub fn user_event<'a>(
    actor: (UserId, &'a str),
    meta: &'a RequestMeta,
    action: &'a str,
) -> NewEvent<'a> {
    NewEvent {
        actor: Some(actor),
        request_id: meta.request_id.as_deref(),
        ip: meta.ip,
        ..NewEvent::new(action)
    }
}

fn parse_date(field: &str, raw: &str) -> Result<Option<Date>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format)
        .map(Some)
        .map_err(|_| AppError::field(field, "Use a date like 2026-12-31."))
}

/// Turns the page's filter into a query filter; the cursor is `"<unix nanos>.<uuid>"`.
fn to_filter(f: &AuditFilter) -> Result<db::audit::Filter, AppError> {
    let from = parse_date("from", &f.from)?.map(|d| d.with_time(Time::MIDNIGHT).assume_utc());
    let until = parse_date("to", &f.to)?
        .and_then(|d| d.next_day())
        .map(|d| d.with_time(Time::MIDNIGHT).assume_utc());
    if let (Some(a), Some(b)) = (from, until)
        && a >= b
    {
        return Err(AppError::field(
            "to",
            "The end date is before the start date.",
        ));
    }
    let before = match f.after.trim() {
        "" => None,
        cursor => Some(parse_cursor(cursor).ok_or_else(|| {
            AppError::field(
                "after",
                "This page link is not valid; start from the first page.",
            )
        })?),
    };
    let text = |s: &str| Some(s.trim().to_lowercase()).filter(|s| !s.is_empty());
    Ok(db::audit::Filter {
        org: None,
        from,
        until,
        actor_email: text(&f.actor),
        action_prefix: text(&f.action),
        before,
    })
}

fn parse_cursor(cursor: &str) -> Option<(OffsetDateTime, Uuid)> {
    let (nanos, id) = cursor.split_once('.')?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    Some((at, id.parse().ok()?))
}

fn cursor(e: &db::audit::Event) -> String {
    format!("{}.{}", e.occurred_at.unix_timestamp_nanos(), e.id)
}

fn page(events: Vec<db::audit::Event>) -> AuditPage {
    let mut events = events;
    let next = if events.len() as i64 > PAGE {
        events.truncate(PAGE as usize);
        events.last().map(cursor)
    } else {
        None
    };
    let rows = events
        .into_iter()
        .map(|e| AuditRow {
            id: e.id.to_string(),
            occurred_at: super::rfc3339(e.occurred_at),
            org: e.org_slug,
            actor: e.actor_email,
            action: e.action,
            target: match (e.target_type, e.target_id) {
                (Some(t), Some(id)) => Some(format!("{t} {id}")),
                (Some(t), None) => Some(t),
                _ => None,
            },
            details: e.details.to_string(),
            request_id: e.request_id,
            ip: e.ip,
        })
        .collect();
    AuditPage { rows, next }
}

/// One page of the org's audit log, for admins and owners. Viewing it is recorded.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list_org(
    state: &AppState,
    ctx: &OrgCtx,
    f: &AuditFilter,
) -> Result<AuditPage, AppError> {
    ctx.require(Role::Admin)?;
    let mut filter = to_filter(f)?;
    filter.org = Some(ctx.org.id);
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let events = db::audit::list(&mut tx, &filter, PAGE + 1).await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "audit.viewed").details(json!({ "filter": f })),
    )
    .await?;
    tx.commit().await?;
    Ok(page(events))
}

/// One page of every event of every tenant and outside them, for superuser staff.
#[tracing::instrument(skip_all)]
pub async fn list_global(
    state: &AppState,
    ctx: &StaffCtx,
    f: &AuditFilter,
) -> Result<AuditPage, AppError> {
    ctx.require_superuser()?;
    let filter = to_filter(f)?;
    let mut tx = db::begin_superuser(&state.db, ctx.user.id).await?;
    let events = db::audit::list(&mut tx, &filter, PAGE + 1).await?;
    db::audit::insert(
        &mut tx,
        &user_event(
            (ctx.user.id, &ctx.user.email),
            &ctx.meta,
            "audit.viewed_global",
        )
        .details(json!({ "filter": f })),
    )
    .await?;
    tx.commit().await?;
    Ok(page(events))
}
