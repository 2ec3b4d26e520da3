//! Job server functions for the org's jobs page: the list and the retry of a failed or
//! dead job (admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call::Call, call::fail, services};
use crate::shared::UiError;
use crate::shared::job::JobView;

/// The org's newest jobs, optionally in one state (members).
#[server(prefix = "/sfn", endpoint = "org/jobs")]
pub async fn list_jobs(
    org: String,
    #[server(default)] state: String,
) -> Result<Vec<JobView>, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::jobs::list(&call.state, &ctx, &state)
        .await
        .map_err(fail)
}

/// Sends a failed or dead job round again (admins).
#[server(prefix = "/sfn", endpoint = "org/jobs/retry")]
pub async fn retry_job(org: String, id: String) -> Result<JobView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    let id = services::input::id(&id).map_err(fail)?;
    services::jobs::retry(&call.state, &ctx, id)
        .await
        .map_err(fail)
}
