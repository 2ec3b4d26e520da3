//! The REST API and API tokens: bearer tokens (unknown or revoked → 401, role capped at
//! the creator's, dead when the creator leaves), the session + `X-Org` path, JSON errors,
//! properties over the API and the server functions, the operator CLI's token.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::fixture::{self, FIXTURE_PASSWORD, Fixture, Persona};
use common::{Client, TestApp};
use serde_json::{Value, json};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

async fn setup(conn: &PgConnectOptions) -> (TestApp, sqlx::PgPool, Fixture) {
    let pool = common::app_pool(conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    (app, pool, f)
}

async fn as_persona<'a>(app: &'a TestApp, f: &Fixture, p: Persona) -> Client<'a> {
    let mut c = app.client();
    c.login(f.email(p).unwrap(), FIXTURE_PASSWORD).await;
    c
}

/// Calls the API with a bearer token; returns status and JSON body.
async fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"));
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = app.send(req.body(body).unwrap()).await;
    let status = res.status();
    let text = common::text(res).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")),
    )
}

async fn new_token(c: &mut Client<'_>, org: &str, name: &str, role: &str) -> (String, String) {
    let a = c
        .sfn(
            "/sfn/org/tokens/create",
            &[("org", org), ("name", name), ("role", role)],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let v = a.json();
    (
        v["token"].as_str().unwrap().to_string(),
        v["id"].as_str().unwrap().to_string(),
    )
}

async fn property_count(pool: &sqlx::PgPool, f: &Fixture) -> i64 {
    let mut tx = ledgerlens::server::db::begin_org(pool, f.org_a_id)
        .await
        .unwrap();
    let n = sqlx::query_scalar("select count(*) from properties")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[sqlx::test]
async fn tokens_authenticate_with_their_role_and_die_when_revoked(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let (editor_token, editor_id) = new_token(&mut admin, org, "nightly import", "editor").await;
    let (admin_token, _) = new_token(&mut admin, org, "provisioning", "admin").await;
    assert!(editor_token.starts_with("llt_"));

    // The token is stored only as a hash and listed without its text.
    let listed = admin.sfn("/sfn/org/tokens", &[("org", org)]).await;
    assert!(!listed.body.contains(&editor_token[4..]), "{}", listed.body);
    assert_eq!(
        listed.json().as_array().unwrap().len(),
        3,
        "two new and the fixture's"
    );

    let (status, body) = api(&app, "GET", "/api/v1/properties", &editor_token, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["properties"].as_array().unwrap().len(),
        1,
        "the fixture's property"
    );
    let before = property_count(&pool, &f).await;

    // Editors may not create properties; admins may.
    let new = json!({ "name": "Maple Court", "code": "maple" });
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/properties",
        &editor_token,
        Some(new.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    let (status, body) = api(
        &app,
        "POST",
        "/api/v1/properties",
        &admin_token,
        Some(new.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["code"], "MAPLE");
    let (status, body) = api(&app, "POST", "/api/v1/properties", &admin_token, Some(new)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "code");
    assert_eq!(
        property_count(&pool, &f).await,
        before + 1,
        "a refused duplicate writes nothing"
    );

    // Revoked and unknown tokens are 401.
    let revoked = admin
        .sfn(
            "/sfn/org/tokens/revoke",
            &[("org", org), ("token_id", &editor_id)],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    for bad in [
        editor_token.as_str(),
        "llt_0000000000000000000000000000000000000000000000000000000000000000",
        "garbage",
    ] {
        let (status, body) = api(&app, "GET", "/api/v1/properties", bad, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(body["error"]["code"], "unauthenticated");
    }
}

#[sqlx::test]
async fn a_token_never_outranks_its_creator(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, _pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let (token, _) = new_token(&mut admin, org, "ops", "admin").await;
    let refused = admin
        .sfn(
            "/sfn/org/tokens/create",
            &[("org", org), ("name", "x"), ("role", "owner")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The owner lowers the creator to viewer: the admin token now acts as a viewer.
    let mut owner = as_persona(&app, &f, Persona::Owner).await;
    let admin_id = f
        .users
        .iter()
        .find(|(p, _, _)| *p == Persona::Admin)
        .unwrap()
        .1
        .to_string();
    let lowered = owner
        .sfn(
            "/sfn/org/members/role",
            &[("org", org), ("user_id", &admin_id), ("role", "viewer")],
        )
        .await;
    assert_eq!(lowered.status, StatusCode::OK);
    let (status, _) = api(
        &app,
        "POST",
        "/api/v1/properties",
        &token,
        Some(json!({ "name": "X", "code": "X" })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = api(&app, "GET", "/api/v1/properties", &token, None).await;
    assert_eq!(status, StatusCode::OK);

    // Removed from the org: the token stops working.
    let removed = owner
        .sfn(
            "/sfn/org/members/remove",
            &[("org", org), ("user_id", &admin_id)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    let (status, _) = api(&app, "GET", "/api/v1/properties", &token, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn the_session_path_needs_the_org_header_and_membership(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, _pool, f) = setup(&conn).await;
    let get = |cookie: Option<String>, org: Option<&str>| {
        let mut req = Request::get("/api/v1/properties");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if let Some(o) = org {
            req = req.header("x-org", o);
        }
        req.body(Body::empty()).unwrap()
    };
    let anonymous = app.send(get(None, Some(&f.org_a))).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let viewer = as_persona(&app, &f, Persona::Viewer).await;
    let ok = app.send(get(viewer.cookie.clone(), Some(&f.org_a))).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let no_header = app.send(get(viewer.cookie.clone(), None)).await;
    assert_eq!(no_header.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        common::json(no_header).await["error"]["fields"][0]["field"],
        "org"
    );
    let other = as_persona(&app, &f, Persona::OtherOrgMember).await;
    let foreign = app.send(get(other.cookie.clone(), Some(&f.org_a))).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND);
    assert_eq!(common::json(foreign).await["error"]["code"], "not_found");
    let missing = app
        .send(
            Request::get("/api/v1/nothing-here")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(common::json(missing).await["error"]["code"], "not_found");
}

#[sqlx::test]
async fn bad_json_and_bad_properties_get_json_errors_and_write_nothing(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let (token, _) = new_token(&mut admin, &f.org_a, "t", "admin").await;
    let before = property_count(&pool, &f).await;
    for (body, field) in [
        (json!({ "name": "", "code": "OK" }), Some("name")),
        (json!({ "name": "Fine", "code": "bad code!" }), Some("code")),
        (json!({ "name": "Fine" }), None),
        (json!({ "name": "Fine", "code": "A", "extra": 1 }), None),
    ] {
        let (status, answer) = api(
            &app,
            "POST",
            "/api/v1/properties",
            &token,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(answer["error"]["code"], "validation");
        if let Some(field) = field {
            assert_eq!(answer["error"]["fields"][0]["field"], field, "{answer}");
        }
    }
    let req = Request::post("/api/v1/properties")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(common::json(res).await["error"]["code"], "validation");
    assert_eq!(property_count(&pool, &f).await, before);
}

#[sqlx::test]
async fn properties_through_the_ui_functions(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let before = property_count(&pool, &f).await;
    let created = admin
        .sfn(
            "/sfn/org/properties/create",
            &[("org", org), ("name", "Harbor Point"), ("code", "harbor")],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_string();
    admin
        .sfn(
            "/sfn/org/properties/create",
            &[("org", org), ("name", "Maple"), ("code", "MAPLE")],
        )
        .await;

    let clash = admin
        .sfn(
            "/sfn/org/properties/update",
            &[
                ("org", org),
                ("property_id", &id),
                ("name", "Harbor"),
                ("code", "maple"),
            ],
        )
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(clash.json()["fields"][0]["field"], "code");
    let renamed = admin
        .sfn(
            "/sfn/org/properties/update",
            &[
                ("org", org),
                ("property_id", &id),
                ("name", "Harbor Point Offices"),
                ("code", "HPO"),
            ],
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);

    let mut viewer = as_persona(&app, &f, Persona::Viewer).await;
    let list = viewer
        .sfn("/sfn/org/properties", &[("org", org)])
        .await
        .json();
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert!(codes.starts_with(&["HPO", "MAPLE"]), "{codes:?}");
    let denied = viewer
        .sfn(
            "/sfn/org/properties/create",
            &[("org", org), ("name", "X"), ("code", "X")],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(property_count(&pool, &f).await, before + 2);

    // Another org's property id is not found, and nothing changes.
    let mut other = as_persona(&app, &f, Persona::OtherOrgMember).await;
    let foreign = other
        .sfn(
            "/sfn/org/properties/update",
            &[
                ("org", &f.org_b),
                ("property_id", &id),
                ("name", "Stolen"),
                ("code", "S"),
            ],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let names = viewer
        .sfn("/sfn/org/properties", &[("org", org)])
        .await
        .body;
    assert!(!names.contains("Stolen"));
}

#[sqlx::test]
async fn the_usage_view_reports_plan_limits(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, _pool, f) = setup(&conn).await;
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let usage = admin
        .sfn("/sfn/org/usage", &[("org", &f.org_a)])
        .await
        .json();
    assert_eq!(usage["plan"], "Free");
    assert_eq!(usage["documents_used"], 0);
    assert_eq!(usage["documents_limit"], 100);
    assert_eq!(usage["storage_limit_bytes"], 1_073_741_824i64);
}
