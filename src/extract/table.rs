//! The format-neutral table every tabular source becomes before it is read as a
//! statement: rows of text cells with the row number the source shows (1-based), so a
//! line item can point back to its row. CSV and XLSX readers produce it.

/// One row: its 1-based number in the source and its cells as text (trailing blanks kept,
/// rows may be ragged). Rows rebuilt from a PDF page also carry the page, where the label
/// starts (points from the left edge, for indent levels) and the row's box.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: u32,
    pub cells: Vec<String>,
    pub page: u32,
    /// Where the label starts: leading spaces for text sources, x in points for PDF.
    pub indent: Option<f32>,
    /// `[x0, top, x1, bottom]` in points, origin top-left (PDF only).
    pub bbox: Option<[f32; 4]>,
}

impl Row {
    /// A row of a text source (page 1, no geometry).
    pub fn new(number: u32, cells: Vec<String>) -> Self {
        Row {
            number,
            cells,
            page: 1,
            indent: None,
            bbox: None,
        }
    }

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
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// The worksheet it came from (XLSX).
    pub sheet: Option<String>,
    /// The index in `rows` of the column-header row, when the source already knows it
    /// (PDF pages are laid out around their header); otherwise it is detected.
    pub header: Option<usize>,
}

impl Table {
    /// A table of text rows numbered from 1 (for tests of the readers above it).
    #[cfg(test)]
    pub fn from_cells(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Row::new(i as u32 + 1, r.iter().map(|c| c.to_string()).collect()))
                .collect(),
            ..Table::default()
        }
    }
}

/// Why a table could not be read, in words for the document's owner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("The file is not readable as {0}: {1}")]
    Malformed(&'static str, String),
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
