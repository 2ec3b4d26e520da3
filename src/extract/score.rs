//! Scoring extracted lines against ground truth, as the acceptance measure defines it: a
//! line matches when its normalized label and its amount (to the cent) equal a truth
//! line's; each truth line matches at most once (repeated labels count separately).
//! Precision, recall and F1 over those matches.

use std::collections::HashMap;

use rust_decimal::Decimal;

/// A line as scoring sees it: normalized label and amount.
pub type Key = (String, Decimal);

/// Match counts, and the measures derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub matched: usize,
    pub extracted: usize,
    pub expected: usize,
}

impl Score {
    /// Matched / extracted (1 when nothing was extracted and nothing expected).
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.extracted, self.expected == 0)
    }

    /// Matched / expected.
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.expected, self.extracted == 0)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Summing scores adds their counts (a micro-average over documents).
impl std::ops::Add for Score {
    type Output = Score;

    fn add(self, other: Score) -> Score {
        Score {
            matched: self.matched + other.matched,
            extracted: self.extracted + other.extracted,
            expected: self.expected + other.expected,
        }
    }
}

fn ratio(part: usize, whole: usize, empty_is_perfect: bool) -> f64 {
    if whole == 0 {
        if empty_is_perfect { 1.0 } else { 0.0 }
    } else {
        part as f64 / whole as f64
    }
}

/// Scores `extracted` against `expected` (amounts compared to the cent).
pub fn score(expected: &[Key], extracted: &[Key]) -> Score {
    let cent = |(label, amount): &Key| (label.clone(), amount.round_dp(2));
    let mut open: HashMap<Key, usize> = HashMap::new();
    for key in expected {
        *open.entry(cent(key)).or_default() += 1;
    }
    let mut matched = 0;
    for key in extracted {
        if let Some(n) = open.get_mut(&cent(key)).filter(|n| **n > 0) {
            *n -= 1;
            matched += 1;
        }
    }
    Score {
        matched,
        extracted: extracted.len(),
        expected: expected.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(label: &str, amount: &str) -> Key {
        (label.into(), amount.parse().unwrap())
    }

    #[test]
    fn matches_label_and_amount_to_the_cent_once_each() {
        let truth = [k("cash", "10.00"), k("cash", "10.00"), k("rent", "5.50")];
        let found = [
            k("cash", "10"),
            k("cash", "10.001"),
            k("cash", "10.00"),
            k("rent", "5.49"),
        ];
        let s = score(&truth, &found);
        assert_eq!((s.matched, s.extracted, s.expected), (2, 4, 3));
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.f1() - 4.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn empty_cases_are_defined() {
        assert_eq!(score(&[], &[]).f1(), 1.0);
        assert_eq!(score(&[k("a", "1")], &[]).f1(), 0.0);
        assert_eq!(score(&[], &[k("a", "1")]).f1(), 0.0);
        let total = score(&[k("a", "1")], &[k("a", "1")]) + score(&[k("b", "2")], &[]);
        assert_eq!((total.matched, total.extracted, total.expected), (1, 1, 2));
    }
}
