//! Authentication building blocks. So far: password policy and hashing. Sessions,
//! extractors (`CurrentUser`, `OrgCtx`) and throttling arrive with accounts.

pub mod password;
