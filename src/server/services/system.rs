//! System information for the home page.

use sqlx::PgPool;

use crate::server::db;
use crate::server::error::AppError;
use crate::shared::SystemStatus;

/// The running version and the database's clock and version.
#[tracing::instrument(skip_all)]
pub async fn status(pool: &PgPool) -> Result<SystemStatus, AppError> {
    let clock = db::system::clock(pool).await?;
    Ok(SystemStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        database_time: clock
            .now
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(anyhow::Error::from)?,
        database_version: clock.version,
    })
}
