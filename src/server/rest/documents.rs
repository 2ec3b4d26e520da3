//! `POST /api/v1/documents` (multipart: property, period, doc_type, then file; editors
//! and above; 201 `{"id","status","job_id"}`) and `GET /api/v1/documents/{id}`.
//! The role is checked before any byte of the body is read; the file part is streamed.

use axum::Json;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::ApiCtx;
use crate::server::error::AppError;
use crate::server::services;
use crate::server::spool::{MAX_UPLOAD_BYTES, body_error, spool};
use crate::server::state::AppState;
use crate::shared::Role;

/// Longest value of a text part (property, period, doc_type).
const MAX_TEXT_PART: usize = 256;

async fn small_text(field: &mut Field<'_>, name: &str) -> Result<String, AppError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(body_error)? {
        out.extend_from_slice(&chunk);
        if out.len() > MAX_TEXT_PART {
            return Err(AppError::field(name, "This value is too long."));
        }
    }
    String::from_utf8(out).map_err(|_| AppError::field(name, "This value is not text."))
}

/// Accepts one uploaded document.
pub async fn upload(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    req: Request,
) -> Result<(StatusCode, Json<Value>), AppError> {
    // The role first: a viewer learns nothing from how the body is shaped.
    ctx.require(Role::Editor)?;
    let mut multipart =
        Multipart::from_request(req, &state)
            .await
            .map_err(|e| AppError::Validation {
                message: format!("Send the upload as multipart/form-data: {}", e.body_text()),
                fields: Vec::new(),
            })?;
    let (mut property, mut period, mut doc_type) = (String::new(), String::new(), String::new());
    while let Some(mut field) = multipart.next_field().await.map_err(body_error)? {
        match field.name().unwrap_or("") {
            "property" => property = small_text(&mut field, "property").await?,
            "period" => period = small_text(&mut field, "period").await?,
            "doc_type" => doc_type = small_text(&mut field, "doc_type").await?,
            "file" => {
                let filename = field.file_name().unwrap_or("").to_string();
                let target = services::documents::prepare(
                    &state, &ctx, &property, &period, &doc_type, &filename,
                )
                .await?;
                let spooled = spool(&mut field, MAX_UPLOAD_BYTES).await?;
                let done = services::documents::accept(&state, &ctx, target, spooled).await?;
                return Ok((StatusCode::CREATED, Json(json!(done))));
            }
            other => {
                return Err(AppError::field(
                    "file",
                    format!(
                        "Unexpected part {other:?}: send property, period, doc_type, then file."
                    ),
                ));
            }
        }
    }
    Err(AppError::field(
        "file",
        "Attach the file in a part named \"file\", after property, period and doc_type.",
    ))
}

/// One document's metadata.
pub async fn get(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    // A malformed id cannot name anything: the same 404 as a missing one.
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(json!(
        services::documents::get(&state, &ctx, id).await?
    )))
}
