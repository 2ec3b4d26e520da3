//! SQL of the global `users` table and the single-use `user_tokens` mailed to users.

use sqlx::PgPool;
use time::OffsetDateTime;

use super::Tx;
use crate::shared::UserId;

/// A user row as the auth layer needs it.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub email_verified: bool,
    pub staff_role: String,
    pub disabled: bool,
    pub session_epoch: i32,
}

macro_rules! user_row {
    ($r:expr) => {
        UserRow {
            id: UserId($r.id),
            email: $r.email,
            name: $r.name,
            password_hash: $r.password_hash,
            email_verified: $r.email_verified_at.is_some(),
            staff_role: $r.staff_role,
            disabled: $r.disabled_at.is_some(),
            session_epoch: $r.session_epoch,
        }
    };
}

/// The user with this (normalised) email.
pub async fn by_email(pool: &PgPool, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let r = sqlx::query!(
        "select id, email, name, password_hash, email_verified_at, staff_role, disabled_at,
                session_epoch
         from users where email = $1",
        email
    )
    .fetch_optional(pool)
    .await?;
    Ok(r.map(|r| user_row!(r)))
}

/// The user with this id.
///
/// Takes the pool or an open transaction (`&mut *tx`): inside a transaction, never take
/// a second pooled connection while holding one (under load that exhausts the pool).
pub async fn by_id<'e>(
    db: impl sqlx::PgExecutor<'e>,
    id: UserId,
) -> Result<Option<UserRow>, sqlx::Error> {
    let r = sqlx::query!(
        "select id, email, name, password_hash, email_verified_at, staff_role, disabled_at,
                session_epoch
         from users where id = $1",
        id.0
    )
    .fetch_optional(db)
    .await?;
    Ok(r.map(|r| user_row!(r)))
}

/// The user with this id, locked for update inside `tx`.
pub async fn lock(tx: &mut Tx, id: UserId) -> Result<Option<UserRow>, sqlx::Error> {
    let r = sqlx::query!(
        "select id, email, name, password_hash, email_verified_at, staff_role, disabled_at,
                session_epoch
         from users where id = $1 for update",
        id.0
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| user_row!(r)))
}

/// Inserts a user; `None` when the email is taken (a concurrent sign-up won).
pub async fn insert(
    tx: &mut Tx,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<Option<UserId>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "insert into users (email, name, password_hash) values ($1, $2, $3)
         on conflict (email) do nothing returning id",
        email,
        name,
        password_hash
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(UserId))
}

/// Replaces the password hash and bumps the session epoch (every session ends).
/// Returns the new epoch.
pub async fn set_password(
    tx: &mut Tx,
    id: UserId,
    password_hash: &str,
) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "update users set password_hash = $2, session_epoch = session_epoch + 1,
                updated_at = now()
         where id = $1 returning session_epoch",
        id.0,
        password_hash
    )
    .fetch_one(&mut **tx)
    .await
}

/// Bumps the session epoch: every existing session of the user stops working.
pub async fn bump_epoch(tx: &mut Tx, id: UserId) -> Result<i32, sqlx::Error> {
    sqlx::query_scalar!(
        "update users set session_epoch = session_epoch + 1, updated_at = now()
         where id = $1 returning session_epoch",
        id.0
    )
    .fetch_one(&mut **tx)
    .await
}

/// Marks the email verified (idempotent).
pub async fn mark_verified(tx: &mut Tx, id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, now()),
                updated_at = now()
         where id = $1",
        id.0
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets or clears `disabled_at` and bumps the epoch so sessions end at once.
pub async fn set_disabled(tx: &mut Tx, id: UserId, disabled: bool) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set disabled_at = case when $2 then coalesce(disabled_at, now()) end,
                session_epoch = session_epoch + 1, updated_at = now()
         where id = $1",
        id.0,
        disabled
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets the staff role.
pub async fn set_staff_role(tx: &mut Tx, id: UserId, role: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set staff_role = $2, session_epoch = session_epoch + 1, updated_at = now()
         where id = $1",
        id.0,
        role
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Purpose of a mailed token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify_email",
            TokenPurpose::ResetPassword => "reset_password",
        }
    }
}

/// Stores the hash of a new token. Earlier unused tokens of the same purpose are
/// retired, so only the newest link works.
pub async fn insert_token(
    tx: &mut Tx,
    user: UserId,
    purpose: TokenPurpose,
    token_hash: &[u8; 32],
    expires_at: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    retire_tokens(tx, user, purpose).await?;
    sqlx::query!(
        "insert into user_tokens (token_hash, user_id, purpose, expires_at)
         values ($1, $2, $3, $4)",
        &token_hash[..],
        user.0,
        purpose.as_str(),
        expires_at
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks every unused token of `purpose` for `user` as used.
pub async fn retire_tokens(
    tx: &mut Tx,
    user: UserId,
    purpose: TokenPurpose,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update user_tokens set used_at = now()
         where user_id = $1 and purpose = $2 and used_at is null",
        user.0,
        purpose.as_str()
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Consumes a token: marks it used and returns its user, if it exists, has this
/// purpose, is unused and unexpired. Single use even under concurrency (the update
/// matches once).
pub async fn consume_token(
    tx: &mut Tx,
    purpose: TokenPurpose,
    token_hash: &[u8; 32],
) -> Result<Option<UserId>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "update user_tokens set used_at = now()
         where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
         returning user_id",
        &token_hash[..],
        purpose.as_str()
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(UserId))
}

/// Whether a token is currently usable (for showing the reset form), without using it.
pub async fn token_valid(
    pool: &PgPool,
    purpose: TokenPurpose,
    token_hash: &[u8; 32],
) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        r#"select exists(select 1 from user_tokens
                  where token_hash = $1 and purpose = $2 and used_at is null
                    and expires_at > now()) as "found!""#,
        &token_hash[..],
        purpose.as_str()
    )
    .fetch_one(pool)
    .await?;
    Ok(found)
}

/// The id of the user with this (normalised) email, inside any transaction.
pub async fn by_email_in(tx: &mut Tx, email: &str) -> Result<Option<UserId>, sqlx::Error> {
    let id = sqlx::query_scalar!("select id from users where email = $1", email)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(id.map(UserId))
}
