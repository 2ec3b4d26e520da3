//! The staff console: tenants (all for superusers, assigned ones for support; read-only)
//! the global audit log (superusers) and dead jobs.

mod audit;
mod jobs;
mod tenants;

pub use audit::StaffAuditPage;
pub use jobs::StaffJobsPage;
pub use tenants::StaffTenantsPage;
