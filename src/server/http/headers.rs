//! Security headers on every response: no framing by other sites (the document page
//! frames our own PDF view, so `SAMEORIGIN`, not `DENY`), no MIME sniffing, and no full
//! URLs (which carry org slugs and document ids) in the referrer to other sites. A handler
//! that sets one of them itself keeps its own value.

use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// The headers and their values.
pub const HEADERS: [(HeaderName, &str); 4] = [
    (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
    (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];

/// One layer per header, each added only when the response lacks it.
pub fn layers() -> impl Iterator<Item = SetResponseHeaderLayer<HeaderValue>> {
    HEADERS.into_iter().map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    })
}
