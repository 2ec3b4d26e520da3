//! `GET /healthz` (the process answers) and `GET /readyz` (every backing service
//! answers). Readiness checks run concurrently, each with a deadline, and the 503 body
//! names what failed; error details go to the log, not to the caller.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::time::timeout;

use crate::server::db;
use crate::server::state::AppState;

/// How long one dependency may take to answer.
const CHECK_DEADLINE: Duration = Duration::from_secs(3);

/// Liveness: answers as long as the process serves HTTP.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

fn verdict<E: std::fmt::Display>(
    name: &str,
    result: Result<Result<(), E>, tokio::time::error::Elapsed>,
) -> bool {
    match result {
        Ok(Ok(())) => true,
        Ok(Err(err)) => {
            tracing::warn!(dependency = name, error = %err, "readiness check failed");
            false
        }
        Err(_) => {
            tracing::warn!(dependency = name, "readiness check timed out");
            false
        }
    }
}

/// Readiness: Postgres, Redis and the object store must all answer.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let (pg, redis, store) = tokio::join!(
        timeout(CHECK_DEADLINE, db::system::ping(&state.db)),
        timeout(CHECK_DEADLINE, state.redis.ping()),
        timeout(CHECK_DEADLINE, state.store.check()),
    );
    let results = [
        ("postgres", verdict("postgres", pg)),
        ("redis", verdict("redis", redis)),
        ("object_store", verdict("object_store", store)),
    ];
    let mut checks = Map::new();
    let mut failed = Vec::new();
    for (name, ok) in results {
        checks.insert(name.into(), json!(if ok { "ok" } else { "unavailable" }));
        if !ok {
            failed.push(name);
        }
    }
    let status = if failed.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if failed.is_empty() { "ok" } else { "unavailable" },
        "checks": checks,
        "failed": failed,
    });
    (status, Json(body)).into_response()
}
