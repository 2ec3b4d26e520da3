//! Organization screens: the org header, members, invitations and tenant settings.

use serde::{Deserialize, Serialize};

use super::ids::{InvitationId, OrgId, UserId};
use super::role::Role;

/// The organization a page is about, and the viewer's role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgView {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub role: Role,
    pub plan: String,
}

/// One member on the members page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// `yyyy-mm-dd`.
    pub joined: String,
    pub is_me: bool,
}

/// A pending invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationRow {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    /// `yyyy-mm-dd`.
    pub expires: String,
}

/// Everything the members page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub my_role: Role,
    pub members: Vec<MemberRow>,
    /// Empty for members below admin (they do not manage invitations).
    pub invitations: Vec<InvitationRow>,
}

/// Tenant settings as the settings page edits them. Decimals travel as strings so no
/// float ever touches them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub autopost_enabled: bool,
    /// e.g. `0.90`.
    pub autopost_threshold: String,
    /// e.g. `2500.00`, empty when no budget is set.
    pub monthly_budget: String,
    pub plan: String,
}

/// A property in lists and pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyRow {
    pub id: super::ids::PropertyId,
    pub code: String,
    pub name: String,
    /// `yyyy-mm-dd`.
    pub created: String,
}

/// An API token as the settings page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub role: Role,
    pub created_by: Option<String>,
    /// `yyyy-mm-dd`.
    pub created: String,
    /// `yyyy-mm-dd hh:mm` UTC, or empty when never used.
    pub last_used: String,
}

/// A token just created: the only time its text is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiToken {
    pub id: uuid::Uuid,
    pub name: String,
    pub token: String,
}

/// How much of its plan an organization uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageView {
    pub plan: String,
    pub documents_used: i64,
    pub documents_limit: i64,
    pub storage_used_bytes: i64,
    pub storage_limit_bytes: i64,
}
