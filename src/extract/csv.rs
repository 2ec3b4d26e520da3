//! CSV into a [`Table`]: RFC 4180 quoting (commas, quotes and line breaks inside quoted
//! cells), a UTF-8 byte-order mark ignored, ragged rows allowed, row numbers as a
//! spreadsheet would show them (a quoted line break does not start a new row). The
//! upload already refused non-UTF-8 bytes; they are still an error here, never a panic.

use super::table::{MAX_COLUMNS, MAX_ROWS, Row, Table, TableError};

/// Reads `bytes` as CSV.
pub fn read(bytes: &[u8]) -> Result<Table, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| TableError::Malformed("CSV", plain(&e)))?;
        if rows.len() == MAX_ROWS {
            return Err(TableError::TooManyRows(MAX_ROWS));
        }
        if record.len() > MAX_COLUMNS {
            return Err(TableError::TooManyColumns(MAX_COLUMNS));
        }
        let number = line_of(bytes, record.position(), i)
            .try_into()
            .unwrap_or(u32::MAX);
        rows.push(Row::new(
            number,
            record.iter().map(str::to_string).collect(),
        ));
    }
    if rows.is_empty() {
        return Err(TableError::Empty);
    }
    Ok(Table {
        rows,
        ..Table::default()
    })
}

/// The physical line a record starts on. The reader reports where it started parsing,
/// which is before any blank lines it skipped; those still count as lines.
fn line_of(bytes: &[u8], position: Option<&csv::Position>, index: usize) -> u64 {
    let Some(p) = position else {
        return index as u64 + 1;
    };
    let start = usize::try_from(p.byte())
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let skipped = bytes[start..]
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .filter(|b| **b == b'\n')
        .count() as u64;
    p.line() + skipped
}

/// The reader's error without Rust type names.
fn plain(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, .. } => format!(
            "the text is not UTF-8{}",
            pos.as_ref()
                .map(|p| format!(" (line {})", p.line()))
                .unwrap_or_default()
        ),
        _ => "its quoting is broken".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_bom_blank_lines_and_ragged_rows() {
        let t = read(b"\xEF\xBB\xBFTitle\n\n,Amount\n\"Cash, operating\",\"1,234.56\"\n\"Wrapped\nlabel\",5\nlast\n")
            .unwrap();
        let rows: Vec<(u32, Vec<&str>)> = t
            .rows
            .iter()
            .map(|r| (r.number, r.cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (1, vec!["Title"]),
                (3, vec!["", "Amount"]),
                (4, vec!["Cash, operating", "1,234.56"]),
                (5, vec!["Wrapped\nlabel", "5"]),
                (7, vec!["last"]),
            ]
        );
        assert_eq!(t.rows[1].cell(1), "Amount");
        assert_eq!(t.rows[1].cell(9), "");
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert_eq!(read(b""), Err(TableError::Empty));
        assert!(
            matches!(read(b"a,\xff\xfe\n"), Err(TableError::Malformed(_, m)) if m.contains("UTF-8"))
        );
        let wide = vec![b','; MAX_COLUMNS + 1];
        assert_eq!(read(&wide), Err(TableError::TooManyColumns(MAX_COLUMNS)));
    }
}
