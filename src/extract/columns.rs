//! Finding a table's column headers and what each column holds. The header row is the
//! last row with two or more text cells before the first row that pairs a label with an
//! amount; a row of group headers right above it ("Current Month" over "Actual | Budget")
//! names the columns below and to its right, as merged cells do. Which column is the
//! current period, the rent, the debit… is read from the header words, never from a
//! file's name or position.

use super::amount;
use super::table::{Row, Table};

/// How many rows from the top a header may be found in.
const HEADER_SEARCH: usize = 60;

/// The columns of a table: `headers[i]` is column `i`'s header, group words first,
/// lower-cased; `first_body` the index of the first row below the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub header_row: Option<usize>,
    pub headers: Vec<String>,
    pub printed: Vec<String>,
    pub first_body: usize,
}

/// A cell that holds a printed amount (not a blank, not a dash).
pub fn is_amount(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty() && t.chars().any(|c| c.is_ascii_digit()) && amount::parse(t).is_some()
}

/// Cells holding text (not blank, not an amount).
pub fn text_cells(row: &Row) -> usize {
    row.cells
        .iter()
        .filter(|c| !c.trim().is_empty() && !is_amount(c))
        .count()
}

/// A row that reads as a line: a label and at least one amount after it.
fn is_data(row: &Row) -> bool {
    let first_text = row
        .cells
        .iter()
        .position(|c| !c.trim().is_empty() && !is_amount(c));
    match first_text {
        Some(i) => row.cells[i + 1..].iter().any(|c| is_amount(c)),
        None => false,
    }
}

/// Finds the header of `table` (or takes the one its producer marked).
pub fn detect(table: &Table) -> Columns {
    let rows = &table.rows;
    let header_row = table.header.or_else(|| {
        let first_data = rows.iter().take(HEADER_SEARCH).position(is_data)?;
        // One header word counts when it stands over an amount of the first line.
        let data = &rows[first_data];
        let label = data
            .cells
            .iter()
            .position(|c| !c.trim().is_empty() && !is_amount(c))
            .unwrap_or(0);
        let over_amount = |r: &Row| {
            r.cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.trim().is_empty())
                .all(|(i, _)| i > label && is_amount(data.cell(i)))
        };
        rows[..first_data]
            .iter()
            .rposition(|r| text_cells(r) >= 2 || (text_cells(r) == 1 && over_amount(r)))
    });
    let Some(h) = header_row else {
        let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        return Columns {
            header_row: None,
            headers: vec![String::new(); width],
            printed: vec![String::new(); width],
            first_body: 0,
        };
    };
    let leaf = &rows[h];
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut printed: Vec<String> = (0..width).map(|i| leaf.cell(i).to_string()).collect();
    // A group row directly above: its words name every column from its own to the next.
    if table.header.is_none()
        && h > 0
        && !rows[h - 1].is_blank()
        && text_cells(&rows[h - 1]) >= 1
        && rows[h - 1].cell(0).is_empty()
        && !rows[h - 1].cells.iter().any(|c| is_amount(c))
    {
        let mut group = String::new();
        for (i, p) in printed.iter_mut().enumerate() {
            let g = rows[h - 1].cell(i);
            if !g.is_empty() {
                group = g.to_string();
            }
            if !group.is_empty() && !p.is_empty() {
                *p = format!("{group} {p}");
            }
        }
    }
    Columns {
        header_row: Some(h),
        headers: printed.iter().map(|p| p.to_lowercase()).collect(),
        printed,
        first_body: h + 1,
    }
}

impl Columns {
    /// Columns (after `label`) where most filled body cells are amounts.
    pub fn numeric(&self, table: &Table, label: usize) -> Vec<usize> {
        let body = &table.rows[self.first_body.min(table.rows.len())..];
        (0..self.headers.len())
            .filter(|&i| i != label)
            .filter(|&i| {
                let (mut filled, mut amounts) = (0, 0);
                for r in body {
                    let c = r.cell(i);
                    if !c.is_empty() && c != "-" {
                        filled += 1;
                        amounts += usize::from(is_amount(c));
                    }
                }
                filled > 0 && amounts * 2 >= filled
            })
            .collect()
    }

