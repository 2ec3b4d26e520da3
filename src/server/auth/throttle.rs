//! Login throttling in Redis: failed log-ins are counted per account and per client IP in
//! fixed windows; past the limit, log-in answers 429 with `Retry-After` until the window
//! ends. Counters live in Redis so every web process shares them. Account keys hold a
//! SHA-256 of the normalised email, never the address itself.

use std::net::IpAddr;
use std::time::Duration;

use redis::AsyncCommands;
use sha2::{Digest, Sha256};

use crate::server::error::AppError;
use crate::server::redis::RedisHandle;

/// How many failures each key tolerates within one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_account: u32,
    /// Higher than per account: many people can share one address (offices, NAT).
    pub per_ip: u32,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_ip: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Whether a log-in attempt may proceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Too many failures; try again after this long.
    Blocked {
        retry_after: Duration,
    },
}

/// Counts failed log-ins.
#[derive(Clone)]
pub struct LoginThrottle {
    redis: RedisHandle,
    prefix: String,
    limits: Limits,
}

fn unavailable(err: redis::RedisError) -> AppError {
    tracing::warn!(error = %err, "login throttle: redis unavailable");
    AppError::Unavailable("the sign-in service")
}

impl LoginThrottle {
    /// `prefix` namespaces the keys (tests use a unique one).
    pub fn new(redis: RedisHandle, prefix: impl Into<String>, limits: Limits) -> Self {
        Self {
            redis,
            prefix: prefix.into(),
            limits,
        }
    }

    fn account_key(&self, email: &str) -> String {
        let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
        format!("{}:login-fail:acct:{digest:x}", self.prefix)
    }

    fn ip_key(&self, ip: IpAddr) -> String {
        format!("{}:login-fail:ip:{ip}", self.prefix)
    }

    /// Call before checking the password. Fails closed: if Redis cannot answer, log-in
    /// is unavailable rather than unthrottled. One round trip: both counters and their
    /// remaining lifetimes in a single pipeline.
    pub async fn check(&self, email: &str, ip: IpAddr) -> Result<Verdict, AppError> {
        let mut conn = self.redis.conn().await.map_err(unavailable)?;
        let keys = [
            (self.account_key(email), self.limits.per_account),
            (self.ip_key(ip), self.limits.per_ip),
        ];
        let mut pipe = redis::pipe();
        for (key, _) in &keys {
            pipe.get(key).ttl(key);
        }
        let answers: Vec<(Option<u32>, i64)> =
            pipe.query_async(&mut conn).await.map_err(unavailable)?;
        let retry_after = keys
            .iter()
            .zip(answers)
            .filter(|((_, limit), (failures, _))| failures.unwrap_or(0) >= *limit)
            // A key without expiry cannot exist (record_failure sets one), but never block
            // forever: fall back to a whole window.
            .map(|(_, (_, ttl))| {
                u64::try_from(ttl)
                    .ok()
                    .filter(|s| *s > 0)
                    .map(Duration::from_secs)
                    .unwrap_or(self.limits.window)
            })
            .max();
        Ok(match retry_after {
            None => Verdict::Allowed,
            Some(retry_after) => Verdict::Blocked { retry_after },
        })
    }

    /// Records one failed log-in for the account and the address. The window starts at
    /// the first failure (`EXPIRE … NX`), so repeated failures do not extend it.
    pub async fn record_failure(&self, email: &str, ip: IpAddr) -> Result<(), AppError> {
        let mut conn = self.redis.conn().await.map_err(unavailable)?;
        let window = i64::try_from(self.limits.window.as_secs()).unwrap_or(i64::MAX);
        let mut pipe = redis::pipe();
        pipe.atomic();
        for key in [self.account_key(email), self.ip_key(ip)] {
            pipe.incr(&key, 1u32)
                .ignore()
                .cmd("EXPIRE")
                .arg(&key)
                .arg(window)
                .arg("NX")
                .ignore();
        }
        let () = pipe.query_async(&mut conn).await.map_err(unavailable)?;
        Ok(())
    }

    /// Clears the account's counter after a successful log-in. The address keeps its
    /// count: one success must not let an address continue guessing other accounts.
    pub async fn record_success(&self, email: &str) -> Result<(), AppError> {
        let mut conn = self.redis.conn().await.map_err(unavailable)?;
        let _: u32 = conn
            .del(self.account_key(email))
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
