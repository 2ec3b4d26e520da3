//! The staff console: tenants (all for superusers, assigned ones for support; read-only)
//! and the global audit log (superusers).

mod audit;
mod tenants;

pub use audit::StaffAuditPage;
pub use tenants::StaffTenantsPage;
