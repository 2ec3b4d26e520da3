//! The HTTP surface in-process through `build_router`: probes, metrics, request ids,
//! server-rendered pages, the 404 page and the server-function path.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{TestApp, json, text};
use ledgerlens::server::config::{S3Config, Secret};
use ledgerlens::server::storage::S3Store;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

#[sqlx::test]
async fn healthz_answers(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["status"], "ok");
}

#[sqlx::test]
async fn readyz_is_ok_when_everything_answers(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = TestApp::new(common::app_pool(&conn).await).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = json(res).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["checks"]["postgres"], "ok");
    assert_eq!(body["checks"]["redis"], "ok");
    assert_eq!(body["checks"]["object_store"], "ok");
}

#[sqlx::test]
async fn readyz_names_redis_when_it_is_down(pool: PgPool) {
    let app = TestApp::with(pool, "redis://127.0.0.1:1/0", None).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = json(res).await;
    assert_eq!(body["failed"], serde_json::json!(["redis"]));
    assert_eq!(body["checks"]["postgres"], "ok");
}

#[tokio::test]
async fn readyz_names_postgres_and_object_store_without_leaking_details() {
    let db = ledgerlens::server::db::lazy_pool("postgres://nobody:pw@127.0.0.1:1/none", 1).unwrap();
    let s3 = S3Store::new(&S3Config {
        endpoint: Some("http://127.0.0.1:1".into()),
        bucket: "missing".into(),
        region: "us-east-1".into(),
        access_key_id: "K".into(),
        secret_access_key: Secret::new("S".into()),
    });
    let app = TestApp::with(db, common::REDIS_URL, Some(Arc::new(s3))).await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = text(res).await;
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        parsed["failed"],
        serde_json::json!(["postgres", "object_store"])
    );
    assert_eq!(parsed["checks"]["redis"], "ok");
    assert!(!body.contains("refused") && !body.contains("pw"), "{body}");
}

#[sqlx::test]
async fn request_ids_are_generated_kept_or_replaced(pool: PgPool) {
    let app = TestApp::new(pool).await;

    let res = app.get("/healthz").await;
    let generated = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");

    let with_id = |id: &str| common::request("GET", "/healthz", &[("x-request-id", id)]);
    let res = app.send(with_id("edge-42")).await;
    assert_eq!(res.headers()["x-request-id"], "edge-42");

    let res = app.send(with_id("bad id <script>")).await;
    let replaced = res.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(replaced).is_ok(), "{replaced}");
}

#[sqlx::test]
async fn metrics_count_requests_by_route_and_status(pool: PgPool) {
    let app = TestApp::new(pool).await;
    for _ in 0..3 {
        assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    }
    assert_eq!(
        app.get("/no/such/page").await.status(),
        StatusCode::NOT_FOUND
    );
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let body = text(res).await;
    let count = |route: &str, status: &str| -> f64 {
        body.lines()
            .filter(|l| l.starts_with("http_requests_total{"))
            .filter(|l| {
                l.contains(&format!("route=\"{route}\""))
                    && l.contains(&format!("status=\"{status}\""))
            })
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    // Other tests in this process share the recorder, so counts are lower bounds.
    assert!(count("/healthz", "200") >= 3.0, "{body}");
    assert!(count("fallback", "404") >= 1.0, "{body}");
    assert!(
        body.lines()
            .any(|l| l.starts_with("http_request_duration_seconds_bucket{")
                && l.contains("route=\"/healthz\"")),
        "{body}"
    );
    assert!(
        !body.contains("no/such/page"),
        "raw paths must not become labels"
    );
}

#[sqlx::test]
async fn home_page_is_server_rendered_with_database_status(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let app = TestApp::new(common::app_pool(&conn).await).await;
    let res = app.get("/").await;
    assert_eq!(res.status(), StatusCode::OK);
    let html = text(res).await;
    assert!(
        html.contains("Financial packages in, validated numbers out"),
        "{html}"
    );
    assert!(
        html.contains("data-testid=\"database-time\""),
        "status must be in the first HTML: {html}"
    );
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    assert!(
        html.contains("/pkg/ledgerlens.js"),
        "hydration script missing"
    );
    assert!(html.contains("data-hydrated=\"false\""));
}

#[sqlx::test]
async fn every_response_carries_the_security_headers(pool: PgPool) {
    let app = TestApp::new(pool).await;
    for path in [
        "/",
        "/healthz",
        "/definitely/not/here",
        "/api/v1/properties",
    ] {
        let res = app.get(path).await;
        let h = res.headers();
        assert_eq!(h["x-frame-options"], "SAMEORIGIN", "{path}");
        assert_eq!(
            h["content-security-policy"], "frame-ancestors 'self'",
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
    }
}

#[sqlx::test]
async fn unknown_paths_get_the_404_page_with_status_404(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let res = app.get("/definitely/not/here").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = text(res).await;
    assert!(html.contains("Page not found"), "{html}");
}

#[sqlx::test]
async fn server_function_reads_postgres(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = TestApp::new(common::app_pool(&conn).await).await;
    let res = app
        .send(common::sfn_call(
            "/sfn/system/status",
            &[("accept", "application/json")],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = json(res).await;
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        time::OffsetDateTime::parse(
            body["database_time"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339
        )
        .is_ok()
    );
    assert!(
        body["database_version"]
            .as_str()
            .unwrap()
            .starts_with(char::is_numeric)
    );
}

#[tokio::test]
async fn server_function_errors_are_generic() {
    let db = ledgerlens::server::db::lazy_pool("postgres://nobody@127.0.0.1:1/none", 1).unwrap();
    let app = TestApp::with(db, common::REDIS_URL, None).await;
    let res = app.send(common::sfn_call("/sfn/system/status", &[])).await;
    assert!(res.status().is_server_error(), "{}", res.status());
    let body = text(res).await;
    assert!(!body.to_lowercase().contains("connect"), "{body}");
    assert!(!body.contains("127.0.0.1"), "{body}");
}

#[sqlx::test]
async fn cross_site_mutations_are_refused_before_any_handler(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let app = TestApp::new(common::app_pool(&conn).await).await;
    let call = |headers: &[(&str, &str)]| {
        let mut all = vec![("host", "127.0.0.1:3000")];
        all.extend_from_slice(headers);
        common::sfn_call("/sfn/system/status", &all)
    };

    for refused in [
        vec![("origin", "https://evil.example")],
        vec![("sec-fetch-site", "cross-site")],
        vec![
            ("sec-fetch-site", "same-site"),
            ("origin", "http://127.0.0.1:3000"),
        ],
    ] {
        let res = app.send(call(&refused)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{refused:?}");
        let body = json(res).await;
        assert_eq!(body["error"]["code"], "forbidden", "{refused:?}");
        assert!(body["error"]["message"].is_string());
    }
    for allowed in [
        vec![("origin", "http://127.0.0.1:3000")],
        vec![("sec-fetch-site", "same-origin")],
        vec![],
    ] {
        let res = app.send(call(&allowed)).await;
        assert_eq!(res.status(), StatusCode::OK, "{allowed:?}");
    }
    // Reads are never refused, whatever their origin.
    let res = app
        .send(common::request(
            "GET",
            "/",
            &[("sec-fetch-site", "cross-site")],
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}
