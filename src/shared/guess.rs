//! Guessing a document's property, period and type from its filename, for the upload
//! panel's pickers. A guess is made only when it is obvious: exactly one candidate, or
//! nothing at all — a person picks whenever the name is ambiguous.

use super::document::DocType;

/// What a filename says, when it says it plainly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guess {
    /// One of the given property codes, as given.
    pub property: Option<String>,
    /// `yyyy-mm`.
    pub period: Option<String>,
    pub doc_type: Option<DocType>,
}

/// Guesses from `filename` (a path's last segment or a bare name; the extension is
/// ignored) among the org's `property_codes` (matched case-insensitively as whole words).
pub fn guess(filename: &str, property_codes: &[String]) -> Guess {
    let last = filename.rsplit(['/', '\\']).next().unwrap_or(filename);
    let stem = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    let words: Vec<String> = stem
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    Guess {
        property: only(
            property_codes
                .iter()
                .filter(|code| words.iter().any(|w| *w == code.to_lowercase())),
        )
        .cloned(),
        period: only(periods(&words).into_iter()),
        doc_type: only(doc_types(&words).into_iter()),
    }
}

/// The single distinct item, if there is exactly one.
fn only<T: PartialEq>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut found: Option<T> = None;
    for item in items {
        match &found {
            Some(f) if *f != item => return None,
            _ => found = Some(item),
        }
    }
    found
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn year(w: &str) -> Option<u32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1990..=2099).contains(y))
}

fn month_number(w: &str) -> Option<u32> {
    (matches!(w.len(), 1 | 2) && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m))
}

/// `mar`, `march`, `sept` → 3, 3, 9.
fn month_name(w: &str) -> Option<u32> {
    let w = if w == "sept" { "sep" } else { w };
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(full)
        .position(|(short, long)| w == *short || w == long)
        .map(|i| i as u32 + 1)
}

/// A word that is a month name glued to a year: `march2024`, `2024mar`, `mar24` is not
/// (two-digit years are too easily something else).
fn glued(w: &str) -> Option<(u32, u32)> {
    let split = w.find(|c: char| c.is_ascii_digit())?;
    let (a, b) = w.split_at(split);
    if let (Some(m), Some(y)) = (month_name(a), year(b)) {
        return Some((y, m));
    }
    let split = w.find(|c: char| c.is_alphabetic())?;
    let (a, b) = w.split_at(split);
    year(a).zip(month_name(b))
}

fn periods(words: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let next = words.get(i + 1).map(String::as_str).unwrap_or("");
        let digits = w.bytes().all(|b| b.is_ascii_digit());
        let hit = if let (Some(y), Some(m)) = (year(w), month_number(next).or(month_name(next))) {
            i += 1;
            Some((y, m))
        } else if let (Some(m), Some(y), None) = (
            month_number(w).or(month_name(w)),
            year(next),
            // `12 2024-03` is a unit number and a period, not December.
            words.get(i + 2).and_then(|w| month_number(w)),
        ) {
            i += 1;
            Some((y, m))
        } else if digits && (w.len() == 6 || w.len() == 8) {
            // yyyymm or yyyymmdd
            year(&w[..4]).zip(month_number(&w[4..6]))
        } else {
            glued(w)
        };
        if let Some((y, m)) = hit {
            found.push(format!("{y:04}-{m:02}"));
        }
        i += 1;
    }
    found
}

