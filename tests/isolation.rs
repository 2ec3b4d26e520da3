//! The tenant-isolation matrix: every server function and page × every persona
//! (anonymous, each role of org A, a member of org B, support staff assigned to A and
//! not, a superuser) → the expected answer, and no string of org B in any response to
//! anyone who may not see it. Each cell runs against a fresh fixture, so mutations in
//! one cell cannot hide a leak in another.
//!
//! Adding a route is one line in `CASES`: what it is, who may use it, and its inputs.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::fixture::{self, FIXTURE_PASSWORD, FOREIGN_MARKER, Fixture, Persona};
use ledgerlens::server::storage::ObjectKey;
use ledgerlens::shared::Role;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Who may use a route.
#[derive(Debug, Clone, Copy)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    User,
    /// Members of the org in the path with at least this role.
    Org(Role),
    /// Staff; `true` when only superusers may.
    Staff { superuser_only: bool },
}

/// How a route is called.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A server function (`/sfn/...`), POSTed like the hydrated UI does.
    Sfn,
    /// A page, fetched as a browser navigation.
    Page,
    /// A REST call with the session cookie and org A in `X-Org`; JSON body from the
    /// inputs when there are any (then POST).
    Rest,
    /// A REST DELETE with the session cookie and org A in `X-Org`.
    RestDelete,
}

