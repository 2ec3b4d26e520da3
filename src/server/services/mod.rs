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
