//! SQL of extracted line items and of the document status moves around an extraction,
//! inside an org-scoped transaction. A set of lines is replaced whole.

use rust_decimal::Decimal;
use uuid::Uuid;

use super::Tx;
use crate::extract::LineItem;
use crate::shared::OrgId;

/// Moves a document to `extracting` (from any state: a retry starts over) and clears the
/// previous error. `None` when the document is gone (deleted while queued).
pub async fn start(tx: &mut Tx, org: OrgId, document: Uuid) -> Result<Option<()>, sqlx::Error> {
    let done = sqlx::query!(
        "update documents set status = 'extracting', error = null, updated_at = now()
         where org_id = $1 and id = $2",
        org.0,
        document
    )
    .execute(&mut **tx)
    .await?;
    Ok((done.rows_affected() == 1).then_some(()))
}

/// The bytes' key and format of a document, to read it for extraction.
pub async fn source(
    tx: &mut Tx,
    org: OrgId,
    document: Uuid,
) -> Result<Option<(String, String, String)>, sqlx::Error> {
    let row = sqlx::query!(
        "select object_key, file_kind, doc_type from documents where org_id = $1 and id = $2",
        org.0,
        document
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.object_key, r.file_kind, r.doc_type)))
}

/// Replaces the document's lines with `items` and marks it extracted by `version`;
/// false (nothing written) when the document was deleted meanwhile.
pub async fn replace(
    tx: &mut Tx,
    org: OrgId,
    document: Uuid,
    items: &[LineItem],
    version: &str,
    pages: Option<i32>,
) -> Result<bool, sqlx::Error> {
    // Locked, so a concurrent delete waits for these lines (and then takes them along).
    let exists = sqlx::query_scalar!(
        "select 1 as \"one!\" from documents where org_id = $1 and id = $2 for update",
        org.0,
        document
    )
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_none() {
        return Ok(false);
    }
    clear(tx, org, document).await?;
    let col = |f: fn(&LineItem) -> i32| items.iter().map(f).collect::<Vec<_>>();
    let line_no = col(|i| i.line_no as i32);
    let page = col(|i| i.page as i32);
    let level = col(|i| i.level as i32);
    let label: Vec<String> = items.iter().map(|i| i.label.clone()).collect();
    let normalized: Vec<String> = items.iter().map(|i| i.normalized_label.clone()).collect();
    let amount: Vec<Decimal> = items.iter().map(|i| i.amount).collect();
    let others: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            serde_json::Value::Object(
                i.other_amounts
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.to_string())))
                    .collect(),
            )
        })
        .collect();
    let kind: Vec<String> = items.iter().map(|i| i.kind.as_str().to_string()).collect();
    let is_total: Vec<bool> = items.iter().map(LineItem::is_total).collect();
    let section: Vec<String> = items.iter().map(|i| i.section.clone()).collect();
    let corner =
        |k: usize| -> Vec<Option<f32>> { items.iter().map(|i| i.bbox.map(|b| b[k])).collect() };
    let (x0, top, x1, bottom) = (corner(0), corner(1), corner(2), corner(3));
    let row: Vec<Option<i32>> = items.iter().map(|i| i.row.map(|r| r as i32)).collect();
    let sheet: Vec<Option<String>> = items.iter().map(|i| i.sheet.clone()).collect();
    let cell: Vec<Option<String>> = items.iter().map(|i| i.cell.clone()).collect();
    sqlx::query!(
        r#"insert into document_lines
             (org_id, document_id, line_no, page, label, normalized_label, amount, other_amounts,
              kind, is_total, section, level, bbox, source_row, sheet, cell)
           select $1, $2, l.line_no, l.page, l.label, l.normalized_label, l.amount, l.others,
                  l.kind, l.is_total, l.section, l.level,
                  case when l.x0 is null then null else array[l.x0, l.top, l.x1, l.bottom] end,
                  l.row, l.sheet, l.cell
           from unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::numeric[], $8::jsonb[],
                       $9::text[], $10::bool[], $11::text[], $12::int[], $13::real[], $14::real[],
                       $15::real[], $16::real[], $17::int[], $18::text[], $19::text[])
                as l(line_no, page, label, normalized_label, amount, others, kind, is_total,
                     section, level, x0, top, x1, bottom, row, sheet, cell)"#,
        org.0,
        document,
        &line_no,
        &page,
        &label,
        &normalized,
        &amount,
        &others,
        &kind,
        &is_total,
        &section,
        &level,
        &x0 as &[Option<f32>],
        &top as &[Option<f32>],
        &x1 as &[Option<f32>],
        &bottom as &[Option<f32>],
        &row as &[Option<i32>],
        &sheet as &[Option<String>],
        &cell as &[Option<String>],
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update documents set status = 'extracted', error = null, extractor_version = $3,
                extracted_at = now(), line_count = $4, pages = coalesce($5, pages),
                updated_at = now()
         where org_id = $1 and id = $2",
        org.0,
        document,
        version,
        items.len() as i32,
        pages
    )
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Marks the document failed with `error` (words for its owner); its lines are removed,
/// so a failed document never shows lines of an earlier run.
pub async fn fail(tx: &mut Tx, org: OrgId, document: Uuid, error: &str) -> Result<(), sqlx::Error> {
    clear(tx, org, document).await?;
    sqlx::query!(
        "update documents set status = 'failed', error = $3, line_count = null,
                extractor_version = null, extracted_at = null, updated_at = now()
         where org_id = $1 and id = $2",
        org.0,
        document,
        error
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts the document back in the queue while a retry of its extraction is pending, with
/// why the last attempt did not finish.
pub async fn requeue(
    tx: &mut Tx,
    org: OrgId,
    document: Uuid,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update documents set status = 'queued', error = $3, updated_at = now()
         where org_id = $1 and id = $2",
        org.0,
        document,
        error
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored line.
#[derive(Debug, Clone)]
pub struct Line {
    pub line_no: i32,
    pub page: i32,
    pub label: String,
    pub normalized_label: String,
    pub amount: Decimal,
    pub kind: String,
    pub is_total: bool,
    pub section: String,
    pub level: i32,
    pub bbox: Option<Vec<f32>>,
    pub source_row: Option<i32>,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

/// The document's lines in printed order.
pub async fn list(tx: &mut Tx, org: OrgId, document: Uuid) -> Result<Vec<Line>, sqlx::Error> {
    sqlx::query_as!(
        Line,
        r#"select line_no, page, label, normalized_label, amount, kind, is_total, section, level,
                  bbox as "bbox?: Vec<f32>", source_row, sheet, cell
           from document_lines where org_id = $1 and document_id = $2 order by line_no"#,
        org.0,
        document
    )
    .fetch_all(&mut **tx)
    .await
}

/// Removes the document's lines.
async fn clear(tx: &mut Tx, org: OrgId, document: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from document_lines where org_id = $1 and document_id = $2",
        org.0,
        document
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
