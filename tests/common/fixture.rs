//! A tenancy fixture: org A with a member of every role (plus a spare editor to act on
//! and a pending invitation), org B whose every visible string carries a marker, a user
//! in no org, support staff assigned to A, support staff assigned nowhere, a superuser.
//! Every fixture gets unique slugs and emails, so many can live in one database.

use std::sync::atomic::{AtomicUsize, Ordering};

use ledgerlens::server::auth::tokens;
use ledgerlens::server::db::{self, begin_org};
use ledgerlens::shared::{OrgId, UserId};
use sqlx::PgPool;

/// Who makes a request in the isolation matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    Anonymous,
    Viewer,
    Editor,
    Admin,
    Owner,
    OtherOrgMember,
    SupportAssigned,
    SupportUnassigned,
    Superuser,
}

impl Persona {
    /// Every persona, in the order the matrix runs them.
    pub const ALL: [Persona; 9] = [
        Persona::Anonymous,
        Persona::Viewer,
        Persona::Editor,
        Persona::Admin,
        Persona::Owner,
        Persona::OtherOrgMember,
        Persona::SupportAssigned,
        Persona::SupportUnassigned,
        Persona::Superuser,
    ];
}

/// Text that appears in every string of org B; no response to anyone else may hold it.
pub const FOREIGN_MARKER: &str = "zzforeignzz";

/// The password of every fixture account.
pub const FIXTURE_PASSWORD: &str = "fixture passphrase for tests 9";

/// One fixture's names and ids.
pub struct Fixture {
    pub org_a: String,
    pub org_a_id: OrgId,
    pub org_b: String,
    pub org_b_id: OrgId,
    pub users: Vec<(Persona, UserId, String)>,
    /// An editor of org A that role changes and removals act on.
    pub spare: UserId,
    /// A user in no org (to add by email).
    pub loner_email: String,
    /// A pending invitation of org A, and its token.
    pub invitation_a: uuid::Uuid,
    pub invitation_token_a: String,
    /// A pending invitation of org B (must never be revocable from A).
    pub invitation_b: uuid::Uuid,
    /// A property, an API token and a document of org A.
    pub property_a: uuid::Uuid,
    pub token_a: uuid::Uuid,
    pub document_a: uuid::Uuid,
    /// A dead job of org A (org B has one too).
    pub job_a: uuid::Uuid,
}

