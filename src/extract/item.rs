//! What extraction produces: line items as the statement printed them, with where each
//! came from (page and box for PDF, row/sheet/cell for tables), and the kinds of report
//! an extractor reads a table as.

use rust_decimal::Decimal;

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A statement line that is not a total.
    Detail,
    /// A total inside a section.
    Subtotal,
    /// A top-level total.
    Total,
    /// A rent-roll unit.
    Unit,
    /// A GL posting.
    Transaction,
    /// A GL beginning balance.
    Balance,
}

impl Kind {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Detail => "detail",
            Kind::Subtotal => "subtotal",
            Kind::Total => "total",
            Kind::Unit => "unit",
            Kind::Transaction => "transaction",
            Kind::Balance => "balance",
        }
    }

    /// Whether lines of this kind sum other lines.
    pub fn is_total(self) -> bool {
        matches!(self, Kind::Subtotal | Kind::Total | Kind::Balance)
    }
}

/// How the rows of a report are read: statements pick one period column; a rent roll
/// reads one rent per unit; a ledger reads debits, credits and balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    Statement,
    RentRoll,
    Ledger,
}

impl Report {
    /// The report a document type names (`None`: decide from the column headers).
    pub fn for_doc_type(doc_type: &str) -> Option<Report> {
        match doc_type {
            "balance_sheet" | "income_statement" | "cash_flow" => Some(Report::Statement),
            "rent_roll" => Some(Report::RentRoll),
            "gl_export" => Some(Report::Ledger),
            _ => None,
        }
    }
}

/// One extracted line.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LineItem {
    /// 1-based page (tables: 1).
    pub page: u32,
    /// 1-based position in the document.
    pub line_no: u32,
    /// The label as printed (a wrapped label joined with one space).
    pub label: String,
    pub normalized_label: String,
    /// The current-period value, exact, signed as printed.
    pub amount: Decimal,
    /// The other printed amount columns, by header.
    pub other_amounts: Vec<(String, Decimal)>,
    pub kind: Kind,
    /// Enclosing section headings, " / "-joined.
    pub section: String,
    /// Indent level (0 = outermost).
    pub level: u32,
    /// `[x0, top, x1, bottom]` in points from the top-left (PDF).
    pub bbox: Option<[f32; 4]>,
    /// Source row (CSV/XLSX).
    pub row: Option<u32>,
    /// Worksheet and cell of the amount (XLSX).
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl LineItem {
    /// True for subtotals, totals and ledger balance lines.
    pub fn is_total(&self) -> bool {
        self.kind.is_total()
    }
}
