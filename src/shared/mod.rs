//! Types shared by the server and the wasm bundle: DTOs that cross the server-function
//! boundary and the error type the UI understands. Nothing here does IO.

pub mod error;
pub mod ids;
pub mod system;

pub use error::UiError;
pub use ids::{OrgId, PropertyId};
pub use system::SystemStatus;
