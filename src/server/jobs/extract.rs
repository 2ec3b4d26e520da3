//! The `extract_document` job: read the document's bytes, run the pure extractor in a
//! child process (`sandbox`: a panic, a runaway allocation or a hang there is a clear
//! failure of this file, never a dead worker), and replace the document's lines in one transaction that also
//! checks this worker still holds the job — so a job run twice, or a worker that lost its
//! lease, still leaves exactly one set of lines. Document statuses follow: extracting →
//! extracted | failed (or back to queued while a retry is pending), each failure with a
//! sentence its owner understands.

use uuid::Uuid;

use super::sandbox::Sandbox;
use super::{Handler, JobCtx, JobError};
use crate::extract;
use crate::server::db::{self, Tx};
use crate::server::storage::ObjectKey;
use crate::shared::OrgId;

/// The extraction handler.
pub struct ExtractDocument;

fn document_of(payload: &serde_json::Value) -> Result<Uuid, JobError> {
    payload
        .get("document_id")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| JobError::Permanent("The job names no document.".into()))
}

#[async_trait::async_trait]
impl Handler for ExtractDocument {
    async fn run(&self, job: JobCtx) -> Result<(), JobError> {
        let document = document_of(&job.payload)?;
        let org = job.org;
        let source = {
            let mut tx = db::begin_org(&job.state.db, org).await?;
            let source = db::lines::source(&mut tx, org, document).await?;
            if source.is_some() {
                db::lines::start(&mut tx, org, document).await?;
            }
            tx.commit().await?;
            source
        };
        // Deleted while queued: nothing to do.
        let Some((key, kind, doc_type)) = source else {
            return Ok(());
        };
        job.progress(10, "reading the file").await?;
        test_delay(&job).await?;
        let key = ObjectKey::parse(key)
            .map_err(|_| JobError::Permanent("The stored file's key is not valid.".into()))?;
        let bytes =
            job.state.store.get(&key).await.map_err(|e| {
                JobError::Retry(format!("The stored file could not be read ({e})."))
            })?;
        job.progress(30, "extracting line items").await?;
        let sandbox = Sandbox {
            bin: match &job.state.config.extract_bin {
                Some(bin) => bin.clone(),
                None => std::env::current_exe().map_err(|e| {
                    JobError::Retry(format!("The extractor binary is unknown ({e})."))
                })?,
            },
            memory_mb: job.state.config.extract_memory_mb,
        };
        let balloon = job.state.config.jobs_test_kinds
            && job.payload.get("test_balloon").and_then(|v| v.as_bool()) == Some(true);
        let extraction = sandbox.extract(bytes, &kind, &doc_type, balloon).await?;
        job.progress(90, "saving line items").await?;
        let mut tx = job.hold().await?;
        db::scope_org(&mut tx, org).await?;
        let pages = i32::try_from(extraction.pages)
            .ok()
            .filter(|p| (1..=500).contains(p));
        // A document deleted meanwhile has nothing to receive the lines: done.
        db::lines::replace(
            &mut tx,
            org,
            document,
            &extraction.items,
            extract::VERSION,
            pages,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn on_failure(
        &self,
        tx: &mut Tx,
        org: OrgId,
        payload: &serde_json::Value,
        error: &JobError,
        dead: bool,
    ) -> Result<(), sqlx::Error> {
        let Ok(document) = document_of(payload) else {
            return Ok(());
        };
        db::scope_org(tx, org).await?;
        let message = match error {
            JobError::Permanent(m) => m.clone(),
            _ if dead => "Extraction failed several times; an administrator can retry it from \
                          the jobs page."
                .to_string(),
            _ => "Extraction did not finish; it will be tried again shortly.".to_string(),
        };
        if dead || matches!(error, JobError::Permanent(_)) {
            db::lines::fail(tx, org, document, &message).await
        } else {
            db::lines::requeue(tx, org, document, &message).await
        }
    }
}

/// A slow step for the durability test, only where test kinds are enabled (never in
/// production): `test_delay_ms` in the payload, reported as progress 10–30 as it passes.
async fn test_delay(job: &JobCtx) -> Result<(), JobError> {
    let Some(ms) = job.payload.get("test_delay_ms").and_then(|v| v.as_u64()) else {
        return Ok(());
    };
    if !job.state.config.jobs_test_kinds {
        return Ok(());
    }
    let steps = (ms / 100).max(1);
    for i in 0..steps {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        job.progress((10 + 20 * (i + 1) / steps) as u8, "test delay")
            .await?;
    }
    Ok(())
}
