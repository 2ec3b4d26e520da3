//! Background jobs as the UI and the API show them.

use serde::{Deserialize, Serialize};

/// States a job can be in, in the order filters list them. `failed` is an attempt that
/// failed and waits for its retry; `dead` is final.
pub const JOB_STATES: [&str; 5] = ["queued", "running", "failed", "dead", "done"];

/// One job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: uuid::Uuid,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    /// 0–100.
    pub progress: i16,
    pub step: Option<String>,
    pub last_error: Option<String>,
    /// The document the job works on, when it works on one.
    pub document_id: Option<uuid::Uuid>,
    /// When it is due (the next retry of a failed job). RFC 3339, UTC.
    pub run_at: String,
    pub created_at: String,
    pub updated_at: String,
}

impl JobView {
    /// Whether an admin may send it round again.
    pub fn retryable(&self) -> bool {
        matches!(self.state.as_str(), "failed" | "dead")
    }
}

/// A dead job in the staff console, with its tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffJobRow {
    pub org_slug: String,
    pub org_name: String,
    pub job: JobView,
}
