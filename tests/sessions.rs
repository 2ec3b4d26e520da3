//! The real session layer (Postgres store, signed cookie) behind a tiny handler that
//! writes to the session: cookie flags per environment, and the row in the store that
//! the app role can read and write.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::post;
use ledgerlens::server::sessions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tower::ServiceExt;
use tower_sessions::Session;

const PROD_SECRET: &str = "production-secret-for-tests-only-0123456789-0123456789-0123456789";

async fn touch(session: Session) -> StatusCode {
    match session.insert("visits", 1u32).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

async fn set_cookie(pool: sqlx::PgPool, config: &ledgerlens::server::config::Config) -> String {
    let app = Router::new()
        .route("/touch", post(touch))
        .layer(sessions::layer(config, sessions::store(pool)));
    let res = app
        .oneshot(Request::post("/touch").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    res.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned()
}

#[sqlx::test]
async fn development_cookie_is_http_only_lax_and_stored(_o: PgPoolOptions, conn: PgConnectOptions) {
    let pool = common::app_pool(&conn).await;
    let cookie = set_cookie(pool.clone(), &common::config(&[])).await;
    assert!(cookie.starts_with("ledgerlens_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    // Idle expiry: the cookie carries an expiry, the store row exists.
    assert!(
        cookie.contains("Expires=") || cookie.contains("Max-Age="),
        "{cookie}"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from tower_sessions.session")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    pool.close().await;
}

#[sqlx::test]
async fn production_cookie_is_secure_with_host_prefix(_o: PgPoolOptions, conn: PgConnectOptions) {
    let pool = common::app_pool(&conn).await;
    let config = common::config(&[
        ("APP_ENV", "production"),
        ("SESSION_SECRET", PROD_SECRET),
        ("APP_BASE_URL", "https://ledgerlens.example.com"),
        ("SMTP_URL", "smtps://mailer:pw@smtp.example.com"),
    ]);
    let cookie = set_cookie(pool.clone(), &config).await;
    assert!(cookie.starts_with("__Host-ledgerlens_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Domain="),
        "__Host- cookies must not set a domain: {cookie}"
    );
    pool.close().await;
}
