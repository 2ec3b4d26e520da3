//! SQL of documents and of the usage counters they move, inside an org-scoped
//! transaction.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::Tx;
use crate::shared::{OrgId, PropertyId, UserId};

/// A document to insert.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub id: Uuid,
    pub property: PropertyId,
    pub period: Date,
    pub doc_type: &'a str,
    pub file_kind: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a [u8; 32],
    pub pages: Option<i32>,
    pub object_key: &'a str,
    pub uploaded_by: Option<UserId>,
}

/// Inserts a document; `false` when the same bytes already exist for its property,
/// period and type (the duplicate constraint; the caller looks the original up).
pub async fn insert(tx: &mut Tx, org: OrgId, d: &NewDocument<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "insert into documents (org_id, id, property_id, period, doc_type, file_kind,
                                original_filename, content_type, size_bytes, sha256, pages,
                                object_key, status, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', $13)
         on conflict on constraint documents_duplicate do nothing",
        org.0,
        d.id,
        d.property.0,
        d.period,
        d.doc_type,
        d.file_kind,
        d.filename,
        d.content_type,
        d.size_bytes,
        &d.sha256[..],
        d.pages,
        d.object_key,
        d.uploaded_by.map(|u| u.0)
    )
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The document with the same bytes for the same property, period and type.
pub async fn duplicate_of(
    tx: &mut Tx,
    org: OrgId,
    property: PropertyId,
    period: Date,
    doc_type: &str,
    sha256: &[u8; 32],
) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from documents
         where org_id = $1 and property_id = $2 and period = $3 and doc_type = $4 and sha256 = $5",
        org.0,
        property.0,
        period,
        doc_type,
        &sha256[..]
    )
    .fetch_optional(&mut **tx)
    .await
}

/// Links the document to its extraction job.
pub async fn set_job(tx: &mut Tx, org: OrgId, id: Uuid, job: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update documents set job_id = $3 where org_id = $1 and id = $2",
        org.0,
        id,
        job
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Usage of the org, its row locked: every upload and delete serializes on it, so
/// concurrent uploads at a quota's edge cannot both pass.
#[derive(Debug, Clone, Copy)]
pub struct LockedUsage {
    pub documents_used: i64,
    pub documents_limit: i64,
    pub storage_used_bytes: i64,
    pub storage_limit_bytes: i64,
}

/// Locks the org's row and reads its usage and limits.
pub async fn lock_usage(tx: &mut Tx, org: OrgId) -> Result<LockedUsage, sqlx::Error> {
    sqlx::query_as!(
        LockedUsage,
        "select o.documents_used, p.documents_limit, o.storage_used_bytes, p.storage_limit_bytes
         from organizations o join plans p on p.code = o.plan_code
         where o.id = $1 for update of o",
        org.0
    )
    .fetch_one(&mut **tx)
    .await
}

/// Adds to (or, negative, subtracts from) the usage counters. Never below zero: a
/// delete must not fail because counters drifted (the usage refresh recomputes them).
pub async fn add_usage(
    tx: &mut Tx,
    org: OrgId,
    documents: i64,
    bytes: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update organizations set documents_used = greatest(documents_used + $2, 0),
                storage_used_bytes = greatest(storage_used_bytes + $3, 0)
         where id = $1",
        org.0,
        documents,
        bytes
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A document as read back.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: Uuid,
    pub property_id: Uuid,
    pub property_code: String,
    pub period: Date,
    pub doc_type: String,
    pub status: String,
    pub error: Option<String>,
    pub pages: Option<i32>,
    pub sha256: Vec<u8>,
    pub original_filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub job_id: Option<Uuid>,
    pub object_key: String,
    /// The extraction job's progress (0–100).
    pub progress: Option<i16>,
    /// The extractor that produced the current lines.
    pub extractor_version: Option<String>,
}

/// One document of the org.
pub async fn get(tx: &mut Tx, org: OrgId, id: Uuid) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as!(
        Document,
        r#"select d.id, d.property_id, p.code as property_code, d.period, d.doc_type, d.status,
                  d.error, d.pages, d.sha256, d.original_filename, d.content_type, d.size_bytes,
                  u.email as "uploaded_by?", d.created_at, d.job_id, d.object_key,
                  j.progress as "progress?", d.extractor_version
           from documents d
           join properties p on p.org_id = d.org_id and p.id = d.property_id
           left join users u on u.id = d.uploaded_by
           left join jobs j on j.org_id = d.org_id and j.id = d.job_id
           where d.org_id = $1 and d.id = $2"#,
        org.0,
        id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// The property with this id or (case-insensitive) code in the org.
pub async fn find_property(
    tx: &mut Tx,
    org: OrgId,
    id_or_code: &str,
) -> Result<Option<PropertyId>, sqlx::Error> {
    let as_id = id_or_code.parse::<Uuid>().ok();
    let id = sqlx::query_scalar!(
        "select id from properties where org_id = $1 and (id = $2 or code = upper($3)) limit 1",
        org.0,
        as_id,
        id_or_code
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(id.map(PropertyId))
}

/// Filters of the document list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub property: Option<PropertyId>,
    pub period: Option<Date>,
    pub doc_type: Option<String>,
    pub status: Option<String>,
    /// Keyset cursor: documents strictly older than (created_at, id).
    pub before: Option<(OffsetDateTime, Uuid)>,
}

/// Up to `limit` documents of the org, newest first.
pub async fn list(
    tx: &mut Tx,
    org: OrgId,
    f: &ListFilter,
    limit: i64,
) -> Result<Vec<Document>, sqlx::Error> {
    let (before_at, before_id) = f.before.unzip();
    sqlx::query_as!(
        Document,
        r#"select d.id, d.property_id, p.code as property_code, d.period, d.doc_type, d.status,
                  d.error, d.pages, d.sha256, d.original_filename, d.content_type, d.size_bytes,
                  u.email as "uploaded_by?", d.created_at, d.job_id, d.object_key,
                  j.progress as "progress?", d.extractor_version
           from documents d
           join properties p on p.org_id = d.org_id and p.id = d.property_id
           left join users u on u.id = d.uploaded_by
           left join jobs j on j.org_id = d.org_id and j.id = d.job_id
           where d.org_id = $1
             and ($2::uuid is null or d.property_id = $2)
             and ($3::date is null or d.period = $3)
             and ($4::text is null or d.doc_type = $4)
             and ($5::text is null or d.status = $5)
             and ($6::timestamptz is null or (d.created_at, d.id) < ($6, $7::uuid))
           order by d.created_at desc, d.id desc
           limit $8"#,
        org.0,
        f.property.map(|p| p.0),
        f.period,
        f.doc_type,
        f.status,
        before_at,
        before_id,
        limit
    )
    .fetch_all(&mut **tx)
    .await
}

/// Deletes a document row; returns its object key and size, or `None` if there was none.
pub async fn delete(
    tx: &mut Tx,
    org: OrgId,
    id: Uuid,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let r = sqlx::query!(
        "delete from documents where org_id = $1 and id = $2 returning object_key, size_bytes",
        org.0,
        id
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| (r.object_key, r.size_bytes)))
}

/// Which of `keys` are the object keys of documents of the org.
pub async fn existing_keys(
    tx: &mut Tx,
    org: OrgId,
    keys: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "select object_key from documents where org_id = $1 and object_key = any($2)",
        org.0,
        keys
    )
    .fetch_all(&mut **tx)
    .await
}
