//! Shared test helpers: an `AppState` over the per-test database (connected as the app
//! role, so row-level security applies exactly as in production), the local Redis and a
//! temporary filesystem object store; in-process requests through `build_router`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use ledgerlens::server::config::Config;
use ledgerlens::server::db::APP_ROLE;
use ledgerlens::server::redis::RedisHandle;
use ledgerlens::server::state::AppState;
use ledgerlens::server::storage::{FsStore, ObjectStore};
use ledgerlens::server::{http::metrics, startup};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tempfile::TempDir;
use tower::ServiceExt;

/// Redis of the machine (tests never write keys they do not own).
pub const REDIS_URL: &str = "redis://127.0.0.1:6379/0";

/// A configuration built from `pairs` over working local defaults.
pub fn config(pairs: &[(&str, &str)]) -> Config {
    let mut map: HashMap<String, String> = [
        (
            "DATABASE_URL",
            "postgres://ledgerlens_app@127.0.0.1:5432/unused",
        ),
        ("REDIS_URL", REDIS_URL),
        ("APP_ENV", "test"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in pairs {
        map.insert(k.to_string(), v.to_string());
    }
    Config::from_lookup(|k| map.get(k).cloned()).expect("test config is valid")
}

/// Connects to the test database as the app role (not the superuser sqlx::test uses).
pub async fn app_pool(conn: &PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(4)
        .connect_with(conn.clone().username(APP_ROLE))
        .await
        .expect("connect as the app role")
}

/// A running app for one test: state, router, and the temp dir behind its store.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub store_dir: TempDir,
}

impl TestApp {
    /// App over `db` with local Redis and a temp filesystem store.
    pub async fn new(db: PgPool) -> Self {
        Self::with(db, REDIS_URL, None).await
    }

    /// App with a chosen Redis URL and optionally a chosen object store.
    pub async fn with(db: PgPool, redis_url: &str, store: Option<Arc<dyn ObjectStore>>) -> Self {
        let store_dir = tempfile::tempdir().expect("temp dir");
        let store = match store {
            Some(s) => s,
            None => Arc::new(
                FsStore::new(store_dir.path().to_path_buf())
                    .await
                    .expect("fs store"),
            ),
        };
        let state = AppState {
            config: Arc::new(config(&[])),
            leptos_options: startup::leptos_options().expect("Leptos.toml"),
            db,
            redis: RedisHandle::new(redis_url).expect("redis url"),
            store,
            metrics: metrics::handle(),
        };
        let router = startup::build_router(state.clone());
        Self {
            state,
            router,
            store_dir,
        }
    }

    /// Sends one request through the full middleware stack.
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(req)
            .await
            .expect("router is infallible")
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Response<Body> {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }
}

/// A request with an empty body and the given headers.
pub fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.body(Body::empty()).expect("request")
}

/// A server-function call as the browser's form encoding sends it.
pub fn sfn_call(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    request("POST", path, &all)
}

/// The whole body as text.
pub async fn text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

/// The whole body as JSON.
pub async fn json(res: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&text(res).await).expect("json body")
}
