//! The label normalizer against every line of every ground-truth file in
//! `../shared/samples`: `normalize(raw_label)` must equal the truth's `normalized_label`,
//! and a printed code must split off exactly as the truth prints it.

use std::path::Path;

use ledgerlens::extract::label::{normalize, split_code};

#[test]
fn normalized_labels_match_the_ground_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples/packages");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for package in std::fs::read_dir(&root).expect("samples beside the clone") {
        for file in std::fs::read_dir(package.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".truth.json") || name == "package.truth.json" {
                continue;
            }
            let truth: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
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
    }
    assert!(checked > 1000, "only {checked} lines found");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
