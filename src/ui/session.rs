//! The session as the UI sees it: one blocking resource made by the app root and shared
//! through context, so the header, the org switcher and pages agree on who is signed in.

use leptos::prelude::*;

use crate::server_fns::auth::get_session;
use crate::shared::UiError;
use crate::shared::account::SessionView;

/// The shared session resource.
pub type SessionResource = Resource<Result<SessionView, UiError>>;

/// Creates the session resource and provides it to every page.
pub fn provide_session() -> SessionResource {
    let session = Resource::new_blocking(|| (), |_| get_session());
    provide_context(session);
    session
}

/// The session resource provided by the app root.
pub fn use_session() -> SessionResource {
    expect_context::<SessionResource>()
}
