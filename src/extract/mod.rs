//! Extraction, the pure core: bytes of a statement in, line items out. No IO, no async.
//! The pieces every format shares live here — reading printed amounts (`amount`),
//! normalizing labels (`label`), the format-neutral `table` that the CSV (`csv`), XLSX
//! (`xlsx`) and PDF (`pdf` + `layout`) readers produce, finding columns (`columns`),
//! reading a table as a report (`interpret`), and scoring output against ground truth
//! (`score`). [`extract`] is the one entry point the worker calls.

pub mod amount;
pub mod columns;
pub mod csv;
pub mod interpret;
pub mod item;
pub mod label;
pub mod layout;
pub mod pdf;
pub mod score;
pub mod table;
pub mod xlsx;

pub use item::{Kind, LineItem, Report};

/// Stored with every set of lines, so a later extractor can tell which lines it did not
/// produce. Bump when the output for the same bytes changes.
pub const VERSION: &str = "ledgerlens-extract/1";

/// The formats a document can be uploaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Csv,
    Xlsx,
}

impl Format {
    /// From the stored format word (`pdf`, `csv`, `xlsx`).
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "pdf" => Some(Format::Pdf),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// What one extraction produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extraction {
    pub items: Vec<LineItem>,
    /// Pages read (tables: 1 per worksheet).
    pub pages: u32,
}

/// Why a document gave no lines, in words for its owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error(transparent)]
    Table(#[from] table::TableError),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(
        "No line items found: the file has no rows that pair a label with an amount under column headers."
    )]
    NoLines,
}

/// Extracts the line items of `bytes`, read as `report` (or as its headers suggest).
pub fn extract(
    bytes: &[u8],
    format: Format,
    report: Option<Report>,
) -> Result<Extraction, ExtractError> {
    let (tables, pages) = match format {
        Format::Csv => (vec![csv::read(bytes)?], 1),
        Format::Xlsx => {
            let tables = xlsx::read(bytes)?;
            let n = tables.len() as u32;
            (tables, n)
        }
        Format::Pdf => {
            let pages = pdf::pages(bytes)?;
            let n = pages.len() as u32;
            (layout::table(&pages).into_iter().collect(), n)
        }
    };
    let mut items = Vec::new();
    for table in &tables {
        let next = items.len() as u32 + 1;
        items.extend(interpret::interpret(table, report, next));
    }
    if items.is_empty() {
        return Err(ExtractError::NoLines);
    }
    Ok(Extraction { items, pages })
}
