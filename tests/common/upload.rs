//! Helpers for tests that upload: sample files from `../shared`, multipart bodies as
//! browsers send them, and API tokens made the way an admin makes them.

use std::path::Path;

use axum::http::StatusCode;

use super::TestApp;
use super::fixture::{FIXTURE_PASSWORD, Fixture, Persona};

/// A file under `../shared` (samples, corpus).
pub fn sample(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A multipart body: text parts in order, then the file.
pub fn multipart(fields: &[(&str, &str)], filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "ledgerlens-test-boundary-7f3a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A new API token of `role` for org A, created by its admin through the UI function.
pub async fn token_for(app: &TestApp, f: &Fixture, role: &str) -> String {
    let mut admin = app.client();
    admin
        .login(f.email(Persona::Admin).unwrap(), FIXTURE_PASSWORD)
        .await;
    let a = admin
        .sfn(
            "/sfn/org/tokens/create",
            &[("org", &f.org_a), ("name", role), ("role", role)],
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()["token"].as_str().unwrap().to_string()
}
