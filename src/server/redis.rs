//! Redis access through one shared, self-reconnecting connection manager, created on
//! first use so the process can start before Redis does.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

/// Cheap to clone; all clones share one connection manager.
#[derive(Clone)]
pub struct RedisHandle {
    client: redis::Client,
    manager: Arc<OnceCell<ConnectionManager>>,
}

impl RedisHandle {
    /// Parses the URL; does not connect.
    pub fn new(url: &str) -> Result<Self, redis::RedisError> {
        Ok(Self {
            client: redis::Client::open(url)?,
            manager: Arc::new(OnceCell::new()),
        })
    }

    /// The shared connection, connecting on first call.
    pub async fn conn(&self) -> Result<ConnectionManager, redis::RedisError> {
        let manager = self
            .manager
            .get_or_try_init(|| async {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(Duration::from_secs(2)))
                    .set_response_timeout(Some(Duration::from_secs(2)))
                    .set_number_of_retries(2);
                ConnectionManager::new_with_config(self.client.clone(), config).await
            })
            .await?;
        Ok(manager.clone())
    }

    /// Round trip to the server (readiness check).
    pub async fn ping(&self) -> Result<(), redis::RedisError> {
        let mut conn = self.conn().await?;
        let _: String = redis::cmd("PING").query_async(&mut conn).await?;
        Ok(())
    }
}
