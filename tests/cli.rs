//! The real binary: bad configuration exits non-zero with one line naming the variable;
//! `serve` writes JSON logs in which every line of a request carries its request id and
//! no secret appears.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

/// The binary with an empty environment, run from a directory with no `.env` above it.
fn ledgerlens(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .current_dir(dir);
    cmd
}

fn run_with(env: &[(&str, &str)], args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = ledgerlens(dir.path())
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BASE: &[(&str, &str)] = &[
    ("DATABASE_URL", "postgres://ledgerlens_app@127.0.0.1:1/none"),
    ("REDIS_URL", "redis://127.0.0.1:1/0"),
];

#[test]
fn missing_variable_is_named_in_one_line() {
    let (code, err) = run_with(&[("REDIS_URL", "redis://127.0.0.1:1")], &["serve"]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "ledgerlens: configuration error: DATABASE_URL is missing"
    );
}

#[test]
fn bad_values_are_named() {
    let mut env = BASE.to_vec();
    env.push(("OBJECT_STORE", "ftp"));
    let (code, err) = run_with(&env, &["admin", "migrate"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("OBJECT_STORE"), "{err}");
}

#[test]
fn production_refuses_default_secret_and_insecure_cookies() {
    let mut env = BASE.to_vec();
    env.push(("APP_ENV", "production"));
    let (code, err) = run_with(&env, &["serve"]);
    assert_eq!(code, 2);
    assert!(err.contains("SESSION_SECRET"), "{err}");

    env.push((
        "SESSION_SECRET",
        "a-real-secret-that-is-long-enough-0123456789-0123456789-0123456789",
    ));
    env.push(("COOKIE_SECURE", "false"));
    let (code, err) = run_with(&env, &["serve"]);
    assert_eq!(code, 2);
    assert!(err.contains("COOKIE_SECURE"), "{err}");
}

fn http_get(port: u16, path: &str, request_id: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-request-id: {request_id}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn json_logs_carry_the_request_id_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let secret = "session-secret-that-must-never-be-logged-0123456789-0123456789-xyz";
    let mut child = ledgerlens(dir.path())
        .envs([
            (
                "DATABASE_URL",
                "postgres://ledgerlens_app:db-password-never-logged@127.0.0.1:1/none",
            ),
            (
                "REDIS_URL",
                "redis://:redis-password-never-logged@127.0.0.1:1/0",
            ),
            ("SESSION_SECRET", secret),
            ("LOG_FORMAT", "json"),
            ("RUN_WORKER", "false"),
            (
                "STORAGE_FS_ROOT",
                dir.path().join("objects").to_str().unwrap(),
            ),
            ("LEPTOS_SITE_ADDR", &format!("127.0.0.1:{port}")),
            ("RUST_LOG", "info"),
        ])
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let response = http_get(port, "/readyz", "req-abc-123");
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(
        response
            .to_lowercase()
            .contains("x-request-id: req-abc-123"),
        "{response}"
    );

    // Give the response log line a moment, then stop the server (SIGKILL is fine here).
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let of_request: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["span"]["path"] == "/readyz" || l.to_string().contains("readiness check"))
        .collect();
    assert!(
        of_request.len() >= 3,
        "expected readiness warnings and a response line: {stdout}"
    );
    for line in of_request {
        assert_eq!(line["span"]["request_id"], "req-abc-123", "{line}");
    }
    for leaked in [
        "db-password-never-logged",
        "redis-password-never-logged",
        secret,
    ] {
        assert!(
            !stdout.contains(leaked) && !stderr.contains(leaked),
            "{leaked} leaked"
        );
    }
}
