//! Intake checks against real files: every sample package file passes as what its name
//! says; every real-world PDF of the corpus is accepted or refused with a clear reason,
//! never a crash; renamed files, encrypted PDFs, overlong PDFs and zip bombs are refused.

use std::path::{Path, PathBuf};

use ledgerlens::server::intake::{
    FileKind, IntakeError, MAX_PDF_PAGES, XlsxLimits, inspect, inspect_with,
};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_sample_file_passes_as_what_its_name_says() {
    let mut seen = [0; 3];
    for path in files_under(&shared().join("samples/packages")) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(kind) = FileKind::from_filename(name) else {
            continue;
        };
        let facts = inspect(kind, &path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(facts.kind, kind);
        match kind {
            FileKind::Pdf => {
                assert!(facts.pages.is_some_and(|p| p >= 1), "{name}: {facts:?}");
                seen[0] += 1;
            }
            FileKind::Csv => seen[1] += 1,
            FileKind::Xlsx => seen[2] += 1,
        }
    }
    assert!(seen.iter().all(|n| *n >= 10), "samples found: {seen:?}");
}

#[test]
fn every_corpus_pdf_is_accepted_or_refused_with_a_reason() {
    let mut refused = Vec::new();
    for path in files_under(&shared().join("corpus/real-pdfs")) {
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        match inspect(FileKind::Pdf, &path) {
            Ok(_) => {}
            Err(e) => refused.push((path.file_name().unwrap().to_string_lossy().into_owned(), e)),
        }
    }
    assert!(
        refused.contains(&("password-example.pdf".into(), IntakeError::EncryptedPdf)),
        "{refused:?}"
    );
    for (name, err) in &refused {
        assert!(
            matches!(
                err,
                IntakeError::EncryptedPdf | IntakeError::Empty | IntakeError::NotPdf
            ),
            "{name}: unexpected {err:?}"
        );
    }
}

#[test]
fn a_renamed_sample_is_refused_as_the_wrong_type() {
    let samples = files_under(&shared().join("samples/packages"));
    let xlsx = samples
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    let pdf = samples
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    assert_eq!(
        inspect(FileKind::Pdf, xlsx).unwrap_err().code(),
        "wrong_type"
    );
    assert_eq!(
        inspect(FileKind::Xlsx, pdf).unwrap_err().code(),
        "wrong_type"
    );
    assert_eq!(
        inspect(FileKind::Csv, xlsx).unwrap_err(),
        IntakeError::NotUtf8
    );
}

fn zip_with(entries: &[(&str, usize)]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    let mut w = zip::ZipWriter::new(file.reopen().unwrap());
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, size) in entries {
        w.start_file(*name, opts).unwrap();
        std::io::Write::write_all(&mut w, &vec![b'x'; *size]).unwrap();
    }
    w.finish().unwrap();
    file
}

#[test]
fn workbooks_are_capped_before_anything_is_inflated() {
    let limits = XlsxLimits {
        max_entries: 10,
        max_uncompressed_bytes: 10_000,
    };
    let ok = zip_with(&[("[Content_Types].xml", 100), ("xl/workbook.xml", 100)]);
    assert!(inspect_with(FileKind::Xlsx, ok.path(), limits).is_ok());

    let big = zip_with(&[
        ("[Content_Types].xml", 100),
        ("xl/workbook.xml", 100),
        ("xl/sheet1.xml", 20_000),
    ]);
    assert!(matches!(
        inspect_with(FileKind::Xlsx, big.path(), limits),
        Err(IntakeError::XlsxTooLarge { bytes: 20_200, .. })
    ));

    let names: Vec<String> = (0..11).map(|i| format!("x{i}.xml")).collect();
    let many: Vec<(&str, usize)> = names.iter().map(|n| (n.as_str(), 1)).collect();
    assert!(matches!(
        inspect_with(FileKind::Xlsx, zip_with(&many).path(), limits),
        Err(IntakeError::XlsxTooLarge { entries: 11, .. })
    ));

    let not_a_workbook = zip_with(&[("readme.txt", 10)]);
    assert_eq!(
        inspect_with(FileKind::Xlsx, not_a_workbook.path(), limits),
        Err(IntakeError::NotXlsx)
    );
}

/// A minimal valid PDF with `n` empty pages.
fn pdf_with_pages(n: u32) -> tempfile::NamedTempFile {
    let mut body = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
    ];
    objects.extend(
        (0..n).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_string()),
    );
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(body.len());
        body.push_str(&format!("{} 0 obj\n{obj}\nendobj\n", i + 1));
    }
    let xref = body.len();
    body.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for o in offsets {
        body.push_str(&format!("{o:010} 00000 n \n"));
    }
    body.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    let mut f = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut f, body.as_bytes()).unwrap();
    f
}

#[test]
fn pdfs_over_the_page_limit_are_refused() {
    let at_limit = inspect(FileKind::Pdf, pdf_with_pages(MAX_PDF_PAGES).path()).unwrap();
    assert_eq!(at_limit.pages, Some(MAX_PDF_PAGES));
    let over = inspect(FileKind::Pdf, pdf_with_pages(MAX_PDF_PAGES + 1).path()).unwrap_err();
    assert_eq!(over, IntakeError::TooManyPages(MAX_PDF_PAGES + 1));
    assert_eq!(over.code(), "too_many_pages");
}
