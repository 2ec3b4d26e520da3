//! Spooling an upload: the file part of a request is streamed into a private temporary
//! file while its SHA-256 and byte count are computed. Memory holds one chunk at a time
//! whatever the file's size, and the moment the count passes the limit the spool stops
//! reading and the request is answered 413 — the rest of the body is never read.

use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

use super::error::AppError;

pub use crate::shared::document::MAX_UPLOAD_BYTES;

/// A file spooled to local disk; the file is removed when this is dropped.
pub struct Spooled {
    pub file: NamedTempFile,
    pub size: u64,
    pub sha256: [u8; 32],
}

/// Streams `field` into a temporary file, refusing it past `limit` bytes.
pub async fn spool(field: &mut Field<'_>, limit: u64) -> Result<Spooled, AppError> {
    let temp = tokio::task::spawn_blocking(NamedTempFile::new)
        .await
        .map_err(|e| anyhow::anyhow!("spool task: {e}"))?
        .map_err(|e| anyhow::anyhow!("creating the spool file: {e}"))?;
    let mut out = tokio::fs::File::from_std(
        temp.reopen()
            .map_err(|e| anyhow::anyhow!("spool file: {e}"))?,
    );
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(body_error)? {
        size += chunk.len() as u64;
        if size > limit {
            return Err(too_large(limit));
        }
        hasher.update(&chunk);
        out.write_all(&chunk)
            .await
            .map_err(|e| anyhow::anyhow!("writing the spool file: {e}"))?;
    }
    out.flush()
        .await
        .map_err(|e| anyhow::anyhow!("flushing the spool file: {e}"))?;
    Ok(Spooled {
        file: temp,
        size,
        sha256: hasher.finalize().into(),
    })
}

/// The 413 answer, naming the limit.
pub fn too_large(limit: u64) -> AppError {
    AppError::TooLarge(format!(
        "This file is larger than {} MB, the most a single upload may be.",
        limit / 1_000_000
    ))
}

/// A broken or over-long request body.
pub fn body_error(err: axum::extract::multipart::MultipartError) -> AppError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(MAX_UPLOAD_BYTES);
    }
    AppError::Validation {
        message: format!("The upload could not be read: {}", err.body_text()),
        fields: Vec::new(),
    }
}
