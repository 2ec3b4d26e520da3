//! Amounts as statements print them, read into exact decimals: `1,234.56`, `(1,234.56)`,
//! `1,234.56-`, `-1234.56`, `$ 1,234.56`, `1.234,56`-style is not guessed at. A blank
//! cell or a lone `-`/`—` is zero. Percent columns and anything else that is not an
//! amount give `None`.

use rust_decimal::Decimal;

/// What a printed amount cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Nothing printed, or a dash: zero.
    Zero,
    Amount(Decimal),
}

impl Cell {
    /// The value (zero for a blank).
    pub fn value(self) -> Decimal {
        match self {
            Cell::Zero => Decimal::ZERO,
            Cell::Amount(d) => d,
        }
    }
}

/// A dash printed for zero (`-`, en/em dash, `$ -`).
pub fn is_dash(raw: &str) -> bool {
    matches!(raw.trim(), "-" | "–" | "—" | "$ -" | "$-")
}

/// Reads one printed amount. `None`: not an amount (text, a percentage, a date).
pub fn parse(raw: &str) -> Option<Cell> {
    let s = raw.trim();
    if s.is_empty() || is_dash(s) {
        return Some(Cell::Zero);
    }
    let mut negative = false;
    let mut body = s;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner.trim();
    }
    if let Some(rest) = body.strip_suffix('-') {
        negative = !negative;
        body = rest.trim_end();
    }
    if let Some(rest) = body.strip_prefix('-').or_else(|| body.strip_prefix('−')) {
        negative = !negative;
        body = rest.trim_start();
    }
    if let Some(rest) = body.strip_prefix('$') {
        body = rest.trim_start();
        // `$(1.00)` and `$-1.00` spell the sign after the dollar.
        if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            negative = !negative;
            body = inner.trim();
        } else if let Some(rest) = body.strip_prefix('-') {
            negative = !negative;
            body = rest;
        }
    }
    if body.is_empty() || !valid_digits(body) {
        return None;
    }
    let plain: String = body.chars().filter(|c| *c != ',').collect();
    let value: Decimal = plain.parse().ok()?;
    Some(Cell::Amount(if negative { -value } else { value }))
}

/// Digits with optional thousands commas in groups of three, and an optional decimal
/// part: `1234.5`, `1,234.56`, `0.00`; not `1,23`, `12.3.4`, `1e5`.
fn valid_digits(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    if int.is_empty() {
        return frac.is_some();
    }
    if !int.contains(',') {
        return int.bytes().all(|b| b.is_ascii_digit());
    }
    let groups: Vec<&str> = int.split(',').collect();
    let first = groups[0];
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> String {
        parse(s)
            .map(|c| c.value().to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn every_printed_convention() {
        for (printed, value) in [
            ("1,234.56", "1234.56"),
            ("(1,234.56)", "-1234.56"),
            ("1,234.56-", "-1234.56"),
            ("-1234.56", "-1234.56"),
            ("$ 1,234.56", "1234.56"),
            ("$(12.00)", "-12.00"),
            ("-$12.00", "-12.00"),
            ("$-12.00", "-12.00"),
            ("( 5.00 )", "-5.00"),
            ("0.00", "0.00"),
            ("", "0"),
            ("-", "0"),
            ("—", "0"),
            ("1234567.891", "1234567.891"),
            (".50", "0.50"),
            ("12", "12"),
        ] {
            assert_eq!(amount(printed), value, "{printed:?}");
        }
    }

    #[test]
    fn non_amounts_are_not_read_as_amounts() {
        for s in [
            "Cash",
            "12.5%",
            "1,23",
            "12.3.4",
            "1e5",
            "03/31/2024",
            "$",
            "()",
            "1,2345.00",
            "--5",
        ] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn exact_not_float() {
        let total = ["0.10", "0.20"]
            .iter()
            .map(|s| parse(s).unwrap().value())
            .sum::<Decimal>();
        assert_eq!(total.to_string(), "0.30");
    }
}
