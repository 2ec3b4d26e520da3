//! SQL of the job queue: enqueue in the producer's own transaction (tenant scope); claim,
//! heartbeat, progress, complete, fail, release and reap in a worker transaction
//! (`begin_worker`). Every worker-side update names the worker holding the lease, so a
//! worker that lost its lease changes nothing.

use serde_json::Value;
use uuid::Uuid;

use super::Tx;
use crate::shared::OrgId;

/// Queues a job of `kind` in the org's scope; returns its id.
pub async fn enqueue(
    tx: &mut Tx,
    org: OrgId,
    kind: &str,
    payload: Value,
    unique_key: Option<&str>,
) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar!(
        "insert into jobs (org_id, kind, payload, unique_key) values ($1, $2, $3, $4) returning id",
        org.0,
        kind,
        payload,
        unique_key
    )
    .fetch_one(&mut **tx)
    .await
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub org_id: Uuid,
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    /// This attempt's number (1 for the first).
    pub attempts: i32,
    pub max_attempts: i32,
}

/// Claims the oldest due job of one of `kinds` for `worker` with a lease of
/// `lease_secs`, skipping rows other workers hold locked. Worker transaction.
pub async fn claim(
    tx: &mut Tx,
    worker: &str,
    kinds: &[String],
    lease_secs: f64,
) -> Result<Option<Claimed>, sqlx::Error> {
    sqlx::query_as!(
        Claimed,
        // MATERIALIZED: evaluated once. As a plain subquery the planner may rescan it per
        // row of a nested loop, and each rescan skips to another row: one claim then
        // took 23 jobs (seen in the two-runner test).
        r#"with next as materialized (
                select org_id, id from jobs
                 where state in ('queued', 'failed') and run_at <= now() and kind = any($2)
                 order by run_at, created_at
                 limit 1
                 for update skip locked)
           update jobs j
              set state = 'running', attempts = j.attempts + 1, locked_by = $1,
                  lease_until = now() + make_interval(secs => $3), started_at = now(),
                  updated_at = now()
             from next
            where j.org_id = next.org_id and j.id = next.id
        returning j.org_id, j.id, j.kind, j.payload, j.attempts, j.max_attempts"#,
        worker,
        kinds,
        lease_secs
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Extends the lease; false when `worker` no longer holds the job.
pub async fn heartbeat(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    worker: &str,
    lease_secs: f64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update jobs set lease_until = now() + make_interval(secs => $4), updated_at = now()
          where org_id = $1 and id = $2 and locked_by = $3 and state = 'running'",
        org,
        id,
        worker,
        lease_secs
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records progress (0–100) and the current step; false when the lease is lost.
pub async fn progress(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    worker: &str,
    percent: i16,
    step: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update jobs set progress = $4, step = $5, updated_at = now()
          where org_id = $1 and id = $2 and locked_by = $3 and state = 'running'",
        org,
        id,
        worker,
        percent,
        step
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks the job's row for the rest of the transaction if `worker` still holds it, so
/// the handler's writes and the lease check commit together; false when it lost it.
pub async fn hold(tx: &mut Tx, org: Uuid, id: Uuid, worker: &str) -> Result<bool, sqlx::Error> {
    let held = sqlx::query_scalar!(
        "select 1 as \"held!\" from jobs
          where org_id = $1 and id = $2 and locked_by = $3 and state = 'running'
            and lease_until > now()
          for update",
        org,
        id,
        worker
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(held.is_some())
}

/// Marks the job done; false when `worker` lost it meanwhile (nothing changes then).
pub async fn complete(tx: &mut Tx, org: Uuid, id: Uuid, worker: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update jobs set state = 'done', progress = 100, locked_by = null, lease_until = null,
                finished_at = now(), updated_at = now()
          where org_id = $1 and id = $2 and locked_by = $3 and state = 'running'",
        org,
        id,
        worker
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt: `failed`, due again at `now() + retry_secs`, or `dead` when it
/// was the last attempt (or `final_attempt`). The error joins the history either way.
/// Returns the new state, or `None` when `worker` no longer held the job.
pub async fn fail(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    worker: &str,
    error: &str,
    retry_secs: f64,
    final_attempt: bool,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"update jobs
              set state = case when attempts >= max_attempts or $6 then 'dead' else 'failed' end,
                  run_at = now() + make_interval(secs => $5),
                  last_error = $4,
                  errors = errors || jsonb_build_array(jsonb_build_object(
                      'attempt', attempts, 'at', now(), 'error', $4::text)),
                  finished_at = case when attempts >= max_attempts or $6 then now() end,
                  locked_by = null, lease_until = null, updated_at = now()
            where org_id = $1 and id = $2 and locked_by = $3 and state = 'running'
        returning state"#,
        org,
        id,
        worker,
        error,
        retry_secs,
        final_attempt
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Gives back every job `worker` still runs (graceful shutdown): queued again at once,
/// and the interrupted attempt does not count.
pub async fn release_all(tx: &mut Tx, worker: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update jobs set state = 'queued', attempts = greatest(attempts - 1, 0), run_at = now(),
                locked_by = null, lease_until = null, updated_at = now()
          where locked_by = $1 and state = 'running'",
        worker
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Requeues (or buries, after the last attempt) running jobs whose lease ran out: their
/// worker crashed or stalled. The lost attempt joins the error history.
pub async fn reap_expired(tx: &mut Tx) -> Result<Vec<Reaped>, sqlx::Error> {
    sqlx::query_as!(
        Reaped,
        r#"update jobs
              set state = case when attempts >= max_attempts then 'dead' else 'failed' end,
                  last_error = 'The worker running this job stopped answering; it was retried.',
                  errors = errors || jsonb_build_array(jsonb_build_object(
                      'attempt', attempts, 'at', now(),
                      'error', 'lease expired (worker ' || coalesce(locked_by, '?') || ' lost)')),
                  finished_at = case when attempts >= max_attempts then now() end,
                  run_at = now(), locked_by = null, lease_until = null, updated_at = now()
            where state = 'running' and lease_until < now()
        returning org_id, kind, payload, state"#
    )
    .fetch_all(&mut **tx)
    .await
}

/// A job the reaper took back from a worker that stopped answering.
#[derive(Debug, Clone)]
pub struct Reaped {
    pub org_id: Uuid,
    pub kind: String,
    pub payload: Value,
    /// `failed` (to be retried) or `dead` (out of attempts).
    pub state: String,
}

/// A job as lists show it.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub org_id: Uuid,
    pub id: Uuid,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub progress: i16,
    pub step: Option<String>,
    pub last_error: Option<String>,
    pub payload: Value,
    pub run_at: time::OffsetDateTime,
    pub created_at: time::OffsetDateTime,
    pub updated_at: time::OffsetDateTime,
}

/// The org's newest jobs (tenant scope), optionally in one state.
pub async fn list(
    tx: &mut Tx,
    org: OrgId,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        "select org_id, id, kind, state, attempts, max_attempts, progress, step, last_error,
                payload, run_at, created_at, updated_at
           from jobs
          where org_id = $1 and ($2::text is null or state = $2)
          order by created_at desc, id desc
          limit $3",
        org.0,
        state,
        limit
    )
    .fetch_all(&mut **tx)
    .await
}

/// One job of the org (tenant scope).
pub async fn get(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<Option<JobRow>, sqlx::Error> {
    sqlx::query_as!(
        JobRow,
        "select org_id, id, kind, state, attempts, max_attempts, progress, step, last_error,
                payload, run_at, created_at, updated_at
           from jobs where org_id = $1 and id = $2",
        org.0,
        id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Sends a failed or dead job round again, due now; a dead one gets its attempts back.
/// The error history stays. Returns the state it had, or `None` when it was neither
/// failed nor dead (tenant scope).
pub async fn retry(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"update jobs j
              set state = 'queued', run_at = now(), finished_at = null, updated_at = now(),
                  attempts = case when old.state = 'dead' then 0 else j.attempts end
             from (select org_id, id, state from jobs
                    where org_id = $1 and id = $2 and state in ('failed', 'dead')
                    for update) old
            where j.org_id = old.org_id and j.id = old.id
        returning old.state"#,
        org.0,
        id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Dead jobs the staff scope of `tx` may read (all tenants for superusers, assigned ones
/// for support), newest first, with their org's slug and name.
pub async fn dead_for_staff(
    tx: &mut Tx,
    limit: i64,
) -> Result<Vec<(JobRow, String, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select j.org_id, j.id, j.kind, j.state, j.attempts, j.max_attempts, j.progress, j.step,
                j.last_error, j.payload, j.run_at, j.created_at, j.updated_at,
                o.slug, o.name
           from jobs j join organizations o on o.id = j.org_id
          where j.state = 'dead'
          order by j.updated_at desc, j.id desc
          limit $1",
        limit
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                JobRow {
                    org_id: r.org_id,
                    id: r.id,
                    kind: r.kind,
                    state: r.state,
                    attempts: r.attempts,
                    max_attempts: r.max_attempts,
                    progress: r.progress,
                    step: r.step,
                    last_error: r.last_error,
                    payload: r.payload,
                    run_at: r.run_at,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                },
                r.slug,
                r.name,
            )
        })
        .collect())
}
