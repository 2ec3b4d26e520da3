//! Upload memory, measured on the real binary: a 60 MB upload streamed over a raw TCP
//! connection is refused with 413 once 50 MB have passed, and the server's resident
//! memory (sampled every few milliseconds from /proc while the body flows) grows by only
//! a few MB — no whole-file buffer anywhere.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use common::fixture;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const BIN: &str = env!("CARGO_BIN_EXE_ledgerlens");

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Sends a multipart upload of `file_len` bytes, with a Content-Length or chunked (no
/// length known in advance, so the server must count while streaming); returns the
/// status line.
fn upload(port: u16, token: &str, property: &str, file_len: usize, chunked: bool) -> String {
    let boundary = "memtestboundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"property\"\r\n\r\n{property}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"period\"\r\n\r\n2024-02\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"doc_type\"\r\n\r\nbalance_sheet\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let len = head.len() + file_len + tail.len();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // If the server stops reading (it answered already), writes time out instead of hanging.
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let framing = if chunked {
        "Transfer-Encoding: chunked".to_string()
    } else {
        format!("Content-Length: {len}")
    };
    write!(
        stream,
        "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\n{framing}\r\n\r\n"
    )
    .unwrap();
    let send = |stream: &mut TcpStream, data: &[u8]| -> std::io::Result<()> {
        if chunked {
            write!(stream, "{:x}\r\n", data.len())?;
            stream.write_all(data)?;
            stream.write_all(b"\r\n")
        } else {
            stream.write_all(data)
        }
    };
    send(&mut stream, head.as_bytes()).unwrap();
    let mut chunk = vec![b' '; 64 * 1024];
    chunk[..9].copy_from_slice(b"%PDF-1.4\n");
    let mut sent = 0;
    while sent < file_len {
        let n = chunk.len().min(file_len - sent);
        // The server answers 413 and closes once the limit is passed: stop writing then.
        if send(&mut stream, &chunk[..n]).is_err() {
            break;
        }
        chunk[..9].fill(b' ');
        sent += n;
    }
    let _ = send(&mut stream, tail.as_bytes());
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n");
    }
    let mut response = String::new();
    let _ = BufReader::new(stream).read_line(&mut response);
    response
}

#[sqlx::test]
async fn a_60_mb_upload_is_refused_without_the_server_growing(
    _o: PgPoolOptions,
    conn: PgConnectOptions,
) {
    let pool = common::app_pool(&conn).await;
    let app = common::TestApp::new(pool.clone()).await;
    let f = fixture::build(&pool).await;
    let token = ledgerlens::server::services::api_tokens::create_for_operator(
        &app.state, &f.org_a, "mem", "editor",
    )
    .await
    .unwrap();
    let property = format!("P{}", f.org_a.trim_start_matches("org-a-"));

    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "postgres://ledgerlens_app@127.0.0.1:5432/{}",
        conn.get_database().unwrap()
    );
    let mut child = Command::new(BIN)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([
            ("DATABASE_URL", url.as_str()),
            ("REDIS_URL", common::REDIS_URL),
            (
                "STORAGE_FS_ROOT",
                dir.path().join("objects").to_str().unwrap(),
            ),
            ("MAIL_DIR", dir.path().join("mail").to_str().unwrap()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
            ("LOG_FORMAT", "json"),
            ("RUN_WORKER", "false"),
            ("RUST_LOG", "info"),
        ])
        .current_dir(dir.path())
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().unwrap());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server listening");

    // Warm up: one small accepted upload allocates whatever is allocated once.
    let warm = tokio::task::spawn_blocking({
        let token = token.clone();
        let property = property.clone();
        move || upload(port, &token, &property, 2_000, true)
    })
    .await
    .unwrap();
    assert!(warm.starts_with("HTTP/1.1 201"), "{warm}");
    let baseline = rss_kib(pid);

    // Both framings: with a Content-Length over the limit the server refuses before
    // reading the body; chunked, it must count while streaming and stop at 50 MB.
    for chunked in [false, true] {
        let peak = Arc::new(AtomicU64::new(baseline));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, done) = (peak.clone(), done.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(pid), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(5));
                }
            })
        };
        let started = Instant::now();
        let (t, p) = (token.clone(), property.clone());
        let answer = tokio::task::spawn_blocking(move || upload(port, &t, &p, 60_000_000, chunked))
            .await
            .unwrap();
        let took = started.elapsed();
        done.store(true, Ordering::Relaxed);
        sampler.join().unwrap();
        let grew_mib = (peak.load(Ordering::Relaxed).saturating_sub(baseline)) as f64 / 1024.0;
        println!(
            "60 MB upload (chunked: {chunked}): {answer:?} after {took:?}; RSS baseline {} MiB, peak growth {grew_mib:.1} MiB",
            baseline / 1024
        );
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(
            grew_mib < 16.0,
            "resident memory grew by {grew_mib:.1} MiB during a 60 MB upload"
        );
    }
    let _ = child.kill();
    let _ = child.wait();

    // Nothing of the refused upload remains: one object (the warm-up's), no spool file.
    let mut objects = 0;
    let mut stack = vec![dir.path().join("objects")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                objects += 1;
            }
        }
    }
    assert_eq!(objects, 1);
}
