//! HTTP plumbing that is not a page or an API resource: request ids and the request
//! span, cross-site request refusal, security headers, Prometheus metrics, health and
//! readiness endpoints.

pub mod client;
pub mod csrf;
pub mod headers;
pub mod health;
pub mod metrics;
pub mod request_id;
