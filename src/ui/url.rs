//! Building query strings in the UI (both targets; no IO).

/// Percent-encodes `s` for a query-string value: unreserved characters stay, every other
/// byte becomes `%XX` (so `/`, `&`, `=` and non-ASCII are always safe).
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `?k=v&…` from the pairs whose value is not empty (`""` when none are).
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_and_empty_ones_dropped() {
        assert_eq!(encode("a b/ü&"), "a%20b%2F%C3%BC%26");
        assert_eq!(
            query(&[("from", "2024-01-01"), ("actor", ""), ("after", "1.x")]),
            "?from=2024-01-01&after=1.x"
        );
        assert_eq!(query(&[("a", "")]), "");
    }
}
