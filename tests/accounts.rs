//! Accounts end to end through the real router, session layer, Postgres (as the app
//! role), Redis and the development mail transport: sign-up in one transaction, log-in
//! with a cycled session id, log-out (here and everywhere), timeouts, throttling,
//! password change and reset, email verification, disabled accounts.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{Client, TestApp};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const PASSWORD: &str = "violet tractor harbor 42 quietly";
const NEW_PASSWORD: &str = "copper lantern meadow 77 softly";

async fn app(conn: &PgConnectOptions) -> TestApp {
    TestApp::new(common::app_pool(conn).await).await
}

/// The app plus a superuser pool for checking what was written past RLS.
async fn app_and_pool(opts: PgPoolOptions, conn: &PgConnectOptions) -> (TestApp, PgPool) {
    (app(conn).await, common::owner_pool(opts, conn).await)
}

async fn signup(c: &mut Client<'_>, name: &str, email: &str, org: &str) -> common::Answer {
    c.sfn(
        "/sfn/auth/signup",
        &[
            ("name", name),
            ("email", email),
            ("password", PASSWORD),
            ("org_name", org),
        ],
    )
    .await
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// Row counts of everything sign-up writes (read as the superuser, past RLS).
async fn footprint(pool: &PgPool) -> [i64; 5] {
    [
        count(pool, "select count(*) from users").await,
        count(pool, "select count(*) from organizations").await,
        count(pool, "select count(*) from memberships").await,
        count(pool, "select count(*) from tenant_settings").await,
        count(pool, "select count(*) from audit_events").await,
    ]
}

/// Who the session is, as the shell sees it.
async fn whoami(c: &mut Client<'_>) -> Option<String> {
    let a = c.sfn("/sfn/auth/session", &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["me"]["email"].as_str().map(str::to_string)
}

#[sqlx::test]
async fn signup_creates_user_org_owner_and_logs_in(opts: PgPoolOptions, conn: PgConnectOptions) {
    let (app, pool) = app_and_pool(opts, &conn).await;
    let mut c = app.client();
    let a = signup(
        &mut c,
        "Ada Lovelace",
        " Ada@Example.com ",
        "Analytical Estates",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json(), "/o/analytical-estates");
    assert_eq!(whoami(&mut c).await.as_deref(), Some("ada@example.com"));

    let me = c.sfn("/sfn/auth/session", &[]).await.json();
    assert_eq!(me["me"]["orgs"][0]["slug"], "analytical-estates");
    assert_eq!(me["me"]["orgs"][0]["role"], "owner");
    assert_eq!(me["me"]["email_verified"], false);
    let plan: String =
        sqlx::query_scalar("select plan_code from organizations where slug = 'analytical-estates'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(plan, "free");
    assert_eq!(
        footprint(&pool).await,
        [1, 1, 1, 1, 2],
        "user, org, owner, settings, 2 events"
    );
    let hash: String = sqlx::query_scalar("select password_hash from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    // A second org with the same name gets its own slug.
    let mut other = app.client();
    let a = signup(
        &mut other,
        "Grace",
        "grace@example.com",
        "Analytical Estates",
    )
    .await;
    assert_eq!(a.json(), "/o/analytical-estates-2");

    // The verification mail works once.
    let link = app.link_in_mail("ada@example.com", "/verify-email?token=");
    let token = link.split("token=").nth(1).unwrap();
    assert_eq!(
        c.sfn("/sfn/auth/verify-email", &[("token", token)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        c.sfn("/sfn/auth/session", &[]).await.json()["me"]["email_verified"],
        true
    );
    let again = c.sfn("/sfn/auth/verify-email", &[("token", token)]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test]
async fn signup_with_a_taken_email_looks_like_success_and_writes_nothing(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool) = app_and_pool(opts, &conn).await;
    signup(&mut app.client(), "Ada", "ada@example.com", "First").await;
    let before = footprint(&pool).await;

    let mut intruder = app.client();
    let a = signup(&mut intruder, "Mallory", "ADA@example.com", "Second").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json(), "/signup/check-email");
    assert_eq!(intruder.cookie, None, "nobody is logged in");
    assert_eq!(footprint(&pool).await, before, "no row of any kind");
    let mails = app.mails_to("ada@example.com");
    assert!(
        mails
            .last()
            .unwrap()
            .contains("tried to create a Ledgerlens account"),
        "{mails:?}"
    );
}

#[sqlx::test]
async fn bad_signups_get_field_errors_and_write_nothing(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool) = app_and_pool(opts, &conn).await;
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[
                ("name", "Ada"),
                ("email", "not-an-email"),
                ("password", PASSWORD),
                ("org_name", "X"),
            ],
            "email",
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "a@example.com"),
                ("password", "short"),
                ("org_name", "X"),
            ],
            "password",
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "a@example.com"),
                ("password", "passwordpassword"),
                ("org_name", "X"),
            ],
            "password",
        ),
        (
            &[
                ("name", " "),
                ("email", "a@example.com"),
                ("password", PASSWORD),
                ("org_name", "X"),
            ],
            "name",
        ),
        (
            &[
                ("name", "Ada"),
                ("email", "a@example.com"),
                ("password", PASSWORD),
                ("org_name", ""),
            ],
            "org_name",
        ),
    ];
    for (fields, bad) in cases {
        let a = app.client().sfn("/sfn/auth/signup", fields).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            a.body
        );
        assert_eq!(a.json()["fields"][0]["field"], *bad, "{}", a.body);
    }
    assert_eq!(footprint(&pool).await, [0, 0, 0, 0, 0]);
}

