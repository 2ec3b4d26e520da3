//! Assembly: builds `AppState` from the configuration and the router from the state.
//! `main` and the tests both call these, so tests exercise the real middleware stack.

use std::sync::Arc;

use axum::Router;
use axum::handler::Handler;
use axum::middleware;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower::ServiceBuilder;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use super::auth::throttle::{Limits, LoginThrottle};
use super::config::Config;
use super::http::{csrf, headers, health, metrics, request_id};
use super::mail::Mailer;
use super::redis::RedisHandle;
use super::state::AppState;
use super::{db, sessions, storage};
use crate::app::{App, shell};

/// The runtime copy of cargo-leptos' settings, compiled in so the binary runs from any
/// directory. `LEPTOS_*` variables (set by `cargo leptos serve`) override it.
const LEPTOS_TOML: &str = include_str!("../../Leptos.toml");

/// Leptos options from the embedded `Leptos.toml` plus `LEPTOS_*` overrides.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    leptos::config::get_config_from_str(LEPTOS_TOML)
        .map_err(|e| anyhow::anyhow!("Leptos.toml: {e}"))
}

/// Creates every handle. Connections are lazy: nothing here needs a service to be up.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = db::lazy_pool(
        config.database_url.expose(),
        config.database_max_connections,
    )
    .map_err(|e| anyhow::anyhow!("DATABASE_URL: {e}"))?;
    let redis = RedisHandle::new(config.redis_url.expose())
        .map_err(|e| anyhow::anyhow!("REDIS_URL: {e}"))?;
    let store = storage::from_config(&config.object_store)
        .await
        .map_err(|e| anyhow::anyhow!("object store: {e}"))?;
    let mailer = Mailer::from_config(&config)?;
    let throttle = LoginThrottle::new(redis.clone(), "ledgerlens", Limits::default());
    Ok(AppState {
        config: Arc::new(config),
        leptos_options,
        job_events: crate::server::jobs::events::JobEvents::new(db.clone()),
        db,
        redis,
        store,
        metrics: metrics::handle(),
        mailer,
        throttle,
    })
}

/// The whole HTTP surface: probes, metrics, server functions, pages, static files.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let session_layer = sessions::layer(&state.config, sessions::store(state.db.clone()));

    let fallback =
        file_and_error_handler::<AppState, _>(shell).layer(middleware::from_fn(metrics::track));

    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .merge(super::rest::router())
        .leptos_routes(&state, routes, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // route_layer runs after routing, so the matched route pattern is known.
        .route_layer(middleware::from_fn(metrics::track))
        .fallback(fallback)
        .layer(session_layer)
        // Outside the session layer: a refused cross-site request never touches a session.
        .layer(middleware::from_fn(csrf::refuse_cross_site));
    headers::layers()
        .fold(router, |router, layer| router.layer(layer))
        .layer(
            ServiceBuilder::new()
                .map_request(request_id::sanitize)
                .layer(SetRequestIdLayer::new(
                    request_id::X_REQUEST_ID.clone(),
                    request_id::MakeUuid,
                ))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_id::RequestSpan)
                        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(
                    request_id::X_REQUEST_ID.clone(),
                )),
        )
        .with_state(state)
}
