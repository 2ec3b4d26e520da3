//! Retry delays: exponential in the attempt number, capped, with jitter so jobs that
//! failed together (a dependency was down) do not all come back in the same second.

use std::time::Duration;

/// Delay before the attempt after `attempt` (1-based) failed: `base · 2^(attempt-1)`,
/// at most `cap`, scaled by `jitter` in [0.5, 1.0] ("equal jitter").
pub fn retry_delay(attempt: i32, base: Duration, cap: Duration, jitter: f64) -> Duration {
    let exponent = attempt.clamp(1, 30) - 1;
    let raw = base.saturating_mul(1u32 << exponent).min(cap);
    raw.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// A jitter factor in [0, 1] from the OS random source (0.5 when it fails).
pub fn jitter() -> f64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(5);
    const CAP: Duration = Duration::from_secs(3600);

    #[test]
    fn doubles_per_attempt_and_stops_at_the_cap() {
        assert_eq!(retry_delay(1, BASE, CAP, 1.0), Duration::from_secs(5));
        assert_eq!(retry_delay(2, BASE, CAP, 1.0), Duration::from_secs(10));
        assert_eq!(retry_delay(4, BASE, CAP, 1.0), Duration::from_secs(40));
        assert_eq!(retry_delay(20, BASE, CAP, 1.0), CAP);
        assert_eq!(retry_delay(i32::MAX, BASE, CAP, 1.0), CAP);
        assert_eq!(retry_delay(0, BASE, CAP, 1.0), BASE);
    }

    #[test]
    fn jitter_keeps_at_least_half() {
        assert_eq!(retry_delay(3, BASE, CAP, 0.0), Duration::from_secs(10));
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..=1.0).contains(&j));
            let d = retry_delay(3, BASE, CAP, j);
            assert!(d >= Duration::from_secs(10) && d <= Duration::from_secs(20));
        }
    }
}
