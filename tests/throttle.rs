//! The login throttle against the real local Redis, each test in its own key namespace.

use std::net::IpAddr;
use std::time::Duration;

use ledgerlens::server::auth::throttle::{Limits, LoginThrottle, Verdict};
use ledgerlens::server::error::AppError;
use ledgerlens::server::redis::RedisHandle;

const REDIS_URL: &str = "redis://127.0.0.1:6379/0";

fn throttle(limits: Limits) -> (LoginThrottle, RedisHandle, String) {
    let redis = RedisHandle::new(REDIS_URL).unwrap();
    let prefix = format!("test-{}", uuid::Uuid::new_v4());
    (
        LoginThrottle::new(redis.clone(), prefix.clone(), limits),
        redis,
        prefix,
    )
}

/// Every key of a test's namespace.
async fn keys(redis: &RedisHandle, prefix: &str) -> Vec<String> {
    let mut conn = redis.conn().await.unwrap();
    redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await
        .unwrap()
}

/// Deletes every key of a test's namespace and returns how many there were.
async fn cleanup(redis: &RedisHandle, prefix: &str) -> usize {
    let keys = keys(redis, prefix).await;
    if !keys.is_empty() {
        let mut conn = redis.conn().await.unwrap();
        let _: u32 = redis::cmd("DEL")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .unwrap();
    }
    keys.len()
}

fn limits(per_account: u32, per_ip: u32, window_secs: u64) -> Limits {
    Limits {
        per_account,
        per_ip,
        window: Duration::from_secs(window_secs),
    }
}

async fn is_blocked(verdict: impl std::future::Future<Output = Result<Verdict, AppError>>) -> bool {
    matches!(verdict.await.unwrap(), Verdict::Blocked { .. })
}

async fn is_allowed(verdict: impl std::future::Future<Output = Result<Verdict, AppError>>) -> bool {
    verdict.await.unwrap() == Verdict::Allowed
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[tokio::test]
async fn sixth_failure_within_the_window_is_blocked_with_retry_after() {
    let (t, redis, prefix) = throttle(Limits::default());
    let addr = ip("203.0.113.7");
    for attempt in 1..=5 {
        assert_eq!(
            t.check("Ada@Example.com", addr).await.unwrap(),
            Verdict::Allowed,
            "attempt {attempt}"
        );
        t.record_failure("Ada@Example.com", addr).await.unwrap();
    }
    // Same account, differently written, from another address: still blocked.
    match t
        .check("  ada@example.COM ", ip("198.51.100.1"))
        .await
        .unwrap()
    {
        Verdict::Blocked { retry_after } => {
            assert!(
                retry_after > Duration::from_secs(14 * 60),
                "{retry_after:?}"
            );
            assert!(
                retry_after <= Duration::from_secs(15 * 60),
                "{retry_after:?}"
            );
        }
        other => panic!("expected blocked, got {other:?}"),
    }
    // Another account from the first address is fine (5 < 20 per address).
    assert!(is_allowed(t.check("grace@example.com", addr)).await);
    // Keys never contain the email.
    let keys = keys(&redis, &prefix).await;
    assert!(keys.iter().all(|k| !k.contains("example")), "{keys:?}");
    assert_eq!(cleanup(&redis, &prefix).await, 2);
}

#[tokio::test]
async fn an_address_guessing_many_accounts_is_blocked() {
    let (t, redis, prefix) = throttle(limits(5, 3, 60));
    let addr = ip("2001:db8::1");
    for n in 0..3 {
        t.record_failure(&format!("user{n}@example.com"), addr)
            .await
            .unwrap();
    }
    assert!(is_blocked(t.check("fresh@example.com", addr)).await);
    assert!(is_allowed(t.check("fresh@example.com", ip("2001:db8::2"))).await);
    cleanup(&redis, &prefix).await;
}

#[tokio::test]
async fn success_clears_the_account_but_not_the_address() {
    let (t, redis, prefix) = throttle(limits(2, 3, 60));
    let addr = ip("192.0.2.10");
    t.record_failure("ada@example.com", addr).await.unwrap();
    t.record_failure("ada@example.com", addr).await.unwrap();
    assert!(is_blocked(t.check("ada@example.com", ip("192.0.2.99"))).await);
    t.record_success("ada@example.com").await.unwrap();
    assert!(is_allowed(t.check("ada@example.com", ip("192.0.2.99"))).await);
    t.record_failure("grace@example.com", addr).await.unwrap();
    assert!(is_blocked(t.check("ada@example.com", addr)).await);
    cleanup(&redis, &prefix).await;
}

#[tokio::test]
async fn the_window_expires() {
    let (t, redis, prefix) = throttle(limits(1, 10, 1));
    let addr = ip("192.0.2.20");
    t.record_failure("ada@example.com", addr).await.unwrap();
    assert!(is_blocked(t.check("ada@example.com", addr)).await);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(is_allowed(t.check("ada@example.com", addr)).await);
    assert_eq!(cleanup(&redis, &prefix).await, 0, "expired keys are gone");
}

#[tokio::test]
async fn redis_down_fails_closed() {
    let t = LoginThrottle::new(
        RedisHandle::new("redis://127.0.0.1:1/0").unwrap(),
        "x",
        Limits::default(),
    );
    let err = t
        .check("ada@example.com", ip("192.0.2.1"))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
}
