//! The durable job queue against real Postgres: a job enqueued while a runner waits is
//! picked up through NOTIFY (the poll is a minute) and done once; failures back off and
//! end `dead` with their history; a panic or a timeout is a failed attempt and the runner
//! goes on; two runners never run one job twice; per-kind concurrency holds; a worker
//! that lost its lease can neither complete nor fail the job; shutdown gives running
//! jobs back. Tenants' jobs stay invisible outside the worker's scope.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestApp;
use common::fixture;
use ledgerlens::server::db;
use ledgerlens::server::jobs::runner::{self, RunnerConfig};
use ledgerlens::server::jobs::{Handler, JobCtx, JobError, KindSettings, Registry};
use ledgerlens::shared::OrgId;
use serde_json::json;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::watch;
use uuid::Uuid;

const SETTINGS: KindSettings = KindSettings {
    concurrency: 2,
    timeout: Duration::from_secs(10),
};

/// Counts runs per job id, reports progress once, and tracks how many run at once.
#[derive(Clone, Default)]
struct Counting {
    runs: Arc<Mutex<HashMap<Uuid, usize>>>,
    in_flight: Arc<AtomicUsize>,
    most_at_once: Arc<AtomicUsize>,
    hold: Duration,
}

#[async_trait::async_trait]
impl Handler for Counting {
    async fn run(&self, job: JobCtx) -> Result<(), JobError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        job.progress(50, "halfway").await?;
        tokio::time::sleep(self.hold).await;
        *self.runs.lock().unwrap().entry(job.id).or_default() += 1;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    }
}

struct Failing;

#[async_trait::async_trait]
impl Handler for Failing {
    async fn run(&self, job: JobCtx) -> Result<(), JobError> {
        Err(JobError::Retry(format!("failure number {}", job.attempt)))
    }
}

struct Panicking;

#[async_trait::async_trait]
impl Handler for Panicking {
    async fn run(&self, _job: JobCtx) -> Result<(), JobError> {
        panic!("parser exploded on purpose")
    }
}

struct Sleeping(Duration);

#[async_trait::async_trait]
impl Handler for Sleeping {
    async fn run(&self, _job: JobCtx) -> Result<(), JobError> {
        tokio::time::sleep(self.0).await;
        Ok(())
    }
}

struct Env {
    app: TestApp,
    owner: PgPool,
    org: OrgId,
}

