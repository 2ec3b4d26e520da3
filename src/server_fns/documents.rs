//! Document server functions for the documents pages: the list, one document, its
//! extracted lines, and deleting one. Uploads go through `POST /api/v1/documents`
//! (multipart, streamed), which the upload panel calls with the session cookie.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::server::{call::Call, call::fail, services};
use crate::shared::UiError;
use crate::shared::document::{DocumentLines, DocumentPage, DocumentQuery, DocumentView};

/// One page of the org's documents (members), filtered as the list page's query says.
#[server(prefix = "/sfn", endpoint = "org/documents")]
pub async fn list_documents(
    org: String,
    #[server(default)] query: DocumentQuery,
) -> Result<DocumentPage, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    services::documents::list(&call.state, &ctx, &query)
        .await
        .map_err(fail)
}

/// One document (members); a malformed id is the same 404 as another org's.
#[server(prefix = "/sfn", endpoint = "org/documents/get")]
pub async fn get_document(org: String, id: String) -> Result<DocumentView, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    let id = services::input::id(&id).map_err(fail)?;
    services::documents::get(&call.state, &ctx, id)
        .await
        .map_err(fail)
}

/// A document's extracted lines (members); empty until it is extracted.
#[server(prefix = "/sfn", endpoint = "org/documents/lines")]
pub async fn get_document_lines(org: String, id: String) -> Result<DocumentLines, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    let id = services::input::id(&id).map_err(fail)?;
    services::documents::lines(&call.state, &ctx, id)
        .await
        .map_err(fail)
}

/// Deletes a document (admins). Returns where to go next: the documents list.
#[server(prefix = "/sfn", endpoint = "org/documents/delete")]
pub async fn delete_document(org: String, id: String) -> Result<String, UiError> {
    let call = Call::new().await?;
    let ctx = call.org(&org).await?;
    let id = services::input::id(&id).map_err(fail)?;
    services::documents::delete(&call.state, &ctx, id)
        .await
        .map_err(fail)?;
    let next = format!("/o/{}/documents", ctx.org.slug);
    call.redirect_plain_form(&next);
    Ok(next)
}
