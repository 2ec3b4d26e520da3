//! Document upload through the real router with an API token: accepted files become a
//! row, an object, counter changes, a queued job and an audit event; every refused one
//! (wrong type, encrypted, too large, unknown property, bad period or type, duplicate,
//! quota) leaves no row, no object and no counter change. Concurrent duplicates and
//! uploads at the quota's edge are settled by the database.

mod common;

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use common::fixture::{self, FIXTURE_PASSWORD, Fixture, Persona};
use common::upload::{multipart, sample, token_for};
use serde_json::Value;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const BS_PDF: &str = "samples/packages/JCA01_2024-02/JCA01_2024-02_balance_sheet.pdf";
const IS_PDF: &str = "samples/packages/JCA01_2024-02/JCA01_2024-02_income_statement.pdf";
const BS_CSV: &str = "samples/packages/JCA01_2024-02/JCA01_2024-02_balance_sheet.csv";

struct Env {
    app: TestApp,
    owner: PgPool,
    f: Fixture,
    editor_token: String,
}

async fn setup(opts: PgPoolOptions, conn: &PgConnectOptions) -> Env {
    setup_with(opts, conn, None).await
}

/// The environment over a chosen object store (the filesystem one by default).
async fn setup_with(
    opts: PgPoolOptions,
    conn: &PgConnectOptions,
    store: Option<std::sync::Arc<dyn ledgerlens::server::storage::ObjectStore>>,
) -> Env {
    let pool = common::app_pool(conn).await;
    let owner = common::owner_pool(opts, conn).await;
    let app = TestApp::with(pool.clone(), common::REDIS_URL, store).await;
    let f = fixture::build(&pool).await;
    let editor_token = token_for(&app, &f, "editor").await;
    Env {
        app,
        owner,
        f,
        editor_token,
    }
}

impl Env {
    /// Objects under `org/` in whichever store the app uses.
    async fn objects(&self) -> usize {
        self.app.state.store.list("org/").await.unwrap().len()
    }

