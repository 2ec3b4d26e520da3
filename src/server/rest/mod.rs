//! The REST API under `/api/v1`: thin axum handlers over the same services as the
//! server functions. Callers authenticate with an API token (`Authorization: Bearer
//! llt_…`) or, from the browser, with the session cookie plus the org's slug in the
//! `X-Org` header; both go through the one authorize step into an `OrgCtx`. Errors are
//! `{"error":{"code","message"}}` with the error's status.

mod auth;
mod documents;
mod jobs;
mod json;
mod properties;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};

pub use auth::ApiCtx;
pub use json::ApiJson;

use super::state::AppState;

/// Every `/api/v1` route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/properties",
            get(properties::list).post(properties::create),
        )
        .route(
            "/api/v1/documents",
            // The spool enforces the file limit itself (and answers 413 the moment it
            // is crossed); this bound only stops a body far beyond it.
            get(documents::list)
                .post(documents::upload)
                .layer(DefaultBodyLimit::max(
                    (super::spool::MAX_UPLOAD_BYTES + 1_000_000) as usize,
                )),
        )
        .route(
            "/api/v1/documents/{id}",
            get(documents::get).delete(documents::delete),
        )
        .route("/api/v1/documents/{id}/download", get(documents::download))
        .route("/api/v1/documents/{id}/lines", get(documents::lines))
        .route("/api/v1/jobs", get(jobs::list))
        .route("/api/v1/jobs/events", get(jobs::events))
        .route("/api/v1/jobs/{id}/events", get(jobs::job_events))
        .route("/api/v1/jobs/{id}", get(jobs::get))
        .route("/api/v1/jobs/{id}/retry", axum::routing::post(jobs::retry))
        // Unknown API paths answer JSON, not the HTML 404 page.
        .route("/api/v1/{*rest}", any(not_found))
}

async fn not_found() -> super::error::AppError {
    super::error::AppError::NotFound
}