type Inputs = fn(&Fixture) -> Vec<(&'static str, String)>;

struct Case {
    kind: Kind,
    /// Path; `{a}` becomes org A's slug, `{invite}` the pending invitation's token,
    /// `{doc}` org A's document, `{job}` its dead job.
    path: &'static str,
    access: Access,
    inputs: Inputs,
}

const fn sfn(path: &'static str, access: Access, inputs: Inputs) -> Case {
    Case {
        kind: Kind::Sfn,
        path,
        access,
        inputs,
    }
}

const fn rest(path: &'static str, access: Access, inputs: Inputs) -> Case {
    Case {
        kind: Kind::Rest,
        path,
        access,
        inputs,
    }
}

const fn delete(path: &'static str, access: Access) -> Case {
    Case {
        kind: Kind::RestDelete,
        path,
        access,
        inputs: |_| Vec::new(),
    }
}

const fn page(path: &'static str, access: Access) -> Case {
    Case {
        kind: Kind::Page,
        path,
        access,
        inputs: |_| Vec::new(),
    }
}

fn none(_: &Fixture) -> Vec<(&'static str, String)> {
    Vec::new()
}

fn org_a(f: &Fixture) -> Vec<(&'static str, String)> {
    vec![("org", f.org_a.clone())]
}

/// One line per route (kept on one line each: `rustfmt::skip`).
#[rustfmt::skip]
const CASES: &[Case] = &[
    sfn("/sfn/system/status", Access::Public, none),
    sfn("/sfn/auth/session", Access::Public, none),
    sfn("/sfn/auth/signup", Access::Public, |f| vec![("name", "New".into()), ("email", format!("new-{}@example.test", f.org_a)), ("password", "a brand new passphrase 42".into()), ("org_name", "New Org".into())]),
    sfn("/sfn/auth/login", Access::Public, |f| vec![("email", f.loner_email.clone()), ("password", FIXTURE_PASSWORD.into())]),
    sfn("/sfn/auth/logout", Access::Public, none),
    sfn("/sfn/auth/logout-everywhere", Access::User, none),
    sfn("/sfn/auth/change-password", Access::User, |_| vec![("current_password", "not the password".into()), ("new_password", "another passphrase 77 x".into())]),
    sfn("/sfn/auth/resend-verification", Access::User, none),
    sfn("/sfn/auth/verify-email", Access::Public, |_| vec![("token", "0".repeat(64))]),
    sfn("/sfn/auth/forgot-password", Access::Public, |f| vec![("email", f.loner_email.clone())]),
    sfn("/sfn/auth/reset-link", Access::Public, |_| vec![("token", "0".repeat(64))]),
    sfn("/sfn/auth/reset-password", Access::Public, |_| vec![("token", "0".repeat(64)), ("new_password", "another passphrase 77 x".into())]),
    sfn("/sfn/auth/invitation", Access::Public, |f| vec![("token", f.invitation_token_a.clone())]),
    sfn("/sfn/auth/accept-invitation", Access::User, |f| vec![("token", f.invitation_token_a.clone())]),
    sfn("/sfn/orgs/create", Access::User, |_| vec![("name", "Another Org".into())]),
    sfn("/sfn/org/view", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/members", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/members/invite", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("email", format!("fresh-{}@example.test", f.org_a)), ("role", "viewer".into())]),
    sfn("/sfn/org/members/add", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("email", f.loner_email.clone()), ("role", "viewer".into())]),
    sfn("/sfn/org/members/role", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("user_id", f.spare.to_string()), ("role", "viewer".into())]),
    sfn("/sfn/org/members/remove", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("user_id", f.spare.to_string())]),
    sfn("/sfn/org/leave", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/invitations/revoke", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("invitation_id", f.invitation_a.to_string())]),
    sfn("/sfn/org/settings", Access::Org(Role::Admin), org_a),
    sfn("/sfn/org/settings/update", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("autopost_threshold", "0.91".into()), ("monthly_budget", "100".into())]),
    sfn("/sfn/org/audit", Access::Org(Role::Admin), org_a),
    sfn("/sfn/org/documents", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/documents/get", Access::Org(Role::Viewer), |f| vec![("org", f.org_a.clone()), ("id", f.document_a.to_string())]),
    sfn("/sfn/org/documents/lines", Access::Org(Role::Viewer), |f| vec![("org", f.org_a.clone()), ("id", f.document_a.to_string())]),
    sfn("/sfn/org/documents/delete", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("id", f.document_a.to_string())]),
    sfn("/sfn/org/jobs", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/jobs/retry", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("id", f.job_a.to_string())]),
    sfn("/sfn/org/properties", Access::Org(Role::Viewer), org_a),
    sfn("/sfn/org/properties/create", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("name", "Maple".into()), ("code", "MAPLE".into())]),
    sfn("/sfn/org/properties/update", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("property_id", f.property_a.to_string()), ("name", "Renamed".into()), ("code", "RENAMED".into())]),
    sfn("/sfn/org/usage", Access::Org(Role::Admin), org_a),
    sfn("/sfn/org/tokens", Access::Org(Role::Admin), org_a),
    sfn("/sfn/org/tokens/create", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("name", "ci".into()), ("role", "viewer".into())]),
    sfn("/sfn/org/tokens/revoke", Access::Org(Role::Admin), |f| vec![("org", f.org_a.clone()), ("token_id", f.token_a.to_string())]),
    sfn("/sfn/staff/tenants", Access::Staff { superuser_only: false }, none),
    sfn("/sfn/staff/audit", Access::Staff { superuser_only: true }, none),
    sfn("/sfn/staff/jobs", Access::Staff { superuser_only: false }, none),
    rest("/api/v1/properties", Access::Org(Role::Viewer), none),
    rest("/api/v1/properties", Access::Org(Role::Admin), |_| vec![("name", "Cedar".into()), ("code", "CEDAR".into())]),
    rest("/api/v1/documents", Access::Org(Role::Editor), |_| vec![("property", "not multipart".into())]),
    rest("/api/v1/documents/{doc}", Access::Org(Role::Viewer), none),
    rest("/api/v1/documents?period=2024-02", Access::Org(Role::Viewer), none),
    rest("/api/v1/documents/{doc}/download", Access::Org(Role::Viewer), none),
    rest("/api/v1/documents/{doc}/lines", Access::Org(Role::Viewer), none),
    delete("/api/v1/documents/{doc}", Access::Org(Role::Admin)),
    rest("/api/v1/jobs", Access::Org(Role::Viewer), none),
    rest("/api/v1/jobs?state=dead", Access::Org(Role::Viewer), none),
    rest("/api/v1/jobs/{job}", Access::Org(Role::Viewer), none),
    rest("/api/v1/jobs/{job}/retry", Access::Org(Role::Admin), |_| vec![("note", "matrix".into())]),
    rest("/api/v1/jobs/{job}/events", Access::Org(Role::Viewer), none),
    rest("/api/v1/jobs/events", Access::Org(Role::Viewer), none),
    page("/", Access::Public),
    page("/login", Access::Public),
    page("/signup", Access::Public),
    page("/forgot-password", Access::Public),
    page("/invite/{invite}", Access::Public),
    page("/account", Access::User),
    page("/o/{a}", Access::Org(Role::Viewer)),
    page("/o/{a}/documents", Access::Org(Role::Viewer)),
    page("/o/{a}/documents/{doc}", Access::Org(Role::Viewer)),
    page("/o/{a}/jobs", Access::Org(Role::Viewer)),
    page("/o/{a}/properties", Access::Org(Role::Viewer)),
    page("/o/{a}/members", Access::Org(Role::Viewer)),
    page("/o/{a}/settings", Access::Org(Role::Admin)),
    page("/o/{a}/audit", Access::Org(Role::Admin)),
    page("/staff", Access::Staff { superuser_only: false }),
    page("/staff/audit", Access::Staff { superuser_only: true }),
    page("/staff/jobs", Access::Staff { superuser_only: false }),
];

