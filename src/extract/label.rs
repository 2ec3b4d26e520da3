//! Labels: the normalized form used for matching (`samples/README.md`): lower-case; `&`
//! becomes "and"; apostrophes are dropped; "(continued)" is dropped; a leading account code
//! (3+ digits with optional `-`/`.` groups) is dropped; every other run of
//! non-alphanumerics becomes one space.

/// The normalized form of a printed label.
pub fn normalize(raw: &str) -> String {
    let lower = raw.to_lowercase().replace("(continued)", " ");
    let rest = strip_code(lower.trim_start());
    let mut out = String::with_capacity(rest.len());
    let mut gap = false;
    for c in rest.chars() {
        match c {
            '\'' | '’' | '‘' => {}
            '&' => {
                push_word(&mut out, &mut gap, "and");
                gap = true;
            }
            c if c.is_alphanumeric() => {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(c);
            }
            _ => gap = true,
        }
    }
    out
}

fn push_word(out: &mut String, gap: &mut bool, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
    *gap = false;
}

/// The leading account code of a label and the rest: `1010-0000 Operating Cash` →
/// (`Some("1010-0000")`, `Operating Cash`). A code is 3+ digits, then optional groups of
/// digits joined by `-` or `.`, then a space and more text (a bare number is a label).
pub fn split_code(label: &str) -> (Option<&str>, &str) {
    let trimmed = label.trim_start();
    let rest = strip_code(trimmed);
    if rest.len() == trimmed.len() {
        (None, trimmed)
    } else {
        let code = trimmed[..trimmed.len() - rest.len()].trim_end();
        (Some(code), rest)
    }
}

fn strip_code(s: &str) -> &str {
    let bytes = s.as_bytes();
    let lead = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if lead < 3 {
        return s;
    }
    let mut end = lead;
    while end + 1 < bytes.len()
        && matches!(bytes[end], b'-' | b'.')
        && bytes[end + 1].is_ascii_digit()
    {
        end += 1;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
    }
    match bytes.get(end) {
        // A label that is only a number (a rent roll's unit `101`) keeps it.
        Some(b) if b.is_ascii_whitespace() && !s[end..].trim().is_empty() => s[end..].trim_start(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_the_samples_say() {
        for (raw, norm) in [
            ("4005-0000 Gross Potential Rent", "gross potential rent"),
            ("4020-0000 Loss/Gain to Lease", "loss gain to lease"),
            ("Repairs & Maintenance", "repairs and maintenance"),
            ("Owner's Equity", "owners equity"),
            ("Operating Cash (continued)", "operating cash"),
            ("1010.01 Petty  Cash", "petty cash"),
            ("  TOTAL ASSETS  ", "total assets"),
            ("R&M", "r and m"),
            ("12 Month Lease", "12 month lease"),
            ("2024 Capital Projects", "capital projects"),
            ("Café – Income", "café income"),
        ] {
            assert_eq!(normalize(raw), norm, "{raw:?}");
        }
    }

    #[test]
    fn codes_split_only_when_they_are_codes() {
        assert_eq!(
            split_code("1010-0000 Operating Cash"),
            (Some("1010-0000"), "Operating Cash")
        );
        assert_eq!(split_code("5110.10 Payroll"), (Some("5110.10"), "Payroll"));
        assert_eq!(split_code("12 Month Lease"), (None, "12 Month Lease"));
        assert_eq!(split_code("1010-Cash"), (None, "1010-Cash"));
        assert_eq!(split_code("101"), (None, "101"));
        assert_eq!(normalize("101"), "101");
    }
}
