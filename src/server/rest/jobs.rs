//! Jobs over REST: `GET /api/v1/jobs?state=` (newest first), `GET /api/v1/jobs/{id}`
//! (viewers and above) and `POST /api/v1/jobs/{id}/retry` (admins; failed or dead jobs,
//! else 409).

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::ApiCtx;
use crate::server::error::AppError;
use crate::server::services;
use crate::server::state::AppState;

/// `?state=`
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: String,
}

/// The org's newest jobs.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let jobs = services::jobs::list(&state, &ctx, &q.state).await?;
    Ok(Json(json!({ "jobs": jobs })))
}

/// One job.
pub async fn get(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(json!(services::jobs::get(&state, &ctx, id).await?)))
}

/// Sends a failed or dead job round again; answers the job.
pub async fn retry(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(json!(services::jobs::retry(&state, &ctx, id).await?)))
}
