//! PDF text libraries compared on the sample PDFs, and extraction speed against
//! `pdftotext -layout` on the same files, in one run (this machine is shared and noisy:
//! ratios, never absolute timings, and no timing assertions — `make bench-extract`
//! prints the figures, docs/extraction.md records them).
//!
//! Candidates feed the same layout and interpreter, so only the text runs differ:
//! - pdf_oxide text spans (in-process, pure Rust — the one the product uses);
//! - poppler's word boxes (`pdftotext -bbox-layout`, the engine poppler-rs binds),
//!   grouped into runs where the gap between words is wider than a space.
//!
//! Accuracy is F1 against the ground truth (normalized label + amount to the cent).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use ledgerlens::extract::layout::{self, Page, Run};
use ledgerlens::extract::score::{Key, Score, score};
use ledgerlens::extract::{Format, Report, extract, interpret, pdf};

/// Every sample PDF with its truth lines and document type.
fn samples() -> Vec<(PathBuf, Vec<Key>, Option<Report>, u32)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/packages");
    let mut out = Vec::new();
    for package in std::fs::read_dir(&root).expect("samples beside the clone") {
        for file in std::fs::read_dir(package.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("pdf") {
                continue;
            }
            let truth: serde_json::Value = serde_json::from_slice(
                &std::fs::read(format!("{}.truth.json", path.display())).unwrap(),
            )
            .unwrap();
            let keys = truth["line_items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l["normalized_label"].as_str().unwrap().to_string(),
                        l["amount"].as_str().unwrap().parse().unwrap(),
                    )
                })
                .collect();
            let report = Report::for_doc_type(truth["document"]["doc_type"].as_str().unwrap());
            let pages = truth["document"]["pages"].as_u64().unwrap() as u32;
            out.push((path, keys, report, pages));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn keys_of(pages: &[Page], report: Option<Report>) -> Vec<Key> {
    let Some(table) = layout::table(pages) else {
        return Vec::new();
    };
    interpret::interpret(&table, report, 1)
        .into_iter()
        .map(|i| (i.normalized_label, i.amount))
        .collect()
}

/// Poppler's words (`pdftotext -bbox-layout`) grouped into runs per line.
fn poppler_pages(path: &Path) -> Vec<Page> {
    let out = Command::new("pdftotext")
        .args(["-bbox-layout", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils, installed by make setup)");
    let html = String::from_utf8_lossy(&out.stdout);
    let mut pages = Vec::new();
    for (n, page) in html.split("<page ").skip(1).enumerate() {
        let mut runs: Vec<Run> = Vec::new();
        for line in page.split("<line").skip(1) {
            let mut current: Option<Run> = None;
            for word in line.split("<word ").skip(1) {
                let attr = |name: &str| -> f32 {
                    let at = word.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    word[at..at + word[at..].find('"').unwrap()]
                        .parse()
                        .unwrap()
                };
                let text = word[word.find('>').unwrap() + 1..word.find("</word>").unwrap()]
                    .replace("&amp;", "&")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'");
                let w = Run {
                    text,
                    x0: attr("xMin"),
                    x1: attr("xMax"),
                    top: attr("yMin"),
                    bottom: attr("yMax"),
                };
                match current.as_mut() {
                    // A gap wider than about half the text height starts a new run.
                    Some(r) if w.x0 - r.x1 < (r.bottom - r.top) * 0.6 => {
                        r.text.push(' ');
                        r.text.push_str(&w.text);
                        r.x1 = w.x1;
                    }
                    _ => {
                        runs.extend(current.take());
                        current = Some(w);
                    }
                }
            }
            runs.extend(current);
        }
        pages.push(Page {
            number: n as u32 + 1,
            width: 0.0,
            height: 0.0,
            runs,
        });
    }
    pages
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

#[test]
fn pdf_libraries_and_extraction_speed() {
    let samples = samples();
    assert!(samples.len() >= 40, "{} sample PDFs", samples.len());
    let mut scores: BTreeMap<&str, Score> = BTreeMap::new();
    let (mut oxide_time, mut poppler_time, mut ours_time, mut reference_time) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut pages_total = 0;
    for (path, truth, report, pages) in &samples {
        let bytes = std::fs::read(path).unwrap();
        pages_total += pages;
        let (t, oxide) = time(|| pdf::pages(&bytes).unwrap());
        oxide_time += t;
        let (t, poppler) = time(|| poppler_pages(path));
        poppler_time += t;
        for (name, pages) in [
            ("pdf_oxide spans", &oxide),
            ("poppler words (pdftotext -bbox-layout)", &poppler),
        ] {
            let entry = scores.entry(name).or_default();
            *entry = *entry + score(truth, &keys_of(pages, *report));
        }
        // Speed: our whole extraction against pdftotext -layout's text, same file.
        let (t, lines) = time(|| extract(&bytes, Format::Pdf, *report).unwrap().items.len());
        ours_time += t;
        assert!(lines > 0);
        let (t, out) = time(|| {
            Command::new("pdftotext")
                .args(["-layout", path.to_str().unwrap(), "-"])
                .output()
                .unwrap()
        });
        reference_time += t;
        assert!(out.status.success());
    }
    let per_page = |d: Duration| d.as_secs_f64() * 1000.0 / f64::from(pages_total);
    println!("{} sample PDFs, {pages_total} pages", samples.len());
    for (name, s) in &scores {
        println!(
            "  {name:<42} F1 {:.4} (P {:.4} R {:.4})",
            s.f1(),
            s.precision(),
            s.recall()
        );
    }
    println!(
        "  text runs per page: pdf_oxide {:.2} ms, poppler -bbox-layout {:.2} ms (process included)",
        per_page(oxide_time),
        per_page(poppler_time)
    );
    println!(
        "  extraction per page: ledgerlens {:.2} ms, pdftotext -layout {:.2} ms (process included); ratio {:.2}",
        per_page(ours_time),
        per_page(reference_time),
        ours_time.as_secs_f64() / reference_time.as_secs_f64()
    );
    // Only that both candidates read the samples at all; the figures are for people.
    assert!(scores.values().all(|s| s.matched > 0));
}
