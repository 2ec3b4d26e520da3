//! Reading a table as a report: which rows are line items, which are section headings or
//! page furniture, which are totals, and which amount each line carries. One reader for
//! every source (CSV, XLSX and PDF pages all arrive as a [`Table`]), three report shapes:
//! statements take the current-period column; rent rolls take each unit's rent (a vacant
//! unit is 0.00); ledgers take debit − credit for postings and the balance for balance
//! and total lines.

use rust_decimal::Decimal;

use super::amount;
use super::columns::{self, Columns, has_word, is_amount};
use super::item::{Kind, LineItem, Report};
use super::label::{normalize, split_code};
use super::table::{Row, Table};

/// Reads `table` as `report` (or as what its headers suggest). Line numbers continue
/// from `first_line_no`.
pub fn interpret(table: &Table, report: Option<Report>, first_line_no: u32) -> Vec<LineItem> {
    let cols = columns::detect(table);
    let report = report.unwrap_or_else(|| guess_report(&cols));
    let mut reader = Reader::new(table, &cols, report, first_line_no);
    for row in &table.rows[cols.first_body.min(table.rows.len())..] {
        reader.row(row);
    }
    reader.items
}

/// A report shape from the header words alone.
fn guess_report(cols: &Columns) -> Report {
    let any = |w: &[&str]| cols.find(w).is_some();
    if any(&["debit"]) && any(&["credit"]) || any(&["description", "memo"]) && any(&["balance"]) {
        Report::Ledger
    } else if any(&["unit", "apt", "suite"]) && any(&["rent"]) {
        Report::RentRoll
    } else {
        Report::Statement
    }
}

/// The columns a report shape needs, found once per table.
struct Roles {
    label: usize,
    numeric: Vec<usize>,
    /// Statement: current period; rent roll: rent; ledger: a single signed amount column.
    amount: Option<usize>,
    debit: Option<usize>,
    credit: Option<usize>,
    balance: Option<usize>,
}

impl Roles {
    fn new(table: &Table, cols: &Columns, report: Report) -> Roles {
        let text_label = cols.label_column(table);
        let label = match report {
            Report::Statement => text_label,
            Report::RentRoll => cols
                .find(&["unit", "apt", "apartment", "suite", "space"])
                .unwrap_or(0),
            Report::Ledger => cols
                .find(&["description", "memo", "desc", "narrative", "particulars"])
                .unwrap_or(text_label),
        };
        let numeric = cols.numeric(table, label);
        let in_numeric = |i: Option<usize>| i.filter(|i| numeric.contains(i));
        let (amount, debit, credit, balance) = match report {
            Report::Statement => (cols.current_period(&numeric), None, None, None),
            Report::RentRoll => (rent_column(cols, &numeric), None, None, None),
            Report::Ledger => (
                in_numeric(cols.find(&["amount", "net", "net amount"])),
                in_numeric(cols.find(&["debit", "debits", "dr"])),
                in_numeric(cols.find(&["credit", "credits", "cr"])),
                in_numeric(cols.find(&["balance", "running balance", "bal"])),
            ),
        };
        Roles {
            label,
            numeric,
            amount,
            debit,
            credit,
            balance,
        }
    }
}

/// The rent a unit pays now: a "rent" column that is not the market/potential rent,
/// preferring words for the charged amount.
fn rent_column(cols: &Columns, numeric: &[usize]) -> Option<usize> {
    let score = |i: usize| {
        let h = &cols.headers[i];
        if !h.contains("rent") && !has_word(h, "charge") && !has_word(h, "charges") {
            return None;
        }
        if ["market", "mkt", "potential", "gpr", "asking", "budget"]
            .iter()
            .any(|w| has_word(h, w))
        {
            return None;
        }
        let preferred = [
            "actual",
            "lease",
            "contract",
            "current",
            "charged",
            "billed",
            "effective",
        ];
        Some(i32::from(preferred.iter().any(|w| has_word(h, w))))
    };
    numeric
        .iter()
        .filter_map(|&i| score(i).map(|s| (s, std::cmp::Reverse(i), i)))
        .max()
        .map(|(_, _, i)| i)
}

/// An open section heading and the indent it was printed at.
struct Heading {
    text: String,
    indent: f32,
}

struct Reader<'a> {
    cols: &'a Columns,
    table: &'a Table,
    report: Report,
    roles: Roles,
    headings: Vec<Heading>,
    /// Whether the newest heading has had a line yet.
    fresh_heading: bool,
    items: Vec<LineItem>,
    next_line: u32,
}

