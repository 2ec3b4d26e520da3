//! System status for the home page (version and database clock).

use leptos::prelude::*;

use crate::shared::{SystemStatus, UiError};

/// Reports the server version and the database's clock; proves the server-function
/// path reaches Postgres.
#[server(prefix = "/sfn", endpoint = "system/status")]
pub async fn get_system_status() -> Result<SystemStatus, UiError> {
    let state = crate::server::state::from_context()?;
    crate::server::services::system::status(&state.db)
        .await
        .map_err(UiError::from)
}
