//! Extraction end to end through the real router, runner and object store: an uploaded
//! statement moves queued → extracting → extracted and its lines come back from `GET
//! /api/v1/documents/{id}/lines` with exact decimal strings, pages and boxes; running
//! the extraction again leaves exactly one set of lines; a file without a text layer
//! ends `failed` with a sentence for its owner, no lines, and a dead job (no pointless
//! retries); a file whose extraction eats memory is stopped by the child's cap, fails in
//! words, and the worker goes on.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::TestApp;
use common::fixture::{self, Fixture};
use common::upload::{multipart, sample, token_for};
use ledgerlens::server::jobs::{self, runner};
use serde_json::Value;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::watch;

const IS_PDF: &str = "samples/packages/JCA01_2024-02/JCA01_2024-02_income_statement.pdf";
const GL_XLSX: &str = "samples/packages/JCA01_2024-04/JCA01_2024-04_gl_export.xlsx";
const SCANNED: &str = "corpus/real-pdfs/issue-297-example.pdf";

struct Env {
    app: TestApp,
    owner: PgPool,
    f: Fixture,
    token: String,
    stop: watch::Sender<bool>,
}

async fn setup(opts: PgPoolOptions, conn: &PgConnectOptions) -> Env {
    let env = setup_idle(opts, conn, &[]).await;
    env.start();
    env
}

/// The environment with `config` pairs and no runner yet ([`Env::start`]).
async fn setup_idle(opts: PgPoolOptions, conn: &PgConnectOptions, config: &[(&str, &str)]) -> Env {
    let pool = common::app_pool(conn).await;
    let owner = common::owner_pool(opts, conn).await;
    let app = TestApp::with_config(pool.clone(), common::config(config)).await;
    let f = fixture::build(&pool).await;
    let token = token_for(&app, &f, "editor").await;
    let (stop, _) = watch::channel(false);
    Env {
        app,
        owner,
        f,
        token,
        stop,
    }
}

impl Env {
    /// Starts a runner with the real registry.
    fn start(&self) {
        let config = runner::RunnerConfig {
            poll: Duration::from_millis(200),
            retry_base: Duration::from_millis(10),
            retry_cap: Duration::from_millis(50),
            ..runner::RunnerConfig::default()
        };
        tokio::spawn(runner::run(
            self.app.state.clone(),
            jobs::registry(&self.app.state.config),
            config,
            self.stop.subscribe(),
        ));
    }

    async fn upload(&self, file: &str, doc_type: &str) -> String {
        let name = file.rsplit('/').next().unwrap();
        let code = format!("p{}", self.f.org_a.trim_start_matches("org-a-"));
        let (ct, body) = multipart(
            &[
                ("property", code.as_str()),
                ("period", "2024-02"),
                ("doc_type", doc_type),
            ],
            name,
            &sample(file),
        );
        let req = Request::post("/api/v1/documents")
            .header("authorization", format!("Bearer {}", self.token))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let res = self.app.send(req).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        common::json(res).await["id"].as_str().unwrap().to_string()
    }