async fn setup(opts: PgPoolOptions, conn: &PgConnectOptions) -> Env {
    let pool = common::app_pool(conn).await;
    let owner = common::owner_pool(opts, conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    Env {
        app,
        owner,
        org: f.org_a_id,
    }
}

impl Env {
    async fn enqueue(&self, kind: &str, max_attempts: i32) -> Uuid {
        let mut tx = db::begin_org(&self.app.state.db, self.org).await.unwrap();
        let id = db::jobs::enqueue(&mut tx, self.org, kind, json!({}), None)
            .await
            .unwrap();
        // In the same transaction: a later update would briefly lock the row, and a
        // runner woken by the insert's NOTIFY would skip it (SKIP LOCKED) and sleep.
        sqlx::query("update jobs set max_attempts = $1 where id = $2")
            .bind(max_attempts)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// (state, attempts, progress, step, last_error, number of errors in the history)
    async fn job(&self, id: Uuid) -> (String, i32, i16, Option<String>, Option<String>, i64) {
        sqlx::query_as(
            "select state, attempts, progress, step, last_error, jsonb_array_length(errors)::bigint
               from jobs where id = $1",
        )
        .bind(id)
        .fetch_one(&self.owner)
        .await
        .unwrap()
    }

    async fn wait_for(
        &self,
        id: Uuid,
        state: &str,
    ) -> (String, i32, i16, Option<String>, Option<String>, i64) {
        let start = Instant::now();
        loop {
            let job = self.job(id).await;
            if job.0 == state {
                return job;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "job {id} never reached {state}: {job:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Starts a runner; the sender stops it.
    fn start(
        &self,
        registry: Registry,
        config: RunnerConfig,
    ) -> (watch::Sender<bool>, tokio::task::JoinHandle<()>) {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(runner::run(
            self.app.state.clone(),
            registry,
            config,
            stopped,
        ));
        (stop, task)
    }
}

fn quick(poll: Duration) -> RunnerConfig {
    RunnerConfig {
        poll,
        lease: Duration::from_secs(3),
        grace: Duration::from_millis(100),
        retry_base: Duration::from_millis(10),
        retry_cap: Duration::from_millis(50),
        ..RunnerConfig::default()
    }
}

#[sqlx::test]
async fn a_notified_job_runs_once_and_is_done(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts.clone(), &conn).await;
    let handler = Counting::default();
    // A one-minute poll: only the NOTIFY of the insert can wake the runner in time.
    let (stop, task) = env.start(
        Registry::default().with("count", SETTINGS, handler.clone()),
        quick(Duration::from_secs(60)),
    );
    // Wait until the runner LISTENs (seen as superuser in pg_stat_activity): a busy
    // machine can take longer than any fixed sleep.
    let admin = PgPoolOptions::new()
        .connect_with(conn.clone())
        .await
        .unwrap();
    let start = Instant::now();
    while sqlx::query_scalar::<_, i64>(
        "select count(*) from pg_stat_activity
          where datname = current_database() and query like 'LISTEN%jobs_queued%'",
    )
    .fetch_one(&admin)
    .await
    .unwrap()
        == 0
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the runner never listened"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let started = Instant::now();
    let id = env.enqueue("count", 3).await;
    let (_, attempts, progress, step, error, history) = env.wait_for(id, "done").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((attempts, progress, error, history), (1, 100, None, 0));
    assert_eq!(step.as_deref(), Some("halfway"));
    assert_eq!(handler.runs.lock().unwrap().get(&id), Some(&1));
    stop.send(true).unwrap();
    task.await.unwrap();

    // Outside the worker's scope, no tenant's jobs are visible.
    let seen: i64 = sqlx::query_scalar("select count(*) from jobs")
        .fetch_one(&env.app.state.db)
        .await
        .unwrap();
    assert_eq!(seen, 0);
}

#[sqlx::test]
async fn failures_back_off_and_end_dead_with_their_history(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let (stop, task) = env.start(
        Registry::default().with("fail", SETTINGS, Failing),
        quick(Duration::from_millis(50)),
    );
    let id = env.enqueue("fail", 3).await;
    let (_, attempts, _, _, error, history) = env.wait_for(id, "dead").await;
    assert_eq!((attempts, history), (3, 3));
    assert_eq!(error.as_deref(), Some("failure number 3"));
    let messages: Vec<String> = sqlx::query_scalar(
        "select e->>'error' from jobs, jsonb_array_elements(errors) e where id = $1",
    )
    .bind(id)
    .fetch_all(&env.owner)
    .await
    .unwrap();
    assert_eq!(
        messages,
        ["failure number 1", "failure number 2", "failure number 3"]
    );
    stop.send(true).unwrap();
    task.await.unwrap();
}

#[sqlx::test]
async fn a_failed_attempt_waits_for_its_backoff(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let id = env.enqueue("fail", 5).await;
    let pool = &env.app.state.db;
    let mut tx = db::begin_worker(pool).await.unwrap();
    let job = db::jobs::claim(&mut tx, "w1", &["fail".into()], 30.0)
        .await
        .unwrap()
        .unwrap();
    let state = db::jobs::fail(&mut tx, job.org_id, id, "w1", "boom", 60.0, false)
        .await
        .unwrap();
    assert_eq!(state.as_deref(), Some("failed"));
    // Not due for a minute: nobody can claim it now.
    assert!(
        db::jobs::claim(&mut tx, "w2", &["fail".into()], 30.0)
            .await
            .unwrap()
            .is_none()
    );
    tx.commit().await.unwrap();
    let wait: f64 = sqlx::query_scalar(
        "select extract(epoch from run_at - now())::float8 from jobs where id = $1",
    )
    .bind(id)
    .fetch_one(&env.owner)
    .await
    .unwrap();
    assert!((55.0..=61.0).contains(&wait), "{wait}");
}

#[sqlx::test]
async fn panics_and_timeouts_are_failed_attempts_and_the_runner_goes_on(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let counting = Counting::default();
    let registry = Registry::default()
        .with("panic", SETTINGS, Panicking)
        .with(
            "slow",
            KindSettings {
                concurrency: 1,
                timeout: Duration::from_millis(200),
            },
            Sleeping(Duration::from_secs(30)),
        )
        .with("count", SETTINGS, counting.clone());
    let (stop, task) = env.start(registry, quick(Duration::from_millis(50)));
    let panicking = env.enqueue("panic", 1).await;
    let slow = env.enqueue("slow", 1).await;
    let (_, _, _, _, error, _) = env.wait_for(panicking, "dead").await;
    let error = error.unwrap();
    assert!(
        error.contains("The job crashed") && error.contains("parser exploded"),
        "{error}"
    );
    let (_, _, _, _, error, _) = env.wait_for(slow, "dead").await;
    assert_eq!(
        error.as_deref(),
        Some("The job took longer than 200 ms and was stopped.")
    );
    let after = env.enqueue("count", 1).await;
    env.wait_for(after, "done").await;
    stop.send(true).unwrap();
    task.await.unwrap();
}

#[sqlx::test]
async fn two_runners_never_run_one_job_twice_and_keep_their_concurrency(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let handler = Counting {
        hold: Duration::from_millis(30),
        ..Counting::default()
    };
    let mut ids = Vec::new();
    for _ in 0..24 {
        ids.push(env.enqueue("count", 3).await);
    }
    let registry = Registry::default().with("count", SETTINGS, handler.clone());
    let runners = [
        env.start(registry.clone(), quick(Duration::from_millis(50))),
        env.start(registry, quick(Duration::from_millis(50))),
    ];
    for id in &ids {
        env.wait_for(*id, "done").await;
    }
    for (stop, task) in runners {
        stop.send(true).unwrap();
        task.await.unwrap();
    }
    let runs = handler.runs.lock().unwrap().clone();
    assert_eq!(runs.len(), 24);
    assert!(runs.values().all(|n| *n == 1), "{runs:?}");
    // Two runners × two slots each.
    let most = handler.most_at_once.load(Ordering::SeqCst);
    assert!((2..=4).contains(&most), "{most} at once");
    let attempts: i64 =
        sqlx::query_scalar("select sum(attempts)::bigint from jobs where kind = 'count'")
            .fetch_one(&env.owner)
            .await
            .unwrap();
    assert_eq!(attempts, 24);
}

#[sqlx::test]
async fn a_worker_that_lost_its_lease_cannot_finish_the_job(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let env = setup(opts, &conn).await;
    let id = env.enqueue("count", 5).await;
    let pool = &env.app.state.db;
    let kinds = ["count".to_string()];
    let mut tx = db::begin_worker(pool).await.unwrap();
    let job = db::jobs::claim(&mut tx, "crashed", &kinds, 0.05)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;

    let mut tx = db::begin_worker(pool).await.unwrap();
    assert_eq!(db::jobs::reap_expired(&mut tx).await.unwrap().len(), 1);
    let again = db::jobs::claim(&mut tx, "survivor", &kinds, 30.0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempts), (id, 2));
    let org = job.org_id;
    assert!(
        !db::jobs::heartbeat(&mut tx, org, id, "crashed", 30.0)
            .await
            .unwrap()
    );
    assert!(
        !db::jobs::complete(&mut tx, org, id, "crashed")
            .await
            .unwrap()
    );
    assert_eq!(
        db::jobs::fail(&mut tx, org, id, "crashed", "late", 1.0, false)
            .await
            .unwrap(),
        None
    );
    assert!(
        db::jobs::complete(&mut tx, org, id, "survivor")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let (state, attempts, _, _, _, history) = env.job(id).await;
    assert_eq!((state.as_str(), attempts, history), ("done", 2, 1));
}

#[sqlx::test]
async fn shutdown_gives_running_jobs_back(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    let (stop, task) = env.start(
        Registry::default().with("slow", SETTINGS, Sleeping(Duration::from_secs(30))),
        quick(Duration::from_millis(50)),
    );
    let id = env.enqueue("slow", 3).await;
    env.wait_for(id, "running").await;
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the runner stops within its grace period")
        .unwrap();
    let (state, attempts, _, _, _, history) = env.job(id).await;
    assert_eq!((state.as_str(), attempts, history), ("queued", 0, 0));
    let locked: Option<String> = sqlx::query_scalar("select locked_by from jobs where id = $1")
        .bind(id)
        .fetch_one(&env.owner)
        .await
        .unwrap();
    assert_eq!(locked, None);
}

#[sqlx::test]
async fn admins_retry_failed_or_dead_jobs_and_nothing_else(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let pool = common::app_pool(&conn).await;
    let owner = common::owner_pool(opts, &conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    let org = f.org_a.clone();
    let job = f.job_a.to_string();
    let retry = format!("/api/v1/jobs/{job}/retry");
    let body = [("note", "x".to_string())];
    let retried_events = || async {
        sqlx::query_scalar::<_, i64>(
            "select count(*) from audit_events where action = 'job.retried' and target_id = $1",
        )
        .bind(&job)
        .fetch_one(&owner)
        .await
        .unwrap()
    };

    let mut editor = app.client();
    editor
        .login(
            f.email(fixture::Persona::Editor).unwrap(),
            fixture::FIXTURE_PASSWORD,
        )
        .await;
    let listed = editor.rest("/api/v1/jobs?state=dead", &org, &[]).await;
    assert_eq!(listed.status, axum::http::StatusCode::OK);
    let jobs = listed.json()["jobs"].as_array().unwrap().clone();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["last_error"], "The fixture's job gave up.");
    let bad = editor.rest("/api/v1/jobs?state=sleeping", &org, &[]).await;
    assert_eq!(bad.status.as_u16(), 422);
    assert_eq!(bad.json()["error"]["code"], "validation");
    // Editors may look, not retry; nothing changes.
    let refused = editor.rest(&retry, &org, &body).await;
    assert_eq!(refused.status, axum::http::StatusCode::FORBIDDEN);
    assert_eq!(retried_events().await, 0);

    let mut admin = app.client();
    admin
        .login(
            f.email(fixture::Persona::Admin).unwrap(),
            fixture::FIXTURE_PASSWORD,
        )
        .await;
    let done = admin.rest(&retry, &org, &body).await;
    assert_eq!(done.status, axum::http::StatusCode::OK, "{}", done.body);
    let j = done.json();
    assert_eq!(
        (j["state"].as_str(), j["attempts"].as_i64()),
        (Some("queued"), Some(0))
    );
    assert_eq!(retried_events().await, 1);
    let history: i64 =
        sqlx::query_scalar("select jsonb_array_length(errors)::bigint from jobs where id = $1")
            .bind(f.job_a)
            .fetch_one(&owner)
            .await
            .unwrap();
    assert_eq!(history, 1, "the error history stays");
    // A queued job cannot be retried: 409, no second event.
    let again = admin.rest(&retry, &org, &body).await;
    assert_eq!(again.status, axum::http::StatusCode::CONFLICT);
    assert_eq!(retried_events().await, 1);
    // Another org's job, or no job at all: 404.
    let foreign: Uuid = sqlx::query_scalar("select id from jobs where org_id = $1")
        .bind(f.org_b_id.0)
        .fetch_one(&owner)
        .await
        .unwrap();
    for id in [
        foreign.to_string(),
        Uuid::new_v4().to_string(),
        "nope".into(),
    ] {
        let answer = admin
            .rest(&format!("/api/v1/jobs/{id}/retry"), &org, &body)
            .await;
        assert_eq!(answer.status, axum::http::StatusCode::NOT_FOUND, "{id}");
    }
}

#[sqlx::test]
async fn one_claim_takes_exactly_one_job(opts: PgPoolOptions, conn: PgConnectOptions) {
    let env = setup(opts, &conn).await;
    for _ in 0..10 {
        env.enqueue("count", 3).await;
    }
    let mut tx = db::begin_worker(&env.app.state.db).await.unwrap();
    db::jobs::claim(&mut tx, "w1", &["count".into()], 30.0)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let running: i64 = sqlx::query_scalar("select count(*) from jobs where state = 'running'")
        .fetch_one(&env.owner)
        .await
        .unwrap();
    assert_eq!(running, 1);
}

/// Reads SSE frames from `body` until one holds all of `wanted` (10 s at most).
async fn read_until(body: &mut axum::body::Body, seen: &mut String, wanted: &[&str]) {
    use http_body_util::BodyExt;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !wanted.iter().all(|w| seen.contains(w)) {
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} in time; got {seen}"))
            .expect("stream ended")
            .expect("frame");
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
}

#[sqlx::test]
async fn job_changes_stream_to_their_org_only(opts: PgPoolOptions, conn: PgConnectOptions) {
    let pool = common::app_pool(&conn).await;
    let owner = common::owner_pool(opts, &conn).await;
    let app = TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    let mut viewer = app.client();
    viewer
        .login(
            f.email(fixture::Persona::Viewer).unwrap(),
            fixture::FIXTURE_PASSWORD,
        )
        .await;
    let cookie = viewer.cookie.clone().unwrap();
    let open = |path: String| {
        axum::http::Request::get(path)
            .header("cookie", &cookie)
            .header("x-org", &f.org_a)
            .header("accept", "text/event-stream")
            .body(axum::body::Body::empty())
            .unwrap()
    };

    let res = app.send(open("/api/v1/jobs/events".into())).await;
    assert_eq!(res.status(), axum::http::StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut org_stream = res.into_body();
    let mut org_seen = String::new();
    read_until(&mut org_stream, &mut org_seen, &["event: ready"]).await;

    let res = app
        .send(open(format!("/api/v1/jobs/{}/events", f.job_a)))
        .await;
    assert_eq!(res.status(), axum::http::StatusCode::OK);
    let mut job_stream = res.into_body();
    let mut job_seen = String::new();
    // The current state first.
    read_until(
        &mut job_stream,
        &mut job_seen,
        &["event: job", "\"state\":\"dead\""],
    )
    .await;

    // B's job moves first, then A's: only A's reaches A's streams.
    for (org, step) in [(f.org_b_id, "b-step-zzforeignzz"), (f.org_a_id, "a-step")] {
        sqlx::query("update jobs set progress = 40, step = $2 where org_id = $1")
            .bind(org.0)
            .bind(step)
            .execute(&owner)
            .await
            .unwrap();
    }
    read_until(
        &mut org_stream,
        &mut org_seen,
        &["\"step\":\"a-step\"", "\"progress\":40"],
    )
    .await;
    read_until(&mut job_stream, &mut job_seen, &["\"step\":\"a-step\""]).await;
    assert!(!org_seen.contains("zzforeignzz") && !job_seen.contains("zzforeignzz"));

    // Another org's job, or a malformed id: 404 before any stream.
    let foreign: Uuid = sqlx::query_scalar("select id from jobs where org_id = $1")
        .bind(f.org_b_id.0)
        .fetch_one(&owner)
        .await
        .unwrap();
    for id in [foreign.to_string(), "nope".into()] {
        let res = app.send(open(format!("/api/v1/jobs/{id}/events"))).await;
        assert_eq!(res.status(), axum::http::StatusCode::NOT_FOUND, "{id}");
    }
}
