//! Job kinds for tests of the queue itself (registered only with `JOBS_TEST_KINDS=true`,
//! which production refuses): `test_sleep` works for `{"ms": n}` milliseconds in steps of
//! 100 ms, reporting progress, and stops as soon as it learns its lease was lost — a slow
//! step that a test can kill a worker in the middle of.

use std::time::Duration;

use super::{Handler, JobCtx, JobError};

/// The sleeping kind's name.
pub const SLEEP: &str = "test_sleep";

/// See the module header.
pub struct Sleep;

#[async_trait::async_trait]
impl Handler for Sleep {
    async fn run(&self, job: JobCtx) -> Result<(), JobError> {
        let ms = job
            .payload
            .get("ms")
            .and_then(|v| v.as_u64())
            .unwrap_or(1000);
        let steps = ms.div_ceil(100).max(1);
        for step in 0..steps {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let percent = u8::try_from((step + 1) * 100 / steps).unwrap_or(100);
            job.progress(percent, &format!("step {} of {steps}", step + 1))
                .await?;
        }
        Ok(())
    }
}
