//! Intake checks of an uploaded file, run on the spooled copy before anything reaches
//! the object store: the extension is on the allow-list AND the content is what the
//! extension claims (PDF header; XLSX is a ZIP holding `[Content_Types].xml` and
//! `xl/workbook.xml`; CSV is UTF-8 text); a PDF is not encrypted and has at most 500
//! pages; an XLSX's entry count and total uncompressed size are capped by reading the
//! ZIP's central directory only, so nothing is ever inflated here (zip-bomb guard).
//!
//! A PDF whose structure cannot be read is *accepted* (pages unknown): extraction tells
//! the user precisely what is wrong with it later. Blocking IO: call from
//! `spawn_blocking`.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Longest PDF accepted, in pages.
pub const MAX_PDF_PAGES: u32 = 500;

/// The formats the product reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Csv,
    Xlsx,
}

impl FileKind {
    /// The kind a client's filename claims, by its extension (case-insensitive).
    pub fn from_filename(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(Self::Pdf),
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// Extension used in object keys.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The content type the service stores and serves.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Caps of the XLSX guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XlsxLimits {
    pub max_entries: usize,
    pub max_uncompressed_bytes: u64,
}

impl Default for XlsxLimits {
    /// A real monthly workbook has tens of entries and a few MB inflated; these leave
    /// room for large GL exports and refuse bombs.
    fn default() -> Self {
        Self {
            max_entries: 5_000,
            max_uncompressed_bytes: 250 * 1024 * 1024,
        }
    }
}

/// What the checks learned about an accepted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub kind: FileKind,
    /// PDF page count when the structure could be read.
    pub pages: Option<u32>,
}

/// Why a file is refused. Each has its own stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error("This file is empty.")]
    Empty,
    #[error("This file is not a PDF, although its name ends in .pdf.")]
    NotPdf,
    #[error(
        "This PDF is encrypted (password-protected). Remove the protection and upload it again."
    )]
    EncryptedPdf,
    #[error(
        "This PDF has {0} pages; at most {MAX_PDF_PAGES} are accepted. Split it and upload the parts."
    )]
    TooManyPages(u32),
    #[error("This file is not an Excel workbook (.xlsx), although its name ends in .xlsx.")]
    NotXlsx,
    #[error(
        "This workbook is too large when unpacked ({entries} entries, {bytes} bytes); it may be corrupt or malicious."
    )]
    XlsxTooLarge { entries: usize, bytes: u64 },
    #[error("This CSV is not UTF-8 text. Export it again as UTF-8 CSV.")]
    NotUtf8,
    #[error("The uploaded file could not be read.")]
    Io,
}

impl IntakeError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::NotPdf | Self::NotXlsx => "wrong_type",
            Self::EncryptedPdf => "encrypted_pdf",
            Self::TooManyPages(_) => "too_many_pages",
            Self::XlsxTooLarge { .. } => "xlsx_too_large",
            Self::NotUtf8 => "not_utf8",
            Self::Io => "unreadable",
        }
    }
}

impl From<std::io::Error> for IntakeError {
    fn from(_: std::io::Error) -> Self {
        Self::Io
    }
}

/// Checks the spooled file at `path` as the `kind` its name claims.
pub fn inspect(kind: FileKind, path: &Path) -> Result<Facts, IntakeError> {
    inspect_with(kind, path, XlsxLimits::default())
}

/// [`inspect`] with explicit XLSX caps (tests use small ones).
pub fn inspect_with(kind: FileKind, path: &Path, limits: XlsxLimits) -> Result<Facts, IntakeError> {
    if std::fs::metadata(path)?.len() == 0 {
        return Err(IntakeError::Empty);
    }
    let pages = match kind {
        FileKind::Pdf => pdf(path)?,
        FileKind::Xlsx => {
            xlsx(path, limits)?;
            None
        }
        FileKind::Csv => {
            csv(path)?;
            None
        }
    };
    Ok(Facts { kind, pages })
}

fn pdf(path: &Path) -> Result<Option<u32>, IntakeError> {
    let mut head = [0u8; 1024];
    let n = read_prefix(path, &mut head)?;
    // The header may follow a little junk (readers allow it within the first 1 KB).
    if !head[..n].windows(5).any(|w| w == b"%PDF-") {
        return Err(IntakeError::NotPdf);
    }
    let file = File::open(path)?;
    // SAFETY: the spooled file is private to this upload and not modified while mapped.
    let map = unsafe { memmap2::Mmap::map(&file) }?;
    // lopdf can panic on hostile input; a panic must not take the request down.
    let parsed = std::panic::catch_unwind(|| lopdf::Document::load_metadata_mem(&map));
    match parsed {
        Ok(Ok(meta)) if meta.encrypted => Err(IntakeError::EncryptedPdf),
        Ok(Ok(meta)) if meta.page_count > MAX_PDF_PAGES => {
            Err(IntakeError::TooManyPages(meta.page_count))
        }
        Ok(Ok(meta)) => Ok(Some(meta.page_count).filter(|n| *n > 0)),
        // Unreadable structure: accepted; extraction explains it to the user.
        Ok(Err(_)) | Err(_) => Ok(None),
    }
}