    async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let req = Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let res = self.app.send(req).await;
        let status = res.status();
        (status, common::json(res).await)
    }

    /// Waits until the document reaches `status` (and its job has settled).
    async fn wait_for(&self, id: &str, status: &str) -> Value {
        let start = Instant::now();
        loop {
            let (_, doc) = self
                .get(&format!("/api/v1/documents/{id}"), &self.token)
                .await;
            let job: Option<String> =
                sqlx::query_scalar("select state from jobs where payload->>'document_id' = $1")
                    .bind(id)
                    .fetch_optional(&self.owner)
                    .await
                    .unwrap();
            let settled = matches!(job.as_deref(), Some("done" | "dead"));
            if doc["status"] == status && settled {
                return doc;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "document {id} never reached {status}: {doc} (job {job:?})"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn line_rows(&self, id: &str) -> i64 {
        sqlx::query_scalar("select count(*) from document_lines where document_id = $1::uuid")
            .bind(id)
            .fetch_one(&self.owner)
            .await
            .unwrap()
    }
}

#[sqlx::test]
async fn an_uploaded_statement_is_extracted_and_its_lines_are_served(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let id = env.upload(IS_PDF, "income_statement").await;
    let doc = env.wait_for(&id, "extracted").await;
    assert_eq!(doc["error"], Value::Null);

    let (status, body) = env
        .get(&format!("/api/v1/documents/{id}/lines"), &env.token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["document_id"], id.as_str());
    assert_eq!(body["status"], "extracted");
    assert_eq!(body["extractor_version"], ledgerlens::extract::VERSION);
    let lines = body["lines"].as_array().unwrap();
    let truth: Value = serde_json::from_slice(&sample(&format!("{IS_PDF}.truth.json"))).unwrap();
    assert_eq!(lines.len(), truth["line_items"].as_array().unwrap().len());
    // Amounts are exact decimal strings; the box is where the truth says.
    let rent = &lines[0];
    assert_eq!(rent["label"], "Rental Income");
    assert_eq!(rent["normalized_label"], "rental income");
    assert_eq!(rent["amount"], "55450.00");
    assert_eq!(rent["page"], 1);
    assert_eq!(rent["is_total"], false);
    assert_eq!(rent["kind"], "detail");
    assert_eq!(rent["section"], "REVENUE");
    let bbox: Vec<f64> = serde_json::from_value(rent["bbox"].clone()).unwrap();
    let want: Vec<f64> = serde_json::from_value(truth["line_items"][0]["bbox"].clone()).unwrap();
    for (got, want) in bbox.iter().zip(&want) {
        assert!((got - want).abs() < 3.0, "bbox {bbox:?}, truth {want:?}");
    }
    let total = lines
        .iter()
        .find(|l| l["label"] == "TOTAL REVENUE")
        .unwrap();
    assert_eq!(total["is_total"], true);
    let numbers: Vec<i64> = lines
        .iter()
        .map(|l| l["line_no"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (1..=lines.len() as i64).collect::<Vec<_>>());

    // Run again (an admin's retry, or a crash after the lines were written): still one set.
    let before = env.line_rows(&id).await;
    sqlx::query(
        "update jobs set state = 'queued', run_at = now(), attempts = 0
          where payload->>'document_id' = $1",
    )
    .bind(&id)
    .execute(&env.owner)
    .await
    .unwrap();
    sqlx::query("select pg_notify('jobs_queued', '')")
        .execute(&env.owner)
        .await
        .unwrap();
    env.wait_for(&id, "extracted").await;
    assert_eq!(env.line_rows(&id).await, before);
    let _ = env.stop.send(true);
}

#[sqlx::test]
async fn spreadsheet_lines_name_their_sheet_and_cell(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let id = env.upload(GL_XLSX, "gl_export").await;
    env.wait_for(&id, "extracted").await;
    let (_, body) = env
        .get(&format!("/api/v1/documents/{id}/lines"), &env.token)
        .await;
    let first = &body["lines"][0];
    assert_eq!(first["label"], "Balance Forward");
    assert_eq!(first["kind"], "balance");
    assert_eq!(first["amount"], "63287.13");
    assert_eq!(first["bbox"], Value::Null);
    assert!(first["sheet"].is_string(), "{first}");
    assert!(
        first["cell"]
            .as_str()
            .unwrap()
            .ends_with(&first["row"].to_string())
    );
    let _ = env.stop.send(true);
}

#[sqlx::test]
async fn a_pdf_without_text_fails_in_words_with_no_lines_and_no_retries(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let id = env.upload(SCANNED, "balance_sheet").await;
    let doc = env.wait_for(&id, "failed").await;
    assert_eq!(
        doc["error"],
        "No text layer: scanned PDFs are not supported yet."
    );
    assert_eq!(env.line_rows(&id).await, 0);
    let (state, attempts): (String, i32) =
        sqlx::query_as("select state, attempts from jobs where payload->>'document_id' = $1")
            .bind(&id)
            .fetch_one(&env.owner)
            .await
            .unwrap();
    assert_eq!((state.as_str(), attempts), ("dead", 1));
    let (_, body) = env
        .get(&format!("/api/v1/documents/{id}/lines"), &env.token)
        .await;
    assert_eq!(body["status"], "failed");
    assert_eq!(body["lines"], serde_json::json!([]));
    let _ = env.stop.send(true);
}

#[sqlx::test]
async fn a_file_that_eats_memory_fails_in_words_and_the_worker_goes_on(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup_idle(
        opts,
        &conn,
        &[("JOBS_TEST_KINDS", "true"), ("EXTRACT_MEMORY_MB", "256")],
    )
    .await;
    let id = env.upload(IS_PDF, "income_statement").await;
    // Before any runner: this job's child allocates until its cap stops it.
    sqlx::query(
        "update jobs set payload = payload || '{\"test_balloon\": true}'
          where payload->>'document_id' = $1",
    )
    .bind(&id)
    .execute(&env.owner)
    .await
    .unwrap();
    env.start();
    let doc = env.wait_for(&id, "failed").await;
    assert_eq!(
        doc["error"],
        "The file needs more memory than extraction allows (256 MB). Split it, or export it \
         again from the accounting system."
    );
    assert_eq!(env.line_rows(&id).await, 0);
    // The worker that ran it is still there: the next document is extracted.
    let next = env.upload(GL_XLSX, "gl_export").await;
    env.wait_for(&next, "extracted").await;
    let _ = env.stop.send(true);
}
