//! The screens of one organization, under `/o/{org}`: the layout that authorizes the
//! visitor (log-in redirect, 404 for non-members), the dashboard, documents (list, upload,
//! one document), properties, members,
//! settings and the audit log.

mod audit;
mod document;
mod documents;
mod home;
mod jobs;
mod layout;
mod members;
mod properties;
mod settings;
mod upload;

pub use audit::OrgAuditPage;
pub use document::DocumentDetailPage;
pub use documents::DocumentsPage;
pub use home::OrgHomePage;
pub use jobs::JobsPage;
pub use layout::{OrgLayout, OrgResource, WithOrg, use_org};
pub use members::MembersPage;
pub use properties::PropertiesPage;
pub use settings::SettingsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The org slug from the path.
pub fn use_org_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("org")).unwrap_or_default())
}
