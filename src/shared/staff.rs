//! The staff console's view of tenants.

use serde::{Deserialize, Serialize};

use super::ids::OrgId;
use super::role::StaffRole;

/// One tenant in the staff console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub subscription_status: String,
    pub member_count: i32,
    /// `yyyy-mm-dd`.
    pub created: String,
}

/// The tenants page: which staff role is looking and what it may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantsPage {
    pub staff_role: StaffRole,
    pub tenants: Vec<TenantRow>,
}
