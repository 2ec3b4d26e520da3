//! Reusable pieces of the screens: form fields with inline errors, alerts, page
//! headers, status pages (403), job cells, and small helpers for actions.

pub mod audit;
mod form;
pub mod jobs;
mod status;

pub use form::{Field, FormAlert, SubmitButton, action_error, go_on_success};
pub use status::{Forbidden, PageError, Unauthenticated};
