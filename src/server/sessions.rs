//! Session layer: tower-sessions with the Postgres store (table made by a migration, not
//! by the store, because the app role owns nothing). Cookie flags follow the config:
//! HttpOnly and SameSite=Lax always, `Secure` and the `__Host-` name when secure.

use sqlx::PgPool;
use tower_sessions::cookie::Key;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

use super::config::Config;

/// The session store over the app role's pool.
pub fn store(pool: PgPool) -> PostgresStore {
    PostgresStore::new(pool)
}

/// The session middleware, signed with `SESSION_SECRET`.
pub fn layer(
    config: &Config,
    store: PostgresStore,
) -> SessionManagerLayer<PostgresStore, tower_sessions::service::SignedCookie> {
    let idle = time::Duration::try_from(config.session_idle_timeout)
        .unwrap_or(time::Duration::minutes(30));
    SessionManagerLayer::new(store)
        .with_name(config.session_cookie_name())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.cookie_secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle))
        .with_signed(Key::from(config.session_secret.expose()))
}
