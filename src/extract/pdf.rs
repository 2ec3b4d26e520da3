//! PDF bytes into positioned text runs per page, through pdf_oxide (chosen by measurement
//! against other libraries and `pdftotext -layout`: docs/extraction.md). Coordinates come
//! out in points with the origin at the top-left of the page, as [`super::layout`] and
//! the document page's highlight expect. A document that cannot be read says why in
//! words its owner understands: a password, no text layer, not a PDF at all.

use pdf_oxide::PdfDocument;

use super::layout::{Page, Run};

/// Most pages read from one document (a monthly package is far below).
pub const MAX_PAGES: usize = 2_000;

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("The PDF is password-protected; upload a copy without a password.")]
    Encrypted,
    #[error("No text layer: scanned PDFs are not supported yet.")]
    NoText,
    #[error("The file is not a readable PDF ({0}).")]
    Malformed(String),
    #[error("The PDF has no pages.")]
    Empty,
    #[error("The PDF has more than {0} pages; split it and upload the parts.")]
    TooManyPages(usize),
}

/// Every page's text runs.
pub fn pages(bytes: &[u8]) -> Result<Vec<Page>, PdfError> {
    let doc = PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| classify(&e.to_string()))?;
    if doc.is_encrypted() && !doc.authenticate(b"").unwrap_or(false) {
        return Err(PdfError::Encrypted);
    }
    let count = doc.page_count().map_err(|e| classify(&e.to_string()))?;
    if count == 0 {
        return Err(PdfError::Empty);
    }
    if count > MAX_PAGES {
        return Err(PdfError::TooManyPages(MAX_PAGES));
    }
    let mut pages = Vec::with_capacity(count);
    for index in 0..count {
        let (x0, y0, x1, y1) = doc
            .get_page_media_box(index)
            .unwrap_or((0.0, 0.0, 612.0, 792.0));
        let height = (y1 - y0).abs();
        // A page whose text cannot be decoded counts as a page without text.
        let spans = doc.extract_spans(index).unwrap_or_default();
        let runs = spans
            .into_iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| {
                let b = s.bbox;
                // pdf_oxide reports boxes in PDF space (origin bottom-left).
                let top = y1 - (b.y + b.height);
                Run {
                    text: s.text,
                    x0: b.x - x0,
                    x1: b.x + b.width - x0,
                    top,
                    bottom: top + b.height,
                }
            })
            .collect();
        pages.push(Page {
            number: index as u32 + 1,
            width: (x1 - x0).abs(),
            height,
            runs,
        });
    }
    if pages.iter().all(|p| p.runs.is_empty()) {
        return Err(PdfError::NoText);
    }
    Ok(pages)
}

/// The library's error as one of ours.
fn classify(message: &str) -> PdfError {
    let m = message.to_lowercase();
    if m.contains("encrypt") || m.contains("password") || m.contains("decrypt") {
        PdfError::Encrypted
    } else {
        PdfError::Malformed(if m.contains("header") {
            "no PDF header".into()
        } else {
            "its structure is damaged".into()
        })
    }
}
