//! The background worker: the job runner (`jobs::runner`) beside an upkeep loop that
//! sweeps expired sessions every minute and orphaned objects every hour. Both stop when
//! the shutdown signal flips; the runner first lets running jobs finish or gives them
//! back.

use std::time::Duration;

use tokio::sync::watch;
use tower_sessions::ExpiredDeletion;

use super::jobs;
use super::services::sweep;
use super::sessions;
use super::state::AppState;

/// How often the loop wakes up.
const TICK: Duration = Duration::from_secs(60);
/// Ticks between two orphan sweeps (an hour).
const SWEEP_EVERY: u32 = 60;

/// Runs until `shutdown` becomes true.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("worker started");
    let runner = tokio::spawn(jobs::runner::run(
        state.clone(),
        jobs::registry(&state.config),
        jobs::runner::RunnerConfig::from_config(&state.config),
        shutdown.clone(),
    ));
    let store = sessions::store(state.db.clone());
    let mut tick = tokio::time::interval(TICK);
    let mut ticks: u32 = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
                ticks = ticks.wrapping_add(1);
                // Not on the first tick: a fresh process should not race uploads that
                // another process is finishing.
                if ticks.is_multiple_of(SWEEP_EVERY) {
                    match sweep::sweep_orphans(&state, sweep::GRACE).await {
                        Ok(r) if r.deleted > 0 => tracing::info!(deleted = r.deleted, scanned = r.scanned, "orphan sweep"),
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = ?err, "orphan sweep failed"),
                    }
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    if let Err(err) = runner.await {
        tracing::error!(error = %err, "job runner ended abnormally");
    }
    tracing::info!("worker stopped");
}