impl Fixture {
    /// The email a persona logs in with (`None` for anonymous).
    pub fn email(&self, p: Persona) -> Option<&str> {
        self.users
            .iter()
            .find(|(q, _, _)| *q == p)
            .map(|(_, _, e)| e.as_str())
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

async fn user(pool: &PgPool, email: &str, name: &str, hash: &str, staff: &str) -> UserId {
    UserId(
        sqlx::query_scalar(
            "insert into users (email, name, password_hash, email_verified_at, staff_role)
             values ($1, $2, $3, now(), $4) returning id",
        )
        .bind(email)
        .bind(name)
        .bind(hash)
        .bind(staff)
        .fetch_one(pool)
        .await
        .expect("insert user"),
    )
}

async fn org(pool: &PgPool, slug: &str, name: &str) -> OrgId {
    let id = OrgId(
        sqlx::query_scalar("insert into organizations (slug, name) values ($1, $2) returning id")
            .bind(slug)
            .bind(name)
            .fetch_one(pool)
            .await
            .expect("insert org"),
    );
    let mut tx = begin_org(pool, id).await.expect("scope");
    db::orgs::insert_settings(&mut tx, id)
        .await
        .expect("settings");
    tx.commit().await.expect("commit");
    id
}

async fn member(pool: &PgPool, org: OrgId, user: UserId, role: &str) {
    let mut tx = begin_org(pool, org).await.expect("scope");
    db::members::insert(&mut tx, org, user, role)
        .await
        .expect("membership");
    tx.commit().await.expect("commit");
}

async fn invitation(pool: &PgPool, org: OrgId, email: &str, by: UserId) -> (uuid::Uuid, String) {
    let t = tokens::mint().expect("token");
    let mut tx = begin_org(pool, org).await.expect("scope");
    let id = db::members::upsert_invitation(
        &mut tx,
        org,
        email,
        "viewer",
        &t.hash,
        by,
        time::OffsetDateTime::now_utc() + time::Duration::days(7),
    )
    .await
    .expect("invitation");
    tx.commit().await.expect("commit");
    (id.0, t.token)
}

/// Builds a fresh fixture through the app role's pool (RLS applies to the writes too).
pub async fn build(pool: &PgPool) -> Fixture {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let hash = super::cheap_hash(FIXTURE_PASSWORD);
    let a_slug = format!("org-a-{n}");
    let b_slug = format!("{FOREIGN_MARKER}-{n}");
    let a = org(pool, &a_slug, &format!("Alpha Holdings {n}")).await;
    let b = org(pool, &b_slug, &format!("Bravo {FOREIGN_MARKER} {n}")).await;

    let mut users = Vec::new();
    for (persona, role) in [
        (Persona::Owner, "owner"),
        (Persona::Admin, "admin"),
        (Persona::Editor, "editor"),
        (Persona::Viewer, "viewer"),
    ] {
        let email = format!("{role}-{n}@alpha.test");
        let id = user(pool, &email, &format!("{role} {n}"), &hash, "none").await;
        member(pool, a, id, role).await;
        users.push((persona, id, email));
    }
    let b_email = format!("{FOREIGN_MARKER}-{n}@bravo.test");
    let b_user = user(
        pool,
        &b_email,
        &format!("{FOREIGN_MARKER} owner"),
        &hash,
        "none",
    )
    .await;
    member(pool, b, b_user, "owner").await;
    users.push((Persona::OtherOrgMember, b_user, b_email));

    for (persona, staff, assign) in [
        (Persona::SupportAssigned, "support", true),
        (Persona::SupportUnassigned, "support", false),
        (Persona::Superuser, "superuser", false),
    ] {
        let email = format!("{staff}-{}-{n}@staff.test", if assign { "a" } else { "x" });
        let id = user(pool, &email, "Staff", &hash, staff).await;
        if assign {
            let mut tx = begin_org(pool, a).await.expect("scope");
            db::staff::assign(&mut tx, a, id).await.expect("assign");
            tx.commit().await.expect("commit");
        }
        users.push((persona, id, email));
    }

    let spare = user(
        pool,
        &format!("spare-{n}@alpha.test"),
        "Spare",
        &hash,
        "none",
    )
    .await;
    member(pool, a, spare, "editor").await;
    let loner_email = format!("loner-{n}@nowhere.test");
    user(pool, &loner_email, "Loner", &hash, "none").await;
    let owner_a = users[0].1;
    let (invitation_a, invitation_token_a) =
        invitation(pool, a, &format!("invitee-{n}@alpha.test"), owner_a).await;
    let (invitation_b, _) = invitation(
        pool,
        b,
        &format!("{FOREIGN_MARKER}-invitee-{n}@bravo.test"),
        b_user,
    )
    .await;

    let mut tx = begin_org(pool, a).await.expect("scope");
    let property_a = db::properties::insert(&mut tx, a, &format!("P{n}"), "Alpha Tower")
        .await
        .expect("property")
        .expect("new code")
        .id
        .0;
    let (_, hash) = ledgerlens::server::auth::api_token::mint().expect("token");
    let token_a = db::api_tokens::insert(&mut tx, a, "fixture", "viewer", &hash, Some(owner_a))
        .await
        .expect("api token");
    let document_a = uuid::Uuid::new_v4();
    let doc = db::documents::NewDocument {
        id: document_a,
        property: ledgerlens::shared::PropertyId(property_a),
        period: time::macros::date!(2024 - 02 - 01),
        doc_type: "balance_sheet",
        file_kind: "pdf",
        filename: "alpha.pdf",
        content_type: "application/pdf",
        size_bytes: 10,
        sha256: &[7u8; 32],
        pages: Some(1),
        object_key: "org/x/alpha.pdf",
        uploaded_by: Some(owner_a),
    };
    db::documents::insert(&mut tx, a, &doc)
        .await
        .expect("document");
    let job_a = dead_job(&mut tx, a, "The fixture's job gave up.").await;
    tx.commit().await.expect("commit");
    let mut tx = begin_org(pool, b).await.expect("scope");
    db::properties::insert(
        &mut tx,
        b,
        FOREIGN_MARKER,
        &format!("{FOREIGN_MARKER} tower"),
    )
    .await
    .expect("property");
    dead_job(&mut tx, b, &format!("{FOREIGN_MARKER} job failure")).await;
    tx.commit().await.expect("commit");

    // An event in B's log that A's log must never show.
    let mut tx = begin_org(pool, b).await.expect("scope");
    let event = db::audit::NewEvent {
        org: Some(b),
        actor: Some((b_user, FOREIGN_MARKER)),
        ..db::audit::NewEvent::new("org.created")
    };
    db::audit::insert(&mut tx, &event).await.expect("event");
    tx.commit().await.expect("commit");

    Fixture {
        org_a: a_slug,
        org_a_id: a,
        org_b: b_slug,
        org_b_id: b,
        users,
        spare,
        loner_email,
        invitation_a,
        invitation_token_a,
        invitation_b,
        property_a,
        token_a,
        document_a,
        job_a,
    }
}

/// A job of `org` that used up its attempts with `error`.
async fn dead_job(tx: &mut db::Tx, org: OrgId, error: &str) -> uuid::Uuid {
    let id = db::jobs::enqueue(tx, org, "extract_document", serde_json::json!({}), None)
        .await
        .expect("job");
    sqlx::query(
        "update jobs set state = 'dead', attempts = max_attempts, last_error = $2,
                errors = jsonb_build_array(jsonb_build_object('attempt', 1, 'error', $2::text))
          where id = $1",
    )
    .bind(id)
    .bind(error)
    .execute(&mut **tx)
    .await
    .expect("dead job");
    id
}
