//! A real S3-compatible server for tests: s3s-fs (installed by `make test`) on a free
//! port with a bucket `ledgerlens-test`, checking signatures; killed on drop.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ledgerlens::server::config::{S3Config, Secret};
use ledgerlens::server::storage::S3Store;

/// An s3s-fs process on a free port, killed on drop.
/// A bucket whose name leaves s3s-fs room for full-length object keys.
pub const SHORT_BUCKET: &str = "llt";

pub struct S3Server {
    child: Child,
    pub port: u16,
    pub root: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn start_s3() -> S3Server {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("ledgerlens-test")).unwrap();
    // s3s-fs keeps per-object metadata in ONE file named after base64(bucket) and
    // base64(key); with a production-shaped key (~160 bytes) and a long bucket name that
    // name passes the 255-byte limit and the put fails. A three-letter bucket (the shortest S3 allows) keeps it
    // under (real S3 has no such limit).
    std::fs::create_dir(root.path().join(SHORT_BUCKET)).unwrap();
    let port = free_port();
    let child = Command::new("s3s-fs")
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", "test-key", "--secret-key", "test-secret"])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("s3s-fs must be on PATH: `make test` installs it (cargo install s3s-fs@0.14.1 --features binary)");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "s3s-fs did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    S3Server { child, port, root }
}

pub fn s3_store(server: &S3Server, bucket: &str, secret: &str) -> S3Store {
    S3Store::new(&S3Config {
        endpoint: Some(format!("http://127.0.0.1:{}", server.port)),
        bucket: bucket.into(),
        region: "us-east-1".into(),
        access_key_id: "test-key".into(),
        secret_access_key: Secret::new(secret.into()),
    })
}