    async fn upload(
        &self,
        token: &str,
        property: &str,
        period: &str,
        doc_type: &str,
        filename: &str,
        bytes: &[u8],
    ) -> (StatusCode, Value) {
        let (ct, body) = multipart(
            &[
                ("property", property),
                ("period", period),
                ("doc_type", doc_type),
            ],
            filename,
            bytes,
        );
        let req = Request::post("/api/v1/documents")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        let status = res.status();
        let text = common::text(res).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn ok_upload(&self, file: &str, doc_type: &str) -> Value {
        let name = Path::new(file).file_name().unwrap().to_str().unwrap();
        let (status, body) = self
            .upload(
                &self.editor_token,
                &format!("p{}", self.code_n()),
                "2024-02",
                doc_type,
                name,
                &sample(file),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    fn code_n(&self) -> &str {
        self.f.org_a.trim_start_matches("org-a-")
    }

    /// Everything an upload may leave behind: rows, objects, counters, jobs, events (the
    /// fixture's own document row, which has no object, is not counted).
    async fn footprint(&self) -> (i64, usize, i64, i64, i64, i64) {
        let docs: i64 = sqlx::query_scalar(
            "select count(*) from documents where object_key <> 'org/x/alpha.pdf'",
        )
        .fetch_one(&self.owner)
        .await
        .unwrap();
        // Jobs of uploads (the fixture's dead jobs carry no document).
        let jobs: i64 =
            sqlx::query_scalar("select count(*) from jobs where payload ? 'document_id'")
                .fetch_one(&self.owner)
                .await
                .unwrap();
        let events: i64 = sqlx::query_scalar(
            "select count(*) from audit_events where action = 'document.uploaded'",
        )
        .fetch_one(&self.owner)
        .await
        .unwrap();
        let (used, bytes): (i64, i64) = sqlx::query_as(
            "select documents_used, storage_used_bytes from organizations where id = $1",
        )
        .bind(self.f.org_a_id.0)
        .fetch_one(&self.owner)
        .await
        .unwrap();
        (docs, self.objects().await, used, bytes, jobs, events)
    }
}

fn objects(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(objects(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[sqlx::test]
async fn an_accepted_upload_is_stored_counted_queued_and_audited(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let bytes = sample(BS_PDF);
    let body = env.ok_upload(BS_PDF, "balance_sheet").await;
    assert_eq!(body["status"], "queued");
    let id = body["id"].as_str().unwrap();
    assert!(body["job_id"].is_string());
    assert_eq!(env.footprint().await, (1, 1, 1, bytes.len() as i64, 1, 1));

    let req = Request::get(format!("/api/v1/documents/{id}"))
        .header("authorization", format!("Bearer {}", env.editor_token))
        .body(Body::empty())
        .unwrap();
    let doc = common::json(env.app.send(req).await).await;
    assert_eq!(doc["property"], format!("P{}", env.code_n()));
    assert_eq!(doc["period"], "2024-02");
    assert_eq!(doc["doc_type"], "balance_sheet");
    assert_eq!(doc["status"], "queued");
    assert_eq!(doc["filename"], "JCA01_2024-02_balance_sheet.pdf");
    assert!(doc["pages"].as_i64().unwrap() >= 1);
    use sha2::Digest;
    assert_eq!(doc["sha256"], hex::encode(sha2::Sha256::digest(&bytes)));

    // The object sits under the key the server built, with the uploaded bytes.
    let stored = objects(env.app.store_dir.path());
    let key = stored[0]
        .strip_prefix(env.app.store_dir.path())
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        key.starts_with(&format!(
            "org/{}/property/{}/period/2024-02/balance_sheet/{id}.pdf",
            env.f.org_a_id, env.f.property_a
        )),
        "{key}"
    );
    assert_eq!(std::fs::read(&stored[0]).unwrap(), bytes);
}

#[sqlx::test]
async fn every_refused_upload_leaves_nothing(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let pdf = sample(BS_PDF);
    let code = format!("P{}", env.code_n());
    // property, period, doc_type, filename, bytes, status, error code
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Vec<u8>,
        StatusCode,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "renamed.pdf",
            b"just text, not a pdf".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
        ),
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "notes.txt",
            b"text".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
        ),
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "locked.pdf",
            sample("corpus/real-pdfs/password-example.pdf"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "encrypted_pdf",
        ),
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "book.xlsx",
            pdf.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_type",
        ),
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "latin1.csv",
            b"name;amount\n\xe9t\xe9;1\n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_utf8",
        ),
        (
            code.as_str(),
            "2024-02",
            "balance_sheet",
            "empty.pdf",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_file",
        ),
        (
            "NOPE",
            "2024-02",
            "balance_sheet",
            "bs.pdf",
            pdf.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            code.as_str(),
            "2024-13",
            "balance_sheet",
            "bs.pdf",
            pdf.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            code.as_str(),
            "2024-02",
            "invoice",
            "bs.pdf",
            pdf.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
    ];
    for (property, period, doc_type, filename, bytes, status, error) in cases {
        let (got, body) = env
            .upload(
                &env.editor_token,
                property,
                period,
                doc_type,
                filename,
                &bytes,
            )
            .await;
        assert_eq!(
            got, status,
            "{filename} {property} {period} {doc_type}: {body}"
        );
        assert_eq!(body["error"]["code"], error, "{filename}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(
            env.footprint().await,
            (0, 0, 0, 0, 0, 0),
            "{filename} left something behind"
        );
    }
}

#[sqlx::test]
async fn files_over_50_mb_are_refused_with_413_and_leave_nothing(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(50_000_001, b' ');
    let code = format!("P{}", env.code_n());
    let (status, body) = env
        .upload(
            &env.editor_token,
            &code,
            "2024-02",
            "balance_sheet",
            "big.pdf",
            &big,
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "too_large");
    assert_eq!(env.footprint().await, (0, 0, 0, 0, 0, 0));
}

#[sqlx::test]
async fn duplicates_answer_409_with_the_original_and_store_nothing(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let first = env.ok_upload(BS_PDF, "balance_sheet").await;
    let before = env.footprint().await;
    let code = format!("P{}", env.code_n());
    let (status, body) = env
        .upload(
            &env.editor_token,
            &code,
            "2024-02",
            "balance_sheet",
            "again.pdf",
            &sample(BS_PDF),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "duplicate");
    assert_eq!(body["error"]["existing_id"], first["id"]);
    assert_eq!(
        body["error"]["link"],
        format!("/api/v1/documents/{}", first["id"].as_str().unwrap())
    );
    assert_eq!(env.footprint().await, before);
    // The same bytes as another type or period are a different document.
    let (status, _) = env
        .upload(
            &env.editor_token,
            &code,
            "2024-03",
            "balance_sheet",
            "bs.pdf",
            &sample(BS_PDF),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[sqlx::test]
async fn two_concurrent_uploads_of_one_file_accept_exactly_one(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let code = format!("P{}", env.code_n());
    let bytes = sample(BS_CSV);
    let (a, b) = tokio::join!(
        env.upload(
            &env.editor_token,
            &code,
            "2024-02",
            "balance_sheet",
            "a.csv",
            &bytes
        ),
        env.upload(
            &env.editor_token,
            &code,
            "2024-02",
            "balance_sheet",
            "b.csv",
            &bytes
        ),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{} / {}",
        a.1,
        b.1
    );
    let (docs, objs, used, _, jobs, _) = env.footprint().await;
    assert_eq!((docs, objs, used, jobs), (1, 1, 1, 1));
}

#[sqlx::test]
async fn concurrent_uploads_at_the_quota_edge_never_exceed_it(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    sqlx::query("insert into plans (code, name, documents_limit, storage_limit_bytes) values ('tiny', 'Tiny', 2, 100000000)")
        .execute(&env.owner)
        .await
        .unwrap();
    sqlx::query("update organizations set plan_code = 'tiny' where id = $1")
        .bind(env.f.org_a_id.0)
        .execute(&env.owner)
        .await
        .unwrap();
    let code = format!("P{}", env.code_n());
    let files = [
        BS_PDF,
        IS_PDF,
        BS_CSV,
        "samples/packages/JCA01_2024-02/JCA01_2024-02_cash_flow.csv",
    ];
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| sample(f)).collect();
    let uploads = bytes.iter().enumerate().map(|(i, b)| {
        let doc_type = [
            "balance_sheet",
            "income_statement",
            "rent_roll",
            "cash_flow",
        ][i];
        let name = Path::new(files[i]).file_name().unwrap().to_str().unwrap();
        env.upload(&env.editor_token, &code, "2024-02", doc_type, name, b)
    });
    let answers = futures_join_all(uploads).await;
    let accepted = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused: Vec<&Value> = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::PAYMENT_REQUIRED)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(accepted, 2, "{answers:?}");
    assert_eq!(refused.len(), 2, "{answers:?}");
    assert!(
        refused
            .iter()
            .all(|b| b["error"]["code"] == "quota_exceeded"
                && b["error"]["message"].as_str().unwrap().contains("2 of 2"))
    );
    let (docs, objs, used, _, _, _) = env.footprint().await;
    assert_eq!((docs, objs, used), (2, 2, 2));
}

async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let handles: Vec<_> = futures.collect();
    let mut out = Vec::new();
    // Poll them together: tokio::join! needs a fixed count.
    let mut pinned: Vec<_> = handles.into_iter().map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if results[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => results[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.extend(results.into_iter().map(|r| r.expect("ready")));
    out
}

#[sqlx::test]
async fn viewers_cannot_upload_and_other_orgs_see_404(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let viewer_token = token_for(&env.app, &env.f, "viewer").await;
    let code = format!("P{}", env.code_n());
    let (status, body) = env
        .upload(
            &viewer_token,
            &code,
            "2024-02",
            "balance_sheet",
            "bs.pdf",
            &sample(BS_PDF),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(env.footprint().await, (0, 0, 0, 0, 0, 0));

    let doc = env.ok_upload(BS_PDF, "balance_sheet").await;
    let id = doc["id"].as_str().unwrap();
    let mut other = env.app.client();
    other
        .login(
            env.f.email(Persona::OtherOrgMember).unwrap(),
            FIXTURE_PASSWORD,
        )
        .await;
    let req = Request::get(format!("/api/v1/documents/{id}"))
        .header("cookie", other.cookie.clone().unwrap())
        .header("x-org", &env.f.org_b)
        .body(Body::empty())
        .unwrap();
    let res = env.app.send(req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let req = Request::get("/api/v1/documents/not-a-uuid")
        .header("authorization", format!("Bearer {}", env.editor_token))
        .body(Body::empty())
        .unwrap();
    assert_eq!(env.app.send(req).await.status(), StatusCode::NOT_FOUND);
}

impl Env {
    async fn call(&self, method: &str, path: &str, token: &str) -> axum::response::Response {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        self.app.send(req).await
    }
}

#[sqlx::test]
async fn list_filters_and_pages_the_orgs_documents(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let bs = env.ok_upload(BS_PDF, "balance_sheet").await;
    let is = env.ok_upload(IS_PDF, "income_statement").await;
    let all = common::json(
        env.call("GET", "/api/v1/documents?period=2024-02", &env.editor_token)
            .await,
    )
    .await;
    let ids: Vec<&str> = all["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.starts_with(&[is["id"].as_str().unwrap(), bs["id"].as_str().unwrap()]),
        "newest first: {ids:?}"
    );
    let only_bs = common::json(
        env.call(
            "GET",
            "/api/v1/documents?doc_type=balance_sheet&status=queued",
            &env.editor_token,
        )
        .await,
    )
    .await;
    assert!(
        only_bs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["doc_type"] == "balance_sheet")
    );
    for bad in [
        "/api/v1/documents?doc_type=invoice",
        "/api/v1/documents?status=lost",
        "/api/v1/documents?period=2024",
        "/api/v1/documents?after=x",
    ] {
        let res = env.call("GET", bad, &env.editor_token).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // Keyset pages: 55 rows in pages of 50, no overlap, no gap.
    let mut tx = ledgerlens::server::db::begin_org(&env.owner, env.f.org_a_id)
        .await
        .unwrap();
    for i in 0..55u8 {
        sqlx::query(
            "insert into documents (org_id, property_id, period, doc_type, file_kind, original_filename, content_type,
                                    size_bytes, sha256, object_key)
             values ($1, $2, '2023-01-01', 'gl_export', 'csv', 'x.csv', 'text/csv', 1, $3, 'k')",
        )
        .bind(env.f.org_a_id.0)
        .bind(env.f.property_a)
        .bind(vec![i; 32])
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let first = common::json(
        env.call("GET", "/api/v1/documents?period=2023-01", &env.editor_token)
            .await,
    )
    .await;
    assert_eq!(first["documents"].as_array().unwrap().len(), 50);
    let next = first["next"].as_str().unwrap();
    let second = common::json(
        env.call(
            "GET",
            &format!("/api/v1/documents?period=2023-01&after={next}"),
            &env.editor_token,
        )
        .await,
    )
    .await;
    assert_eq!(second["documents"].as_array().unwrap().len(), 5);
    assert!(second["next"].is_null());
}

#[sqlx::test]
async fn downloads_are_audited_attachments_and_deletes_give_the_quota_back(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let doc = env.ok_upload(BS_PDF, "balance_sheet").await;
    let id = doc["id"].as_str().unwrap();
    let res = env
        .call(
            "GET",
            &format!("/api/v1/documents/{id}/download"),
            &env.editor_token,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"JCA01_2024-02_balance_sheet.pdf\""),
        "{disposition}"
    );
    assert_eq!(common::bytes(res).await, sample(BS_PDF));
    let inline = env
        .call(
            "GET",
            &format!("/api/v1/documents/{id}/download?inline=1"),
            &env.editor_token,
        )
        .await;
    assert!(
        inline.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );
    let events: i64 = sqlx::query_scalar("select count(*) from audit_events where action in ('document.downloaded', 'document.viewed') and target_id = $1")
        .bind(id)
        .fetch_one(&env.owner)
        .await
        .unwrap();
    assert_eq!(events, 2);

    // Editors cannot delete; admins can, and the usage and the object go with the row.
    assert_eq!(
        env.call(
            "DELETE",
            &format!("/api/v1/documents/{id}"),
            &env.editor_token
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    let admin_token = token_for(&env.app, &env.f, "admin").await;
    assert_eq!(
        env.call("DELETE", &format!("/api/v1/documents/{id}"), &admin_token)
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (docs, objs, used, bytes, _, _) = env.footprint().await;
    assert_eq!((docs, objs, used, bytes), (0, 0, 0, 0));
    assert_eq!(
        env.call("GET", &format!("/api/v1/documents/{id}"), &admin_token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.call("DELETE", &format!("/api/v1/documents/{id}"), &admin_token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test]
async fn the_orphan_sweep_deletes_only_unowned_old_objects(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    use ledgerlens::server::services::sweep::sweep_orphans;
    use ledgerlens::server::storage::ObjectKey;
    let env = setup(opts, &conn).await;
    env.ok_upload(BS_PDF, "balance_sheet").await;
    let store = &env.app.state.store;
    let orphan = ObjectKey::parse(format!(
        "org/{}/property/x/period/2024-02/balance_sheet/orphan.pdf",
        env.f.org_a_id
    ))
    .unwrap();
    let foreign = ObjectKey::parse("exports/not-ours.pdf").unwrap();
    store
        .put(&orphan, bytes::Bytes::from_static(b"%PDF-1.4"))
        .await
        .unwrap();
    store
        .put(&foreign, bytes::Bytes::from_static(b"x"))
        .await
        .unwrap();

    // Inside the grace period nothing goes.
    let young = sweep_orphans(&env.app.state, std::time::Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!((young.deleted, young.too_young), (0, 1));
    let swept = sweep_orphans(&env.app.state, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(swept.deleted, 1, "{swept:?}");
    assert!(store.get(&orphan).await.is_err());
    assert!(
        store.get(&foreign).await.is_ok(),
        "keys outside org/ are never touched"
    );
    let (docs, objs, _, _, _, _) = env.footprint().await;
    assert_eq!((docs, objs), (1, 1), "the document's object stays");
}

/// The same intake against S3 (a real s3s-fs): refused, accepted and duplicate uploads
/// leave exactly what they should in the bucket.
#[sqlx::test]
async fn uploads_behave_the_same_on_s3(opts: PgPoolOptions, conn: PgConnectOptions) {
    let server = common::s3::start_s3();
    let store = std::sync::Arc::new(common::s3::s3_store(
        &server,
        common::s3::SHORT_BUCKET,
        "test-secret",
    ));
    let env = setup_with(opts, &conn, Some(store)).await;
    let code = format!("P{}", env.code_n());
    let (status, body) = env
        .upload(
            &env.editor_token,
            &code,
            "2024-02",
            "income_statement",
            "renamed.xlsx",
            b"not a workbook",
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("wrong_type"))
    );
    assert_eq!(env.footprint().await, (0, 0, 0, 0, 0, 0));

    let doc = env.ok_upload(IS_PDF, "income_statement").await;
    let (status, body) = env
        .upload(
            &env.editor_token,
            &code,
            "2024-02",
            "income_statement",
            "again.pdf",
            &sample(IS_PDF),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let bytes = sample(IS_PDF);
    assert_eq!(env.footprint().await, (1, 1, 1, bytes.len() as i64, 1, 1));
    let id = doc["id"].as_str().unwrap();
    let res = env
        .call(
            "GET",
            &format!("/api/v1/documents/{id}/download"),
            &env.editor_token,
        )
        .await;
    assert_eq!(
        common::bytes(res).await,
        bytes,
        "the bucket holds the uploaded bytes"
    );
}

#[sqlx::test]
async fn the_document_page_shows_it_and_admins_delete_from_it(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let doc = env.ok_upload(BS_PDF, "balance_sheet").await;
    let id = doc["id"].as_str().unwrap().to_string();
    let org = env.f.org_a.clone();

    // The page reads without JavaScript: metadata, hash, download and preview links.
    let mut editor = env.app.client();
    editor
        .login(env.f.email(Persona::Editor).unwrap(), FIXTURE_PASSWORD)
        .await;
    let page = editor.page(&format!("/o/{org}/documents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let sha = doc_sha(&env, &id).await;
    for expected in [
        "JCA01_2024-02_balance_sheet.pdf",
        "Balance sheet",
        sha.as_str(),
        &format!("/api/v1/documents/{id}/download?org={org}"),
        "PDF preview",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    assert!(
        !page.body.contains("Delete permanently"),
        "editors see no delete"
    );

    // Editors are refused and nothing changes.
    let before = env.footprint().await;
    let refused = editor
        .sfn("/sfn/org/documents/delete", &[("org", &org), ("id", &id)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(env.footprint().await, before);

    // An admin deletes: row, object and usage go, in one audited step.
    let mut admin = env.app.client();
    admin
        .login(env.f.email(Persona::Admin).unwrap(), FIXTURE_PASSWORD)
        .await;
    assert!(
        admin
            .page(&format!("/o/{org}/documents/{id}"))
            .await
            .body
            .contains("Delete permanently")
    );
    let done = admin
        .sfn("/sfn/org/documents/delete", &[("org", &org), ("id", &id)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json(), format!("/o/{org}/documents"));
    let (docs, objs, used, bytes, _, _) = env.footprint().await;
    assert_eq!((docs, objs, used, bytes), (0, 0, 0, 0));
    let deleted: i64 = sqlx::query_scalar(
        "select count(*) from audit_events where action = 'document.deleted' and target_id = $1",
    )
    .bind(&id)
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(
        admin.page(&format!("/o/{org}/documents/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // A malformed id is the same 404, never a 500.
    assert_eq!(
        admin
            .sfn(
                "/sfn/org/documents/get",
                &[("org", &org), ("id", "not-a-uuid")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn doc_sha(env: &Env, id: &str) -> String {
    let sha: Vec<u8> = sqlx::query_scalar("select sha256 from documents where id = $1::uuid")
        .bind(id)
        .fetch_one(&env.owner)
        .await
        .unwrap();
    hex::encode(sha)
}
