//! Ledgerlens: one crate, two targets. The `ssr` feature builds the server (axum, sqlx,
//! sessions, storage, jobs); the `hydrate` feature builds the wasm bundle that hydrates
//! the server-rendered pages. Modules shared by both targets hold no IO.
#![recursion_limit = "256"]

pub mod app;
pub mod server_fns;
pub mod shared;
pub mod ui;

/// Pure cores (no IO): extraction. Server-only (exact decimals); the fuzz targets build
/// it alone through the `extract` feature.
#[cfg(feature = "extract")]
pub mod extract;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the wasm bundle: attaches the reactive system to the server-rendered DOM.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
