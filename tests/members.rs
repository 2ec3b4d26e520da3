//! Members, invitations, settings and the audit log through the real router: the role
//! rules (owners only for owners, nobody raises themselves, the last owner stays, also
//! under concurrency), invitations by mail, bad settings that change nothing, and an
//! audit log the app role can only append to.

mod common;

use axum::http::StatusCode;
use common::fixture::{self, FIXTURE_PASSWORD, Persona};
use common::{Client, TestApp};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const PASSWORD: &str = "violet tractor harbor 42 quietly";

async fn setup(conn: &PgConnectOptions) -> (TestApp, PgPool, fixture::Fixture) {
    let pool = common::app_pool(conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    (app, pool, f)
}

async fn as_persona<'a>(app: &'a TestApp, f: &fixture::Fixture, p: Persona) -> Client<'a> {
    let mut c = app.client();
    c.login(f.email(p).unwrap(), FIXTURE_PASSWORD).await;
    c
}

fn id_of(f: &fixture::Fixture, p: Persona) -> String {
    f.users
        .iter()
        .find(|(q, _, _)| *q == p)
        .unwrap()
        .1
        .to_string()
}

/// Asks to set `user`'s role in `org` as the client's user.
async fn set_role(c: &mut Client<'_>, org: &str, user: &str, role: &str) -> common::Answer {
    c.sfn(
        "/sfn/org/members/role",
        &[("org", org), ("user_id", user), ("role", role)],
    )
    .await
}

async fn role_of(c: &mut Client<'_>, org: &str, email: &str) -> Option<String> {
    let list = c.sfn("/sfn/org/members", &[("org", org)]).await.json();
    list["members"]
        .as_array()?
        .iter()
        .find(|m| m["email"] == email)
        .map(|m| m["role"].as_str().unwrap().to_string())
}

