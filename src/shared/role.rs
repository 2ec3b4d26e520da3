//! Roles: what a member may do in an organization (owner > admin > editor > viewer) and
//! what a staff user may do across tenants (none, support, superuser).

use serde::{Deserialize, Serialize};

/// A member's role in one organization. Ordered: `Owner > Admin > Editor > Viewer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
    Owner,
}

impl Role {
    /// Every role, highest first (for pickers).
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Editor, Role::Viewer];

    /// The stored and transmitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Editor => "Editor",
            Role::Viewer => "Viewer",
        }
    }

    /// Parses a stored or submitted role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }

    /// Whether this role includes everything `min` may do.
    pub fn at_least(self, min: Role) -> bool {
        self >= min
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A user's role as an operator of the service. Staff are not members of any org
/// through this role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StaffRole {
    None,
    Support,
    Superuser,
}

impl StaffRole {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::None => "none",
            StaffRole::Support => "support",
            StaffRole::Superuser => "superuser",
        }
    }

    /// Parses a stored or submitted staff role name.
    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "none" => Some(StaffRole::None),
            "support" => Some(StaffRole::Support),
            "superuser" => Some(StaffRole::Superuser),
            _ => None,
        }
    }

    /// Whether the user is staff at all.
    pub fn is_staff(self) -> bool {
        self != StaffRole::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_round_trip() {
        assert!(
            Role::Owner > Role::Admin && Role::Admin > Role::Editor && Role::Editor > Role::Viewer
        );
        assert!(Role::Admin.at_least(Role::Editor));
        assert!(!Role::Viewer.at_least(Role::Editor));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Owner"), None);
        for s in [StaffRole::None, StaffRole::Support, StaffRole::Superuser] {
            assert_eq!(StaffRole::parse(s.as_str()), Some(s));
        }
    }
}
