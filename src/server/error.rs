//! `AppError`: the one server-side error type. Each variant has an HTTP status and a
//! stable snake_case code; internal errors are logged with the request id and shown to
//! clients only as a generic message, never as database text.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::shared::UiError;
use crate::shared::error::FieldError;

/// Everything a service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("you need to log in")]
    Unauthenticated,
    /// Log-in failed. One message for unknown email, wrong password and disabled
    /// account, so the answer never tells which.
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    #[error("you do not have permission to do that")]
    Forbidden,
    /// Forbidden by a rule worth explaining (e.g. only owners can make owners).
    #[error("{0}")]
    Denied(String),
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    Conflict(String),
    /// The same file already exists; its id is in the answer.
    #[error("This file was already uploaded for this property, period and type.")]
    Duplicate(uuid::Uuid),
    /// An input refused for a reason with its own stable code (`wrong_type`,
    /// `encrypted_pdf`, …); answered 422.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("{0}")]
    Quota(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0} is unavailable")]
    Unavailable(&'static str),
    /// Too many attempts; the client may retry after this long.
    #[error("Too many attempts. Try again in {} minutes.", .0.as_secs().div_ceil(60).max(1))]
    RateLimited(std::time::Duration),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

const INTERNAL_MESSAGE: &str = "Something went wrong on our side. Please try again.";

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Denied(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) | Self::Duplicate(_) => StatusCode::CONFLICT,
            Self::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Quota(_) => StatusCode::PAYMENT_REQUIRED,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code, part of the API contract.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden | Self::Denied(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::Validation { .. } => "validation",
            Self::Conflict(_) => "conflict",
            Self::Duplicate(_) => "duplicate",
            Self::Refused { code, .. } => code,
            Self::Quota(_) => "quota_exceeded",
            Self::TooLarge(_) => "too_large",
            Self::Unavailable(_) => "unavailable",
            Self::RateLimited(_) => "rate_limited",
            Self::Internal(_) => "internal",
        }
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            fields: vec![FieldError {
                field: field.into(),
                message: message.clone(),
            }],
            message,
        }
    }

    /// `Retry-After` in whole seconds, for errors that have one.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Self::RateLimited(d) => Some(d.as_secs().max(1)),
            _ => None,
        }
    }

    /// The message a client may see; internal details are logged instead.
    pub fn public_message(&self) -> String {
        match self {
            Self::Internal(err) => {
                tracing::error!(error = ?err, "internal error");
                INTERNAL_MESSAGE.to_string()
            }
            other => other.to_string(),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::PoolTimedOut => Self::Unavailable("the database"),
            _ => Self::Internal(err.into()),
        }
    }
}

impl From<AppError> for UiError {
    fn from(err: AppError) -> Self {
        let code = err.code();
        let fields = match &err {
            AppError::Validation { fields, .. } => fields.clone(),
            _ => Vec::new(),
        };
        UiError {
            code: code.into(),
            message: err.public_message(),
            fields,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body =
            json!({ "error": { "code": self.code(), "message": self.public_message() } });
        if let Self::Validation { fields, .. } = &self {
            body["error"]["fields"] = json!(fields);
        }
        if let Self::Duplicate(id) = &self {
            body["error"]["existing_id"] = json!(id);
            body["error"]["link"] = json!(format!("/api/v1/documents/{id}"));
        }
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs() {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_text() {
        let err = AppError::Internal(anyhow::anyhow!("relation \"secret_table\" does not exist"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let ui = UiError::from(err);
        assert_eq!(ui.code, "internal");
        assert!(!ui.message.contains("secret_table"));
    }

    #[test]
    fn validation_keeps_field_messages() {
        let ui = UiError::from(AppError::field(
            "threshold",
            "must be between 0.80 and 0.98",
        ));
        assert_eq!(ui.code, "validation");
        assert_eq!(ui.field("threshold"), Some("must be between 0.80 and 0.98"));
    }

    #[test]
    fn codes_and_statuses_are_stable() {
        assert_eq!(AppError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(AppError::NotFound.code(), "not_found");
        assert_eq!(AppError::Forbidden.status(), StatusCode::FORBIDDEN);
        assert_eq!(AppError::Unauthenticated.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(AppError::Unavailable("redis").code(), "unavailable");
    }
}
