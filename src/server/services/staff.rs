//! The staff console and the operator commands: tenants (all for superusers, assigned
//! ones for support), creating staff accounts, assigning support staff, disabling users.

use serde_json::json;

use super::audit::user_event;
use super::input;
use crate::server::auth::ctx::StaffCtx;
use crate::server::auth::{RequestMeta, password, tokens};
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::staff::{TenantRow, TenantsPage};
use crate::shared::{StaffRole, UserId};

/// The tenants the staff user may see. Read-only for everyone.
#[tracing::instrument(skip_all)]
pub async fn tenants(state: &AppState, ctx: &StaffCtx) -> Result<TenantsPage, AppError> {
    let assigned_to = match ctx.role {
        StaffRole::Superuser => None,
        StaffRole::Support => Some(ctx.user.id),
        StaffRole::None => return Err(AppError::NotFound),
    };
    let mut tx = db::begin_user(&state.db, ctx.user.id).await?;
    let rows = db::orgs::tenants(&mut tx, assigned_to).await?;
    tx.commit().await?;
    Ok(TenantsPage {
        staff_role: ctx.role,
        tenants: rows
            .into_iter()
            .map(|r| TenantRow {
                id: r.id,
                slug: r.slug,
                name: r.name,
                plan: r.plan,
                subscription_status: r.subscription_status,
                member_count: r.member_count,
                created: r.created_at.date().to_string(),
            })
            .collect(),
    })
}

/// What `create-staff` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffCreated {
    /// An existing account got the staff role.
    Promoted(UserId),
    /// A new account; the generated password is shown once to the operator.
    Created { user: UserId, password: String },
}

/// Creates a staff account or gives an existing one the staff role (operator CLI).
/// A new account gets `password` or, if none, a generated one.
pub async fn create_staff(
    state: &AppState,
    email: &str,
    name: Option<&str>,
    role: StaffRole,
    password_text: Option<String>,
) -> Result<StaffCreated, AppError> {
    if !role.is_staff() {
        return Err(AppError::field("role", "Use superuser or support."));
    }
    let email = input::email("email", email)?;
    let meta = RequestMeta::default();
    let mut tx = state.db.begin().await?;
    let outcome = match db::users::by_email_in(&mut tx, &email).await? {
        Some(user) => {
            db::users::set_staff_role(&mut tx, user, role.as_str()).await?;
            StaffCreated::Promoted(user)
        }
        None => {
            let name = input::name("name", name.unwrap_or("Staff"), "a name")?;
            let generated = password_text.is_none();
            let pw = match password_text {
                Some(p) => {
                    password::check_policy(&p, &[&email, &name])?;
                    p
                }
                None => tokens::mint()?.token[..32].to_string(),
            };
            let hash = password::hash(pw.clone()).await?;
            let user = db::users::insert(&mut tx, &email, &name, &hash)
                .await?
                .ok_or_else(|| AppError::Conflict("the account was created concurrently".into()))?;
            db::users::set_staff_role(&mut tx, user, role.as_str()).await?;
            db::users::mark_verified(&mut tx, user).await?;
            StaffCreated::Created {
                user,
                password: if generated { pw } else { String::new() },
            }
        }
    };
    let user = match &outcome {
        StaffCreated::Promoted(u) | StaffCreated::Created { user: u, .. } => *u,
    };
    db::audit::insert(
        &mut tx,
        &user_event((user, &email), &meta, "staff.role_granted")
            .target("user", user)
            .details(json!({ "staff_role": role.as_str(), "via": "cli" })),
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Assigns a support staff user to a tenant (operator CLI).
pub async fn assign(state: &AppState, email: &str, org_slug: &str) -> Result<(), AppError> {
    let email = input::email("email", email)?;
    let user = db::users::by_email(&state.db, &email)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.staff_role != StaffRole::Support.as_str() {
        return Err(AppError::field(
            "email",
            "Only support staff are assigned to tenants.",
        ));
    }
    let mut tx = state.db.begin().await?;
    let org = db::orgs::id_by_slug(&mut tx, org_slug)
        .await?
        .ok_or(AppError::NotFound)?;
    db::scope_org(&mut tx, org).await?;
    db::staff::assign(&mut tx, org, user.id).await?;
    let meta = RequestMeta::default();
    let event = db::audit::NewEvent {
        org: Some(org),
        ..user_event((user.id, &email), &meta, "staff.assigned")
    }
    .target("user", user.id);
    db::audit::insert(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or re-enables an account (operator CLI). Disabling ends every session.
pub async fn set_disabled(state: &AppState, email: &str, disabled: bool) -> Result<(), AppError> {
    let email = input::email("email", email)?;
    let mut tx = state.db.begin().await?;
    let user = db::users::by_email_in(&mut tx, &email)
        .await?
        .ok_or(AppError::NotFound)?;
    db::users::set_disabled(&mut tx, user, disabled).await?;
    let action = if disabled {
        "user.disabled"
    } else {
        "user.enabled"
    };
    db::audit::insert(
        &mut tx,
        &user_event((user, &email), &RequestMeta::default(), action).target("user", user),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
