//! Any bytes through the whole xlsx path of the extractor (reader, layout, interpreter):
//! an error is fine, a panic or a hang is a bug.
#![no_main]

use ledgerlens::extract::{Format, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = extract(data, Format::Xlsx, None);
});
