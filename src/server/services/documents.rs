//! Document intake: an upload is checked in stages, cheapest first, and leaves nothing
//! behind when any stage refuses it — no row, no object, no counter change.
//!
//! 1. [`prepare`] (before the file is read): role, property, period, type, extension,
//!    and a quick quota look so a full org does not stream 50 MB for nothing.
//! 2. The adapter spools the file (`server::spool`: SHA-256, byte count, 413 past 50 MB).
//! 3. [`accept`]: content checks (`server::intake`), a duplicate look, the object
//!    written under a key the server builds, then ONE transaction that locks the org's
//!    usage row, re-checks the quota, inserts the document (the unique constraint
//!    settles concurrent duplicates), moves the counters, enqueues the extraction job
//!    and writes the audit event. Any failure after the object was written deletes it;
//!    the orphan sweep covers a crash between the two.

use serde::Serialize;
use serde_json::json;
use time::Date;
use uuid::Uuid;

use super::audit::org_event;
use crate::server::auth::OrgCtx;
use crate::server::db::{self, documents::NewDocument};
use crate::server::error::AppError;
use crate::server::intake::{self, FileKind};
use crate::server::spool::Spooled;
use crate::server::state::AppState;
use crate::server::storage::ObjectKey;
use crate::shared::document::{DocType, DocumentLines, DocumentPage, DocumentView, LineView};
use crate::shared::{PropertyId, Role};

/// Job kind of an extraction.
pub const EXTRACT_JOB: &str = "extract_document";

/// Where an upload goes, checked before its bytes are read.
#[derive(Debug, Clone)]
pub struct Target {
    pub property: PropertyId,
    pub period: Date,
    pub doc_type: DocType,
    pub kind: FileKind,
    /// The client's filename, sanitized, for display only.
    pub filename: String,
}

/// The answer to an accepted upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uploaded {
    pub id: Uuid,
    pub status: &'static str,
    pub job_id: Uuid,
}

/// `yyyy-mm` → the first day of that month.
pub fn parse_period(raw: &str) -> Result<Date, AppError> {
    let bad = || AppError::field("period", "Give the period as yyyy-mm, e.g. 2024-03.");
    let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let month = time::Month::try_from(month).map_err(|_| bad())?;
    if !(1990..=2100).contains(&year) {
        return Err(bad());
    }
    Date::from_calendar_date(year, month, 1).map_err(|_| bad())
}

/// The client's filename reduced to something safe to show: its last path segment,
/// control characters dropped, at most 255 characters.
pub fn sanitize_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() {
        "upload".into()
    } else {
        clean
    }
}

fn object_key(ctx: &OrgCtx, t: &Target, id: Uuid) -> Result<ObjectKey, AppError> {
    let key = format!(
        "org/{}/property/{}/period/{}/{}/{id}.{}",
        ctx.org.id,
        t.property,
        period_text(t.period),
        t.doc_type.as_str(),
        t.kind.extension()
    );
    ObjectKey::parse(key).map_err(|e| AppError::Internal(anyhow::anyhow!("object key: {e}")))
}

fn period_text(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

fn quota_message(what: &str, used: i64, limit: i64) -> AppError {
    AppError::Quota(format!(
        "Your plan's {what} quota is used up ({used} of {limit}). Delete documents or upgrade the plan."
    ))
}

/// Whether the caller may upload at all (editors and above). The adapter asks this
/// before reading any byte of the body, so a viewer learns nothing from its shape.
pub fn may_upload(ctx: &OrgCtx) -> Result<(), AppError> {
    ctx.require(Role::Editor)
}

/// Checks everything that does not need the file's bytes.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn prepare(
    state: &AppState,
    ctx: &OrgCtx,
    property: &str,
    period: &str,
    doc_type: &str,
    filename: &str,
) -> Result<Target, AppError> {
    may_upload(ctx)?;
    let period = parse_period(period)?;
    let doc_type = DocType::parse(doc_type.trim()).ok_or_else(|| {
        AppError::field(
            "doc_type",
            "Choose one of: balance_sheet, income_statement, cash_flow, rent_roll, gl_export.",
        )
    })?;
    let kind = FileKind::from_filename(filename).ok_or_else(|| AppError::Refused {
        code: "wrong_type",
        message: "Only .pdf, .csv and .xlsx files can be uploaded.".into(),
    })?;
    let property = property.trim();
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let found = if property.is_empty() {
        None
    } else {
        db::documents::find_property(&mut tx, ctx.org.id, property).await?
    };
    let usage = db::orgs::usage(&mut tx, ctx.org.id).await?;
    tx.commit().await?;
    let property = found.ok_or_else(|| {
        AppError::field(
            "property",
            "No property of this organization has this id or code.",
        )
    })?;
    if usage.documents_used >= usage.documents_limit {
        return Err(quota_message(
            "documents",
            usage.documents_used,
            usage.documents_limit,
        ));
    }
    Ok(Target {
        property,
        period,
        doc_type,
        kind,
        filename: sanitize_filename(filename),
    })
}

