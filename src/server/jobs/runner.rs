//! The job runner. It claims due jobs of the registered kinds — woken by NOTIFY
//! `jobs_queued`, polling as the fallback — and runs each in its own task under a lease
//! that heartbeats keep alive, within the kind's concurrency and timeout. A handler error,
//! a panic or a timeout is a failed attempt: retried after an exponential backoff with
//! jitter, `dead` after the last one, the error history kept. Jobs of workers that
//! crashed are requeued once their lease runs out. On shutdown running jobs get a grace
//! period to finish; the rest are given back for another worker.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::postgres::PgListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::{AbortHandle, JoinSet};
use tracing::Instrument;

use super::backoff::{jitter, retry_delay};
use super::{Handler, JobCtx, JobError, Registry};
use crate::server::db::{self, jobs::Claimed};
use crate::server::state::AppState;
use crate::shared::OrgId;

/// The runner's timings and identity.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// Names this process in `locked_by` (unique per process).
    pub worker_id: String,
    /// How long a claim holds without a heartbeat (heartbeats come every third of it).
    pub lease: Duration,
    /// Longest sleep between two looks at the queue when no notification comes.
    pub poll: Duration,
    /// How long running jobs may finish after a shutdown signal.
    pub grace: Duration,
    pub retry_base: Duration,
    pub retry_cap: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        RunnerConfig {
            worker_id: worker_id(),
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(5),
            grace: Duration::from_secs(20),
            retry_base: Duration::from_secs(5),
            retry_cap: Duration::from_secs(3600),
        }
    }
}

impl RunnerConfig {
    /// The defaults with the configured lease and poll.
    pub fn from_config(config: &crate::server::config::Config) -> Self {
        RunnerConfig {
            lease: config.jobs_lease,
            poll: config.jobs_poll,
            ..RunnerConfig::default()
        }
    }
}

/// `{hostname}-{pid}-{random}`: unique even when a process restarts with the same pid.
pub fn worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".into());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}

/// Aborts a task when dropped: a job's attempt and heartbeat never outlive their runner.
struct AbortOnDrop(AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs jobs until `shutdown` becomes true, then drains (see the module header).
pub async fn run(
    state: AppState,
    registry: Registry,
    config: RunnerConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let registry = Arc::new(registry);
    let config = Arc::new(config);
    let kinds = registry.kinds();
    let limits: HashMap<String, Arc<Semaphore>> = kinds
        .iter()
        .filter_map(|k| {
            let (_, settings) = registry.get(k)?;
            Some((
                k.clone(),
                Arc::new(Semaphore::new(settings.concurrency.max(1))),
            ))
        })
        .collect();
    let mut listener = listen(&state).await;
    let mut listen_tried = Instant::now();
    let mut tasks = JoinSet::new();
    let mut last_reap: Option<Instant> = None;
    tracing::info!(worker = %config.worker_id, ?kinds, "job runner started");
    while !*shutdown.borrow() {
        // Without a listener (the database was busy or down at start) keep trying, so
        // notifications come back instead of polling forever.
        if listener.is_none() && listen_tried.elapsed() >= config.poll {
            listener = listen(&state).await;
            listen_tried = Instant::now();
        }
        if last_reap.is_none_or(|t| t.elapsed() >= config.poll) {
            reap(&state, &registry).await;
            last_reap = Some(Instant::now());
        }
        claim_while_room(&state, &registry, &config, &limits, &mut tasks).await;
        tokio::select! {
            _ = wake(&mut listener) => {}
            _ = tokio::time::sleep(config.poll) => {}
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            _ = shutdown.changed() => {}
        }
    }
    drain(&state, &config, tasks).await;
    tracing::info!(worker = %config.worker_id, "job runner stopped");
}

/// A listener on `jobs_queued`, or none (then polling alone drives the runner).
async fn listen(state: &AppState) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(&db::listener_pool(&state.db)).await {
        Ok(l) => l,
        Err(err) => {
            tracing::warn!(error = %err, "cannot LISTEN for jobs; polling only");
            return None;
        }
    };
    match listener.listen("jobs_queued").await {
        Ok(()) => Some(listener),
        Err(err) => {
            tracing::warn!(error = %err, "cannot LISTEN for jobs; polling only");
            None
        }
    }
}

