//! Server functions: thin adapters between the UI and `server::services`.
//!
//! Each one fetches `AppState` from context, calls one service function and maps the
//! error to `UiError`. They live under their own `/sfn` prefix so they never collide
//! with the REST API under `/api/v1`.

pub mod system;

/// URL prefix of every server function.
pub const PREFIX: &str = "/sfn";
