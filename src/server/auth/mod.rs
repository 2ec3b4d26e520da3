//! Authentication and the one authorize step: password policy and hashing, the login
//! throttle, sessions (`CurrentUser`), mailed tokens, and `OrgCtx`.

pub mod api_token;
pub mod ctx;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;

pub use ctx::{OrgCtx, RequestMeta, authorize};
pub use session::CurrentUser;
