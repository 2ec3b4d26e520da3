//! Database access: the pool, the tenant-scoped transaction, migrations and the SQL of
//! each area. Services call these functions; nothing outside `db` writes SQL.

pub mod api_tokens;
pub mod audit;
pub mod catalog;
pub mod documents;
pub mod jobs;
pub mod lines;
pub mod members;
pub mod orgs;
pub mod properties;
pub mod seed;
pub mod staff;
pub mod system;
pub mod tenant;
pub mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Transaction};

pub(crate) use tenant::in_worker;
pub use tenant::{
    begin_api_token, begin_invite, begin_org, begin_superuser, begin_user, begin_worker, scope_org,
};

/// A transaction on the pool.
pub type Tx = Transaction<'static, Postgres>;

/// The migrations under `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Name of the role the application connects as. Owns nothing, cannot bypass RLS.
pub const APP_ROLE: &str = "ledgerlens_app";

/// A pool that connects on first use, so the process starts (and `/readyz` can say
/// what is missing) even while Postgres is still coming up.
pub fn lazy_pool(url: &str, max_connections: u32) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?.application_name("ledgerlens");
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options))
}

/// A one-connection pool with `pool`'s settings, for a LISTEN: a listener keeps its
/// connection for good and must not take a slot of the request pool.
pub fn listener_pool(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with((*pool.connect_options()).clone())
}

/// Runs the embedded migrations. Must be called with the owner role's pool.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await
}
