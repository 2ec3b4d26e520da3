//! Types shared by the server and the wasm bundle: DTOs that cross the server-function
//! boundary and the error type the UI understands. Nothing here does IO.

pub mod account;
pub mod audit;
pub mod document;
pub mod error;
pub mod guess;
pub mod ids;
pub mod job;
pub mod org;
pub mod role;
pub mod staff;
pub mod system;

pub use error::UiError;
pub use ids::{InvitationId, OrgId, PropertyId, UserId};
pub use role::{Role, StaffRole};
pub use system::SystemStatus;
