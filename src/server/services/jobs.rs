//! Jobs as people see them: the org's jobs list and one job (members), sending a failed
//! or dead job round again (admins, audited), and the staff console's dead jobs (all
//! tenants for superusers, assigned ones for support).

use serde_json::json;
use uuid::Uuid;

use super::audit::org_event;
use super::rfc3339;
use crate::server::auth::ctx::{OrgCtx, StaffCtx};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::job::{JOB_STATES, JobView, StaffJobRow};
use crate::shared::{Role, StaffRole};

/// Jobs per list.
const LIST_LIMIT: i64 = 100;

fn view(r: db::jobs::JobRow) -> JobView {
    JobView {
        id: r.id,
        document_id: r
            .payload
            .get("document_id")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse().ok()),
        kind: r.kind,
        state: r.state,
        attempts: r.attempts,
        max_attempts: r.max_attempts,
        progress: r.progress,
        step: r.step,
        last_error: r.last_error,
        run_at: rfc3339(r.run_at),
        created_at: rfc3339(r.created_at),
        updated_at: rfc3339(r.updated_at),
    }
}

/// The org's newest jobs, optionally in one state (`""` = any; viewers and above).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list(
    state: &AppState,
    ctx: &OrgCtx,
    job_state: &str,
) -> Result<Vec<JobView>, AppError> {
    ctx.require(Role::Viewer)?;
    let filter = match job_state.trim() {
        "" => None,
        s if JOB_STATES.contains(&s) => Some(s),
        _ => {
            return Err(AppError::field(
                "state",
                format!("Pick one of: {}.", JOB_STATES.join(", ")),
            ));
        }
    };
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let rows = db::jobs::list(&mut tx, ctx.org.id, filter, LIST_LIMIT).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Whether the member may watch the org's jobs live (viewers and above).
pub fn may_watch(ctx: &OrgCtx) -> Result<(), AppError> {
    ctx.require(Role::Viewer)
}

/// One job of the org (viewers and above; another org's is 404).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn get(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<JobView, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let row = db::jobs::get(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(view(row))
}

/// Sends a failed or dead job round again, due now (admins); audited in the same
/// transaction. Any other state is a 409 that changes nothing.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn retry(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<JobView, AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let Some(was) = db::jobs::retry(&mut tx, ctx.org.id, id).await? else {
        let job = db::jobs::get(&mut tx, ctx.org.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::Conflict(format!(
            "Only failed or dead jobs can be retried; this one is {}.",
            job.state
        )));
    };
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "job.retried")
            .target("job", id)
            .details(json!({ "previous_state": was })),
    )
    .await?;
    let row = db::jobs::get(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(view(row))
}

/// Dead jobs the staff user may see, newest first. Read-only.
#[tracing::instrument(skip_all)]
pub async fn dead_for_staff(
    state: &AppState,
    ctx: &StaffCtx,
) -> Result<Vec<StaffJobRow>, AppError> {
    let mut tx = match ctx.role {
        StaffRole::Superuser => db::begin_superuser(&state.db, ctx.user.id).await?,
        StaffRole::Support => db::begin_user(&state.db, ctx.user.id).await?,
        StaffRole::None => return Err(AppError::NotFound),
    };
    let rows = db::jobs::dead_for_staff(&mut tx, LIST_LIMIT).await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(job, org_slug, org_name)| StaffJobRow {
            org_slug,
            org_name,
            job: view(job),
        })
        .collect())
}
