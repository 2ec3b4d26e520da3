//! Authentication building blocks. So far: password policy and hashing, and the login
//! throttle. Sessions, extractors (`CurrentUser`, `OrgCtx`) arrive with accounts.

pub mod password;
pub mod throttle;
