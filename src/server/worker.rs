//! The background worker loop. Today it only sweeps expired sessions; the jobs issue
//! makes it claim and run durable jobs. It stops when the shutdown signal flips.

use std::time::Duration;

use tokio::sync::watch;
use tower_sessions::ExpiredDeletion;

use super::sessions;
use super::state::AppState;

/// How often the loop wakes up.
const TICK: Duration = Duration::from_secs(60);

/// Runs until `shutdown` becomes true.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    tracing::info!("worker started");
    let store = sessions::store(state.db.clone());
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(error = %err, "could not delete expired sessions");
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    tracing::info!("worker stopped");
}
