//! Cross-site request refusal for every state-changing request (server functions, forms,
//! REST calls carrying cookies). Browsers label each request with `Sec-Fetch-Site` and,
//! on POST, `Origin`; a mutation that a browser says came from another site is answered
//! 403 before any handler runs. Requests without either header come from non-browser
//! clients (API tokens, scripts), which an attacker's page cannot forge.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::error::AppError;

/// Why a request was refused (for the log; the client gets a generic 403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `Sec-Fetch-Site` is `cross-site` or `same-site`.
    FetchSite,
    /// `Origin` names another origin (or is `null`).
    Origin,
}

/// Decides whether a request may proceed. Safe methods always may.
pub fn check(method: &Method, headers: &HeaderMap) -> Result<(), Refusal> {
    if matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return Ok(());
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        // `same-site` includes sibling subdomains, which we do not trust either.
        return match site.as_bytes() {
            b"same-origin" | b"none" => Ok(()),
            _ => Err(Refusal::FetchSite),
        };
    }
    match headers.get(header::ORIGIN) {
        None => Ok(()),
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            let origin_authority = origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, authority)| authority);
            match (origin_authority, host) {
                (Some(a), Some(h)) if a.eq_ignore_ascii_case(h) => Ok(()),
                _ => Err(Refusal::Origin),
            }
        }
    }
}

/// Middleware form of [`check`].
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    match check(req.method(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(why) => {
            tracing::warn!(?why, method = %req.method(), "cross-site request refused");
            AppError::Forbidden.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn safe_methods_always_pass() {
        let evil = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ]);
        assert_eq!(check(&Method::GET, &evil), Ok(()));
        assert_eq!(check(&Method::HEAD, &evil), Ok(()));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let post = Method::POST;
        assert_eq!(
            check(&post, &headers(&[("sec-fetch-site", "same-origin")])),
            Ok(())
        );
        assert_eq!(
            check(&post, &headers(&[("sec-fetch-site", "none")])),
            Ok(())
        );
        assert_eq!(
            check(&post, &headers(&[("sec-fetch-site", "cross-site")])),
            Err(Refusal::FetchSite)
        );
        assert_eq!(
            check(&post, &headers(&[("sec-fetch-site", "same-site")])),
            Err(Refusal::FetchSite)
        );
    }

    #[test]
    fn origin_must_match_host_when_no_fetch_metadata() {
        let post = Method::POST;
        let same = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(check(&post, &same), Ok(()));
        let other = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(check(&post, &other), Err(Refusal::Origin));
        let null = headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]);
        assert_eq!(check(&post, &null), Err(Refusal::Origin));
        let other_port = headers(&[
            ("origin", "http://127.0.0.1:3001"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(check(&Method::DELETE, &other_port), Err(Refusal::Origin));
    }

    #[test]
    fn clients_without_browser_headers_pass() {
        assert_eq!(check(&Method::POST, &HeaderMap::new()), Ok(()));
    }
}
