//! The REST side of the authorize step: a bearer API token, or the session user plus
//! the org's slug in the `X-Org` header (or `?org=` on links such as downloads);
//! anonymous → 401, not a member → 404.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::server::auth::api_token::authorize_token;
use crate::server::auth::session::current_user;
use crate::server::auth::{OrgCtx, authorize};
use crate::server::error::AppError;
use crate::server::http::client;
use crate::server::state::AppState;

/// Header naming the org of a session-authenticated API call.
pub const ORG_HEADER: &str = "x-org";

/// An authorized API request.
pub struct ApiCtx(pub OrgCtx);

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let meta = client::meta(parts, state.config.trust_proxy);
        if let Some(value) = parts.headers.get(AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(AppError::Unauthenticated)?;
            return authorize_token(state, token, meta).await.map(ApiCtx);
        }
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("session layer missing"))?;
        let user = current_user(state, &session)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // The header for scripts; `?org=` for links a browser follows (downloads).
        let from_query = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "org")
                .map(|(_, v)| v.into_owned())
        });
        let slug = parts
            .headers
            .get(ORG_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or(from_query)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                AppError::field(
                    "org",
                    "Name the organization in the X-Org header (or ?org=).",
                )
            })?;
        authorize(state, Some(user), &slug, meta).await.map(ApiCtx)
    }
}