#[sqlx::test]
async fn login_cycles_the_session_id_and_the_old_one_is_dead(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool) = app_and_pool(opts, &conn).await;
    let mut c = app.client();
    signup(&mut c, "Ada", "ada@example.com", "Acme").await;
    let first = c.cookie.clone().expect("session cookie after sign-up");
    c.login("ada@example.com", PASSWORD).await;
    let second = c.cookie.clone().expect("session cookie after log-in");
    assert_ne!(first, second, "log-in must issue a new session id");

    let mut stale = app.client();
    stale.cookie = Some(first);
    assert_eq!(
        whoami(&mut stale).await,
        None,
        "the pre-login id no longer works"
    );
    assert_eq!(whoami(&mut c).await.as_deref(), Some("ada@example.com"));
    assert_eq!(
        count(&pool, "select count(*) from tower_sessions.session").await,
        1
    );
}

#[sqlx::test]
async fn wrong_credentials_get_one_generic_answer(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = app(&conn).await;
    signup(&mut app.client(), "Ada", "ada@example.com", "Acme").await;
    let wrong_password = app
        .client()
        .sfn(
            "/sfn/auth/login",
            &[("email", "ada@example.com"), ("password", "nope nope nope")],
        )
        .await;
    let unknown_email = app
        .client()
        .sfn(
            "/sfn/auth/login",
            &[("email", "nobody@example.com"), ("password", PASSWORD)],
        )
        .await;
    for a in [&wrong_password, &unknown_email] {
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.code(), "invalid_credentials");
        assert!(a.headers.get("set-cookie").is_none());
    }
    assert_eq!(
        wrong_password.json()["message"],
        unknown_email.json()["message"]
    );
}

