//! Numbers and times as the screens print them (both targets; no IO).

/// `12.3 MB`, `49 KB`, `512 bytes` (decimal units, as upload limits are stated).
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{} KB", (b + 999) / 1_000),
        b => format!("{b} bytes"),
    }
}

/// `2026-12-03 14:05:09` from an RFC 3339 UTC timestamp (seconds, no fraction).
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..19).unwrap_or(rfc3339).replace('T', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(48_001), "49 KB");
        assert_eq!(human_size(12_345_678), "12.3 MB");
    }

    #[test]
    fn times_drop_fractions_and_the_t() {
        assert_eq!(
            short_time("2026-12-03T14:05:09.744689Z"),
            "2026-12-03 14:05:09"
        );
        assert_eq!(short_time("bad"), "bad");
    }
}
