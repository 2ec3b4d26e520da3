//! The audit log as the org and staff audit pages show it.

use serde::{Deserialize, Serialize};

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: String,
    /// RFC 3339, UTC.
    pub occurred_at: String,
    /// Slug of the organization, `None` for events outside any tenant.
    pub org: Option<String>,
    pub actor: Option<String>,
    pub action: String,
    pub target: Option<String>,
    /// The details object as JSON text (before/after for changes).
    pub details: String,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// One page of events, newest first, and the cursor for the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Opaque keyset cursor; `None` on the last page.
    pub next: Option<String>,
}

/// Filters of the audit pages; empty strings mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// `yyyy-mm-dd`, inclusive.
    #[serde(default)]
    pub from: String,
    /// `yyyy-mm-dd`, inclusive.
    #[serde(default)]
    pub to: String,
    /// Actor email (exact, case-insensitive).
    #[serde(default)]
    pub actor: String,
    /// Action prefix, e.g. `member.` or `member.role_changed`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub after: String,
}
