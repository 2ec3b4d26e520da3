//! The real binary: bad configuration exits non-zero with one line naming the variable;
//! `serve` writes JSON logs in which every line of a request carries its request id and
//! no secret appears.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
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
            // Port 0: the OS picks a free port and the server logs it; no race with
            // other processes over a port chosen in advance.
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("RUST_LOG", "info"),
        ])
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // Collect stdout on a thread so the pipe never fills; find the address as it appears.
    let (tx, rx) = mpsc::channel::<String>();
    let reader = BufReader::new(child.stdout.take().unwrap());
    let collector = std::thread::spawn(move || {
        let mut all = Vec::new();
        for line in reader.lines().map_while(Result::ok) {
            let _ = tx.send(line.clone());
            all.push(line);
        }
        all
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("server did not log its address in time");
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        if let Some(addr) = parsed["addr"].as_str() {
            break addr.to_owned();
        }
    };
    let port: u16 = addr.rsplit(':').next().unwrap().parse().unwrap();

    let response = http_get(port, "/readyz", "req-abc-123");
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(
        response
            .to_lowercase()
            .contains("x-request-id: req-abc-123"),
        "{response}"
    );

    // The response line is written before the body is sent; stop the server.
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = collector.join().unwrap().join("\n");
    let stderr = String::from_utf8_lossy(&out.stderr);

    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    // A line belongs to the request when it was written inside the request span, at any
    // depth (client libraries open their own spans below it).
    let request_ids = |line: &serde_json::Value| -> Vec<String> {
        line["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["request_id"].as_str().map(str::to_owned))
            .collect()
    };
    let readiness_lines: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| {
            l["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("readiness check"))
        })
        .collect();
    assert!(
        readiness_lines.len() >= 2,
        "expected postgres and redis warnings: {stdout}"
    );
    let response_lines = lines
        .iter()
        .filter(|l| l["message"] == "finished processing request")
        .count();
    assert_eq!(response_lines, 1, "{stdout}");
    for line in lines
        .iter()
        .filter(|l| !request_ids(l).is_empty())
        .chain(readiness_lines)
    {
        assert_eq!(request_ids(line), ["req-abc-123"], "{line}");
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

#[test]
fn serve_refuses_a_role_that_bypasses_row_level_security() {
    // The machine's `postgres` role is a superuser: RLS would silently not apply.
    let (code, err) = run_with(
        &[
            (
                "DATABASE_URL",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            ("REDIS_URL", "redis://127.0.0.1:1/0"),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
        ],
        &[],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("superuser or BYPASSRLS"), "{err}");
    assert!(err.contains("ledgerlens_app"), "{err}");
}

/// Runs an `admin` task of the real binary against the per-test database as the app role.
fn admin(
    conn: &sqlx::postgres::PgConnectOptions,
    args: &[&str],
    stdin: Option<&str>,
) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "postgres://ledgerlens_app@127.0.0.1:5432/{}",
        conn.get_database().expect("test database name")
    );
    let mut child = ledgerlens(dir.path())
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("REDIS_URL", "redis://127.0.0.1:6379/0"),
            ("MAIL_DIR", dir.path().join("mail").to_str().unwrap()),
            ("RUST_LOG", "warn"),
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[sqlx::test]
async fn create_staff_assign_and_disable_through_the_binary(
    opts: sqlx::postgres::PgPoolOptions,
    conn: sqlx::postgres::PgConnectOptions,
) {
    let (code, out, err) = admin(
        &conn,
        &[
            "admin",
            "create-staff",
            "--email",
            "Ops@Example.com",
            "--role",
            "superuser",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let password = out.lines().last().unwrap().trim().to_string();
    assert_eq!(password.len(), 32, "{out}");

    let (code, _, err) = admin(
        &conn,
        &[
            "admin",
            "create-staff",
            "--email",
            "help@example.com",
            "--role",
            "support",
            "--password-stdin",
        ],
        Some("a support passphrase 2026 ok\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = admin(
        &conn,
        &[
            "admin",
            "create-staff",
            "--email",
            "x@example.com",
            "--role",
            "root",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("superuser or support"), "{err}");

    let pool = opts.connect_with(conn.clone()).await.unwrap();
    sqlx::query("insert into organizations (slug, name) values ('acme', 'Acme')")
        .execute(&pool)
        .await
        .unwrap();
    let (code, out, err) = admin(
        &conn,
        &[
            "admin",
            "assign-staff",
            "--email",
            "help@example.com",
            "--org",
            "acme",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("assigned to acme"), "{out}");
    let (code, _, err) = admin(
        &conn,
        &[
            "admin",
            "assign-staff",
            "--email",
            "help@example.com",
            "--org",
            "nope",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("no such"), "{err}");

    let staff: Vec<(String, String)> =
        sqlx::query_as("select email, staff_role from users order by email")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        staff,
        [
            ("help@example.com".into(), "support".into()),
            ("ops@example.com".into(), "superuser".into())
        ]
    );
    let assigned: i64 = sqlx::query_scalar("select count(*) from staff_assignments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(assigned, 1);

    let (code, _, err) = admin(
        &conn,
        &["admin", "disable-user", "--email", "ops@example.com"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let disabled: bool = sqlx::query_scalar(
        "select disabled_at is not null from users where email = 'ops@example.com'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(disabled);
    let events: i64 = sqlx::query_scalar("select count(*) from audit_events where action in ('staff.role_granted', 'staff.assigned', 'user.disabled')")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(events, 4);
}

#[sqlx::test]
async fn create_api_token_prints_a_working_token_last(
    opts: sqlx::postgres::PgPoolOptions,
    conn: sqlx::postgres::PgConnectOptions,
) {
    let pool = opts.connect_with(conn.clone()).await.unwrap();
    sqlx::query("insert into organizations (slug, name) values ('acme', 'Acme')")
        .execute(&pool)
        .await
        .unwrap();
    let (code, out, err) = admin(
        &conn,
        &[
            "admin",
            "create-api-token",
            "--org",
            "acme",
            "--name",
            "nightly import",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("llt_") && token.len() == 68, "{out}");
    let (role, via): (String, String) = sqlx::query_as("select role, created_via from api_tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((role.as_str(), via.as_str()), ("editor", "cli"));
    let stored: i64 =
        sqlx::query_scalar("select count(*) from api_tokens where encode(token_hash, 'hex') = $1")
            .bind(&token[4..])
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "only the hash is stored");

    let (code, _, err) = admin(
        &conn,
        &[
            "admin",
            "create-api-token",
            "--org",
            "acme",
            "--name",
            "x",
            "--role",
            "owner",
        ],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("viewer, editor or admin"), "{err}");
    let (code, _, err) = admin(
        &conn,
        &["admin", "create-api-token", "--org", "nope", "--name", "x"],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("no such"), "{err}");
}
