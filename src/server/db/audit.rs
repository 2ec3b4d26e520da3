//! SQL of the append-only audit log: one insert used by every mutation (inside the
//! mutation's own transaction) and a keyset-paginated listing.

use std::net::IpAddr;

use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Tx;
use crate::shared::{OrgId, UserId};

/// One event to write.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub org: Option<OrgId>,
    pub actor: Option<(UserId, &'a str)>,
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub details: Value,
    pub request_id: Option<&'a str>,
    pub ip: Option<IpAddr>,
}

impl<'a> NewEvent<'a> {
    /// An event by `actor` with nothing else filled in.
    pub fn new(action: &'a str) -> Self {
        Self {
            org: None,
            actor: None,
            action,
            target_type: None,
            target_id: None,
            details: Value::Object(Default::default()),
            request_id: None,
            ip: None,
        }
    }

    /// Names what the event is about.
    pub fn target(mut self, kind: &'a str, id: impl ToString) -> Self {
        self.target_type = Some(kind);
        self.target_id = Some(id.to_string());
        self
    }

    /// Attaches details (before/after values, counts).
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// Appends an event in `tx`, so it commits or rolls back with the change it records.
pub async fn insert(tx: &mut Tx, e: &NewEvent<'_>) -> Result<(), sqlx::Error> {
    let ip = e.ip.map(sqlx::types::ipnetwork::IpNetwork::from);
    sqlx::query!(
        "insert into audit_events (org_id, actor_id, actor_email, action, target_type, target_id,
                                   details, request_id, ip)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        e.org.map(|o| o.0),
        // The nil id is the operator behind a CLI-made API token: no user row, but the
        // email column still says which token acted.
        e.actor.map(|(id, _)| id.0).filter(|id| !id.is_nil()),
        e.actor.map(|(_, email)| email),
        e.action,
        e.target_type,
        e.target_id,
        e.details,
        e.request_id,
        ip
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An event as read back.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    pub occurred_at: OffsetDateTime,
    pub org_slug: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub details: Value,
    pub request_id: Option<String>,
    pub ip: Option<String>,
}

/// Filters of a listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this org's events (`None`: every event the transaction's scope can see).
    pub org: Option<OrgId>,
    pub from: Option<OffsetDateTime>,
    /// Exclusive upper bound.
    pub until: Option<OffsetDateTime>,
    pub actor_email: Option<String>,
    /// Action prefix (`member.`) or exact action.
    pub action_prefix: Option<String>,
    /// Keyset cursor: events strictly older than this (time, id).
    pub before: Option<(OffsetDateTime, Uuid)>,
}

/// Up to `limit` events matching `filter`, newest first. What the caller may see is
/// decided by the transaction's scope (org, or superuser staff).
pub async fn list(tx: &mut Tx, filter: &Filter, limit: i64) -> Result<Vec<Event>, sqlx::Error> {
    let (before_at, before_id) = filter.before.unzip();
    let rows = sqlx::query!(
        r#"select e.id, e.occurred_at, o.slug as "org_slug?", e.actor_email, e.action,
                  e.target_type, e.target_id, e.details, e.request_id, host(e.ip) as "ip?"
           from audit_events e left join organizations o on o.id = e.org_id
           where ($1::uuid is null or e.org_id = $1)
             and ($2::timestamptz is null or e.occurred_at >= $2)
             and ($3::timestamptz is null or e.occurred_at < $3)
             and ($4::text is null or e.actor_email = $4)
             and ($5::text is null or starts_with(e.action, $5))
             and ($6::timestamptz is null or (e.occurred_at, e.id) < ($6, $7::uuid))
           order by e.occurred_at desc, e.id desc
           limit $8"#,
        filter.org.map(|o| o.0),
        filter.from,
        filter.until,
        filter.actor_email,
        filter.action_prefix,
        before_at,
        before_id,
        limit
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Event {
            id: r.id,
            occurred_at: r.occurred_at,
            org_slug: r.org_slug,
            actor_email: r.actor_email,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            details: r.details,
            request_id: r.request_id,
            ip: r.ip,
        })
        .collect())
}
