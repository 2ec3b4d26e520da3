//! Staff console server functions (support and superuser staff only; tenants' users
//! get 404).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call::Call, call::fail, services};
use crate::shared::UiError;
use crate::shared::audit::{AuditFilter, AuditPage};
use crate::shared::staff::TenantsPage;

/// Tenants: all for superusers, assigned ones for support.
#[server(prefix = "/sfn", endpoint = "staff/tenants")]
pub async fn list_tenants() -> Result<TenantsPage, UiError> {
    let call = Call::new().await?;
    let ctx = call.staff().await?;
    services::staff::tenants(&call.state, &ctx)
        .await
        .map_err(fail)
}

/// The global audit log (superusers); the view itself is audited.
#[server(prefix = "/sfn", endpoint = "staff/audit")]
pub async fn list_global_audit(
    #[server(default)] filter: AuditFilter,
) -> Result<AuditPage, UiError> {
    let call = Call::new().await?;
    let ctx = call.staff().await?;
    services::audit::list_global(&call.state, &ctx, &filter)
        .await
        .map_err(fail)
}

/// Dead jobs: of every tenant for superusers, of assigned tenants for support.
#[server(prefix = "/sfn", endpoint = "staff/jobs")]
pub async fn list_dead_jobs() -> Result<Vec<crate::shared::job::StaffJobRow>, UiError> {
    let call = Call::new().await?;
    let ctx = call.staff().await?;
    services::jobs::dead_for_staff(&call.state, &ctx)
        .await
        .map_err(fail)
}
