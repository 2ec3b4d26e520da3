//! Any bytes through the whole pdf path of the extractor (reader, layout, interpreter):
//! an error is fine, a panic or a hang is a bug.
#![no_main]

use ledgerlens::extract::{Format, extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic, even one the extractor catches on
        // purpose (calamine's, see xlsx.rs). Panics that escape `extract` still abort:
        // the harness catches them around this closure and aborts itself.
        std::panic::set_hook(Box::new(|_| {}));
    },
    |data: &[u8]| {
        let _ = extract(data, Format::Pdf, None);
    }
);
