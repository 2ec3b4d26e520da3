//! Request ids: taken from a well-formed incoming `x-request-id` (so ids survive a proxy
//! hop) or generated, set on the request, echoed on the response, and recorded on the
//! request span so every log line of the request carries it.

use axum::http::{HeaderName, HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};
use tower_http::trace::MakeSpan;
use tracing::Span;

/// The header that carries the id.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Generates a UUID v4 id.
#[derive(Clone, Copy, Default)]
pub struct MakeUuid;

impl MakeRequestId for MakeUuid {
    fn make_request_id<B>(&mut self, _req: &Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Whether a client-supplied id is safe to log and echo (short, plain characters).
pub fn is_acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Drops a malformed incoming id so `SetRequestId` generates a fresh one.
pub fn sanitize<B>(mut req: Request<B>) -> Request<B> {
    if req
        .headers()
        .get(&X_REQUEST_ID)
        .is_some_and(|v| !is_acceptable(v))
    {
        req.headers_mut().remove(&X_REQUEST_ID);
    }
    req
}

/// The id of a request, as set by the request-id layer.
pub fn of<B>(req: &Request<B>) -> &str {
    req.headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

/// Opens the `request` span with the id, method and path.
#[derive(Clone, Copy, Default)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, req: &Request<B>) -> Span {
        tracing::info_span!(
            "request",
            request_id = %of(req),
            method = %req.method(),
            path = %req.uri().path(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_ids_are_kept() {
        assert!(is_acceptable(&HeaderValue::from_static("abc-123_X.y:z")));
        assert!(!is_acceptable(&HeaderValue::from_static("")));
        assert!(!is_acceptable(&HeaderValue::from_static("has space")));
        assert!(!is_acceptable(
            &HeaderValue::from_str(&"a".repeat(129)).unwrap()
        ));
    }
}
