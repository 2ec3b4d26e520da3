//! The extraction core against `../shared/samples` and their ground truth: the label
//! normalizer on every truth line (`normalize(raw_label)` equals `normalized_label`, and a
//! printed code splits off as printed); the CSV reader on every sample CSV (each truth
//! line's row exists under the number the truth gives, holding its label).

use std::path::{Path, PathBuf};

use ledgerlens::extract::label::{normalize, split_code};

/// Every ground-truth file: (its path, the sample file it describes, the parsed truth).
fn truths() -> Vec<(PathBuf, PathBuf, serde_json::Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/packages");
    let mut out = Vec::new();
    for package in std::fs::read_dir(&root).expect("samples beside the clone") {
        for file in std::fs::read_dir(package.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if let Some(sample) = name.strip_suffix(".truth.json")
                && name != "package.truth.json"
            {
                let truth = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                out.push((path.clone(), path.with_file_name(sample), truth));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn normalized_labels_match_the_ground_truth() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, _, truth) in truths() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        for line in truth["line_items"].as_array().unwrap() {
            let raw = line["raw_label"].as_str().unwrap();
            let expected = line["normalized_label"].as_str().unwrap();
            if normalize(raw) != expected {
                wrong.push(format!(
                    "{name}: {raw:?} → {:?}, truth {expected:?}",
                    normalize(raw)
                ));
            }
            if let Some(code) = line["printed_code"].as_str()
                && raw.starts_with(code)
                && split_code(raw).0 != Some(code)
            {
                wrong.push(format!("{name}: code of {raw:?} is {code:?}"));
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} lines found");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn every_sample_csv_reads_with_the_rows_the_truth_names() {
    let mut files = 0;
    let mut wrong = Vec::new();
    for (_, sample, truth) in truths() {
        if sample.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        files += 1;
        let table = ledgerlens::extract::csv::read(&std::fs::read(&sample).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
        for line in truth["line_items"].as_array().unwrap() {
            let row = line["row"].as_u64().unwrap() as u32;
            let label = line["raw_label"].as_str().unwrap();
            match table.rows.iter().find(|r| r.number == row) {
                Some(r)
                    if r.cells
                        .iter()
                        .any(|c| c.trim() == label || c.contains(label)) => {}
                other => wrong.push(format!(
                    "{}: row {row} {label:?} → {other:?}",
                    sample.display()
                )),
            }
        }
    }
    assert!(files >= 30, "only {files} CSV samples");
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
