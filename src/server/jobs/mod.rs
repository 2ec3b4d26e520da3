//! Durable background jobs: what a job handler sees and may answer, the registry of
//! handlers by kind (with each kind's concurrency and timeout), and the runner that
//! claims and runs them (`runner`), and the live fan-out of job changes (`events`). The
//! SQL lives in `db::jobs`.

pub mod backoff;
pub mod events;
pub mod extract;
pub mod runner;
pub mod sandbox;
pub mod test_kinds;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use uuid::Uuid;

use super::db;
use super::state::AppState;
use crate::shared::OrgId;

/// How a job's attempt can end badly.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another attempt (after the backoff); the message is for people.
    #[error("{0}")]
    Retry(String),
    /// Will fail the same way every time (e.g. an unreadable file): no more attempts.
    #[error("{0}")]
    Permanent(String),
    /// This worker no longer holds the job; another one may be running it.
    #[error("the job's lease was lost")]
    LostLease,
}

impl From<sqlx::Error> for JobError {
    fn from(err: sqlx::Error) -> Self {
        JobError::Retry(format!("database error: {err}"))
    }
}

/// What a running job knows and can report.
#[derive(Clone)]
pub struct JobCtx {
    pub state: AppState,
    pub org: OrgId,
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    /// This attempt's number (1 for the first).
    pub attempt: i32,
    worker: Arc<str>,
    lost: Arc<AtomicBool>,
}

impl JobCtx {
    /// Records progress (0–100) and the current step for live views. Fails with
    /// `LostLease` when another worker has taken the job over: stop then.
    pub async fn progress(&self, percent: u8, step: &str) -> Result<(), JobError> {
        if self.lease_lost() {
            return Err(JobError::LostLease);
        }
        let percent = i16::from(percent.min(100));
        let held = db::in_worker!(&self.state.db, |tx| db::jobs::progress(
            tx,
            self.org.0,
            self.id,
            &self.worker,
            percent,
            step
        )
        .await?)?;
        if held {
            Ok(())
        } else {
            self.lost.store(true, Ordering::SeqCst);
            Err(JobError::LostLease)
        }
    }

    /// A worker transaction in which this worker provably still holds the job (its row
    /// locked until commit): writes made in it land only if the lease was not lost.
    pub async fn hold(&self) -> Result<db::Tx, JobError> {
        if self.lease_lost() {
            return Err(JobError::LostLease);
        }
        let mut tx = db::begin_worker(&self.state.db).await?;
        if db::jobs::hold(&mut tx, self.org.0, self.id, &self.worker).await? {
            Ok(tx)
        } else {
            self.lost.store(true, Ordering::SeqCst);
            Err(JobError::LostLease)
        }
    }

    /// True once a heartbeat or progress update found the job taken over.
    pub fn lease_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }
}

/// Runs one kind of job. Handlers are idempotent: an attempt may be repeated after a
/// crash, so a re-run must leave the same result as one run.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    async fn run(&self, job: JobCtx) -> Result<(), JobError>;

    /// Called in the transaction that records a failed attempt (`dead`: no more
    /// attempts), to reflect it on what the job works for (a document's status).
    async fn on_failure(
        &self,
        _tx: &mut db::Tx,
        _org: OrgId,
        _payload: &Value,
        _error: &JobError,
        _dead: bool,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// A kind's settings.
#[derive(Debug, Clone, Copy)]
pub struct KindSettings {
    /// Jobs of this kind one worker runs at once.
    pub concurrency: usize,
    /// An attempt running longer fails (and is retried).
    pub timeout: Duration,
}

/// The handlers a worker runs, by kind.
#[derive(Default, Clone)]
pub struct Registry {
    kinds: HashMap<String, (Arc<dyn Handler>, KindSettings)>,
}

impl Registry {
    /// Adds `handler` for `kind`.
    pub fn with(mut self, kind: &str, settings: KindSettings, handler: impl Handler) -> Self {
        self.kinds
            .insert(kind.to_string(), (Arc::new(handler), settings));
        self
    }

    /// The registered kinds.
    pub fn kinds(&self) -> Vec<String> {
        self.kinds.keys().cloned().collect()
    }

    pub(crate) fn get(&self, kind: &str) -> Option<&(Arc<dyn Handler>, KindSettings)> {
        self.kinds.get(kind)
    }
}

/// The registry a worker runs: extraction joins it with its handler; the test-only kinds
/// only when the configuration asks (never in production).
pub fn registry(config: &crate::server::config::Config) -> Registry {
    let registry = Registry::default().with(
        crate::server::services::documents::EXTRACT_JOB,
        KindSettings {
            // Extraction is CPU-bound on a blocking thread: one per core is plenty.
            concurrency: 2,
            timeout: Duration::from_secs(300),
        },
        extract::ExtractDocument,
    );
    if config.jobs_test_kinds {
        registry.with(
            test_kinds::SLEEP,
            KindSettings {
                concurrency: 1,
                timeout: Duration::from_secs(120),
            },
            test_kinds::Sleep,
        )
    } else {
        registry
    }
}
