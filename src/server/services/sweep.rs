//! The orphan sweep: deletes stored objects that no document row names. An upload
//! writes its object before the transaction that records it; a crash between the two
//! leaves an object nobody owns, and this is what reclaims it. Objects younger than the
//! grace period are left alone (their upload may still be committing), and keys outside
//! `org/{uuid}/…` are never touched.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use crate::server::db;
use crate::server::error::AppError;
use crate::server::state::AppState;
use crate::server::storage::Listed;
use crate::shared::OrgId;

/// Default grace period: far longer than any upload transaction.
pub const GRACE: Duration = Duration::from_secs(60 * 60);

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub scanned: usize,
    pub deleted: usize,
    /// Orphans left alone because they are younger than the grace period.
    pub too_young: usize,
}

/// Deletes every object under `org/` older than `grace` that no document names.
#[tracing::instrument(skip_all)]
pub async fn sweep_orphans(state: &AppState, grace: Duration) -> Result<SweepReport, AppError> {
    let listed = state
        .store
        .list("org/")
        .await
        .map_err(|e| anyhow::anyhow!("listing the object store: {e}"))?;
    let mut report = SweepReport {
        scanned: listed.len(),
        ..Default::default()
    };
    let mut by_org: BTreeMap<uuid::Uuid, Vec<Listed>> = BTreeMap::new();
    for item in listed {
        if let Some(org) = org_of(item.key.as_str()) {
            by_org.entry(org).or_default().push(item);
        }
    }
    let cutoff = SystemTime::now()
        .checked_sub(grace)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    for (org, entries) in by_org {
        let keys: Vec<String> = entries.iter().map(|e| e.key.as_str().to_string()).collect();
        let mut tx = db::begin_org(&state.db, OrgId(org)).await?;
        let known = db::documents::existing_keys(&mut tx, OrgId(org), &keys).await?;
        tx.commit().await?;
        for e in entries {
            if known.iter().any(|k| k == e.key.as_str()) {
                continue;
            }
            if e.modified.is_some_and(|m| m > cutoff) {
                report.too_young += 1;
                continue;
            }
            state
                .store
                .delete(&e.key)
                .await
                .map_err(|err| anyhow::anyhow!("deleting an orphan: {err}"))?;
            tracing::info!(key = e.key.as_str(), "orphaned object deleted");
            report.deleted += 1;
        }
    }
    Ok(report)
}

/// The org id of a key `org/{uuid}/…`.
fn org_of(key: &str) -> Option<uuid::Uuid> {
    key.strip_prefix("org/")?.split('/').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_org_keys_name_an_org() {
        let id = uuid::Uuid::new_v4();
        assert_eq!(
            super::org_of(&format!("org/{id}/property/x/a.pdf")),
            Some(id)
        );
        assert_eq!(super::org_of("exports/x.pdf"), None);
        assert_eq!(super::org_of("org/not-a-uuid/x"), None);
    }
}
