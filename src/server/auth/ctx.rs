//! The one authorize step. Every org-scoped use case takes an [`OrgCtx`], and the only
//! way to get one is [`authorize`]: anonymous → 401 (pages redirect to log-in), not a
//! member of the org named in the path → 404 (another org's existence is never
//! revealed), a member whose role is too low → 403 via [`OrgCtx::require`]. Staff
//! status grants nothing here: staff use the staff console, not tenants' pages.

use std::net::IpAddr;

use super::session::CurrentUser;
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::{OrgId, Role, StaffRole};

/// Who made the request and from where: carried into audit events and logs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<IpAddr>,
}

/// The organization a request acts in, as resolved from the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRef {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub plan: String,
}

/// An authorized request inside one organization.
#[derive(Debug, Clone)]
pub struct OrgCtx {
    pub org: OrgRef,
    pub user: CurrentUser,
    pub role: Role,
    pub meta: RequestMeta,
}

impl OrgCtx {
    /// 403 unless the member's role is at least `min`.
    pub fn require(&self, min: Role) -> Result<(), AppError> {
        if self.role.at_least(min) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Resolves `(user, org slug)` into an [`OrgCtx`]: the single authorization step.
#[tracing::instrument(skip_all, fields(org = %slug))]
pub async fn authorize(
    state: &AppState,
    user: Option<CurrentUser>,
    slug: &str,
    meta: RequestMeta,
) -> Result<OrgCtx, AppError> {
    let user = user.ok_or(AppError::Unauthenticated)?;
    let mut tx = db::begin_user(&state.db, user.id).await?;
    let found = db::orgs::membership_by_slug(&mut tx, user.id, slug).await?;
    tx.commit().await?;
    let m = found.ok_or(AppError::NotFound)?;
    let role = Role::parse(&m.role)
        .ok_or_else(|| anyhow::anyhow!("membership has an unknown role {:?}", m.role))?;
    Ok(OrgCtx {
        org: OrgRef {
            id: m.id,
            slug: m.slug,
            name: m.name,
            plan: m.plan,
        },
        user,
        role,
        meta,
    })
}

/// An authorized staff request (support or superuser).
#[derive(Debug, Clone)]
pub struct StaffCtx {
    pub user: CurrentUser,
    pub role: StaffRole,
    pub meta: RequestMeta,
}

impl StaffCtx {
    /// 403 unless the staff user is a superuser.
    pub fn require_superuser(&self) -> Result<(), AppError> {
        if self.role == StaffRole::Superuser {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// Resolves a user into a [`StaffCtx`]: anonymous → 401, not staff → 404 (the console's
/// existence is not advertised to tenants' users). The staff role comes from the row
/// the session layer has just read on this request.
pub fn authorize_staff(user: Option<CurrentUser>, meta: RequestMeta) -> Result<StaffCtx, AppError> {
    let user = user.ok_or(AppError::Unauthenticated)?;
    if !user.staff_role.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(StaffCtx {
        role: user.staff_role,
        user,
        meta,
    })
}