/// Resolves on the next notification (never, without a listener).
async fn wake(listener: &mut Option<PgListener>) {
    match listener {
        Some(l) => {
            if let Err(err) = l.recv().await {
                // The listener reconnects on its next use; meanwhile do not spin.
                tracing::warn!(error = %err, "job notifications interrupted");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        None => std::future::pending().await,
    }
}

/// Takes back jobs whose worker stopped answering (crashed, killed, out of memory) and
/// lets each kind's handler reflect the failed attempt, in the same transaction.
async fn reap(state: &AppState, registry: &Registry) {
    let reaped = db::in_worker!(&state.db, |tx| {
        let reaped = db::jobs::reap_expired(tx).await?;
        let error = JobError::Retry("The worker running this job stopped answering.".into());
        for job in &reaped {
            if let Some((handler, _)) = registry.get(&job.kind) {
                let org = crate::shared::OrgId(job.org_id);
                let dead = job.state == "dead";
                handler
                    .on_failure(tx, org, &job.payload, &error, dead)
                    .await?;
            }
        }
        reaped.len()
    });
    match reaped {
        Ok(0) => {}
        Ok(n) => tracing::warn!(jobs = n, "requeued jobs whose worker lost its lease"),
        Err(err) => tracing::warn!(error = %err, "could not reap expired job leases"),
    }
}

/// Claims jobs while some kind has a free slot and a due job.
async fn claim_while_room(
    state: &AppState,
    registry: &Arc<Registry>,
    config: &Arc<RunnerConfig>,
    limits: &HashMap<String, Arc<Semaphore>>,
    tasks: &mut JoinSet<()>,
) {
    loop {
        let room: Vec<String> = limits
            .iter()
            .filter(|(_, s)| s.available_permits() > 0)
            .map(|(k, _)| k.clone())
            .collect();
        if room.is_empty() {
            return;
        }
        let lease = config.lease.as_secs_f64();
        let claimed = db::in_worker!(&state.db, |tx| db::jobs::claim(
            tx,
            &config.worker_id,
            &room,
            lease
        )
        .await?);
        let job = match claimed {
            Ok(Some(job)) => job,
            Ok(None) => return,
            Err(err) => {
                tracing::warn!(error = %err, "could not claim a job");
                return;
            }
        };
        let Some(permit) = limits
            .get(&job.kind)
            .and_then(|s| s.clone().try_acquire_owned().ok())
        else {
            // Cannot happen (only kinds with room are claimed); give it back untouched.
            tracing::error!(kind = %job.kind, "claimed a job without a free slot");
            return;
        };
        let span = tracing::info_span!("job", id = %job.id, kind = %job.kind, org_id = %job.org_id, attempt = job.attempts);
        tasks.spawn(
            run_one(state.clone(), registry.clone(), config.clone(), job, permit).instrument(span),
        );
    }
}

/// One attempt of one job, start to finish.
async fn run_one(
    state: AppState,
    registry: Arc<Registry>,
    config: Arc<RunnerConfig>,
    job: Claimed,
    _slot: OwnedSemaphorePermit,
) {
    let Some((handler, settings)) = registry.get(&job.kind).cloned() else {
        finish(
            &state,
            &config,
            &job,
            None,
            Err(JobError::Permanent(format!(
                "no handler for jobs of kind {}",
                job.kind
            ))),
        )
        .await;
        return;
    };
    let lost = Arc::new(AtomicBool::new(false));
    let ctx = JobCtx {
        state: state.clone(),
        org: OrgId(job.org_id),
        id: job.id,
        kind: job.kind.clone(),
        payload: job.payload.clone(),
        attempt: job.attempts,
        worker: Arc::from(config.worker_id.as_str()),
        lost: lost.clone(),
    };
    let heartbeat = tokio::spawn(heartbeat(
        state.clone(),
        config.clone(),
        job.org_id,
        job.id,
        lost,
    ));
    let _heartbeat = AbortOnDrop(heartbeat.abort_handle());
    let runner = handler.clone();
    let mut attempt = tokio::spawn(async move { runner.run(ctx).await });
    let _attempt = AbortOnDrop(attempt.abort_handle());
    let outcome = match tokio::time::timeout(settings.timeout, &mut attempt).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) if join.is_panic() => Err(JobError::Retry(format!(
            "The job crashed ({}).",
            panic_text(join.into_panic())
        ))),
        // Cancelled: only on shutdown, which gives the job back.
        Ok(Err(_)) => return,
        Err(_) => Err(JobError::Retry(format!(
            "The job took longer than {} and was stopped.",
            span_text(settings.timeout)
        ))),
    };
    finish(&state, &config, &job, Some(handler.as_ref()), outcome).await;
}

