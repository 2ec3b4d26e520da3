//! The server-function side of a request: state, session, request metadata, and the
//! mapping of `AppError` to what the browser gets. Every server function starts with
//! [`Call::new`] and ends its error path with [`Call::fail`], which sets the HTTP status
//! (401/403/404/422/429…) so API clients and the isolation tests see real statuses.

use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use super::auth::ctx::{StaffCtx, authorize_staff};
use super::auth::{CurrentUser, OrgCtx, RequestMeta, authorize, session};
use super::error::AppError;
use super::http::client;
use super::state::{self, AppState};
use crate::shared::UiError;

/// Everything a server function needs about its request.
pub struct Call {
    pub state: AppState,
    pub session: Session,
    pub meta: RequestMeta,
    /// A form posted by a browser without JavaScript (it expects a redirect, not JSON).
    pub plain_form: bool,
}

impl Call {
    /// Reads the request context the router provides to every server function.
    pub async fn new() -> Result<Self, UiError> {
        let state = state::from_context()?;
        let parts = use_context::<Parts>()
            .ok_or_else(|| fail(AppError::Internal(anyhow::anyhow!("request parts missing"))))?;
        let session =
            parts.extensions.get::<Session>().cloned().ok_or_else(|| {
                fail(AppError::Internal(anyhow::anyhow!("session layer missing")))
            })?;
        let meta = client::meta(&parts, state.config.trust_proxy);
        let plain_form = accepts_html(&parts.headers);
        Ok(Self {
            state,
            session,
            meta,
            plain_form,
        })
    }

    /// The signed-in user, if any.
    pub async fn user(&self) -> Result<Option<CurrentUser>, UiError> {
        session::current_user(&self.state, &self.session)
            .await
            .map_err(fail)
    }

    /// The signed-in user, or 401.
    pub async fn require_user(&self) -> Result<CurrentUser, UiError> {
        self.user()
            .await?
            .ok_or_else(|| fail(AppError::Unauthenticated))
    }

    /// The one authorize step for the org named `slug`.
    pub async fn org(&self, slug: &str) -> Result<OrgCtx, UiError> {
        let user = self.user().await?;
        authorize(&self.state, user, slug, self.meta.clone())
            .await
            .map_err(fail)
    }

    /// The staff context, or 401/404.
    pub async fn staff(&self) -> Result<StaffCtx, UiError> {
        let user = self.user().await?;
        authorize_staff(user, self.meta.clone()).map_err(fail)
    }

    /// Sends a browser without JavaScript to `path` after a successful form post (with
    /// JavaScript the page navigates itself from the returned value).
    pub fn redirect_plain_form(&self, path: &str) {
        if self.plain_form {
            leptos_axum::redirect(path);
        }
    }
}

/// Whether the request is a form posted by a browser without JavaScript (it accepts
/// HTML; the hydrated UI's calls ask for JSON).
fn accepts_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Maps an error for the browser and sets the response status to the error's own (plus
/// `Retry-After` when there is one). Internal details are logged, never sent.
pub fn fail(err: AppError) -> UiError {
    if let Some(res) = use_context::<ResponseOptions>() {
        let plain_form = use_context::<Parts>().is_some_and(|p| accepts_html(&p.headers));
        // A form post without JavaScript must keep the framework's redirect back to the
        // form (the error travels in the URL); everything else gets the real status.
        if !plain_form {
            res.set_status(
                StatusCode::from_u16(err.status().as_u16())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Some(secs) = err.retry_after_secs() {
                res.insert_header(header::RETRY_AFTER, HeaderValue::from(secs));
            }
        }
    }
    UiError::from(err)
}