impl<'a> Reader<'a> {
    fn new(table: &'a Table, cols: &'a Columns, report: Report, first_line_no: u32) -> Self {
        Reader {
            cols,
            table,
            report,
            roles: Roles::new(table, cols, report),
            headings: Vec::new(),
            fresh_heading: false,
            items: Vec::new(),
            next_line: first_line_no,
        }
    }

    fn row(&mut self, row: &Row) {
        if row.is_blank() || self.is_repeated_header(row) {
            return;
        }
        let mut label = row.cell(self.roles.label).to_string();
        // A dash in an amount column is a printed zero: the line has a value.
        let has_value = self
            .roles
            .numeric
            .iter()
            .any(|&i| is_amount(row.cell(i)) || amount::is_dash(row.cell(i)));
        if label.is_empty() && has_value {
            // A total printed in another text column ("…,,Report Total,1,2").
            label = first_text(row, &self.roles.numeric).unwrap_or_default();
        }
        if label.is_empty() || is_furniture(&label) {
            if !has_value && self.report == Report::Ledger {
                // An account heading printed in a column of its own.
                if let Some(text) = first_text(row, &self.roles.numeric) {
                    self.open_heading(text, 0.0);
                }
            }
            return;
        }
        let indent = indent_of(row);
        match self.report {
            Report::Statement => self.statement_row(row, label, indent, has_value),
            Report::RentRoll => self.rent_roll_row(row, label, indent, has_value),
            Report::Ledger => self.ledger_row(row, label, has_value),
        }
    }

    fn is_repeated_header(&self, row: &Row) -> bool {
        self.cols.header_row.is_some()
            && row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.trim().is_empty())
                .all(|(i, c)| {
                    self.cols.printed.get(i).is_some_and(|p| {
                        !p.is_empty() && (p.ends_with(c.trim()) || c.trim().ends_with(p))
                    })
                })
            && columns::text_cells(row) >= 2
    }

    fn statement_row(&mut self, row: &Row, label: String, indent: f32, has_value: bool) {
        let (code, _) = split_code(&label);
        if !has_value && code.is_none() {
            self.open_heading(label, indent);
            return;
        }
        let norm = normalize(&label);
        let total = is_total_label(&label, &norm, code.is_some(), self.fresh_heading);
        let amount = self.value(row, self.roles.amount);
        let kind = if total {
            if self.headings.is_empty() || self.closes_outermost(&norm) {
                Kind::Total
            } else {
                Kind::Subtotal
            }
        } else {
            Kind::Detail
        };
        self.push(row, label, norm, amount, kind, self.roles.amount);
        if total {
            self.close_heading_for(&self.items[self.items.len() - 1].normalized_label.clone());
        }
    }

    fn rent_roll_row(&mut self, row: &Row, label: String, indent: f32, has_value: bool) {
        let norm = normalize(&label);
        let total = ["total", "subtotal", "grand total", "totals"]
            .iter()
            .any(|w| norm == *w || norm.starts_with(&format!("{w} ")));
        if !has_value && !total {
            self.open_heading(label, indent);
            return;
        }
        let amount = self.value(row, self.roles.amount);
        let kind = match (total, norm.starts_with("subtotal")) {
            (true, true) => Kind::Subtotal,
            (true, false) => Kind::Total,
            _ => Kind::Unit,
        };
        self.push(row, label, norm, amount, kind, self.roles.amount);
    }

    fn ledger_row(&mut self, row: &Row, label: String, has_value: bool) {
        let norm = normalize(&label);
        let balance = self.roles.balance.map(|i| row.cell(i)).unwrap_or("");
        let opening = [
            "beginning balance",
            "opening balance",
            "balance forward",
            "brought forward",
            "starting balance",
            "beginning",
        ]
        .iter()
        .any(|w| norm.contains(w));
        let closing = norm.starts_with("total")
            || norm.starts_with("grand total")
            || norm.starts_with("report total")
            || ["closing balance", "ending balance", "end balance"]
                .iter()
                .any(|w| norm.contains(w));
        if !has_value && !closing {
            return;
        }
        let (amount, kind, column) = if opening {
            (
                self.value(row, self.roles.balance),
                Kind::Balance,
                self.roles.balance,
            )
        } else if closing && !balance.is_empty() {
            (
                self.value(row, self.roles.balance),
                Kind::Total,
                self.roles.balance,
            )
        } else {
            let net = self.net(row);
            let kind = if closing {
                Kind::Total
            } else {
                Kind::Transaction
            };
            (net, kind, self.roles.amount.or(self.roles.debit))
        };
        self.push(row, label, norm, amount, kind, column);
        if kind == Kind::Total {
            self.headings.clear();
        }
    }

    /// Debit − credit, or the one signed amount column.
    fn net(&self, row: &Row) -> Decimal {
        match (self.roles.debit, self.roles.credit) {
            (Some(_), Some(_)) => {
                self.value(row, self.roles.debit) - self.value(row, self.roles.credit)
            }
            _ => self.value(row, self.roles.amount),
        }
    }

    /// The amount in column `i` of `row` (blank, dash or unreadable: zero).
    fn value(&self, row: &Row, i: Option<usize>) -> Decimal {
        i.and_then(|i| amount::parse(row.cell(i)))
            .map_or(Decimal::ZERO, amount::Cell::value)
    }

    fn open_heading(&mut self, text: String, indent: f32) {
        let text = text.trim().trim_end_matches(':').to_string();
        if self.report == Report::Ledger {
            self.headings.clear();
        }
        while self.headings.last().is_some_and(|h| h.indent >= indent) {
            self.headings.pop();
        }
        self.headings.push(Heading { text, indent });
        self.fresh_heading = true;
    }

    /// Whether a total's words name the outermost open heading ("Total Assets").
    fn closes_outermost(&self, norm: &str) -> bool {
        self.headings
            .first()
            .is_some_and(|h| norm.ends_with(&normalize(&h.text)))
    }

    /// Closes the heading a total's words name ("Total Cash" closes "Cash"), with any
    /// headings opened inside it.
    fn close_heading_for(&mut self, norm: &str) {
        if let Some(at) = self
            .headings
            .iter()
            .rposition(|h| norm.ends_with(&normalize(&h.text)))
        {
            self.headings.truncate(at);
        }
    }

    fn push(
        &mut self,
        row: &Row,
        label: String,
        normalized_label: String,
        amount: Decimal,
        kind: Kind,
        column: Option<usize>,
    ) {
        let other_amounts = self
            .roles
            .numeric
            .iter()
            .filter(|&&i| Some(i) != column)
            .filter_map(|&i| {
                let v = amount::parse(row.cell(i))?;
                Some((self.cols.printed[i].clone(), v.value()))
            })
            .collect();
        let sheet = self.table.sheet.clone();
        let cell = sheet.as_ref().map(|_| {
            format!(
                "{}{}",
                column_letters(column.unwrap_or(self.roles.label)),
                row.number
            )
        });
        let amount = with_cents(amount);
        self.items.push(LineItem {
            page: row.page,
            line_no: self.next_line,
            label: label.trim().to_string(),
            normalized_label,
            amount,
            other_amounts,
            kind,
            section: self
                .headings
                .iter()
                .map(|h| h.text.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            level: self.headings.len() as u32,
            bbox: row.bbox,
            row: row.bbox.is_none().then_some(row.number),
            sheet,
            cell,
        });
        self.next_line += 1;
        self.fresh_heading = false;
    }
}

