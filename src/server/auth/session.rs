//! The authenticated part of a session and the one place that turns a session into the
//! current user. A session stores who logged in, the user's session epoch at that
//! moment, when, and when it was last seen. It is valid only while the epoch still
//! matches the user's (log out everywhere, password change or reset and disabling bump
//! it), the user is not disabled, and neither the idle timeout nor the absolute
//! lifetime has passed.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::server::config::Config;
use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::shared::{StaffRole, UserId};

/// Session key of [`AuthSession`].
const AUTH_KEY: &str = "auth";

/// What the session remembers about the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSession {
    pub user_id: UserId,
    pub epoch: i32,
    /// Unix seconds of the login (absolute lifetime).
    pub authenticated_at: i64,
    /// Unix seconds of the last request that refreshed the session (idle timeout).
    pub last_seen: i64,
}

/// The user a request acts as, checked against the database on this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub email_verified: bool,
    pub staff_role: StaffRole,
}

impl CurrentUser {
    /// The account behind the request; `None` for the operator behind a CLI-made API
    /// token, who has no user row (its id is nil).
    pub fn account(&self) -> Option<UserId> {
        (!self.id.0.is_nil()).then_some(self.id)
    }
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("session store: {err}"))
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// How stale `last_seen` may get before a request refreshes it: writing the session on
/// every request would cost a database write each; a tenth of the idle timeout (at most a
/// minute) keeps the timeout accurate to within that.
fn touch_interval(idle: Duration) -> i64 {
    i64::try_from((idle / 10).min(Duration::from_secs(60)).as_secs()).unwrap_or(60)
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The current user, or `None` for an anonymous request. A session that is no longer
/// valid is flushed (its row deleted, its cookie removed) on the way.
pub async fn current_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(auth) = session
        .get::<AuthSession>(AUTH_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(None);
    };
    let config: &Config = &state.config;
    let now = now();
    let expired = now - auth.authenticated_at > secs(config.session_absolute_lifetime)
        || now - auth.last_seen > secs(config.session_idle_timeout);
    let user = if expired {
        None
    } else {
        db::users::by_id(&state.db, auth.user_id).await?
    };
    let user = match user {
        Some(u) if !u.disabled && u.session_epoch == auth.epoch => u,
        _ => {
            session.flush().await.map_err(session_error)?;
            return Ok(None);
        }
    };
    if now - auth.last_seen >= touch_interval(config.session_idle_timeout) {
        let touched = AuthSession {
            last_seen: now,
            ..auth
        };
        session
            .insert(AUTH_KEY, touched)
            .await
            .map_err(session_error)?;
    }
    Ok(Some(CurrentUser {
        id: user.id,
        email: user.email,
        name: user.name,
        email_verified: user.email_verified,
        staff_role: StaffRole::parse(&user.staff_role).unwrap_or(StaffRole::None),
    }))
}

/// Logs `user` in on this session: a new session id (the old one is deleted from the
/// store, so a fixated or stolen pre-login id is worthless) and a fresh login time.
pub async fn establish(session: &Session, user: UserId, epoch: i32) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    let now = now();
    session
        .insert(
            AUTH_KEY,
            AuthSession {
                user_id: user,
                epoch,
                authenticated_at: now,
                last_seen: now,
            },
        )
        .await
        .map_err(session_error)
}

/// After a privilege change of the session's own user (a new epoch, a membership gained
/// or left): a new session id, same login time, the given epoch.
pub async fn renew(session: &Session, epoch: Option<i32>) -> Result<(), AppError> {
    let Some(auth) = session
        .get::<AuthSession>(AUTH_KEY)
        .await
        .map_err(session_error)?
    else {
        return Ok(());
    };
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(
            AUTH_KEY,
            AuthSession {
                epoch: epoch.unwrap_or(auth.epoch),
                last_seen: now(),
                ..auth
            },
        )
        .await
        .map_err(session_error)
}

/// Logs out: deletes the session row and clears the cookie.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}
