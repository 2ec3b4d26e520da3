//! The format-neutral table every tabular source becomes before it is read as a
//! statement: rows of text cells with the row number the source shows (1-based), so a
//! line item can point back to its row. CSV and XLSX readers produce it.

/// One row: its 1-based number in the source and its cells as text (trailing blanks kept,
/// rows may be ragged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
}

impl Row {
    /// True when every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The cell at `i`, trimmed (`""` past the end).
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }
}

/// A whole table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
}

/// Why a table could not be read, in words for the document's owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("The file is not readable as CSV: {0}")]
    Malformed(String),
    #[error("The file has more than {0} rows; split it and upload the parts.")]
    TooManyRows(usize),
    #[error("A row has more than {0} columns; this does not look like a financial report.")]
    TooManyColumns(usize),
    #[error("The file holds no rows.")]
    Empty,
}

/// Most rows a table may have (a GL export of a large property stays far below).
pub const MAX_ROWS: usize = 200_000;
/// Most cells in one row.
pub const MAX_COLUMNS: usize = 500;