/// An amount shown with at least two decimals (a blank zero is `0.00`, `55075` is
/// `55075.00`); more precision than that is kept as printed.
pub fn with_cents(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// The first text cell outside the amount columns.
fn first_text(row: &Row, numeric: &[usize]) -> Option<String> {
    row.cells
        .iter()
        .enumerate()
        .filter(|(i, _)| !numeric.contains(i))
        .map(|(_, c)| c.trim())
        .find(|c| !c.is_empty() && !is_amount(c))
        .map(str::to_string)
}

/// Where the row's label starts: geometry when the source has it, else leading spaces.
fn indent_of(row: &Row) -> f32 {
    row.indent.unwrap_or_else(|| {
        row.cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .map_or(0.0, |c| (c.len() - c.trim_start().len()) as f32)
    })
}

/// Page furniture that can land inside a table: page numbers, "continued" markers.
pub fn is_furniture(label: &str) -> bool {
    let l = label.trim().to_lowercase();
    let page_no = l.strip_prefix("page ").is_some_and(|rest| {
        rest.split_whitespace()
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()))
    });
    page_no
        || l.starts_with("continued on")
        || l == "continued"
        || l.starts_with("(continued")
        || l.starts_with("printed ")
        || l.starts_with("printed:")
        || l.starts_with("run date")
}

