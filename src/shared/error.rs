//! `UiError`: the only error type a server function returns to the browser.
//!
//! It carries a stable code and a human message, never internal details: the server maps
//! its `AppError` into it (see `server::error`), logging internals with the request id.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A field-level validation message shown inline next to the field it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Error returned by every server function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct UiError {
    /// Stable snake_case code (`not_found`, `validation`, `internal`, ...).
    pub code: String,
    /// Message safe to show to the user.
    pub message: String,
    /// Per-field messages for forms; empty for other errors.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

impl UiError {
    /// Builds an error with no field details.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// The message for `field`, if the server flagged it.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.message.as_str())
    }
}

impl FromServerFnError for UiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // Transport and (de)serialization failures: say what the user can act on, not
        // the framework's wording.
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::new(
                "network",
                "The server could not be reached. Check your connection and try again.",
            ),
            _ => Self::new(
                "internal",
                "Something went wrong on our side. Please try again.",
            ),
        }
    }
}
