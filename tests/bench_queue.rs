//! Benchmark: job-queue throughput of the real runner against a bare `FOR UPDATE SKIP
//! LOCKED` loop on the same database, same jobs, same parallelism, measured in the same
//! run. It asserts only that every job ran (no timing), so it also runs in `make test`;
//! `make bench-queue` shows what it prints: both rates and their ratio, recorded in
//! docs/benchmarks.md.

mod common;

use std::time::{Duration, Instant};

use common::fixture;
use ledgerlens::server::db;
use ledgerlens::server::jobs::runner::{self, RunnerConfig};
use ledgerlens::server::jobs::{Handler, JobCtx, JobError, KindSettings, Registry};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const JOBS: i64 = 2000;
const PARALLEL: usize = 2;

struct Noop;

#[async_trait::async_trait]
impl Handler for Noop {
    async fn run(&self, _job: JobCtx) -> Result<(), JobError> {
        Ok(())
    }
}

async fn fill(owner: &PgPool, org: uuid::Uuid) {
    sqlx::query("delete from jobs where kind = 'noop'")
        .execute(owner)
        .await
        .unwrap();
    sqlx::query("insert into jobs (org_id, kind) select $1, 'noop' from generate_series(1, $2)")
        .bind(org)
        .bind(JOBS)
        .execute(owner)
        .await
        .unwrap();
}

async fn done(owner: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from jobs where kind = 'noop' and state = 'done'")
        .fetch_one(owner)
        .await
        .unwrap()
}

/// The reference: claim-and-finish in one statement, nothing else.
async fn bare_loop(pool: PgPool) {
    loop {
        let mut tx = db::begin_worker(&pool).await.unwrap();
        let id: Option<uuid::Uuid> = sqlx::query_scalar(
            "with next as materialized (
                 select org_id, id from jobs where state = 'queued' and kind = 'noop'
                  order by run_at limit 1 for update skip locked)
             update jobs j set state = 'done' from next
              where j.org_id = next.org_id and j.id = next.id returning j.id",
        )
        .fetch_optional(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        if id.is_none() {
            return;
        }
    }
}

#[sqlx::test]
async fn queue_throughput_against_a_bare_skip_locked_loop(
    opts: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let pool = common::app_pool(&conn).await;
    let owner = common::owner_pool(opts, &conn).await;
    let app = common::TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;

    fill(&owner, f.org_a_id.0).await;
    let start = Instant::now();
    let loops: Vec<_> = (0..PARALLEL)
        .map(|_| tokio::spawn(bare_loop(pool.clone())))
        .collect();
    for l in loops {
        l.await.unwrap();
    }
    let bare = start.elapsed();
    assert_eq!(done(&owner).await, JOBS);

    fill(&owner, f.org_a_id.0).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let start = Instant::now();
    let task = tokio::spawn(runner::run(
        app.state.clone(),
        Registry::default().with(
            "noop",
            KindSettings {
                concurrency: PARALLEL,
                timeout: Duration::from_secs(30),
            },
            Noop,
        ),
        RunnerConfig {
            poll: Duration::from_millis(100),
            ..RunnerConfig::default()
        },
        stopped,
    ));
    while done(&owner).await < JOBS {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let ours = start.elapsed();
    stop.send(true).unwrap();
    task.await.unwrap();

    let rate = |d: Duration| JOBS as f64 / d.as_secs_f64();
    println!(
        "queue benchmark: {JOBS} no-op jobs, {PARALLEL} at a time\n  bare SKIP LOCKED loop: {:>7.0} jobs/s ({:.2} s)\n  ledgerlens runner:     {:>7.0} jobs/s ({:.2} s)\n  ratio (runner time / bare time): {:.2}",
        rate(bare),
        bare.as_secs_f64(),
        rate(ours),
        ours.as_secs_f64(),
        ours.as_secs_f64() / bare.as_secs_f64()
    );
}
