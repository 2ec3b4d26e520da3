//! Use cases. Every permission decision lives here; org-scoped functions take an
//! `OrgCtx` (added with accounts) so they cannot be called unscoped.

pub mod system;
