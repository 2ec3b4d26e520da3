//! Typed ids: an `OrgId` can never be passed where a `PropertyId` is expected.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

typed_id!(
    /// An organization (tenant).
    OrgId
);
typed_id!(
    /// A property (reporting entity) of an organization.
    PropertyId
);
typed_id!(
    /// A user account (global, may belong to several organizations).
    UserId
);
typed_id!(
    /// A pending or answered invitation to an organization.
    InvitationId
);