/// `200 ms`, `30 seconds`, `5 minutes`.
fn span_text(d: Duration) -> String {
    match d.as_secs() {
        0 => format!("{} ms", d.as_millis()),
        s if s < 120 => format!("{s} seconds"),
        s => format!("{} minutes", s / 60),
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Extends the lease every third of it; flags `lost` and stops when the job is gone.
async fn heartbeat(
    state: AppState,
    config: Arc<RunnerConfig>,
    org: uuid::Uuid,
    id: uuid::Uuid,
    lost: Arc<AtomicBool>,
) {
    let mut tick = tokio::time::interval(config.lease / 3);
    tick.tick().await;
    loop {
        tick.tick().await;
        let lease = config.lease.as_secs_f64();
        let held = db::in_worker!(&state.db, |tx| db::jobs::heartbeat(
            tx,
            org,
            id,
            &config.worker_id,
            lease
        )
        .await?);
        match held {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(%id, "lost the lease of a running job");
                lost.store(true, Ordering::SeqCst);
                return;
            }
            Err(err) => tracing::warn!(%id, error = %err, "job heartbeat failed"),
        }
    }
}

/// Records how an attempt ended.
async fn finish(
    state: &AppState,
    config: &RunnerConfig,
    job: &Claimed,
    handler: Option<&dyn Handler>,
    outcome: Result<(), JobError>,
) {
    let label = match &outcome {
        Ok(()) => "done",
        Err(JobError::Retry(_)) => "failed",
        Err(JobError::Permanent(_)) => "dead",
        Err(JobError::LostLease) => "lost",
    };
    metrics::counter!("jobs_finished_total", "kind" => job.kind.clone(), "outcome" => label)
        .increment(1);
    let recorded = db::in_worker!(&state.db, |tx| {
        match &outcome {
            Ok(()) => db::jobs::complete(tx, job.org_id, job.id, &config.worker_id).await?,
            Err(JobError::LostLease) => false,
            Err(e @ (JobError::Retry(_) | JobError::Permanent(_))) => {
                let delay =
                    retry_delay(job.attempts, config.retry_base, config.retry_cap, jitter());
                let state = db::jobs::fail(
                    tx,
                    job.org_id,
                    job.id,
                    &config.worker_id,
                    &e.to_string(),
                    delay.as_secs_f64(),
                    matches!(e, JobError::Permanent(_)),
                )
                .await?;
                if let Some(state) = &state {
                    tracing::warn!(id = %job.id, kind = %job.kind, error = %e, %state, "job attempt failed");
                    if let Some(handler) = handler {
                        let org = crate::shared::OrgId(job.org_id);
                        let dead = state == "dead";
                        handler.on_failure(tx, org, &job.payload, e, dead).await?;
                    }
                }
                state.is_some()
            }
        }
    });
    match recorded {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(id = %job.id, "job was taken over by another worker; its result here is dropped")
        }
        // The lease runs out and the job is retried: handlers are idempotent.
        Err(err) => tracing::error!(id = %job.id, error = %err, "could not record a job's outcome"),
    }
}

/// After the shutdown signal: wait for running jobs up to the grace period, then stop
/// the rest and give their jobs back.
async fn drain(state: &AppState, config: &RunnerConfig, mut tasks: JoinSet<()>) {
    let deadline = tokio::time::sleep(config.grace);
    tokio::pin!(deadline);
    while !tasks.is_empty() {
        tokio::select! {
            _ = tasks.join_next() => {}
            _ = &mut deadline => break,
        }
    }
    tasks.shutdown().await;
    let released = db::in_worker!(&state.db, |tx| db::jobs::release_all(tx, &config.worker_id)
        .await?);
    match released {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "gave running jobs back at shutdown"),
        Err(err) => {
            tracing::error!(error = %err, "could not give jobs back; their leases will expire")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_read_in_their_unit() {
        assert_eq!(span_text(Duration::from_millis(200)), "200 ms");
        assert_eq!(span_text(Duration::from_secs(30)), "30 seconds");
        assert_eq!(span_text(Duration::from_secs(600)), "10 minutes");
    }

    #[test]
    fn worker_ids_are_unique_per_call() {
        assert_ne!(worker_id(), worker_id());
    }
}
