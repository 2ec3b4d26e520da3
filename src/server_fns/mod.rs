//! Server functions: thin adapters between the UI and `server::services`.
//!
//! Each one builds a `Call` (state, session, request metadata), authorizes (the org ones
//! through `Call::org`, the one authorize step), calls one service function and maps the
//! error to `UiError` with the right HTTP status. They live under their own `/sfn`
//! prefix so they never collide with the REST API under `/api/v1`.

pub mod auth;
pub mod documents;
pub mod jobs;
pub mod org;
pub mod staff;
pub mod system;

/// URL prefix of every server function.
pub const PREFIX: &str = "/sfn";