fn doc_types(words: &[String]) -> Vec<DocType> {
    let joined = words.join("");
    let has = |w: &str| words.iter().any(|x| x == w);
    let mut found = Vec::new();
    let mut check = |d: DocType, phrases: &[&str], abbreviations: &[&str]| {
        if phrases.iter().any(|p| joined.contains(p)) || abbreviations.iter().any(|a| has(a)) {
            found.push(d);
        }
    };
    check(
        DocType::BalanceSheet,
        &["balancesheet", "financialposition"],
        &["bs"],
    );
    check(
        DocType::IncomeStatement,
        &[
            "incomestatement",
            "profitandloss",
            "profitloss",
            "operatingstatement",
            "statementofoperations",
        ],
        &["pnl", "pl"],
    );
    check(DocType::CashFlow, &["cashflow"], &["cf"]);
    check(DocType::RentRoll, &["rentroll"], &["rr"]);
    check(
        DocType::GlExport,
        &["generalledger", "glexport", "gldetail"],
        &["gl", "ledger"],
    );
    // P&L and P_L split into two words.
    if words.windows(2).any(|w| w[0] == "p" && w[1] == "l")
        && !found.contains(&DocType::IncomeStatement)
    {
        found.push(DocType::IncomeStatement);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<String> {
        vec!["JCA01".into(), "QUA02".into()]
    }

    #[test]
    fn sample_names_give_everything() {
        let g = guess("JCA01_2024-03_balance_sheet.pdf", &codes());
        assert_eq!(g.property.as_deref(), Some("JCA01"));
        assert_eq!(g.period.as_deref(), Some("2024-03"));
        assert_eq!(g.doc_type, Some(DocType::BalanceSheet));
        let g = guess("qua02-2024-04-rent_roll.xlsx", &codes());
        assert_eq!(g.property.as_deref(), Some("QUA02"));
        assert_eq!(g.period.as_deref(), Some("2024-04"));
        assert_eq!(g.doc_type, Some(DocType::RentRoll));
        let g = guess("C:\\scans\\2023-11\\JCA01 cash flow", &codes());
        assert_eq!(g.period, None, "folders are not the file's name");
        assert_eq!(g.doc_type, Some(DocType::CashFlow));
    }

    #[test]
    fn periods_in_common_spellings() {
        for (name, period) in [
            ("Maple 202403 BS.pdf", "2024-03"),
            ("20240331 trial.csv", "2024-03"),
            ("03-2024 Income Statement.pdf", "2024-03"),
            ("Cash Flow March 2024.xlsx", "2024-03"),
            ("Rent roll Sept 2023.pdf", "2023-09"),
            ("rentroll_mar2024.pdf", "2024-03"),
            ("GL 2024_12.csv", "2024-12"),
            ("GL 2024-12-31.csv", "2024-12"),
            ("Unit 12 2024-03 rent roll.pdf", "2024-03"),
        ] {
            assert_eq!(guess(name, &[]).period.as_deref(), Some(period), "{name}");
        }
    }

    #[test]
    fn ambiguity_guesses_nothing() {
        assert_eq!(
            guess("2024-03 vs 2024-04 balance sheet.pdf", &[]).period,
            None
        );
        assert_eq!(guess("package.pdf", &[]).period, None);
        assert_eq!(guess("scan 2024.pdf", &[]).period, None);
        assert_eq!(guess("balance sheet and cash flow.pdf", &[]).doc_type, None);
        assert_eq!(guess("JCA01 and QUA02.pdf", &codes()).property, None);
        assert_eq!(guess("JCA012.pdf", &codes()).property, None);
        assert_eq!(guess("report.pdf", &[]), Guess::default());
    }

    #[test]
    fn types_from_words_and_abbreviations() {
        for (name, d) in [
            ("P&L 2024-03.pdf", DocType::IncomeStatement),
            ("Operating Statement.pdf", DocType::IncomeStatement),
            ("CashFlow.xlsx", DocType::CashFlow),
            ("GL detail.csv", DocType::GlExport),
            ("general-ledger.csv", DocType::GlExport),
            ("RR.pdf", DocType::RentRoll),
            ("x_bs.pdf", DocType::BalanceSheet),
        ] {
            assert_eq!(guess(name, &[]).doc_type, Some(d), "{name}");
        }
        assert_eq!(guess("p.pdf", &[]).doc_type, None);
    }
}