/// What a persona must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Past authorization: a success, or a validation/conflict answer of the use case.
    Allowed,
    LogIn,
    NotFound,
    Forbidden,
}

fn role_of(p: Persona) -> Option<Role> {
    match p {
        Persona::Viewer => Some(Role::Viewer),
        Persona::Editor => Some(Role::Editor),
        Persona::Admin => Some(Role::Admin),
        Persona::Owner => Some(Role::Owner),
        _ => None,
    }
}

fn expected(access: Access, p: Persona) -> Expect {
    let staff = matches!(
        p,
        Persona::SupportAssigned | Persona::SupportUnassigned | Persona::Superuser
    );
    match access {
        Access::Public => Expect::Allowed,
        _ if p == Persona::Anonymous => Expect::LogIn,
        Access::User => Expect::Allowed,
        Access::Org(min) => match role_of(p) {
            None => Expect::NotFound,
            Some(r) if r < min => Expect::Forbidden,
            Some(_) => Expect::Allowed,
        },
        Access::Staff { superuser_only } => match p {
            _ if !staff => Expect::NotFound,
            Persona::Superuser => Expect::Allowed,
            _ if superuser_only => Expect::Forbidden,
            _ => Expect::Allowed,
        },
    }
}

/// Whether the answer matches the expectation; `Err` says what was wrong.
fn judge(
    kind: Kind,
    expect: Expect,
    status: StatusCode,
    location: Option<&str>,
    body: &str,
) -> Result<(), String> {
    let ok = match (kind, expect) {
        (_, Expect::NotFound) => status == StatusCode::NOT_FOUND,
        (_, Expect::Forbidden) => status == StatusCode::FORBIDDEN,
        (Kind::Sfn | Kind::Rest | Kind::RestDelete, Expect::LogIn) => {
            status == StatusCode::UNAUTHORIZED
        }
        (Kind::Page, Expect::LogIn) => {
            status.is_redirection() && location.is_some_and(|l| l.starts_with("/login?next="))
        }
        (Kind::Sfn | Kind::Rest | Kind::RestDelete, Expect::Allowed) => {
            !matches!(status.as_u16(), 401 | 403 | 404) && !status.is_server_error()
        }
        (Kind::Page, Expect::Allowed) => status == StatusCode::OK,
    };
    if ok {
        Ok(())
    } else {
        let snippet: String = body.chars().take(200).collect();
        Err(format!(
            "expected {expect:?}, got {status} (location {location:?}) {snippet}"
        ))
    }
}

