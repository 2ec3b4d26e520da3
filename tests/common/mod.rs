//! Shared test helpers: an `AppState` over the per-test database (connected as the app
//! role, so row-level security applies exactly as in production), the local Redis and a
//! temporary filesystem object store; in-process requests through `build_router`; a
//! cookie-keeping `Client` that calls server functions the way the browser does; the
//! mails the development transport wrote.
#![allow(dead_code)]

pub mod fixture;
pub mod s3;
pub mod upload;

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::http::{Request, Response};
use http_body_util::BodyExt;
use ledgerlens::server::auth::throttle::{Limits, LoginThrottle};
use ledgerlens::server::config::{Config, MailConfig};
use ledgerlens::server::db::APP_ROLE;
use ledgerlens::server::mail::Mailer;
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
        // Extraction children are the real binary (the test binary has no `extract`).
        ("EXTRACT_BIN", env!("CARGO_BIN_EXE_ledgerlens")),
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

/// The test database's superuser connection (past RLS: for checking what was written).
pub async fn owner_pool(opts: PgPoolOptions, conn: &PgConnectOptions) -> PgPool {
    opts.max_connections(2)
        .connect_with(conn.clone())
        .await
        .expect("connect as superuser")
}

/// A running app for one test: state, router, and the temp dirs behind its store and
/// its mail.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub store_dir: TempDir,
    pub mail_dir: TempDir,
}

impl TestApp {
    /// App over `db` with local Redis and a temp filesystem store.
    pub async fn new(db: PgPool) -> Self {
        Self::with(db, REDIS_URL, None).await
    }

    /// App with a chosen Redis URL and optionally a chosen object store.
    pub async fn with(db: PgPool, redis_url: &str, store: Option<Arc<dyn ObjectStore>>) -> Self {
        Self::build(db, redis_url, store, config(&[])).await
    }

    /// App with a chosen configuration (timeouts, environment).
    pub async fn with_config(db: PgPool, config: Config) -> Self {
        Self::build(db, REDIS_URL, None, config).await
    }

    async fn build(
        db: PgPool,
        redis_url: &str,
        store: Option<Arc<dyn ObjectStore>>,
        mut config: Config,
    ) -> Self {
        let mail_dir = tempfile::tempdir().expect("temp dir");
        config.mail = MailConfig::Files {
            dir: mail_dir.path().to_path_buf(),
        };
        let store_dir = tempfile::tempdir().expect("temp dir");
        let store = match store {
            Some(s) => s,
            None => Arc::new(
                FsStore::new(store_dir.path().to_path_buf())
                    .await
                    .expect("fs store"),
            ),
        };
        let redis = RedisHandle::new(redis_url).expect("redis url");
        // A key prefix of its own: parallel tests never share throttle counters.
        let prefix = format!("test-{}", uuid::Uuid::new_v4());
        let state = AppState {
            mailer: Mailer::from_config(&config).expect("mailer"),
            throttle: LoginThrottle::new(redis.clone(), prefix, Limits::default()),
            config: Arc::new(config),
            leptos_options: startup::leptos_options().expect("Leptos.toml"),
            job_events: ledgerlens::server::jobs::events::JobEvents::new(db.clone()),
            db,
            redis,
            store,
            metrics: metrics::handle(),
        };
        let router = startup::build_router(state.clone());
        Self {
            state,
            router,
            store_dir,
            mail_dir,
        }
    }

    /// A client with no session yet.
    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookie: None,
        }
    }

    /// Bodies of every mail sent to `to`, oldest first (quoted-printable decoded).
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        let mut found: Vec<(std::time::SystemTime, String)> =
            std::fs::read_dir(self.mail_dir.path())
                .expect("mail dir")
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    let modified = e.metadata().ok()?.modified().ok()?;
                    Some((modified, decode_qp(&text)))
                })
                .filter(|(_, text)| text.lines().any(|l| l.starts_with("To:") && l.contains(to)))
                .collect();
        found.sort();
        found.into_iter().map(|(_, t)| t).collect()
    }

    /// The first link under `path_prefix` (e.g. `/invite/`) in the newest mail to `to`.
    pub fn link_in_mail(&self, to: &str, path_prefix: &str) -> String {
        let mails = self.mails_to(to);
        let mail = mails.last().unwrap_or_else(|| panic!("no mail to {to}"));
        let start = mail
            .find(path_prefix)
            .unwrap_or_else(|| panic!("no {path_prefix} link in {mail}"));
        mail[start..]
            .split(|c: char| c.is_whitespace())
            .next()
            .expect("link")
            .to_string()
    }

    /// Sends one request through the full middleware stack. A request that has not
    /// answered in a minute fails the test naming it (a hang would otherwise stall the
    /// whole run until CI's limit).
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        let what = format!("{} {}", req.method(), req.uri());
        tokio::time::timeout(
            std::time::Duration::from_secs(60),
            self.router.clone().oneshot(req),
        )
        .await
        .unwrap_or_else(|_| panic!("{what} did not answer within 60 s"))
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

