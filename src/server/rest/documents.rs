//! Documents over REST: `POST /api/v1/documents` (multipart: property, period, doc_type,
//! then file; editors and above; 201 `{"id","status","job_id"}` — the role is checked
//! before any byte of the body is read and the file part is streamed), `GET
//! /api/v1/documents` (filters, keyset pages), `GET /api/v1/documents/{id}`, `GET
//! /api/v1/documents/{id}/download` (audited), `GET /api/v1/documents/{id}/lines` (the
//! extracted lines) and `DELETE /api/v1/documents/{id}`.

use axum::Json;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::ApiCtx;
use crate::server::error::AppError;
use crate::server::services;
use crate::server::spool::{MAX_UPLOAD_BYTES, body_error, spool};
use crate::server::state::AppState;

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
    services::documents::may_upload(&ctx)?;
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
    let id = services::input::id(&id)?;
    Ok(Json(json!(
        services::documents::get(&state, &ctx, id).await?
    )))
}

/// `GET /api/v1/documents/{id}/lines`: the extracted lines, amounts as decimal strings.
pub async fn lines(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let id = services::input::id(&id)?;
    Ok(Json(json!(
        services::documents::lines(&state, &ctx, id).await?
    )))
}

/// `GET /api/v1/documents?property=&period=&doc_type=&status=&after=`
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Query(q): Query<services::documents::ListQuery>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(
        services::documents::list(&state, &ctx, &q).await?
    )))
}

/// `DELETE /api/v1/documents/{id}` (admins): 204.
pub async fn delete(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = services::input::id(&id)?;
    services::documents::delete(&state, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?inline=1` shows a PDF in the browser instead of saving it.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    pub inline: Option<String>,
}

/// `GET /api/v1/documents/{id}/download`: the original bytes, audited; `attachment`
/// with the filename encoded per RFC 6266/5987, `nosniff`; inline only for PDFs.
pub async fn download(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, AppError> {
    let id = services::input::id(&id)?;
    let wants_inline = q.inline.as_deref().is_some_and(|v| v == "1" || v == "true");
    let d = services::documents::download(&state, &ctx, id, wants_inline).await?;
    let inline = wants_inline && d.content_type == "application/pdf";
    let disposition =
        content_disposition(if inline { "inline" } else { "attachment" }, &d.filename);
    let mut res = (StatusCode::OK, d.bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&d.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// `attachment; filename="plain"; filename*=UTF-8''percent-encoded`: an ASCII fallback
/// with quotes and controls replaced, and the exact name for clients that read `*`.
pub fn content_disposition(kind: &str, filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in filename.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_encode_any_filename() {
        assert_eq!(
            content_disposition("attachment", "Bilanz März \"Q1\".pdf"),
            "attachment; filename=\"Bilanz M_rz _Q1_.pdf\"; filename*=UTF-8''Bilanz%20M%C3%A4rz%20%22Q1%22.pdf"
        );
        assert!(!content_disposition("inline", "a\r\nSet-Cookie: x").contains('\n'));
    }
}
