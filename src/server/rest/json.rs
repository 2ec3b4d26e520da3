//! A JSON body extractor whose refusals are our JSON errors (axum's answer plain text).

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::server::error::AppError;
use crate::server::state::AppState;

/// `axum::Json`, refusing bad bodies with a 422 `{"error":{"code":"validation",…}}`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(rejection) => Err(AppError::Validation {
                message: format!(
                    "The request body is not the expected JSON: {}",
                    rejection.body_text()
                ),
                fields: Vec::new(),
            }),
        }
    }
}