/// The whole body as bytes.
pub async fn bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
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

/// Undoes quoted-printable soft line breaks and `=XX` escapes (enough for our mails).
fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let mut out = Vec::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'=' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let Some(b) = escaped {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Form-encodes `pairs`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A browser-like client: keeps the session cookie and sends same-origin headers.
pub struct Client<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

/// The first data frame of a streaming body (empty if none comes within 5 s).
async fn first_frame(mut body: Body) -> String {
    use http_body_util::BodyExt;
    match tokio::time::timeout(std::time::Duration::from_secs(5), body.frame()).await {
        Ok(Some(Ok(frame))) => frame
            .into_data()
            .map(|d| String::from_utf8_lossy(&d).into_owned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not json ({e}): {}", self.body))
    }

    /// The `error.code` of a JSON error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }
}

impl Client<'_> {
    async fn send(&mut self, mut req: Request<Body>) -> Answer {
        if let Some(c) = &self.cookie {
            req.headers_mut()
                .insert(header::COOKIE, c.parse().expect("cookie"));
        }
        let res = self.app.send(req).await;
        let status = res.status();
        let headers = res.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("set-cookie");
            let pair = set.split(';').next().expect("cookie pair");
            let removed = set.contains("Max-Age=0") || pair.ends_with('=');
            self.cookie = if removed {
                None
            } else {
                Some(pair.to_string())
            };
        }
        // An event stream never ends: read its first event only.
        let streaming = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        let body = if streaming {
            first_frame(res.into_body()).await
        } else {
            text(res).await
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Calls a server function (`/sfn/...`) with form fields, as the hydrated UI does.
    pub async fn sfn(&mut self, path: &str, pairs: &[(&str, &str)]) -> Answer {
        let req = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", "http://localhost")
            .header("host", "localhost")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(form(pairs)))
            .expect("request");
        self.send(req).await
    }

    /// Calls the REST API with the session cookie and `X-Org: org`: GET without inputs,
    /// else POST with the inputs as a JSON object.
    pub async fn rest(&mut self, path: &str, org: &str, inputs: &[(&str, String)]) -> Answer {
        let builder = Request::builder()
            .uri(path)
            .header("x-org", org)
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin");
        let req = if inputs.is_empty() {
            builder.method("GET").body(Body::empty())
        } else {
            let body: serde_json::Map<String, serde_json::Value> = inputs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect();
            builder
                .method("POST")
                .header("content-type", "application/json")
                .body(Body::from(serde_json::Value::Object(body).to_string()))
        };
        self.send(req.expect("request")).await
    }

    /// DELETEs a REST resource with the session cookie and `X-Org: org`.
    pub async fn rest_delete(&mut self, path: &str, org: &str) -> Answer {
        let req = Request::delete(path)
            .header("x-org", org)
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// GETs a page as a browser navigation.
    pub async fn page(&mut self, path: &str) -> Answer {
        let req = Request::get(path)
            .header("accept", "text/html")
            .header("host", "localhost")
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// Another client on the same session (for concurrent calls).
    pub fn clone_session(&self) -> Client<'_> {
        Client {
            app: self.app,
            cookie: self.cookie.clone(),
        }
    }

    /// [`Client::sfn`] that owns its inputs (for futures run side by side).
    pub async fn sfn_owned(mut self, path: &str, pairs: Vec<(&str, String)>) -> Answer {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.sfn(path, &pairs).await
    }

    /// Logs in through the server function; panics unless it succeeds.
    pub async fn login(&mut self, email: &str, password: &str) {
        let a = self
            .sfn(
                "/sfn/auth/login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::OK,
            "login of {email} failed: {}",
            a.body
        );
    }
}

/// An argon2id hash with the cheapest parameters: verifying it (the parameters travel
/// in the hash) takes microseconds, so fixtures with many accounts stay fast. The
/// production parameters are tested in `auth::password`.
pub fn cheap_hash(password: &str) -> String {
    use argon2::password_hash::PasswordHasher;
    let params = argon2::Params::new(8, 1, 1, None).expect("params");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password(password.as_bytes())
        .expect("hash")
        .to_string()
}