fn read_prefix(path: &Path, buf: &mut [u8]) -> Result<usize, IntakeError> {
    let mut file = File::open(path)?;
    let mut filled = 0;
    while filled < buf.len() {
        let n = file.read(&mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

fn xlsx(path: &Path, limits: XlsxLimits) -> Result<(), IntakeError> {
    let mut magic = [0u8; 4];
    if read_prefix(path, &mut magic)? < 4 || &magic != b"PK\x03\x04" {
        return Err(IntakeError::NotXlsx);
    }
    // Reads the central directory only: names and declared sizes, nothing inflated.
    let mut archive = zip::ZipArchive::new(BufReader::new(File::open(path)?))
        .map_err(|_| IntakeError::NotXlsx)?;
    let entries = archive.len();
    if entries > limits.max_entries {
        return Err(IntakeError::XlsxTooLarge { entries, bytes: 0 });
    }
    let mut total: u64 = 0;
    let (mut content_types, mut workbook) = (false, false);
    for i in 0..entries {
        // Raw access: the entry's declared size and name, its data left compressed.
        let entry = archive.by_index_raw(i).map_err(|_| IntakeError::NotXlsx)?;
        total = total.saturating_add(entry.size());
        match entry.name().as_deref() {
            Ok("[Content_Types].xml") => content_types = true,
            Ok("xl/workbook.xml") => workbook = true,
            _ => {}
        }
    }
    if total > limits.max_uncompressed_bytes {
        return Err(IntakeError::XlsxTooLarge {
            entries,
            bytes: total,
        });
    }
    if !(content_types && workbook) {
        return Err(IntakeError::NotXlsx);
    }
    Ok(())
}

fn csv(path: &Path) -> Result<(), IntakeError> {
    let mut file = BufReader::new(File::open(path)?);
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes of a UTF-8 sequence cut by the end of the previous read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(text) => {
                if text.contains('\0') {
                    return Err(IntakeError::NotUtf8);
                }
                carry.clear();
            }
            Err(e) if e.error_len().is_none() => {
                // An incomplete sequence at the end: keep it for the next read.
                let valid = e.valid_up_to();
                if carry[..valid].contains(&0) {
                    return Err(IntakeError::NotUtf8);
                }
                carry.drain(..valid);
            }
            Err(_) => return Err(IntakeError::NotUtf8),
        }
    }
    if carry.is_empty() {
        Ok(())
    } else {
        Err(IntakeError::NotUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_extension() {
        assert_eq!(
            FileKind::from_filename("Balance Sheet.PDF"),
            Some(FileKind::Pdf)
        );
        assert_eq!(FileKind::from_filename("gl.csv"), Some(FileKind::Csv));
        assert_eq!(FileKind::from_filename("x.tar.xlsx"), Some(FileKind::Xlsx));
        for bad in ["report.txt", "pdf", "x.xls", "x.pdf.exe", ""] {
            assert_eq!(FileKind::from_filename(bad), None, "{bad}");
        }
    }

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        f
    }

    #[test]
    fn csv_must_be_utf8_even_across_read_boundaries() {
        let mut text = "a".repeat(64 * 1024 - 1).into_bytes();
        text.extend_from_slice("é,1\n".as_bytes()); // 'é' straddles the 64 KiB boundary
        assert_eq!(
            inspect(FileKind::Csv, file_with(&text).path()).map(|f| f.kind),
            Ok(FileKind::Csv)
        );
        assert_eq!(
            inspect(
                FileKind::Csv,
                file_with(b"name,amount\n\xff\xfe,1\n").path()
            ),
            Err(IntakeError::NotUtf8)
        );
        assert_eq!(
            inspect(FileKind::Csv, file_with(b"a\0b").path()),
            Err(IntakeError::NotUtf8)
        );
        assert_eq!(
            inspect(FileKind::Csv, file_with(b"caf\xc3").path()),
            Err(IntakeError::NotUtf8),
            "cut at the end"
        );
        assert_eq!(
            inspect(FileKind::Csv, file_with(b"").path()),
            Err(IntakeError::Empty)
        );
    }

    #[test]
    fn renamed_files_are_refused() {
        assert_eq!(
            inspect(FileKind::Pdf, file_with(b"just some text\n").path()),
            Err(IntakeError::NotPdf)
        );
        assert_eq!(
            inspect(FileKind::Xlsx, file_with(b"%PDF-1.7\n").path()),
            Err(IntakeError::NotXlsx)
        );
    }
}
