//! Who is calling: the request id and the client address, for audit events, logs and
//! the login throttle. The address is the TCP peer unless `TRUST_PROXY` says a proxy in
//! front sets `X-Forwarded-For` (then its first entry); a client cannot forge it
//! otherwise.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

use super::request_id::X_REQUEST_ID;
use crate::server::auth::RequestMeta;

/// The request's id and client address.
pub fn meta(parts: &Parts, trust_proxy: bool) -> RequestMeta {
    let request_id = parts
        .headers
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let forwarded = trust_proxy
        .then(|| parts.headers.get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    RequestMeta {
        request_id,
        ip: forwarded.or(peer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)], peer: Option<&str>) -> Parts {
        let mut req = Request::builder().uri("/");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut req = req.body(()).unwrap();
        if let Some(p) = peer {
            req.extensions_mut()
                .insert(ConnectInfo(p.parse::<SocketAddr>().unwrap()));
        }
        req.into_parts().0
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let p = parts(
            &[
                ("x-forwarded-for", "203.0.113.9, 10.0.0.1"),
                ("x-request-id", "abc"),
            ],
            Some("10.0.0.1:5000"),
        );
        assert_eq!(meta(&p, false).ip, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(meta(&p, true).ip, Some("203.0.113.9".parse().unwrap()));
        assert_eq!(meta(&p, true).request_id.as_deref(), Some("abc"));
        assert_eq!(meta(&parts(&[], None), true).ip, None);
    }
}