/// Checks the spooled bytes, stores them and records the document (see module docs).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn accept(
    state: &AppState,
    ctx: &OrgCtx,
    t: Target,
    spooled: Spooled,
) -> Result<Uploaded, AppError> {
    let path = spooled.file.path().to_path_buf();
    let kind = t.kind;
    let facts = tokio::task::spawn_blocking(move || intake::inspect(kind, &path))
        .await
        .map_err(|e| anyhow::anyhow!("intake task: {e}"))?
        .map_err(|e| AppError::Refused {
            code: e.code(),
            message: e.to_string(),
        })?;
    let size = i64::try_from(spooled.size).map_err(|_| anyhow::anyhow!("size overflows"))?;

    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let existing = db::documents::duplicate_of(
        &mut tx,
        ctx.org.id,
        t.property,
        t.period,
        t.doc_type.as_str(),
        &spooled.sha256,
    )
    .await?;
    tx.commit().await?;
    if let Some(id) = existing {
        return Err(AppError::Duplicate(id));
    }

    let id = Uuid::new_v4();
    let key = object_key(ctx, &t, id)?;
    state
        .store
        .put_file(&key, spooled.file.path())
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("object store: {e}")))?;
    match record(state, ctx, &t, &spooled, &key, id, size, facts.pages).await {
        Ok(done) => Ok(done),
        Err(err) => {
            if let Err(e) = state.store.delete(&key).await {
                tracing::error!(error = %e, key = key.as_str(), "could not delete the object of a refused upload; the orphan sweep will");
            }
            Err(err)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn record(
    state: &AppState,
    ctx: &OrgCtx,
    t: &Target,
    spooled: &Spooled,
    key: &ObjectKey,
    id: Uuid,
    size: i64,
    pages: Option<u32>,
) -> Result<Uploaded, AppError> {
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let usage = db::documents::lock_usage(&mut tx, ctx.org.id).await?;
    if usage.documents_used + 1 > usage.documents_limit {
        return Err(quota_message(
            "documents",
            usage.documents_used,
            usage.documents_limit,
        ));
    }
    if usage.storage_used_bytes + size > usage.storage_limit_bytes {
        return Err(AppError::Quota(format!(
            "Your plan's storage quota would be exceeded ({} of {} bytes used, this file is {size}). Delete documents or upgrade the plan.",
            usage.storage_used_bytes, usage.storage_limit_bytes
        )));
    }
    let doc = NewDocument {
        id,
        property: t.property,
        period: t.period,
        doc_type: t.doc_type.as_str(),
        file_kind: t.kind.extension(),
        filename: &t.filename,
        content_type: t.kind.content_type(),
        size_bytes: size,
        sha256: &spooled.sha256,
        pages: pages.and_then(|p| i32::try_from(p).ok()),
        object_key: key.as_str(),
        uploaded_by: ctx.user.account(),
    };
    if !db::documents::insert(&mut tx, ctx.org.id, &doc).await? {
        // A concurrent upload of the same bytes won the unique constraint.
        let existing = db::documents::duplicate_of(
            &mut tx,
            ctx.org.id,
            t.property,
            t.period,
            t.doc_type.as_str(),
            &spooled.sha256,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("duplicate without an original"))?;
        return Err(AppError::Duplicate(existing));
    }
    db::documents::add_usage(&mut tx, ctx.org.id, 1, size).await?;
    let job = db::jobs::enqueue(
        &mut tx,
        ctx.org.id,
        EXTRACT_JOB,
        json!({ "document_id": id }),
        Some(&format!("extract:{id}")),
    )
    .await?;
    db::documents::set_job(&mut tx, ctx.org.id, id, job).await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "document.uploaded")
            .target("document", id)
            .details(json!({
                "property_id": t.property,
                "period": period_text(t.period),
                "doc_type": t.doc_type.as_str(),
                "filename": t.filename,
                "size_bytes": size,
                "sha256": hex::encode(spooled.sha256),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded {
        id,
        status: "queued",
        job_id: job,
    })
}

/// One document's metadata (viewers and above; another org's id is 404).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn get(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<DocumentView, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let d = db::documents::get(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(view(d))
}

/// A document's extracted lines in printed order (viewers and above; another org's id
/// is 404). Lines exist only once the document is extracted; before that the list is
/// empty and `status` says where extraction is.
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn lines(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<DocumentLines, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let d = db::documents::get(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = db::lines::list(&mut tx, ctx.org.id, id).await?;
    tx.commit().await?;
    Ok(DocumentLines {
        document_id: d.id,
        status: d.status,
        extractor_version: d.extractor_version,
        lines: lines
            .into_iter()
            .map(|l| LineView {
                page: l.page,
                line_no: l.line_no,
                label: l.label,
                normalized_label: l.normalized_label,
                amount: crate::extract::interpret::with_cents(l.amount).to_string(),
                is_total: l.is_total,
                kind: l.kind,
                section: l.section,
                level: l.level,
                bbox: l.bbox,
                row: l.source_row,
                sheet: l.sheet,
                cell: l.cell,
            })
            .collect(),
    })
}

fn view(d: db::documents::Document) -> DocumentView {
    DocumentView {
        id: d.id,
        property: d.property_code,
        property_id: d.property_id,
        period: period_text(d.period),
        doc_type: DocType::parse(&d.doc_type).unwrap_or(DocType::GlExport),
        status: d.status,
        error: d.error,
        pages: d.pages,
        sha256: hex::encode(&d.sha256),
        filename: d.original_filename,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        uploaded_by: d.uploaded_by,
        created_at: super::rfc3339(d.created_at),
        job_id: d.job_id,
        progress: d.progress,
    }
}

/// Filters of the document list as clients send them (empty = any).
pub type ListQuery = crate::shared::document::DocumentQuery;

/// Documents per page.
const PAGE: i64 = 50;

/// Statuses a document can have.
const STATUSES: [&str; 5] = ["uploaded", "queued", "extracting", "extracted", "failed"];

fn nonempty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The org's documents, newest first, filtered, keyset-paginated (viewers and above).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn list(state: &AppState, ctx: &OrgCtx, q: &ListQuery) -> Result<DocumentPage, AppError> {
    ctx.require(Role::Viewer)?;
    let doc_type = match nonempty(&q.doc_type) {
        Some(t) => Some(
            DocType::parse(&t)
                .ok_or_else(|| AppError::field("doc_type", "Unknown document type."))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let status = match nonempty(&q.status) {
        Some(s) if STATUSES.contains(&s.as_str()) => Some(s),
        Some(_) => {
            return Err(AppError::field(
                "status",
                "Choose uploaded, queued, extracting, extracted or failed.",
            ));
        }
        None => None,
    };
    let period = nonempty(&q.period).map(|p| parse_period(&p)).transpose()?;
    let before = match nonempty(&q.after) {
        Some(c) => Some(
            parse_cursor(&c)
                .ok_or_else(|| AppError::field("after", "This page cursor is not valid."))?,
        ),
        None => None,
    };
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let property = match nonempty(&q.property) {
        Some(p) => Some(
            db::documents::find_property(&mut tx, ctx.org.id, &p)
                .await?
                .ok_or_else(|| {
                    AppError::field(
                        "property",
                        "No property of this organization has this id or code.",
                    )
                })?,
        ),
        None => None,
    };
    let filter = db::documents::ListFilter {
        property,
        period,
        doc_type,
        status,
        before,
    };
    let mut rows = db::documents::list(&mut tx, ctx.org.id, &filter, PAGE + 1).await?;
    tx.commit().await?;
    let next = if rows.len() as i64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last()
            .map(|d| format!("{}.{}", d.created_at.unix_timestamp_nanos(), d.id))
    } else {
        None
    };
    Ok(DocumentPage {
        documents: rows.into_iter().map(view).collect(),
        next,
    })
}

fn parse_cursor(c: &str) -> Option<(time::OffsetDateTime, Uuid)> {
    let (nanos, id) = c.split_once('.')?;
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(nanos.parse().ok()?).ok()?;
    Some((at, id.parse().ok()?))
}

/// A document's bytes for download.
pub struct Download {
    pub filename: String,
    pub content_type: String,
    pub bytes: bytes::Bytes,
}

/// Fetches a document's object and records who read it, in the lookup's transaction
/// (viewers and above).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn download(
    state: &AppState,
    ctx: &OrgCtx,
    id: Uuid,
    inline: bool,
) -> Result<Download, AppError> {
    ctx.require(Role::Viewer)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    let d = db::documents::get(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key =
        ObjectKey::parse(d.object_key.clone()).map_err(|e| anyhow::anyhow!("stored key: {e}"))?;
    let bytes = state
        .store
        .get(&key)
        .await
        .map_err(|e| anyhow::anyhow!("object store: {e}"))?;
    let action = if inline {
        "document.viewed"
    } else {
        "document.downloaded"
    };
    db::audit::insert(
        &mut tx,
        &org_event(ctx, action)
            .target("document", id)
            .details(json!({ "filename": d.original_filename })),
    )
    .await?;
    tx.commit().await?;
    Ok(Download {
        filename: d.original_filename,
        content_type: d.content_type,
        bytes,
    })
}

/// Deletes a document (admins): the row and the usage it counted in one transaction,
/// then its object (a failure there is left to the orphan sweep).
#[tracing::instrument(skip_all, fields(org_id = %ctx.org.id))]
pub async fn delete(state: &AppState, ctx: &OrgCtx, id: Uuid) -> Result<(), AppError> {
    ctx.require(Role::Admin)?;
    let mut tx = db::begin_org(&state.db, ctx.org.id).await?;
    db::documents::lock_usage(&mut tx, ctx.org.id).await?;
    let (key, size) = db::documents::delete(&mut tx, ctx.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    db::documents::add_usage(&mut tx, ctx.org.id, -1, -size).await?;
    db::audit::insert(
        &mut tx,
        &org_event(ctx, "document.deleted")
            .target("document", id)
            .details(json!({ "object_key": key, "size_bytes": size })),
    )
    .await?;
    tx.commit().await?;
    match ObjectKey::parse(key) {
        Ok(key) => {
            if let Err(e) = state.store.delete(&key).await {
                tracing::error!(error = %e, key = key.as_str(), "could not delete a deleted document's object; the orphan sweep will");
            }
        }
        Err(e) => tracing::error!(error = %e, "stored object key does not parse"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_months() {
        assert_eq!(period_text(parse_period("2024-03").unwrap()), "2024-03");
        for bad in [
            "2024-13", "2024-3", "24-03", "2024/03", "", "2024-00", "1800-01", "abcd-ef",
        ] {
            assert!(parse_period(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn filenames_keep_only_a_safe_last_segment() {
        assert_eq!(
            sanitize_filename("C:\\Users\\me\\Balance Sheet.pdf"),
            "Balance Sheet.pdf"
        );
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("a\u{0}b\nc.csv"), "abc.csv");
        assert_eq!(sanitize_filename("/"), "upload");
        assert_eq!(sanitize_filename(&"x".repeat(300)).chars().count(), 255);
    }
}
