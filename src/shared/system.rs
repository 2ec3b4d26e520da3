//! System status shown on the home page: proves the server-function → Postgres path.

use serde::{Deserialize, Serialize};

/// What the server reports about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// Crate version of the running server.
    pub version: String,
    /// `now()` as Postgres sees it, RFC 3339 in UTC.
    pub database_time: String,
    /// Postgres server version string (`server_version` setting).
    pub database_version: String,
}
