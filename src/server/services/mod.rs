//! Use cases. Every permission decision lives here; org-scoped functions take an
//! `OrgCtx` from the one authorize step (`auth::authorize`), so they cannot be called
//! unscoped, and write their audit events in their own transaction.

pub mod accounts;
pub mod api_tokens;
pub mod audit;
pub mod documents;
pub mod input;
pub mod jobs;
pub mod members;
pub mod orgs;
pub mod properties;
pub mod settings;
pub mod staff;
pub mod sweep;
pub mod system;

/// A timestamp as the UI and the API carry it (RFC 3339, UTC).
pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