    /// The first column whose header contains one of `words`.
    pub fn find(&self, words: &[&str]) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| words.iter().any(|w| has_word(h, w)))
    }

    /// The column holding labels: the first one whose body is mostly text.
    pub fn label_column(&self, table: &Table) -> usize {
        let body = &table.rows[self.first_body.min(table.rows.len())..];
        (0..self.headers.len())
            .find(|&i| {
                let (mut text, mut filled) = (0, 0);
                for r in body {
                    let c = r.cell(i);
                    if !c.is_empty() {
                        filled += 1;
                        text += usize::from(!is_amount(c));
                    }
                }
                filled > 0 && text * 2 > filled
            })
            .unwrap_or(0)
    }

    /// The statement column holding the current period: the best-scoring header among
    /// `numeric`; with no header words to go by, the first amount column.
    pub fn current_period(&self, numeric: &[usize]) -> Option<usize> {
        numeric
            .iter()
            .copied()
            .max_by_key(|&i| (period_score(&self.headers[i]), std::cmp::Reverse(i)))
    }
}

/// Whether `header` contains `word` as a whole word (or phrase).
pub fn has_word(header: &str, word: &str) -> bool {
    header.match_indices(word).any(|(at, _)| {
        let before = header[..at].chars().next_back();
        let after = header[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// How strongly a header says "this period's actual amount".
fn period_score(header: &str) -> i32 {
    let h = header;
    let mut s = 0;
    for (w, v) in [
        ("current", 3),
        ("month", 2),
        ("period", 2),
        ("ptd", 2),
        ("mtd", 2),
        ("quarter", 1),
        ("actual", 1),
        ("balance", 1),
        ("amount", 1),
        ("this year", 1),
    ] {
        if has_word(h, w) {
            s += v;
        }
    }
    for (w, v) in [
        ("year to date", 5),
        ("ytd", 5),
        ("budget", 4),
        ("variance", 4),
        ("var", 4),
        ("%", 6),
        ("percent", 6),
        ("pct", 6),
        ("prior", 6),
        ("last year", 6),
        ("previous", 6),
        ("change", 3),
        ("difference", 3),
    ] {
        if h.contains(w) && (w == "%" || has_word(h, w)) {
            s -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::from_cells(rows)
    }

    #[test]
    fn header_is_the_last_text_row_before_the_first_line() {
        let t = table(&[
            &["Some Apartments"],
            &["Income Statement"],
            &[],
            &["", "Period to Date", "%", "Year to Date", "%"],
            &["INCOME"],
            &["Rent", "100.00", "99.5", "300.00", "98.0"],
        ]);
        let c = detect(&t);
        assert_eq!(c.header_row, Some(3));
        let numeric = c.numeric(&t, 0);
        assert_eq!(numeric, vec![1, 2, 3, 4]);
        assert_eq!(c.current_period(&numeric), Some(1));
    }

    #[test]
    fn group_headers_name_the_columns_below_them() {
        let t = table(&[
            &["", "Current Month", "", "", "Year to Date", "", ""],
            &[
                "", "Actual", "Budget", "Variance", "Actual", "Budget", "Variance",
            ],
            &["Rent", "1", "2", "3", "4", "5", "6"],
        ]);
        let c = detect(&t);
        assert_eq!(c.headers[4], "year to date actual");
        assert_eq!(c.headers[1], "current month actual");
        assert_eq!(c.current_period(&c.numeric(&t, 0)), Some(1));
    }

    #[test]
    fn period_words_outrank_position() {
        let c = Columns {
            header_row: Some(0),
            headers: vec!["".into(), "prior period".into(), "current period".into()],
            printed: vec![],
            first_body: 1,
        };
        assert_eq!(c.current_period(&[1, 2]), Some(2));
        assert!(has_word("sq ft", "ft") && !has_word("variance", "var"));
    }
}