#[sqlx::test]
async fn every_route_answers_every_persona_as_expected_and_never_leaks(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let pool = common::app_pool(&conn).await;
    let app = TestApp::new(pool.clone()).await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for case in CASES {
        for persona in Persona::ALL {
            let f = fixture::build(&pool).await;
            // The fixture document's object (its row is in every fixture, its key shared).
            let key = ObjectKey::parse("org/x/alpha.pdf").unwrap();
            app.state
                .store
                .put(&key, bytes::Bytes::from_static(b"%PDF-1.4 alpha"))
                .await
                .unwrap();
            let mut client = app.client();
            if let Some(email) = f.email(persona) {
                client.login(email, FIXTURE_PASSWORD).await;
            }
            let path = case
                .path
                .replace("{a}", &f.org_a)
                .replace("{invite}", &f.invitation_token_a)
                .replace("{doc}", &f.document_a.to_string())
                .replace("{job}", &f.job_a.to_string());
            let answer = match case.kind {
                Kind::Sfn => {
                    let inputs = (case.inputs)(&f);
                    let pairs: Vec<(&str, &str)> =
                        inputs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    client.sfn(&path, &pairs).await
                }
                Kind::Page => client.page(&path).await,
                Kind::Rest => {
                    let inputs = (case.inputs)(&f);
                    client.rest(&path, &f.org_a, &inputs).await
                }
                Kind::RestDelete => client.rest_delete(&path, &f.org_a).await,
            };
            cells += 1;
            let expect = expected(case.access, persona);
            let location = answer.headers.get("location").and_then(|v| v.to_str().ok());
            if let Err(why) = judge(case.kind, expect, answer.status, location, &answer.body) {
                failures.push(format!("{} as {persona:?}: {why}", case.path));
            }
            // Only org B's own member, and a superuser in the staff console, may see B.
            let may_see_b = persona == Persona::OtherOrgMember
                || (persona == Persona::Superuser && matches!(case.access, Access::Staff { .. }));
            if !may_see_b && answer.body.contains(FOREIGN_MARKER) {
                failures.push(format!(
                    "{} as {persona:?}: response holds org B's data",
                    case.path
                ));
            }
            // B's invitation is untouched whatever A's members did.
            let mut tx = ledgerlens::server::db::begin_org(&pool, f.org_b_id)
                .await
                .unwrap();
            let pending: bool =
                sqlx::query_scalar("select revoked_at is null from invitations where id = $1")
                    .bind(f.invitation_b)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            tx.commit().await.unwrap();
            if !pending {
                failures.push(format!(
                    "{} as {persona:?}: org B's invitation was revoked",
                    case.path
                ));
            }
        }
    }
    assert!(cells >= CASES.len() * 9);
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A viewer's answer lists org A's members and nobody of org B; org B's owner calling
/// with org A's slug learns nothing (404, same as a slug that does not exist).
#[sqlx::test]
async fn another_orgs_slug_is_indistinguishable_from_a_missing_one(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let pool = common::app_pool(&conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    let mut b = app.client();
    b.login(f.email(Persona::OtherOrgMember).unwrap(), FIXTURE_PASSWORD)
        .await;
    let foreign = b.sfn("/sfn/org/members", &[("org", &f.org_a)]).await;
    let missing = b.sfn("/sfn/org/members", &[("org", "no-such-org")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(foreign.body, missing.body);

    let mut viewer = app.client();
    viewer
        .login(f.email(Persona::Viewer).unwrap(), FIXTURE_PASSWORD)
        .await;
    let list = viewer
        .sfn("/sfn/org/members", &[("org", &f.org_a)])
        .await
        .json();
    let emails: Vec<&str> = list["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 5, "{emails:?}");
    assert!(
        emails.iter().all(|e| e.ends_with("@alpha.test")),
        "{emails:?}"
    );
    assert_eq!(
        list["invitations"],
        serde_json::json!([]),
        "viewers do not see invitations"
    );
}