async fn events(pool: &PgPool, org: ledgerlens::shared::OrgId, action: &str) -> i64 {
    let mut tx = ledgerlens::server::db::begin_org(pool, org).await.unwrap();
    let n = sqlx::query_scalar("select count(*) from audit_events where action = $1")
        .bind(action)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

#[sqlx::test]
async fn invitation_signup_promotion_and_removal(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut owner = as_persona(&app, &f, Persona::Owner).await;
    let invited = owner
        .sfn(
            "/sfn/org/members/invite",
            &[
                ("org", org),
                ("email", "Bob@Example.com"),
                ("role", "viewer"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    assert_eq!(events(&pool, f.org_a_id, "member.invited").await, 1);

    // Bob signs up through the mailed link and lands in the org as a viewer.
    let link = app.link_in_mail("bob@example.com", "/invite/");
    let token = link.trim_start_matches("/invite/");
    let mut bob = app.client();
    let view = bob.sfn("/sfn/auth/invitation", &[("token", token)]).await;
    assert_eq!(view.json()["role"], "viewer");
    assert_eq!(view.json()["account_exists"], false);
    let signed = bob
        .sfn(
            "/sfn/auth/signup",
            &[
                ("name", "Bob"),
                ("email", "bob@example.com"),
                ("password", PASSWORD),
                ("invite", token),
            ],
        )
        .await;
    assert_eq!(signed.json(), format!("/o/{org}"), "{}", signed.body);
    assert_eq!(
        role_of(&mut bob, org, "bob@example.com").await.as_deref(),
        Some("viewer")
    );
    let me = bob.sfn("/sfn/auth/session", &[]).await.json();
    assert_eq!(
        me["me"]["orgs"].as_array().unwrap().len(),
        1,
        "no extra org for invited sign-ups"
    );
    assert_eq!(
        me["me"]["email_verified"], true,
        "the invitation mail proved the address"
    );
    // The link is used up.
    assert_eq!(
        app.client()
            .sfn("/sfn/auth/invitation", &[("token", token)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Viewers cannot manage members.
    let bob_id: String = role_list_id(&mut owner, org, "bob@example.com").await;
    let denied = set_role(&mut bob, org, &bob_id, "admin").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // The owner makes Bob an admin; Bob cannot demote the last owner.
    let up = set_role(&mut owner, org, &bob_id, "admin").await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    let owner_id = id_of(&f, Persona::Owner);
    let demote = set_role(&mut bob, org, &owner_id, "viewer").await;
    assert_eq!(demote.status, StatusCode::CONFLICT);
    assert!(
        demote.json()["message"]
            .as_str()
            .unwrap()
            .contains("at least one owner"),
        "{}",
        demote.body
    );
    let remove_owner = bob
        .sfn(
            "/sfn/org/members/remove",
            &[("org", org), ("user_id", &owner_id)],
        )
        .await;
    assert_eq!(remove_owner.status, StatusCode::CONFLICT);
    let leave = owner.sfn("/sfn/org/leave", &[("org", org)]).await;
    assert_eq!(
        leave.status,
        StatusCode::CONFLICT,
        "the last owner cannot leave"
    );
    assert_eq!(
        role_of(&mut owner, org, f.email(Persona::Owner).unwrap())
            .await
            .as_deref(),
        Some("owner")
    );

    // The owner removes Bob; his next request to the org is a 404.
    let removed = owner
        .sfn(
            "/sfn/org/members/remove",
            &[("org", org), ("user_id", &bob_id)],
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(
        bob.sfn("/sfn/org/view", &[("org", org)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.page(&format!("/o/{org}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(events(&pool, f.org_a_id, "member.role_changed").await, 1);
    assert_eq!(events(&pool, f.org_a_id, "member.removed").await, 1);
}

async fn role_list_id(c: &mut Client<'_>, org: &str, email: &str) -> String {
    let list = c.sfn("/sfn/org/members", &[("org", org)]).await.json();
    list["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[sqlx::test]
async fn role_rules_hold(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, _pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let admin_id = id_of(&f, Persona::Admin);
    let editor_id = id_of(&f, Persona::Editor);

    let raise_self = set_role(&mut admin, org, &admin_id, "owner").await;
    assert_eq!(raise_self.status, StatusCode::FORBIDDEN);
    let make_owner = set_role(&mut admin, org, &editor_id, "owner").await;
    assert_eq!(make_owner.status, StatusCode::FORBIDDEN);
    assert!(
        make_owner.json()["message"]
            .as_str()
            .unwrap()
            .contains("Only owners")
    );
    let unknown = set_role(&mut admin, org, &editor_id, "root").await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["fields"][0]["field"], "role");
    let foreign_user = id_of(&f, Persona::OtherOrgMember);
    let not_member = set_role(&mut admin, org, &foreign_user, "viewer").await;
    assert_eq!(not_member.status, StatusCode::NOT_FOUND);
    let lower_self = set_role(&mut admin, org, &admin_id, "editor").await;
    assert_eq!(
        lower_self.status,
        StatusCode::OK,
        "lowering your own role is fine"
    );
    let mut editor = as_persona(&app, &f, Persona::Editor).await;
    assert_eq!(
        role_of(&mut editor, org, f.email(Persona::Admin).unwrap())
            .await
            .as_deref(),
        Some("editor")
    );
}

#[sqlx::test]
async fn two_owners_demoting_each_other_at_once_leave_one_owner(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut owner = as_persona(&app, &f, Persona::Owner).await;
    let admin_id = id_of(&f, Persona::Admin);
    let owner_id = id_of(&f, Persona::Owner);
    let promoted = set_role(&mut owner, org, &admin_id, "owner").await;
    assert_eq!(promoted.status, StatusCode::OK);
    let second = as_persona(&app, &f, Persona::Admin).await;

    let (a, b) = tokio::join!(
        owner.clone_session().sfn_owned(
            "/sfn/org/members/role",
            vec![
                ("org", org.into()),
                ("user_id", owner_id.clone()),
                ("role", "admin".into())
            ]
        ),
        second.clone_session().sfn_owned(
            "/sfn/org/members/role",
            vec![
                ("org", org.into()),
                ("user_id", admin_id.clone()),
                ("role", "admin".into())
            ]
        ),
    );
    let mut tx = ledgerlens::server::db::begin_org(&pool, f.org_a_id)
        .await
        .unwrap();
    let owners: i64 = sqlx::query_scalar("select count(*) from memberships where role = 'owner'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        owners, 1,
        "exactly one demotion wins ({} / {})",
        a.status, b.status
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
}

#[sqlx::test]
async fn bad_settings_change_nothing(_o: PgPoolOptions, conn: PgConnectOptions) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    let before = admin.sfn("/sfn/org/settings", &[("org", org)]).await.json();
    assert_eq!(before["autopost_threshold"], "0.90");
    assert_eq!(before["autopost_enabled"], false);
    for (threshold, budget, field) in [
        ("0.79", "", "autopost_threshold"),
        ("0.99", "", "autopost_threshold"),
        ("ninety", "", "autopost_threshold"),
        ("0.9", "-5", "monthly_budget"),
        ("0.9", "12.345", "monthly_budget"),
    ] {
        let a = admin
            .sfn(
                "/sfn/org/settings/update",
                &[
                    ("org", org),
                    ("autopost_enabled", "on"),
                    ("autopost_threshold", threshold),
                    ("monthly_budget", budget),
                ],
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{threshold} {budget}"
        );
        assert_eq!(a.json()["fields"][0]["field"], field);
    }
    assert_eq!(
        admin.sfn("/sfn/org/settings", &[("org", org)]).await.json(),
        before
    );
    assert_eq!(events(&pool, f.org_a_id, "settings.updated").await, 0);

    let ok = admin
        .sfn(
            "/sfn/org/settings/update",
            &[
                ("org", org),
                ("autopost_enabled", "on"),
                ("autopost_threshold", "0.80"),
                ("monthly_budget", "2,500.5"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["autopost_threshold"], "0.80");
    assert_eq!(ok.json()["monthly_budget"], "2500.50");
    assert_eq!(events(&pool, f.org_a_id, "settings.updated").await, 1);

    let mut viewer = as_persona(&app, &f, Persona::Viewer).await;
    let denied = viewer
        .sfn(
            "/sfn/org/settings/update",
            &[("org", org), ("autopost_threshold", "0.95")],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

#[sqlx::test]
async fn the_app_role_can_append_to_the_audit_log_but_never_rewrite_it(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (_app, pool, f) = setup(&conn).await;
    let mut tx = ledgerlens::server::db::begin_org(&pool, f.org_a_id)
        .await
        .unwrap();
    let update = sqlx::query("update audit_events set action = 'x.y'")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(update.to_string().contains("permission denied"), "{update}");
    tx.rollback().await.unwrap();
    let mut tx = ledgerlens::server::db::begin_org(&pool, f.org_a_id)
        .await
        .unwrap();
    let delete = sqlx::query("delete from audit_events")
        .execute(&mut *tx)
        .await
        .unwrap_err();
    assert!(delete.to_string().contains("permission denied"), "{delete}");
    tx.rollback().await.unwrap();
    let truncate = sqlx::query("truncate audit_events")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(
        truncate.to_string().contains("permission denied"),
        "{truncate}"
    );
}

#[sqlx::test]
async fn audit_pages_filter_paginate_and_record_the_view(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut admin = as_persona(&app, &f, Persona::Admin).await;
    // 60 role changes back and forth make more than one page.
    let spare = f.spare.to_string();
    for i in 0..60 {
        let role = if i % 2 == 0 { "viewer" } else { "editor" };
        let a = admin
            .sfn(
                "/sfn/org/members/role",
                &[("org", org), ("user_id", &spare), ("role", role)],
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let first = admin
        .sfn(
            "/sfn/org/audit",
            &[("org", org), ("filter[action]", "member.role")],
        )
        .await
        .json();
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert!(rows.iter().all(|r| r["action"] == "member.role_changed"));
    let next = first["next"].as_str().expect("a second page");
    let second = admin
        .sfn(
            "/sfn/org/audit",
            &[
                ("org", org),
                ("filter[action]", "member.role"),
                ("filter[after]", next),
            ],
        )
        .await
        .json();
    assert_eq!(second["rows"].as_array().unwrap().len(), 10);
    assert!(second["next"].is_null());
    let mut ids: Vec<&str> = rows
        .iter()
        .chain(second["rows"].as_array().unwrap())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 60, "pages neither overlap nor skip");

    let by_actor = admin
        .sfn(
            "/sfn/org/audit",
            &[
                ("org", org),
                ("filter[actor]", f.email(Persona::Owner).unwrap()),
            ],
        )
        .await
        .json();
    assert!(
        by_actor["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["actor"] == f.email(Persona::Owner).unwrap())
    );
    let bad = admin
        .sfn(
            "/sfn/org/audit",
            &[("org", org), ("filter[from]", "yesterday")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"][0]["field"], "from");
    assert!(
        events(&pool, f.org_a_id, "audit.viewed").await >= 3,
        "viewing the log is audited"
    );

    let mut editor = as_persona(&app, &f, Persona::Editor).await;
    assert_eq!(
        editor.sfn("/sfn/org/audit", &[("org", org)]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[sqlx::test]
async fn a_cross_site_mutation_is_refused_and_changes_nothing(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let owner = as_persona(&app, &f, Persona::Owner).await;
    let cookie = owner.cookie.clone().unwrap();
    let body = common::form(&[
        ("org", &f.org_a),
        ("email", "victim@example.com"),
        ("role", "admin"),
    ]);
    let req = axum::http::Request::post("/sfn/org/members/invite")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .header("origin", "https://evil.example")
        .header("host", "localhost")
        .body(axum::body::Body::from(body))
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(common::json(res).await["error"]["code"], "forbidden");
    assert_eq!(events(&pool, f.org_a_id, "member.invited").await, 0);
    assert!(app.mails_to("victim@example.com").is_empty());
}

#[sqlx::test]
async fn an_existing_account_accepts_an_invitation_by_logging_in(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let (app, pool, f) = setup(&conn).await;
    let org = f.org_a.as_str();
    let mut owner = as_persona(&app, &f, Persona::Owner).await;
    let invited = owner
        .sfn(
            "/sfn/org/members/invite",
            &[("org", org), ("email", &f.loner_email), ("role", "editor")],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let token = app
        .link_in_mail(&f.loner_email, "/invite/")
        .trim_start_matches("/invite/")
        .to_string();
    assert_eq!(
        app.client()
            .sfn("/sfn/auth/invitation", &[("token", &token)])
            .await
            .json()["account_exists"],
        true
    );

    // Someone else's account cannot use the link.
    let mut other = as_persona(&app, &f, Persona::OtherOrgMember).await;
    let wrong = other
        .sfn("/sfn/auth/accept-invitation", &[("token", &token)])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.json()["message"]
            .as_str()
            .unwrap()
            .contains(&f.loner_email)
    );

    let mut loner = app.client();
    let a = loner
        .sfn(
            "/sfn/auth/login",
            &[
                ("email", &f.loner_email),
                ("password", FIXTURE_PASSWORD),
                ("invite", &token),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json(), format!("/o/{org}"));
    assert_eq!(
        role_of(&mut loner, org, &f.loner_email).await.as_deref(),
        Some("editor")
    );
    assert_eq!(events(&pool, f.org_a_id, "invitation.accepted").await, 1);
    let again = loner
        .sfn("/sfn/auth/accept-invitation", &[("token", &token)])
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the link works once"
    );
}
