//! SQL of the job queue as far as producers need it: enqueue in the producer's own
//! transaction. Claiming, leases and retries belong to the worker (jobs issue).

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
