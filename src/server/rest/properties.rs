//! `GET /api/v1/properties` (viewers and above) and `POST /api/v1/properties`
//! (`{"name","code"}`, admins; 201 with the property).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{ApiCtx, ApiJson};
use crate::server::error::AppError;
use crate::server::services;
use crate::server::state::AppState;

/// Every property of the org.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> Result<Json<Value>, AppError> {
    let rows = services::properties::list(&state, &ctx).await?;
    Ok(Json(json!({ "properties": rows })))
}

/// What `POST /api/v1/properties` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProperty {
    pub name: String,
    pub code: String,
}

/// Creates a property.
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiJson(body): ApiJson<NewProperty>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let row = services::properties::create(&state, &ctx, &body.name, &body.code).await?;
    Ok((StatusCode::CREATED, Json(json!(row))))
}