/// Whether a statement label is a computed total. "Total …", "Subtotal …", "…, Net"
/// (not "(Net)", which qualifies an account), "… end of period"/"Ending …" always;
/// "Net …" unless it is an account (a printed code, a period qualifier such as "current
/// year", or the first line of its section, where a cash flow carries net income in).
fn is_total_label(raw: &str, norm: &str, has_code: bool, first_in_section: bool) -> bool {
    if has_code {
        return false;
    }
    let starts = |w: &str| norm == w || norm.starts_with(&format!("{w} "));
    if starts("total") || starts("subtotal") || starts("grand total") || starts("totals") {
        return true;
    }
    if raw.trim().to_lowercase().ends_with(", net")
        || norm.contains("end of period")
        || norm.contains("end of year")
        || starts("ending")
    {
        return true;
    }
    let qualified = ["current year", "prior year", "year to date", "ytd"]
        .iter()
        .any(|w| norm.contains(w));
    starts("net") && !first_in_section && !qualified
}

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA).
pub fn column_letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::from_cells(rows)
    }

    fn lines(items: &[LineItem]) -> Vec<(String, String, &'static str)> {
        items
            .iter()
            .map(|i| (i.label.clone(), i.amount.to_string(), i.kind.as_str()))
            .collect()
    }

    fn own(v: &[(&str, &str, &'static str)]) -> Vec<(String, String, &'static str)> {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect()
    }

    #[test]
    fn a_statement_takes_the_current_period_and_knows_its_totals() {
        let t = table(&[
            &["Example Property"],
            &["", "Year to Date", "Current Month"],
            &["REVENUE"],
            &["  Rental Income", "300.00", "100.00"],
            &["  Vacancy", "(5.00)", ""],
            &["TOTAL REVENUE", "295.00", "100.00"],
            &["Page 1 of 1"],
            &["Net Operating Income", "1.00", "2.00"],
        ]);
        let items = interpret(&t, Some(Report::Statement), 1);
        assert_eq!(
            lines(&items),
            own(&[
                ("Rental Income", "100.00", "detail"),
                ("Vacancy", "0.00", "detail"),
                ("TOTAL REVENUE", "100.00", "total"),
                ("Net Operating Income", "2.00", "total"),
            ])
        );
        assert_eq!(items[0].section, "REVENUE");
        assert_eq!(
            items[0].other_amounts,
            vec![("Year to Date".into(), "300.00".parse().unwrap())]
        );
    }

    #[test]
    fn net_income_opening_a_cash_flow_is_a_line_not_a_total() {
        let t = table(&[
            &["", "Current Month"],
            &["OPERATING"],
            &["Net Income (Loss)", "5.00"],
            &["Depreciation", "1.00"],
            &["Net Cash From Operations", "6.00"],
        ]);
        let kinds: Vec<_> = interpret(&t, None, 1).iter().map(|i| i.kind).collect();
        assert_eq!(kinds, vec![Kind::Detail, Kind::Detail, Kind::Subtotal]);
    }

    #[test]
    fn a_rent_roll_reads_the_charged_rent_and_vacant_units_as_zero() {
        let t = table(&[
            &["Unit", "Resident", "Market Rent", "Actual Rent", "Deposit"],
            &["1 Bed"],
            &["101", "Doe, J", "1,000.00", "950.00", "500.00"],
            &["102", "VACANT", "1,000.00", "", ""],
            &["Total", "", "2,000.00", "950.00", "500.00"],
            &["Occupied units: 1 of 2 (50.0%)"],
        ]);
        let items = interpret(&t, None, 1);
        assert_eq!(
            lines(&items),
            own(&[
                ("101", "950.00", "unit"),
                ("102", "0.00", "unit"),
                ("Total", "950.00", "total"),
            ])
        );
    }

    #[test]
    fn a_ledger_nets_postings_and_takes_balances() {
        let t = table(&[
            &[
                "Account",
                "Name",
                "Date",
                "Description",
                "Debit",
                "Credit",
                "Balance",
            ],
            &["1010", "Cash", "", "Beginning Balance", "", "", "100.00"],
            &["1010", "Cash", "02/01/2024", "Rent", "50.00", "", "150.00"],
            &["1010", "Cash", "02/02/2024", "Check", "", "20.00", "130.00"],
            &[
                "1010",
                "Cash",
                "",
                "Total 1010 - Cash",
                "50.00",
                "20.00",
                "130.00",
            ],
            &["", "", "", "Report Total", "50.00", "20.00", ""],
        ]);
        assert_eq!(
            lines(&interpret(&t, None, 1)),
            own(&[
                ("Beginning Balance", "100.00", "balance"),
                ("Rent", "50.00", "transaction"),
                ("Check", "-20.00", "transaction"),
                ("Total 1010 - Cash", "130.00", "total"),
                ("Report Total", "30.00", "total"),
            ])
        );
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
