//! XLSX into [`Table`]s, one per worksheet that holds anything, through calamine. Row
//! numbers and column positions are the sheet's own (a sheet whose used range starts at
//! C5 still puts C5 in column 2 of row 5), so a line item can name its cell.
//!
//! Numbers: calamine hands cell values over as `f64`. A workbook stores them as decimal
//! text that a writer produced from a double, so the shortest text that reads back as the
//! same double (Rust's `Display`) is the value the writer meant — `186.9` stays `186.9`,
//! and Excel's 17-digit spellings such as `186.90000000000001` come back as `186.9` —
//! and that text is what the amount reader gets. Dates become `mm/dd/yyyy` text, never an
//! amount.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::table::{MAX_COLUMNS, MAX_ROWS, Row, Table, TableError};

/// Reads every non-empty worksheet of `bytes`. calamine panics on some malformed sheets
/// (found by fuzzing: an over-long cell reference overflows its column arithmetic); such
/// a file is reported as damaged, not allowed to unwind through the caller.
pub fn read(bytes: &[u8]) -> Result<Vec<Table>, TableError> {
    std::panic::catch_unwind(|| read_sheets(bytes)).unwrap_or_else(|_| {
        Err(TableError::Malformed(
            "XLSX",
            "its structure is damaged (a cell reference cannot be read)".into(),
        ))
    })
}

fn read_sheets(bytes: &[u8]) -> Result<Vec<Table>, TableError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Malformed("XLSX", plain(&e)))?;
    let mut tables = Vec::new();
    let mut total_rows = 0usize;
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| TableError::Malformed("XLSX", plain(&e)))?;
        let Some((first_row, first_col)) = range.start() else {
            continue;
        };
        let (height, width) = range.get_size();
        total_rows += height;
        if total_rows > MAX_ROWS {
            return Err(TableError::TooManyRows(MAX_ROWS));
        }
        if width + first_col as usize > MAX_COLUMNS {
            return Err(TableError::TooManyColumns(MAX_COLUMNS));
        }
        let rows: Vec<Row> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut text = vec![String::new(); first_col as usize];
                text.extend(cells.iter().map(cell_text));
                Row::new(first_row + i as u32 + 1, text)
            })
            .collect();
        if rows.iter().any(|r| !r.is_blank()) {
            tables.push(Table {
                rows,
                sheet: Some(name),
                header: None,
            });
        }
    }
    if tables.is_empty() {
        return Err(TableError::Empty);
    }
    Ok(tables)
}

/// A cell as the text the amount and label readers expect.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// An Excel date serial (days since 1899-12-30) as `mm/dd/yyyy`.
fn serial_date(serial: f64) -> String {
    let epoch =
        time::Date::from_calendar_date(1899, time::Month::December, 30).unwrap_or(time::Date::MIN);
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return String::new();
    }
    match epoch.checked_add(time::Duration::days(days as i64)) {
        Some(d) => format!("{:02}/{:02}/{}", u8::from(d.month()), d.day(), d.year()),
        None => String::new(),
    }
}

/// The library's error without type names.
fn plain(e: &calamine::XlsxError) -> String {
    match e {
        calamine::XlsxError::Zip(_) => "it is not a valid XLSX (zip) file".into(),
        calamine::XlsxError::Io(_) => "it could not be read".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_in_words() {
        match read(b"not a zip") {
            Err(TableError::Malformed(_, m)) => assert!(m.contains("zip"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_sheet_that_makes_the_library_panic_is_a_damaged_file() {
        // The input the XLSX fuzz target found (tests/fixtures).
        let bytes = include_bytes!("../../tests/fixtures/fuzz-xlsx-cell-reference-overflow.xlsx");
        match read(bytes) {
            Err(TableError::Malformed(_, m)) => assert!(m.contains("damaged"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serial_dates_read_as_calendar_dates() {
        assert_eq!(serial_date(45352.0), "03/01/2024");
        assert_eq!(serial_date(-5.0), "");
    }

    #[test]
    fn floats_keep_the_digits_the_writer_meant() {
        assert_eq!(cell_text(&Data::Float(186.9)), "186.9");
        // Excel's 17-digit spelling of the same double.
        let excel: f64 = "186.90000000000001".parse().unwrap();
        assert_eq!(cell_text(&Data::Float(excel)), "186.9");
        assert_eq!(cell_text(&Data::Float(55075.0)), "55075");
        assert_eq!(cell_text(&Data::Float(-0.1 - 0.2)), "-0.30000000000000004");
    }
}