#[sqlx::test]
async fn the_sixth_bad_password_in_the_window_gets_429(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = app(&conn).await;
    signup(&mut app.client(), "Ada", "ada@example.com", "Acme").await;
    let mut c = app.client();
    for attempt in 1..=5 {
        let a = c
            .sfn(
                "/sfn/auth/login",
                &[
                    ("email", "ada@example.com"),
                    ("password", "wrong password here"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let sixth = c
        .sfn(
            "/sfn/auth/login",
            &[
                ("email", "ada@example.com"),
                ("password", "wrong password here"),
            ],
        )
        .await;
    assert_eq!(
        sixth.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        sixth.body
    );
    assert_eq!(sixth.code(), "rate_limited");
    let retry: u64 = sixth.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Even the right password waits out the window.
    let right = c
        .sfn(
            "/sfn/auth/login",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(c.cookie.is_none());
}

#[sqlx::test]
async fn logout_and_logout_everywhere_kill_sessions(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = app(&conn).await;
    let mut laptop = app.client();
    signup(&mut laptop, "Ada", "ada@example.com", "Acme").await;
    let mut phone = app.client();
    phone.login("ada@example.com", PASSWORD).await;
    let mut tablet = app.client();
    tablet.login("ada@example.com", PASSWORD).await;

    // Log out here: this session only.
    let kept = tablet.cookie.clone();
    assert_eq!(
        tablet.sfn("/sfn/auth/logout", &[]).await.status,
        StatusCode::OK
    );
    tablet.cookie = kept;
    assert_eq!(
        whoami(&mut tablet).await,
        None,
        "a logged-out session id is dead"
    );
    assert!(whoami(&mut phone).await.is_some());

    // Log out everywhere: every session, this one included.
    let laptop_cookie = laptop.cookie.clone();
    assert_eq!(
        laptop.sfn("/sfn/auth/logout-everywhere", &[]).await.status,
        StatusCode::OK
    );
    laptop.cookie = laptop_cookie;
    assert_eq!(whoami(&mut laptop).await, None);
    assert_eq!(whoami(&mut phone).await, None);
    // Logging in again works.
    phone.login("ada@example.com", PASSWORD).await;
    assert!(whoami(&mut phone).await.is_some());
}

#[sqlx::test]
async fn changing_the_password_ends_other_sessions_only(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = app(&conn).await;
    let mut here = app.client();
    signup(&mut here, "Ada", "ada@example.com", "Acme").await;
    let mut elsewhere = app.client();
    elsewhere.login("ada@example.com", PASSWORD).await;

    let wrong = here
        .sfn(
            "/sfn/auth/change-password",
            &[
                ("current_password", "not my password"),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["fields"][0]["field"], "current_password");
    assert!(
        whoami(&mut elsewhere).await.is_some(),
        "a refused change changes nothing"
    );

    let before = here.cookie.clone();
    let a = here
        .sfn(
            "/sfn/auth/change-password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_ne!(here.cookie, before, "privilege change cycles the id");
    assert!(whoami(&mut here).await.is_some());
    assert_eq!(whoami(&mut elsewhere).await, None);
    app.client().login("ada@example.com", NEW_PASSWORD).await;
    let old = app
        .client()
        .sfn(
            "/sfn/auth/login",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test]
async fn password_reset_works_once_and_ends_every_session(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool) = app_and_pool(opts, &conn).await;
    let mut c = app.client();
    signup(&mut c, "Ada", "ada@example.com", "Acme").await;

    // Unknown addresses get the same answer and no mail.
    let unknown = app
        .client()
        .sfn(
            "/sfn/auth/forgot-password",
            &[("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(app.mails_to("nobody@example.com").is_empty());

    assert_eq!(
        app.client()
            .sfn("/sfn/auth/forgot-password", &[("email", "ada@example.com")])
            .await
            .status,
        StatusCode::OK
    );
    let link = app.link_in_mail("ada@example.com", "/reset-password?token=");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let mut r = app.client();
    assert_eq!(
        r.sfn("/sfn/auth/reset-link", &[("token", &token)])
            .await
            .json(),
        true
    );

    // A weak password is refused and does not use the link up.
    let weak = r
        .sfn(
            "/sfn/auth/reset-password",
            &[("token", &token), ("new_password", "password1234")],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = r
        .sfn(
            "/sfn/auth/reset-password",
            &[("token", &token), ("new_password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(whoami(&mut c).await, None, "reset ends every session");

    let twice = r
        .sfn(
            "/sfn/auth/reset-password",
            &[("token", &token), ("new_password", PASSWORD)],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.json()["message"]
            .as_str()
            .unwrap()
            .contains("expired or was already used")
    );
    assert_eq!(
        r.sfn("/sfn/auth/reset-link", &[("token", &token)])
            .await
            .json(),
        false
    );
    app.client().login("ada@example.com", NEW_PASSWORD).await;
    let stored: i64 = count(
        &pool,
        "select count(*) from user_tokens where purpose = 'reset_password' and used_at is null",
    )
    .await;
    assert_eq!(stored, 0);
    let raw: i64 =
        sqlx::query_scalar("select count(*) from user_tokens where encode(token_hash, 'hex') = $1")
            .bind(&token)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(raw, 0, "the token itself is never stored, only its hash");
}

#[sqlx::test]
async fn idle_sessions_expire(_o: PgPoolOptions, conn: PgConnectOptions) {
    let mut config = common::config(&[]);
    config.session_idle_timeout = Duration::from_secs(2);
    let app = TestApp::with_config(common::app_pool(&conn).await, config).await;
    let mut c = app.client();
    signup(&mut c, "Ada", "ada@example.com", "Acme").await;
    assert!(whoami(&mut c).await.is_some());
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(whoami(&mut c).await, None);
}

#[sqlx::test]
async fn sessions_end_at_their_absolute_lifetime_even_when_active(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let mut config = common::config(&[]);
    config.session_absolute_lifetime = Duration::from_secs(3);
    let app = TestApp::with_config(common::app_pool(&conn).await, config).await;
    let mut c = app.client();
    signup(&mut c, "Ada", "ada@example.com", "Acme").await;
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert!(whoami(&mut c).await.is_some(), "still inside the lifetime");
    }
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(whoami(&mut c).await, None);
}

#[sqlx::test]
async fn disabling_a_user_ends_their_sessions_and_blocks_login(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let app = app(&conn).await;
    let mut c = app.client();
    signup(&mut c, "Ada", "ada@example.com", "Acme").await;
    ledgerlens::server::services::staff::set_disabled(&app.state, "ada@example.com", true)
        .await
        .unwrap();
    assert_eq!(whoami(&mut c).await, None);
    let a = app
        .client()
        .sfn(
            "/sfn/auth/login",
            &[("email", "ada@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        a.code(),
        "invalid_credentials",
        "a disabled account looks like a wrong password"
    );
}

#[sqlx::test]
async fn post_login_destination_is_never_another_site(_o: PgPoolOptions, conn: PgConnectOptions) {
    let app = app(&conn).await;
    signup(&mut app.client(), "Ada", "ada@example.com", "Acme").await;
    for (next, expected) in [
        ("/o/acme/members", "/o/acme/members"),
        ("https://evil.example/", "/o/acme"),
        ("//evil.example", "/o/acme"),
    ] {
        let a = app
            .client()
            .sfn(
                "/sfn/auth/login",
                &[
                    ("email", "ada@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(a.json(), expected, "{next}");
    }
}
