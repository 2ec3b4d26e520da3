//! API tokens: minting (`llt_` + 64 hex characters, shown once) and the bearer half of
//! the authorize step. A presented token resolves to its org and acts with its own role,
//! capped at its creator's current role there; a revoked or unknown token, or one whose
//! creator left the org or was disabled, is 401.

use time::OffsetDateTime;

use super::ctx::{OrgCtx, OrgRef, RequestMeta};
use super::session::CurrentUser;
use super::tokens;
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::{Role, StaffRole, UserId};

/// Prefix of every API token (lets secret scanners recognise leaked ones).
pub const PREFIX: &str = "llt_";

/// A new token: the text to show once and the hash to store.
pub fn mint() -> Result<(String, [u8; 32]), AppError> {
    let t = tokens::mint()?;
    Ok((format!("{PREFIX}{}", t.token), t.hash))
}

/// The stored hash of a presented token, or `None` when it is not shaped like ours.
pub fn hash(presented: &str) -> Option<[u8; 32]> {
    tokens::hash(presented.trim().strip_prefix(PREFIX)?)
}

/// The operator pseudo-user that CLI-made tokens act as (nil id: no user row; audit
/// events name the token instead).
fn operator(token: uuid::Uuid) -> CurrentUser {
    CurrentUser {
        id: UserId(uuid::Uuid::nil()),
        email: format!("api-token:{token}"),
        name: "Operator (API token)".into(),
        email_verified: true,
        staff_role: StaffRole::None,
    }
}

/// Resolves a bearer token into an [`OrgCtx`].
#[tracing::instrument(skip_all)]
pub async fn authorize_token(
    state: &AppState,
    presented: &str,
    meta: RequestMeta,
) -> Result<OrgCtx, AppError> {
    let hash = hash(presented).ok_or(AppError::Unauthenticated)?;
    let mut tx = db::begin_api_token(&state.db, &hash).await?;
    let token = db::api_tokens::by_hash(&mut tx, &hash).await?;
    let token = match token {
        Some(t) if !t.revoked => t,
        _ => return Err(AppError::Unauthenticated),
    };
    db::scope_org(&mut tx, token.org_id).await?;
    let token_role = Role::parse(&token.role).ok_or(AppError::Unauthenticated)?;
    let (user, role) = match (token.created_by, token.created_via.as_str()) {
        (Some(creator), _) => {
            let row = db::users::by_id(&mut *tx, creator)
                .await?
                .filter(|u| !u.disabled);
            let member_role = db::members::role_of(&mut tx, token.org_id, creator)
                .await?
                .and_then(|r| Role::parse(&r));
            let (Some(row), Some(member_role)) = (row, member_role) else {
                return Err(AppError::Unauthenticated);
            };
            let user = CurrentUser {
                id: row.id,
                email: row.email,
                name: row.name,
                email_verified: row.email_verified,
                staff_role: StaffRole::None,
            };
            (user, token_role.min(member_role))
        }
        (None, "cli") => (operator(token.id), token_role),
        (None, _) => return Err(AppError::Unauthenticated),
    };
    // One write a minute at most: last-used is for people, not an access log.
    let stale = token
        .last_used_at
        .is_none_or(|t| OffsetDateTime::now_utc() - t > time::Duration::minutes(1));
    if stale {
        db::api_tokens::touch(&mut tx, token.org_id, token.id).await?;
    }
    let (slug, name, plan) = db::api_tokens::org_ref(&mut tx, token.org_id).await?;
    tx.commit().await?;
    Ok(OrgCtx {
        org: OrgRef {
            id: token.org_id,
            slug,
            name,
            plan,
        },
        user,
        role,
        meta,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_the_prefix_and_hash_back() {
        let (token, h) = mint().unwrap();
        assert!(token.starts_with("llt_") && token.len() == 68);
        assert_eq!(hash(&token), Some(h));
        assert_eq!(
            hash(token.trim_start_matches(PREFIX)),
            None,
            "the prefix is required"
        );
        assert_eq!(hash("llt_short"), None);
    }
}
