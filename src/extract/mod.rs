//! Extraction, the pure core: bytes of a statement in, line items out. No IO, no async.
//! The pieces every format shares live here — reading printed amounts (`amount`),
//! normalizing labels (`label`), the format-neutral `table` that CSV (`csv`) and XLSX
//! readers produce, and scoring output against ground truth (`score`). Reading tables as
//! statements comes next.

pub mod amount;
pub mod csv;
pub mod label;
pub mod score;
pub mod table;
