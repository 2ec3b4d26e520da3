//! Both object stores against real backends: the filesystem, and S3 through a real
//! S3-compatible server (s3s-fs, installed by `make test`) that checks signatures.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use ledgerlens::server::config::{S3Config, Secret};
use ledgerlens::server::storage::{FsStore, ObjectKey, ObjectStore, S3Store, StorageError};

/// An s3s-fs process on a free port, killed on drop.
struct S3Server {
    child: Child,
    port: u16,
    root: tempfile::TempDir,
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

fn start_s3() -> S3Server {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("ledgerlens-test")).unwrap();
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

fn s3_store(server: &S3Server, bucket: &str, secret: &str) -> S3Store {
    S3Store::new(&S3Config {
        endpoint: Some(format!("http://127.0.0.1:{}", server.port)),
        bucket: bucket.into(),
        region: "us-east-1".into(),
        access_key_id: "test-key".into(),
        secret_access_key: Secret::new(secret.into()),
    })
}

async fn round_trip(store: &dyn ObjectStore) {
    store.check().await.expect("store is ready");
    let key = ObjectKey::parse("org/a/property/b/period/2026-01/balance_sheet/c.pdf").unwrap();
    let data = Bytes::from_static(b"%PDF-1.7 not really a pdf");
    store.put(&key, data.clone()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), data);
    store
        .put(&key, Bytes::from_static(b"replaced"))
        .await
        .unwrap();
    assert_eq!(
        store.get(&key).await.unwrap(),
        Bytes::from_static(b"replaced")
    );
    // From a file, streamed: a 3 MiB object (several S3 chunks) arrives byte for byte.
    let mut file = tempfile::NamedTempFile::new().unwrap();
    let big: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    std::io::Write::write_all(&mut file, &big).unwrap();
    store.put_file(&key, file.path()).await.unwrap();
    assert_eq!(store.get(&key).await.unwrap(), Bytes::from(big));
    let listed = store.list("org/a/").await.unwrap();
    assert_eq!(
        listed.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
        [key.as_str()]
    );
    assert!(listed[0].modified.is_some());
    assert!(store.list("org/b/").await.unwrap().is_empty());
    store.delete(&key).await.unwrap();
    assert!(matches!(store.get(&key).await, Err(StorageError::NotFound)));
    store
        .delete(&key)
        .await
        .expect("deleting a missing object is fine");
}

#[tokio::test]
async fn fs_store_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = FsStore::new(dir.path().join("objects")).await.unwrap();
    round_trip(&store).await;
    // No temporary files left behind.
    let leftovers: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.contains("tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

#[tokio::test]
async fn s3_store_round_trip_against_s3s_fs() {
    let server = start_s3();
    let store = s3_store(&server, "ledgerlens-test", "test-secret");
    round_trip(&store).await;
    // The object really went through the server to its disk, and is gone again.
    assert!(server.root.path().join("ledgerlens-test").is_dir());
}

#[tokio::test]
async fn s3_check_fails_for_missing_bucket_and_bad_signature() {
    let server = start_s3();
    assert!(
        s3_store(&server, "no-such-bucket", "test-secret")
            .check()
            .await
            .is_err()
    );
    let forged = s3_store(&server, "ledgerlens-test", "wrong-secret");
    assert!(
        forged.check().await.is_err(),
        "s3s-fs must reject a bad signature"
    );
    let key = ObjectKey::parse("x/y.txt").unwrap();
    assert!(forged.put(&key, Bytes::from_static(b"nope")).await.is_err());
}
