//! Durability on the real binary: two `ledgerlens worker` processes share the queue; the
//! one running a slow extraction (a sample income statement, with the test-only delay
//! step) is killed with SIGKILL in the middle of it; once its lease has run out the other
//! finishes the job — one lost attempt on record, done exactly once, the document
//! extracted with exactly one set of lines — and then stops cleanly on SIGTERM.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::fixture;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");
const IS_PDF: &str = "samples/packages/JCA01_2024-02/JCA01_2024-02_income_statement.pdf";

fn worker(db_url: &str, dir: &std::path::Path) -> Child {
    Command::new(BIN)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([
            ("DATABASE_URL", db_url),
            ("REDIS_URL", common::REDIS_URL),
            ("STORAGE_FS_ROOT", dir.join("objects").to_str().unwrap()),
            ("MAIL_DIR", dir.join("mail").to_str().unwrap()),
            ("LOG_FORMAT", "json"),
            ("RUST_LOG", "warn"),
            ("JOBS_TEST_KINDS", "true"),
            ("JOBS_LEASE_SECS", "2"),
            ("JOBS_POLL_SECS", "1"),
        ])
        .current_dir(dir)
        .arg("worker")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("worker starts")
}

/// (state, attempts, progress, locked_by)
async fn job(owner: &PgPool, id: Uuid) -> (String, i32, i16, Option<String>) {
    sqlx::query_as("select state, attempts, progress, locked_by from jobs where id = $1")
        .bind(id)
        .fetch_one(owner)
        .await
        .unwrap()
}

async fn wait<T>(what: &str, secs: u64, mut probe: impl AsyncFnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[sqlx::test]
async fn a_job_survives_its_worker_being_killed(opts: PgPoolOptions, conn: PgConnectOptions) {
    let pool = common::app_pool(&conn).await;
    let owner = common::owner_pool(opts, &conn).await;
    let f = fixture::build(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "postgres://ledgerlens_app@127.0.0.1:5432/{}",
        conn.get_database().unwrap()
    );
    let mut workers = [worker(&url, dir.path()), worker(&url, dir.path())];

    // The fixture's document gets real bytes under its key, in the workers' store.
    let key: String = sqlx::query_scalar("select object_key from documents where id = $1")
        .bind(f.document_a)
        .fetch_one(&owner)
        .await
        .unwrap();
    let object = dir.path().join("objects").join(&key);
    std::fs::create_dir_all(object.parent().unwrap()).unwrap();
    std::fs::write(&object, common::upload::sample(IS_PDF)).unwrap();
    sqlx::query("update documents set doc_type = 'income_statement' where id = $1")
        .bind(f.document_a)
        .execute(&owner)
        .await
        .unwrap();

    let mut tx = ledgerlens::server::db::begin_org(&pool, f.org_a_id)
        .await
        .unwrap();
    let id = ledgerlens::server::db::jobs::enqueue(
        &mut tx,
        f.org_a_id,
        "extract_document",
        serde_json::json!({ "document_id": f.document_a, "test_delay_ms": 4000 }),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // Mid-job: running, some progress, held by one of the two processes.
    let holder = wait("the job to be half-way", 30, async || {
        let (state, _, progress, locked_by) = job(&owner, id).await;
        (state == "running" && progress >= 20).then_some(locked_by?)
    })
    .await;
    let victim = workers
        .iter()
        .position(|w| holder.contains(&format!("-{}-", w.id())))
        .unwrap_or_else(|| panic!("{holder} is neither worker"));
    workers[victim].kill().unwrap();
    workers[victim].wait().unwrap();
    let killed_at = Instant::now();

    let (state, attempts, progress, locked_by) =
        wait("the job to finish elsewhere", 30, async || {
            let j = job(&owner, id).await;
            (j.0 == "done").then_some(j)
        })
        .await;
    assert_eq!(
        (state.as_str(), attempts, progress, locked_by),
        ("done", 2, 100, None)
    );
    // Not before the lease (2 s) could have run out.
    assert!(
        killed_at.elapsed() >= Duration::from_secs(1),
        "{:?}",
        killed_at.elapsed()
    );
    let history: Vec<String> = sqlx::query_scalar(
        "select e->>'error' from jobs, jsonb_array_elements(errors) e where id = $1",
    )
    .bind(id)
    .fetch_all(&owner)
    .await
    .unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
    assert!(
        history[0].contains("lease expired") && history[0].contains(&holder),
        "{history:?}"
    );

    // Exactly one set of lines: every truth line once, numbered 1..n.
    let truth: serde_json::Value =
        serde_json::from_slice(&common::upload::sample(&format!("{IS_PDF}.truth.json"))).unwrap();
    let expected = truth["line_items"].as_array().unwrap().len() as i64;
    let (status, lines, distinct, max): (String, i64, i64, Option<i32>) = sqlx::query_as(
        "select d.status, count(l.*), count(distinct l.line_no), max(l.line_no)
           from documents d left join document_lines l on l.document_id = d.id
          where d.id = $1 group by d.status",
    )
    .bind(f.document_a)
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), lines, distinct, max),
        ("extracted", expected, expected, Some(expected as i32))
    );

    // The survivor stops cleanly on SIGTERM.
    let survivor = &mut workers[1 - victim];
    let term = Command::new("kill")
        .args(["-TERM", &survivor.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = wait("the survivor to stop", 30, async || {
        survivor.try_wait().unwrap()
    })
    .await;
    assert!(status.success(), "{status:?}");
}
