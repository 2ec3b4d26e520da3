//! Extraction, the pure core: bytes of a statement in, line items out. No IO, no async.
//! The pieces every format shares live here — reading printed amounts (`amount`),
//! normalizing labels (`label`) and scoring output against ground truth (`score`); the
//! per-format readers join them (next).

pub mod amount;
pub mod label;
pub mod score;
