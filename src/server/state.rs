//! `AppState`: the shared handles every request and job uses. Cheap to clone.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use metrics_exporter_prometheus::PrometheusHandle;
use sqlx::PgPool;

use super::auth::throttle::LoginThrottle;
use super::config::Config;
use super::mail::Mailer;
use super::redis::RedisHandle;
use super::storage::ObjectStore;
use crate::shared::UiError;

/// Handles to every backing service.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Pool of the app role: RLS applies to every query on it.
    pub db: PgPool,
    pub redis: RedisHandle,
    pub store: Arc<dyn ObjectStore>,
    pub metrics: PrometheusHandle,
    pub mailer: Mailer,
    pub throttle: LoginThrottle,
    /// Live job changes for server-sent events.
    pub job_events: crate::server::jobs::events::JobEvents,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function (the router provides it as context).
pub fn from_context() -> Result<AppState, UiError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        UiError::new(
            "internal",
            "Something went wrong on our side. Please try again.",
        )
    })
}
