//! The REST API under `/api/v1`: thin axum handlers over the same services as the
//! server functions. Callers authenticate with an API token (`Authorization: Bearer
//! llt_…`) or, from the browser, with the session cookie plus the org's slug in the
//! `X-Org` header; both go through the one authorize step into an `OrgCtx`. Errors are
//! `{"error":{"code","message"}}` with the error's status.

mod auth;
mod json;
mod properties;

use axum::Router;
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
        // Unknown API paths answer JSON, not the HTML 404 page.
        .route("/api/v1/{*rest}", any(not_found))
}

async fn not_found() -> super::error::AppError {
    super::error::AppError::NotFound
}
