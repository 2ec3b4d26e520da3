//! Documents as the UI and the API show them, and the document types.

use serde::{Deserialize, Serialize};

/// Largest accepted file, in bytes (50 MB): the server refuses past it, the upload
/// panel says so before sending.
pub const MAX_UPLOAD_BYTES: u64 = 50 * 1000 * 1000;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    BalanceSheet,
    IncomeStatement,
    CashFlow,
    RentRoll,
    GlExport,
}

impl DocType {
    /// Every type, in the order pickers show them.
    pub const ALL: [DocType; 5] = [
        DocType::BalanceSheet,
        DocType::IncomeStatement,
        DocType::CashFlow,
        DocType::RentRoll,
        DocType::GlExport,
    ];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::BalanceSheet => "balance_sheet",
            DocType::IncomeStatement => "income_statement",
            DocType::CashFlow => "cash_flow",
            DocType::RentRoll => "rent_roll",
            DocType::GlExport => "gl_export",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            DocType::BalanceSheet => "Balance sheet",
            DocType::IncomeStatement => "Income statement",
            DocType::CashFlow => "Cash flow",
            DocType::RentRoll => "Rent roll",
            DocType::GlExport => "GL export",
        }
    }

    /// Parses a stored or submitted name.
    pub fn parse(s: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// A document's metadata (`GET /api/v1/documents/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    pub id: uuid::Uuid,
    /// The property's code.
    pub property: String,
    pub property_id: uuid::Uuid,
    /// `yyyy-mm`.
    pub period: String,
    pub doc_type: DocType,
    pub status: String,
    /// Why extraction failed, in words for people; `None` otherwise.
    pub error: Option<String>,
    pub pages: Option<i32>,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub job_id: Option<uuid::Uuid>,
    /// Extraction progress, 0–100 (`None` without a job).
    pub progress: Option<i16>,
}

/// The document list's filters as the URL carries them (empty = any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentQuery {
    #[serde(default)]
    pub property: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub doc_type: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub after: String,
}

/// One page of documents, newest first, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    pub documents: Vec<DocumentView>,
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_types_round_trip() {
        for d in DocType::ALL {
            assert_eq!(DocType::parse(d.as_str()), Some(d));
        }
        assert_eq!(DocType::parse("invoice"), None);
    }
}

/// One extracted line as the UI and the API show it. `amount` is an exact decimal
/// string (never a float), signed as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    pub page: i32,
    pub line_no: i32,
    pub label: String,
    pub normalized_label: String,
    pub amount: String,
    pub is_total: bool,
    /// detail, subtotal, total, unit, transaction or balance.
    pub kind: String,
    pub section: String,
    pub level: i32,
    /// `[x0, top, x1, bottom]` in points from the page's top-left (PDF only).
    pub bbox: Option<Vec<f32>>,
    /// Source row (CSV/XLSX), worksheet and cell of the amount (XLSX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

/// A document's extracted lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentLines {
    pub document_id: uuid::Uuid,
    pub status: String,
    pub extractor_version: Option<String>,
    pub lines: Vec<LineView>,
}
