//! Live job changes for server-sent events. Each web process LISTENs on `jobs_changed`
//! (a trigger NOTIFYs on commit whenever a job's state, progress or step changes) and
//! fans the changes out to its subscribers through a broadcast channel — so a stream
//! sees jobs run by any worker process, and several web processes all see them. The
//! listener starts with the first subscriber and reconnects after a dropped connection;
//! subscribing waits until it listens, so a change made right after a stream opened is
//! never missed (a CI run caught the first stream missing one).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// One job's change, as `jobs_changed` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobEvent {
    pub org_id: Uuid,
    pub id: Uuid,
    pub state: String,
    pub progress: i16,
    pub step: Option<String>,
}

/// The process's fan-out of job changes.
#[derive(Clone)]
pub struct JobEvents {
    db: PgPool,
    tx: broadcast::Sender<JobEvent>,
    started: Arc<AtomicBool>,
    /// True while the listener holds an active LISTEN.
    listening: Arc<watch::Sender<bool>>,
}

impl JobEvents {
    /// A fan-out over `db` (nothing connects until the first subscriber).
    pub fn new(db: PgPool) -> Self {
        JobEvents {
            db,
            tx: broadcast::channel(1024).0,
            started: Arc::new(AtomicBool::new(false)),
            listening: Arc::new(watch::channel(false).0),
        }
    }

    /// Every change from now on, once the listener listens (waiting at most 5 s while
    /// the database is unreachable). Subscribe before reading a snapshot, so nothing
    /// falls between the two. A receiver that falls behind gets `Lagged` and must resync.
    pub async fn subscribe(&self) -> broadcast::Receiver<JobEvent> {
        let rx = self.tx.subscribe();
        if !self.started.swap(true, Ordering::SeqCst) {
            tokio::spawn(listen(
                self.db.clone(),
                self.tx.clone(),
                self.listening.clone(),
            ));
        }
        let mut listening = self.listening.subscribe();
        let wait = tokio::time::timeout(Duration::from_secs(5), listening.wait_for(|on| *on));
        if wait.await.is_err() {
            tracing::warn!("job events are not listening yet; a stream may miss early changes");
        }
        rx
    }
}

async fn listen(db: PgPool, tx: broadcast::Sender<JobEvent>, listening: Arc<watch::Sender<bool>>) {
    loop {
        match PgListener::connect_with(&crate::server::db::listener_pool(&db)).await {
            Ok(mut listener) => match listener.listen("jobs_changed").await {
                Ok(()) => {
                    listening.send_replace(true);
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => match serde_json::from_str::<JobEvent>(n.payload()) {
                                // No subscriber right now is fine.
                                Ok(event) => drop(tx.send(event)),
                                Err(err) => {
                                    tracing::warn!(error = %err, "unreadable jobs_changed payload")
                                }
                            },
                            // The connection dropped and the listener re-LISTENs on its
                            // own (changes in between are lost: clients resync when their
                            // stream reconnects).
                            Ok(None) => tracing::warn!("job events connection lost; reconnected"),
                            Err(err) => {
                                tracing::warn!(error = %err, "job events listener failed");
                                break;
                            }
                        }
                    }
                    listening.send_replace(false);
                }
                Err(err) => tracing::warn!(error = %err, "cannot LISTEN jobs_changed"),
            },
            Err(err) => tracing::warn!(error = %err, "cannot connect the job events listener"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
