//! What the UI knows about the signed-in user and their organizations.

use serde::{Deserialize, Serialize};

use super::ids::{OrgId, UserId};
use super::role::{Role, StaffRole};

/// The signed-in user, as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub staff_role: StaffRole,
    /// Organizations the user is a member of, by name.
    pub orgs: Vec<OrgMembership>,
}

/// One organization the user belongs to, with their role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMembership {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub role: Role,
}

/// The session as the page shell sees it: anonymous or a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub me: Option<Me>,
}

/// What the invitation page shows before the visitor accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub org_name: String,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    /// Whether an account with the invited email exists (the link already names it,
    /// so this reveals nothing new to its holder).
    pub account_exists: bool,
}
